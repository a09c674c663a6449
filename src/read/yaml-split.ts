/**
 * Cutting YAML text into pieces that can be read one at a time, in linear time and
 * without parsing: the documents of a stream (at `---` and `...` lines, which no
 * scalar may contain), and, in a large document whose top level is a block
 * mapping, the elements of the block sequences under chosen keys (a `List`'s
 * `items`), so that `kubectl get -o yaml` dumps of any size are read item by item.
 *
 * The element cut follows each line's lexical state (inside a quoted scalar, a flow
 * collection, a block scalar or a multi-line plain scalar) so that it only cuts
 * where a new sequence entry starts at the sequence's column. A document with
 * aliases or `%TAG` directives is not cut (an alias may point into another
 * element). Each element must then read as a sequence of exactly one entry, which
 * `documents.ts` checks.
 */
import { LineIndex, type Span } from "./json-scan.js";

/** One document of a stream: `[start, end)`, its line (its `---`'s or first content's), the line of `start`, whether a `---` opens it. */
export interface YamlDocumentSpan extends Span {
  readonly startLine: number;
  readonly explicit: boolean;
}

const MARKER = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)/gm;

/** The offset of the first line of `text[a, b)` that is not blank, a comment or a directive; -1 when none is. */
function firstContent(text: string, a: number, b: number): number {
  let i = a;
  while (i < b) {
    let nl = text.indexOf("\n", i);
    if (nl < 0 || nl > b) nl = b;
    let j = i;
    while (j < nl && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 13)) j++;
    if (j < nl && text.charCodeAt(j) !== 35 && !(j === i && text.charCodeAt(j) === 37)) return j;
    i = nl + 1;
  }
  return -1;
}

/**
 * The documents of a YAML stream, as the `yaml` library counts them: every `---`
 * opens one; text before the first `---` or after a `...` is one when it has
 * content; comments and directives before a `---` belong to its document. A
 * document's line is its `---`'s, or its first content's when it has none.
 */
export function yamlDocuments(text: string): YamlDocumentSpan[] {
  const out: YamlDocumentSpan[] = [];
  const lines = new LineIndex(text);
  /** Where the pending region starts (text not yet in a document). */
  let pending = 0;
  /** The open document's start and the offset its line is counted at, or -1 when none is open. */
  let open = -1;
  let marker = 0;
  const push = (start: number, end: number, at: number, explicit: boolean): void => {
    const startLine = lines.lineAt(start);
    out.push({ start, end, line: lines.lineAt(at), startLine, explicit });
  };
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m !== null; m = MARKER.exec(text)) {
    const at = m.index;
    if (m[0] === "---") {
      if (open >= 0) push(open, at, marker, true);
      else {
        const content = firstContent(text, pending, at);
        if (content >= 0) push(pending, at, content, false);
        else {
          // comments and directives before `---` belong to its document
          open = pending;
          marker = at;
          continue;
        }
      }
      open = at;
      marker = at;
    } else {
      let nl = text.indexOf("\n", at);
      nl = nl < 0 ? text.length : nl + 1;
      if (open >= 0) push(open, nl, marker, true);
      else {
        const content = firstContent(text, pending, at);
        if (content >= 0) push(pending, nl, content, false);
      }
      open = -1;
      pending = nl;
    }
  }
  if (open >= 0) push(open, text.length, marker, true);
  else {
    const content = firstContent(text, pending, text.length);
    if (content >= 0) push(pending, text.length, content, false);
  }
  return out;
}

/** A document cut into a shell and the elements of its split sequences. */
export interface SplitYaml {
  /** The document with each split sequence replaced by `[]`, lines kept where they were. */
  readonly shell: string;
  /** Per key, the elements of its sequence: each a text that reads as a one-entry sequence. */
  readonly elements: ReadonlyMap<string, Span[]>;
}

/** Lexical state at the start of a line. */
const enum Mode {
  None,
  DoubleQuoted,
  SingleQuoted,
  BlockScalar,
  Plain,
}

/** Follows the lexical state of a document line by line (see the module comment). */
class LineState {
  mode = Mode.None;
  flow = 0;
  /** BlockScalar: lines more indented than this are its content. */
  blockParent = 0;
  /** Plain: lines more indented than this continue the scalar. */
  plainOwner = 0;
  aliases = false;

  constructor(private readonly text: string) {}

  /**
   * Reads line `[ls, le)`; returns its indent when the line starts outside every
   * multi-line construct and has content, -1 for blank and comment lines, -2 for a
   * line inside a construct.
   */
  line(ls: number, le: number): number {
    const t = this.text;
    let i = ls;
    while (i < le && t.charCodeAt(i) === 32) i++;
    const indent = i - ls;
    const blank = i >= le;
    if (this.mode === Mode.BlockScalar) {
      if (blank || indent > this.blockParent) return -2;
      this.mode = Mode.None;
    } else if (this.mode === Mode.Plain) {
      if (blank) return -2;
      if (t.charCodeAt(i) === 35 || indent <= this.plainOwner) this.mode = Mode.None;
      else return -2;
    }
    if (this.mode === Mode.DoubleQuoted || this.mode === Mode.SingleQuoted) {
      const closed = this.closeQuote(ls, le, this.mode === Mode.DoubleQuoted ? 34 : 39);
      if (closed < 0) return -2;
      this.mode = Mode.None;
      if (this.flow > 0) this.block(this.flowScan(closed, ls, le), ls, le, indent);
      else this.block(closed, ls, le, indent);
      return -2;
    }
    if (this.flow > 0) {
      this.block(this.flowScan(ls, ls, le), ls, le, indent);
      return -2;
    }
    if (blank || t.charCodeAt(i) === 35) return -1;
    this.block(i, ls, le, indent);
    return indent;
  }

  /** The offset after the quote closing a scalar from `i`, or -1 when it goes on past the line. */
  private closeQuote(i: number, le: number, quote: number): number {
    const t = this.text;
    for (; i < le; i++) {
      const c = t.charCodeAt(i);
      if (quote === 34 && c === 92) i++;
      else if (c === quote) {
        if (quote === 39 && i + 1 < le && t.charCodeAt(i + 1) === 39) i++;
        else return i + 1;
      }
    }
    return -1;
  }

  /** Scans flow content from `i`; returns where block context resumes (or `le`). */
  private flowScan(i: number, ls: number, le: number): number {
    const t = this.text;
    for (; i < le; i++) {
      const c = t.charCodeAt(i);
      if (c === 34 || c === 39) {
        const closed = this.closeQuote(i + 1, le, c);
        if (closed < 0) {
          this.mode = c === 34 ? Mode.DoubleQuoted : Mode.SingleQuoted;
          return le;
        }
        i = closed - 1;
      } else if (c === 91 || c === 123) this.flow++;
      else if (c === 93 || c === 125) {
        this.flow--;
        if (this.flow === 0) return i + 1;
      } else if (c === 35 && (i === ls || t.charCodeAt(i - 1) === 32)) return le;
      else if (c === 42) {
        const p = i === ls ? 32 : t.charCodeAt(i - 1);
        if (p === 32 || p === 91 || p === 123 || p === 44 || p === 58) this.aliases = true;
      }
    }
    return le;
  }

  /** Lexes block-context tokens from `i` to the line's end. */
  private block(i: number, ls: number, le: number, indent: number): void {
    const t = this.text;
    let owner = -1;
    while (i < le) {
      const c = t.charCodeAt(i);
      if (c === 32) {
        i++;
        continue;
      }
      if (c === 35 && (i === ls || t.charCodeAt(i - 1) === 32)) return;
      const next = i + 1 < le ? t.charCodeAt(i + 1) : 32;
      if ((c === 45 || c === 63 || c === 58) && next === 32) {
        if (c === 45) owner = i - ls;
        i += 1;
        continue;
      }
      if (c === 38 || c === 33 || c === 42) {
        // an anchor, a tag or an alias: a word
        if (c === 42) this.aliases = true;
        while (i < le && t.charCodeAt(i) !== 32) i++;
        continue;
      }
      if (c === 34 || c === 39) {
        const closed = this.closeQuote(i + 1, le, c);
        if (closed < 0) {
          this.mode = c === 34 ? Mode.DoubleQuoted : Mode.SingleQuoted;
          return;
        }
        const start = i;
        i = closed;
        while (i < le && t.charCodeAt(i) === 32) i++;
        if (i < le && t.charCodeAt(i) === 58) owner = start - ls;
        continue;
      }
      if (c === 91 || c === 123) {
        this.flow = 1;
        i = this.flowScan(i + 1, ls, le);
        continue;
      }
      if (c === 124 || c === 62) {
        this.mode = Mode.BlockScalar;
        this.blockParent = indent;
        return;
      }
      // a plain scalar: a key when `: ` follows, else a value to the line's end (or a comment)
      const start = i;
      for (; i < le; i++) {
        const ch = t.charCodeAt(i);
        if (ch === 58 && (i + 1 >= le || t.charCodeAt(i + 1) === 32)) break;
        if (ch === 35 && t.charCodeAt(i - 1) === 32) return;
      }
      if (i < le || t.charCodeAt(le - 1) === 58) {
        owner = start - ls;
        i++;
        continue;
      }
      this.mode = Mode.Plain;
      this.plainOwner = owner >= 0 ? owner : indent - 1;
      return;
    }
  }
}

/**
 * The key of a top-level mapping line `[ls, le)` with nothing after its `:` but a
 * comment, and the offset of that `:`; null for any other line (a quoted key with
 * escapes included: such a key is never one of the split keys).
 */
function emptyKey(text: string, ls: number, le: number): { key: string; colon: number } | null {
  const line = text.slice(ls, le);
  let key: string;
  let i: number;
  const q = line[0];
  if (q === '"' || q === "'") {
    const close = line.indexOf(q, 1);
    if (close < 0 || (q === '"' && line.slice(1, close).includes("\\")) || (q === "'" && line[close + 1] === "'")) return null;
    key = line.slice(1, close);
    i = close + 1;
  } else {
    const m = /^[^\s#'"&*!|>%@`,[\]{}?:-][^:#]*/.exec(line);
    if (m === null) return null;
    key = m[0].trimEnd();
    i = m[0].length;
  }
  while (line[i] === " ") i++;
  if (line[i] !== ":") return null;
  return /^:([ ]+(#.*)?)?$/.test(line.slice(i)) ? { key, colon: ls + i } : null;
}

/**
 * Cuts the document `[start, end)` (a top-level block mapping) at the elements of the
 * block sequences under `keys`; null when it cannot be cut safely (another shape,
 * aliases, `%TAG` directives, no such sequence).
 */
export function splitYamlDocument(text: string, start: number, end: number, keys: ReadonlySet<string>): SplitYaml | null {
  const state = new LineState(text);
  const lines = new LineIndex(text);
  const elements = new Map<string, Span[]>();
  const regions: Array<{ colon: number; from: number; to: number }> = [];
  let sawContent = false;
  /** The key whose value may be a split sequence, until its first content line says. */
  let candidate: { key: string; colon: number } | null = null;
  /** The sequence being cut. */
  let sequence: { key: string; colon: number; column: number; from: number; items: Span[]; item: number } | null = null;
  const closeSequence = (at: number): void => {
    if (sequence === null) return;
    sequence.items.push({ start: sequence.item, end: at, line: lines.lineAt(sequence.item) });
    elements.set(sequence.key, sequence.items);
    regions.push({ colon: sequence.colon, from: sequence.from, to: at });
    sequence = null;
  };
  let ls = start;
  while (ls < end) {
    let nl = text.indexOf("\n", ls);
    if (nl < 0 || nl >= end) nl = end;
    let le = nl;
    if (le > ls && text.charCodeAt(le - 1) === 13) le--;
    const first = text.charCodeAt(ls);
    if (!sawContent && (first === 37 || (first === 45 && text.startsWith("---", ls)))) {
      // a directive, or the `---` line opening the document
      if (text.startsWith("%TAG", ls)) return null;
      if (first === 45 && !/^---[ \t]*(#.*)?$/.test(text.slice(ls, le))) return null;
      ls = nl + 1;
      continue;
    }
    const indent = state.line(ls, le);
    if (indent >= 0) {
      const dash = text.charCodeAt(ls + indent) === 45 && (ls + indent + 1 >= le || text.charCodeAt(ls + indent + 1) === 32);
      if (!sawContent && (indent !== 0 || dash)) return null;
      sawContent = true;
      if (sequence !== null) {
        if (indent === sequence.column && dash) {
          sequence.items.push({ start: sequence.item, end: ls, line: lines.lineAt(sequence.item) });
          sequence.item = ls;
        } else if (indent <= sequence.column) closeSequence(ls);
      } else if (candidate !== null) {
        if (dash) sequence = { ...candidate, column: indent, from: ls, items: [], item: ls };
        candidate = null;
      }
      if (sequence === null && indent === 0 && !dash) {
        const key = emptyKey(text, ls, le);
        candidate = key !== null && keys.has(key.key) && !elements.has(key.key) ? key : null;
      }
    }
    ls = nl + 1;
  }
  closeSequence(end);
  if (state.aliases || regions.length === 0) return null;
  // the shell: `key: []` and the sequences' lines left blank, so that lines stay put
  let shell = "";
  let at = start;
  for (const r of regions) {
    shell += `${text.slice(at, r.colon + 1)} []${text.slice(r.colon + 1, r.from)}`;
    let newlines = 0;
    for (let j = text.indexOf("\n", r.from); j >= 0 && j < r.to; j = text.indexOf("\n", j + 1)) newlines++;
    shell += "\n".repeat(newlines);
    at = r.to;
  }
  shell += text.slice(at, end);
  return { shell, elements };
}
