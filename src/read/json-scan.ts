/**
 * JSON text checked in one linear pass, as Go's encoding/json reads a stream of
 * values (kubectl's YAMLOrJSONDecoder takes input starting with `{` as JSON): the
 * RFC 8259 grammar with positions for every error (a truncated file is "unexpected
 * end of JSON input" at its last line), nesting at most 10,000 deep (Go's limit),
 * numbers within float64 range, and no key twice in one object (the API server's
 * strict field validation refuses duplicate fields; `JSON.parse` would keep the
 * last silently). Values are then built by `JSON.parse` on what this pass accepted.
 *
 * The pass also finds, in a top-level object, where each element of the arrays
 * named in `splitKeys` starts and ends, so that a large `List` can be read one item
 * at a time. It never recurses and never throws on bad input.
 */

/** Where a value is: `[start, end)` in the text, and the 1-based line it starts on. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

/** A problem found by the pass, at a line and, for a duplicate key, a field path. */
export interface JsonIssue {
  readonly line: number;
  readonly message: string;
  /** The field path (`items[3].metadata.labels.app`) of a duplicate key. */
  readonly path?: string;
}

/** One top-level value of the stream. */
export interface JsonDocument extends Span {
  /** For a top-level object: each split array's brackets and elements, by key. */
  readonly arrays: ReadonlyMap<string, { readonly open: number; readonly close: number; readonly elements: Array<Span & { issues?: JsonIssue[] }> }>;
  /** Duplicate keys and out-of-range numbers outside split elements. */
  readonly issues: JsonIssue[];
}

/** Go's encoding/json nesting limit. */
export const MAX_JSON_DEPTH = 10_000;

const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;

interface Frame {
  array: boolean;
  /** Keys seen so far in an object (an array, then a set past 16 keys). */
  keys: string[] | Set<string> | null;
  /** The current key (object) or index (array), for paths. */
  key: string;
  index: number;
  /** Set on a split array: where its elements go. */
  elements: Array<Span & { issues?: JsonIssue[] }> | null;
}

/** Describes the character at `i` for a message. */
function describe(text: string, i: number): string {
  if (i >= text.length) return "unexpected end of JSON input";
  const c = text[i]!;
  const shown = c === "'" ? "'\\''" : JSON.stringify(c).replace(/^"|"$/g, "'");
  return `invalid character ${shown}`;
}

function pathOf(frames: readonly Frame[], depth: number): string {
  let out = "";
  for (let d = 0; d < depth; d++) {
    const f = frames[d]!;
    if (f.array) out += `[${f.index}]`;
    else out += out === "" ? f.key : `.${f.key}`;
  }
  return out;
}

/**
 * Scans every top-level value of `text` from `start`. Returns the values found and,
 * when the text is not valid JSON, the first syntax error (nothing after it is read).
 */
export function scanJson(text: string, splitKeys: ReadonlySet<string>, start = 0): { readonly documents: JsonDocument[]; readonly error: JsonIssue | null } {
  const documents: JsonDocument[] = [];
  const n = text.length;
  let i = start;
  const lines = new LineIndex(text);
  const frames: Frame[] = [];
  let depth = 0;
  let issues: JsonIssue[] = [];
  let arrays = new Map<string, { open: number; close: number; elements: Array<Span & { issues?: JsonIssue[] }> }>();
  let docStart = 0;
  let docLine = 1;
  /** The split element being read, if any: issues inside it go to it. */
  let element: (Span & { issues?: JsonIssue[] }) | null = null;
  let elementStart = -1;
  let elementLine = 0;

  const fail = (message: string): { documents: JsonDocument[]; error: JsonIssue } => {
    const line = lines.lineAt(Math.min(i, n));
    return { documents, error: { line, message: `invalid JSON at line ${line}, column ${column(text, i)}: ${message}` } };
  };
  const report = (issue: JsonIssue): void => {
    if (elementStart >= 0) (element ??= { start: elementStart, end: elementStart, line: elementLine, issues: [] }).issues!.push(issue);
    else issues.push(issue);
  };
  const skipSpace = (): void => {
    let c = text.charCodeAt(i);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++i);
  };

  for (;;) {
    skipSpace();
    if (i >= n) break;
    docStart = i;
    docLine = lines.lineAt(i);
    issues = [];
    arrays = new Map();
    // one top-level value, iteratively: either a value is expected, or what follows one
    let expectValue = true;
    for (;;) {
      if (expectValue) {
        skipSpace();
        if (i >= n) return fail("unexpected end of JSON input");
        if (depth === 2 && frames[1]!.elements !== null) {
          elementStart = i;
          elementLine = lines.lineAt(i);
          element = null;
        }
        const c = text.charCodeAt(i);
        if (c === 0x7b || c === 0x5b) {
          if (depth >= MAX_JSON_DEPTH) return fail(`exceeded max depth of ${MAX_JSON_DEPTH}`);
          const array = c === 0x5b;
          const parent = depth > 0 ? frames[depth - 1]! : null;
          const frame: Frame = (frames[depth] ??= { array, keys: null, key: "", index: 0, elements: null });
          frame.array = array;
          frame.keys = null;
          frame.key = "";
          frame.index = 0;
          frame.elements = null;
          if (array && depth === 1 && parent !== null && !parent.array && splitKeys.has(parent.key) && !arrays.has(parent.key)) {
            frame.elements = [];
            arrays.set(parent.key, { open: i, close: -1, elements: frame.elements });
          }
          depth++;
          i++;
          skipSpace();
          if (text.charCodeAt(i) === (array ? 0x5d : 0x7d)) {
            i++;
            close();
            expectValue = false;
          } else if (!array) {
            const failure = readKey();
            if (failure !== null) return failure;
            continue;
          } else continue;
        } else if (c === 0x22) {
          STRING.lastIndex = i;
          if (!STRING.test(text)) return fail(stringError());
          i = STRING.lastIndex;
        } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) return fail(`${describe(text, i + 1)} in numeric literal`);
          const end = NUMBER.lastIndex;
          // float64 overflows from 309 digits; an exponent gets there sooner
          if ((end - i > 300 || /[eE]/.test(text.slice(i, end))) && !Number.isFinite(Number(text.slice(i, end)))) {
            report({ line: lines.lineAt(i), message: `number ${text.slice(i, Math.min(end, i + 40))} is out of range`, path: pathOf(frames, depth) });
          }
          i = end;
        } else if (text.startsWith("true", i)) i += 4;
        else if (text.startsWith("false", i)) i += 5;
        else if (text.startsWith("null", i)) i += 4;
        else return fail(`${describe(text, i)} looking for beginning of value`);
        expectValue = false;
      }
      // after a value: an element of a split array may end; then a comma or a closing bracket
      if (depth === 2 && elementStart >= 0) {
        const done = element ?? { start: elementStart, end: i, line: elementLine };
        (done as { end: number }).end = i;
        frames[1]!.elements!.push(done);
        elementStart = -1;
        element = null;
      }
      if (depth === 0) break;
      skipSpace();
      const frame = frames[depth - 1]!;
      const c = text.charCodeAt(i);
      if (c === 0x2c) {
        i++;
        if (frame.array) frame.index++;
        else {
          skipSpace();
          const failure = readKey();
          if (failure !== null) return failure;
        }
        expectValue = true;
      } else if (c === (frame.array ? 0x5d : 0x7d)) {
        i++;
        close();
      } else if (i >= n) return fail("unexpected end of JSON input");
      else return fail(`${describe(text, i)} after ${frame.array ? "array element" : "object key:value pair"}`);
    }
    documents.push({ start: docStart, end: i, line: docLine, arrays, issues });
  }
  return { documents, error: null };

  /** Leaves the innermost container (its closing bracket just read). */
  function close(): void {
    depth--;
    const frame = frames[depth]!;
    if (frame.elements !== null) arrays.get(frames[depth - 1]!.key)!.close = i - 1;
  }

  /** Reads `"key":` at `i` in the innermost object; the failure when it is not there. */
  function readKey(): { documents: JsonDocument[]; error: JsonIssue } | null {
    if (text.charCodeAt(i) !== 0x22) return i >= n ? fail("unexpected end of JSON input") : fail(`${describe(text, i)} looking for beginning of object key string`);
    STRING.lastIndex = i;
    if (!STRING.test(text)) return fail(stringError());
    const raw = text.slice(i + 1, STRING.lastIndex - 1);
    const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
    i = STRING.lastIndex;
    const frame = frames[depth - 1]!;
    frame.key = key;
    if (frame.keys === null) frame.keys = [key];
    else if (Array.isArray(frame.keys)) {
      if (frame.keys.includes(key)) duplicate(key);
      else if (frame.keys.length < 16) frame.keys.push(key);
      else frame.keys = new Set([...frame.keys, key]);
    } else if (frame.keys.has(key)) duplicate(key);
    else frame.keys.add(key);
    skipSpace();
    if (text.charCodeAt(i) !== 0x3a) return i >= n ? fail("unexpected end of JSON input") : fail(`${describe(text, i)} after object key`);
    i++;
    return null;
  }

  function duplicate(key: string): void {
    report({ line: lines.lineAt(i), message: `duplicate key \`${key.length > 60 ? `${key.slice(0, 57)}...` : key}\``, path: pathOf(frames, depth) });
  }

  /** Why the string at `i` does not scan. */
  function stringError(): string {
    for (let j = i + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 0x22) break;
      if (c < 0x20) {
        i = j;
        return `${describe(text, j)} in string literal`;
      }
      if (c === 0x5c) {
        const e = text[j + 1];
        if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) j += 5;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++;
        else {
          i = j + 1;
          return e === undefined ? "unexpected end of JSON input" : `${describe(text, j + 1)} in string escape code`;
        }
      }
    }
    i = n;
    return "unexpected end of JSON input";
  }
}

/**
 * 1-based line numbers of offsets, counted forward from the last offset asked: asking
 * in increasing order costs one pass over the text in all.
 */
export class LineIndex {
  private offset = 0;
  private line = 1;
  /** The first newline at or after `offset` (the text's length when there is none). */
  private next: number;

  constructor(private readonly text: string) {
    this.next = this.newlineFrom(0);
  }

  private newlineFrom(i: number): number {
    const j = this.text.indexOf("\n", i);
    return j < 0 ? this.text.length : j;
  }

  /** The line of `offset`. */
  lineAt(offset: number): number {
    if (offset < this.offset) {
      this.offset = 0;
      this.line = 1;
      this.next = this.newlineFrom(0);
    }
    while (this.next < offset) {
      this.line++;
      this.next = this.newlineFrom(this.next + 1);
    }
    this.offset = offset;
    return this.line;
  }
}

/** The 1-based column of offset `i` on its line. */
function column(text: string, i: number): number {
  const lineStart = text.lastIndexOf("\n", Math.max(0, Math.min(i, text.length) - 1)) + 1;
  return Math.min(i, text.length) - lineStart + 1;
}

/** Skips the (valid) JSON value at `i`; returns the offset after it. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      STRING.lastIndex = i;
      STRING.test(text);
      i = STRING.lastIndex - 1;
      if (depth === 0) return i + 1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && (c === 0x2c || c === 0x3a)) return i;
    else if (depth === 0 && c !== 32 && c !== 9 && c !== 10 && c !== 13) {
      // a number or literal
      let j = i;
      while (j < text.length && !",]} \t\r\n".includes(text[j]!)) j++;
      return j;
    }
  }
  return i;
}

/**
 * The offset of the value at `segments` inside the valid JSON value starting at `at`,
 * as deep as the path exists (for an issue's line).
 */
export function locateJson(text: string, at: number, segments: ReadonlyArray<string | number>): number {
  let i = at;
  const space = (): void => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  space();
  for (const segment of segments) {
    const c = text[i];
    let found = -1;
    let j = i + 1;
    if (c === "{" && typeof segment === "string") {
      for (;;) {
        while (j < text.length && " \t\r\n,".includes(text[j]!)) j++;
        if (text[j] !== '"') break;
        STRING.lastIndex = j;
        if (!STRING.test(text)) break;
        const key = JSON.parse(text.slice(j, STRING.lastIndex)) as string;
        j = STRING.lastIndex;
        while (j < text.length && " \t\r\n:".includes(text[j]!)) j++;
        if (key === segment) found = j;
        j = skipValue(text, j);
      }
    } else if (c === "[" && typeof segment === "number") {
      for (let k = 0; ; k++) {
        while (j < text.length && " \t\r\n,".includes(text[j]!)) j++;
        if (j >= text.length || text[j] === "]") break;
        if (k === segment) {
          found = j;
          break;
        }
        j = skipValue(text, j);
      }
    }
    if (found < 0) break;
    i = found;
  }
  return i;
}
