/**
 * A fast reader for the plainest YAML: what `kubectl get -o yaml` prints for most
 * objects. Block mappings and sequences (compact forms included), one-line plain,
 * single- and double-quoted scalars, `[]`, `{}`, comments. It reads that subset
 * exactly as `yaml-tree.ts` does (YAML 1.1 scalars through `yaml-scalar.ts`, keys
 * as sigs.k8s.io/yaml writes them), which a differential property test checks, and
 * it gives up (`null`) on anything else: anchors, aliases, tags, block scalars,
 * flow collections with content, multi-line scalars, merge keys, duplicate keys,
 * tabs, unusual characters, odd indentation, errors. The caller then reads the same
 * text with the `yaml` library. It is an optimization only: never an authority.
 */
import { plainIsString, resolvePlain, scalarKey, scalarValue } from "./yaml-scalar.js";
import { setOwn } from "./yaml-tree.js";

/** The result when the text is outside the subset. */
const GIVE_UP = Symbol("give up");
type Out = unknown | typeof GIVE_UP;

/**
 * Characters that send a text to the library: tabs, control characters, YAML 1.1 line
 * breaks, a BOM, a lone CR, surrogates, U+FFFE and U+FFFF. A text without any has no
 * character go-yaml refuses either (see `documents.ts`).
 */
export const UNUSUAL = /[\t\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]|\r(?!\n)/;

/** How deep the subset nests before the library is asked instead. */
const MAX_NESTING = 64;

/**
 * Reads `text[start, end)` if it is in the subset: `{ value }`, or null to use the
 * library. `clean` says the caller already found no `UNUSUAL` character in `text`.
 */
export function readSimpleYaml(text: string, start: number, end: number, clean = false): { readonly value: unknown } | null {
  const chunk = start === 0 && end === text.length ? text : text.slice(start, end);
  if (!clean && UNUSUAL.test(chunk)) return null;
  const reader = new Reader(chunk);
  const value = reader.document();
  return value === GIVE_UP ? null : { value };
}

class Reader {
  /** Content lines only (blank and comment lines dropped): start offset, end offset (before CR/LF), indent. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  /** The next line to read. */
  private line = 0;
  /** Content lines that are document markers (`---` or `...` at column 0). */
  private markers = 0;

  constructor(private readonly text: string) {
    const t = text;
    let i = 0;
    while (i < t.length) {
      let nl = t.indexOf("\n", i);
      if (nl < 0) nl = t.length;
      let e = nl;
      if (e > i && t.charCodeAt(e - 1) === 13) e--;
      let j = i;
      while (j < e && t.charCodeAt(j) === 32) j++;
      if (j < e && t.charCodeAt(j) !== 35) {
        if (j === i && (t.startsWith("---", i) || t.startsWith("...", i)) && (i + 3 >= e || t.charCodeAt(i + 3) === 32)) this.markers++;
        this.starts.push(i);
        this.ends.push(e);
        this.indents.push(j - i);
      }
      i = nl + 1;
    }
  }

  /** The whole text: one node, or null when there is none. */
  document(): Out {
    const n = this.starts.length;
    if (n === 0) return null;
    // a `---` line alone starts the document; directives and `...` go to the library
    const first = this.text.slice(this.starts[0]!, this.ends[0]!);
    if (first.startsWith("%") || first.startsWith("...")) return GIVE_UP;
    if (this.markers > (first.startsWith("---") ? 1 : 0)) return GIVE_UP;
    if (first.startsWith("---")) {
      if (!/^---\s*(#.*)?$/.test(first)) return GIVE_UP;
      this.line = 1;
      if (this.line === n) return null;
    }
    const value = this.node(this.line, this.starts[this.line]! + this.indents[this.line]!, 0);
    if (value === GIVE_UP || this.line !== n) return GIVE_UP;
    return value;
  }

  /** The block node whose first token is at offset `at` of line `l` (a sequence, a mapping or a lone scalar). */
  private node(l: number, at: number, depth: number): Out {
    if (depth > MAX_NESTING) return GIVE_UP;
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === 45 /* - */ && this.isIndicator(at + 1, l)) return this.sequence(l, at, depth);
    const key = this.key(l, at);
    if (key === GIVE_UP) return GIVE_UP;
    if (key !== null) return this.mapping(l, at, depth);
    // a scalar alone on its line (a value written below its key): kept to the library,
    // where a multi-line plain scalar is read right
    return GIVE_UP;
  }

  /** Whether offset `i` (right after `-`, `?` or `:`) ends the indicator: a space or the line's end. */
  private isIndicator(i: number, l: number): boolean {
    return i >= this.ends[l]! || this.text.charCodeAt(i) === 32;
  }

  /** Column of offset `at` on line `l`. */
  private column(l: number, at: number): number {
    return at - this.starts[l]!;
  }

  /** A block sequence whose first `-` is at offset `at` of line `l`. */
  private sequence(l: number, at: number, depth: number): Out {
    if (depth > MAX_NESTING) return GIVE_UP;
    const column = this.column(l, at);
    const out: unknown[] = [];
    let dash = at;
    for (;;) {
      const value = this.entryValue(l, dash + 1, column, depth);
      if (value === GIVE_UP) return GIVE_UP;
      out.push(value);
      // the next entry: a line at this column starting with `-`
      const next = this.line;
      if (next >= this.starts.length || this.indents[next]! !== column) break;
      const d = this.starts[next]! + column;
      if (this.text.charCodeAt(d) !== 45 || !this.isIndicator(d + 1, next)) break;
      l = next;
      dash = d;
    }
    return out;
  }

  /** The value after an indicator (`- ` or `key:`) at offset `from` of line `l`, for a node at `column`. */
  private entryValue(l: number, from: number, column: number, depth: number, mapValue = false): Out {
    const t = this.text;
    const end = this.ends[l]!;
    let i = from;
    while (i < end && t.charCodeAt(i) === 32) i++;
    if (i >= end || (t.charCodeAt(i) === 35 && i > from)) {
      // nothing on this line: the value is below, more indented (or, for a key, a sequence at the key's column)
      this.line = l + 1;
      const next = this.line;
      if (next < this.starts.length) {
        const indent = this.indents[next]!;
        const first = this.starts[next]! + indent;
        if (indent > column) return this.node(next, first, depth + 1);
        if (mapValue && indent === column && t.charCodeAt(first) === 45 && this.isIndicator(first + 1, next)) return this.sequence(next, first, depth + 1);
      }
      return null;
    }
    if (i === from && !mapValue) return GIVE_UP; // `-x` is not an entry; the caller checked
    const c = t.charCodeAt(i);
    if (!mapValue && c === 45 && this.isIndicator(i + 1, l)) return this.sequence(l, i, depth + 1);
    if (!mapValue) {
      const key = this.key(l, i);
      if (key === GIVE_UP) return GIVE_UP;
      if (key !== null) return this.mapping(l, i, depth + 1);
    }
    const value = this.scalar(l, i);
    this.line = l + 1;
    return value;
  }

  /** A block mapping whose first key is at offset `at` of line `l`. */
  private mapping(l: number, at: number, depth: number): Out {
    if (depth > MAX_NESTING) return GIVE_UP;
    const column = this.column(l, at);
    const out: Record<string, unknown> = {};
    let k = at;
    for (;;) {
      const key = this.key(l, k);
      if (key === null || key === GIVE_UP) return GIVE_UP;
      if (Object.hasOwn(out, key.name)) return GIVE_UP; // the library reports the duplicate with its line
      const value = this.entryValue(l, key.after, column, depth, true);
      if (value === GIVE_UP) return GIVE_UP;
      setOwn(out, key.name, value);
      const next = this.line;
      if (next >= this.starts.length || this.indents[next]! !== column) break;
      l = next;
      k = this.starts[next]! + column;
      if (this.text.charCodeAt(k) === 45 && this.isIndicator(k + 1, next)) break;
    }
    return out;
  }

  /**
   * The mapping key at offset `at` of line `l`: its JSON name and the offset after
   * its `:`; null when the line holds no key there; GIVE_UP when it is one the
   * subset does not read (merge keys, keys that are not strings or numbers, ...).
   */
  private key(l: number, at: number): { readonly name: string; readonly after: number } | null | typeof GIVE_UP {
    const t = this.text;
    const end = this.ends[l]!;
    const c = t.charCodeAt(at);
    if (c === 34 || c === 39) {
      const quoted = this.quoted(l, at);
      if (quoted === null) return GIVE_UP;
      let i = quoted.after;
      while (i < end && t.charCodeAt(i) === 32) i++;
      if (t.charCodeAt(i) !== 58) return null;
      if (!this.isIndicator(i + 1, l)) return GIVE_UP;
      return { name: quoted.value, after: i + 1 };
    }
    if (!this.plainStart(at, l)) return null;
    // a plain key ends at the first `: ` (or `:` at the end); ` #` first means none
    for (let i = at + 1; i < end; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 58 && this.isIndicator(i + 1, l)) {
        let e = i;
        while (t.charCodeAt(e - 1) === 32) e--;
        const text = t.slice(at, e);
        if (text === "<<" || text.length > 1024) return GIVE_UP;
        if (plainIsString(text)) return { name: text, after: i + 1 };
        const name = scalarKey(resolvePlain(text));
        return name.ok ? { name: name.key, after: i + 1 } : GIVE_UP;
      }
      if (ch === 35 && t.charCodeAt(i - 1) === 32) return null;
    }
    return null;
  }

  /** Whether a plain scalar may start at offset `i`: no indicator first (`-`, `?`, `:` count when a space follows). */
  private plainStart(i: number, l: number): boolean {
    const c = this.text.charCodeAt(i);
    switch (c) {
      case 45: // -
      case 63: // ?
      case 58: // :
        return !this.isIndicator(i + 1, l);
      case 44: // ,
      case 91: // [
      case 93: // ]
      case 123: // {
      case 125: // }
      case 35: // #
      case 38: // &
      case 42: // *
      case 33: // !
      case 124: // |
      case 62: // >
      case 39: // '
      case 34: // "
      case 37: // %
      case 64: // @
      case 96: // `
        return false;
      default:
        return true;
    }
  }

  /** The scalar value from offset `at` to the end of line `l` (a comment may follow). */
  private scalar(l: number, at: number): Out {
    const t = this.text;
    const end = this.ends[l]!;
    const c = t.charCodeAt(at);
    if (c === 34 || c === 39) {
      const quoted = this.quoted(l, at);
      if (quoted === null) return GIVE_UP;
      let i = quoted.after;
      while (i < end && t.charCodeAt(i) === 32) i++;
      if (i < end && !(t.charCodeAt(i) === 35 && i > quoted.after)) return GIVE_UP;
      return quoted.value;
    }
    if ((c === 91 || c === 123) && at + 1 < end && t.charCodeAt(at + 1) === c + 2) {
      // `[]` or `{}`, then nothing or a comment
      let i = at + 2;
      while (i < end && t.charCodeAt(i) === 32) i++;
      if (i < end && !(t.charCodeAt(i) === 35 && i > at + 2)) return GIVE_UP;
      return c === 91 ? [] : {};
    }
    if (!this.plainStart(at, l)) return GIVE_UP;
    let e = end;
    for (let i = at + 1; i < end; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 35 && t.charCodeAt(i - 1) === 32) {
        e = i;
        break;
      }
      if (ch === 58 && this.isIndicator(i + 1, l)) return GIVE_UP;
    }
    while (t.charCodeAt(e - 1) === 32) e--;
    const text = t.slice(at, e);
    if (plainIsString(text)) return text;
    const value = scalarValue(resolvePlain(text));
    return value.ok ? value.value : GIVE_UP;
  }

  /** A quoted scalar starting at offset `at` that closes on line `l`: its value and the offset after it. */
  private quoted(l: number, at: number): { readonly value: string; readonly after: number } | null {
    const t = this.text;
    const end = this.ends[l]!;
    const quote = t.charCodeAt(at);
    let out = "";
    let from = at + 1;
    for (let i = at + 1; i < end; i++) {
      const ch = t.charCodeAt(i);
      if (quote === 39) {
        if (ch !== 39) continue;
        if (t.charCodeAt(i + 1) === 39 && i + 1 < end) {
          out += t.slice(from, i + 1);
          from = i + 2;
          i++;
          continue;
        }
        return { value: out + t.slice(from, i), after: i + 1 };
      }
      if (ch === 34) return { value: out + t.slice(from, i), after: i + 1 };
      if (ch === 92) {
        const e = t.charCodeAt(i + 1);
        let s: string;
        if (e === 34) s = '"';
        else if (e === 92) s = "\\";
        else if (e === 110) s = "\n";
        else if (e === 116) s = "\t";
        else return null;
        out += t.slice(from, i) + s;
        from = i + 2;
        i++;
      }
    }
    return null;
  }
}
