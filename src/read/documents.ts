/**
 * The reading stage: manifest text in, JSON values out, one document (and, in a large
 * `List`, one item) at a time, read the way kubectl reads them.
 *
 * - Text whose first character (after white space and a byte-order mark) is `{` or
 *   `[` is JSON, read as Go's encoding/json reads it (`json-scan.ts`): a truncated
 *   file is a JSON error with its line and column, never YAML. kubectl's
 *   YAMLOrJSONDecoder reads `{` as JSON too; `[` is JSON here as well, a list of
 *   objects being netpol's own extension.
 * - Anything else is a YAML 1.1 stream read as sigs.k8s.io/yaml reads it
 *   (`yaml-tree.ts`, `yaml-fast.ts`), after go-yaml's character check (no control
 *   characters; U+0085, U+2028 and U+2029, which YAML 1.1 reads as line breaks, are
 *   refused rather than read differently).
 *
 * Memory stays bounded at any size: a document larger than `SPLIT_ABOVE` that is an
 * object is cut (`yaml-split.ts`, `json-scan.ts`) into a shell and the elements of
 * its `items`, `pods`, `namespaces` and `policies` arrays, each read only when asked
 * for. A large YAML document that cannot be cut (anchors used across items, another
 * shape) is read whole up to `MAX_WHOLE_YAML` bytes and refused beyond, with the size.
 *
 * Contract: never throws on bad input; every problem is a `TextIssue` with a line.
 */
import { LineIndex, locateJson, scanJson, type JsonIssue, type Span } from "./json-scan.js";
import { readSimpleYaml, UNUSUAL } from "./yaml-fast.js";
import { splitYamlDocument, yamlDocuments } from "./yaml-split.js";
import { pathSegments, readYamlDocument, type ReadValue, type TextIssue } from "./yaml-tree.js";

export type { TextIssue } from "./yaml-tree.js";

/** The top-level arrays of a large document that are read element by element. */
export const SPLIT_KEYS: ReadonlySet<string> = new Set(["items", "pods", "namespaces", "policies"]);

/** Documents larger than this (in UTF-16 code units) are cut into elements. */
export const SPLIT_ABOVE = 1 << 20;

/** The largest YAML document read whole: reading one costs about 70 bytes of memory per byte. */
export const MAX_WHOLE_YAML = 16 << 20;

/** An element of a split array, read on demand. */
export type ReadElement = ({ readonly ok: true; readonly line: number } & ReadValue) | { readonly ok: false; readonly line: number; readonly issues: TextIssue[] };

/** The elements of one split array. */
export interface Elements {
  readonly length: number;
  /** Reads element `i` (each call reads it again; nothing is kept). */
  read(i: number): ReadElement;
}

/** One document of the input. */
export interface ReadDocument extends ReadValue {
  /** Its index in the text, from 0. */
  readonly document: number;
  /** The line it starts on. */
  readonly line: number;
  /** Split arrays by key; `value` holds `[]` in their place. */
  readonly elements: ReadonlyMap<string, Elements>;
}

/** Options of `readDocuments` (for tests: the size above which documents are cut). */
export interface ReadOptions {
  readonly splitAbove?: number;
}

const NO_ELEMENTS: ReadonlyMap<string, Elements> = new Map();

/** go-yaml's reader: characters outside YAML's printable set, and the YAML 1.1 line breaks U+0085, U+2028, U+2029. */
const NOT_YAML = /[^\t\n\r\u0020-\u007e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;

/** Whether the text is JSON: its first significant character is `{` or `[`. */
export function isJson(text: string): boolean {
  const m = /^[\s\ufeff]*([\s\S])/.exec(text.length > 4096 ? text.slice(0, 4096) : text);
  return m !== null && (m[1] === "{" || m[1] === "[");
}

/**
 * The documents of `text`, one at a time; problems that keep a document from being
 * read at all go to `report` with the document's index (such a document is skipped).
 */
export function* readDocuments(text: string, report: (document: number, issue: TextIssue) => void, options: ReadOptions = {}): Generator<ReadDocument> {
  const splitAbove = options.splitAbove ?? SPLIT_ABOVE;
  if (isJson(text)) yield* readJson(text, report, splitAbove);
  else yield* readYaml(text, report, splitAbove);
}

function* readJson(text: string, report: (document: number, issue: TextIssue) => void, splitAbove: number): Generator<ReadDocument> {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const scan = scanJson(text, SPLIT_KEYS, start);
  let index = 0;
  for (const doc of scan.documents) {
    const document = index++;
    for (const issue of doc.issues) report(document, issue);
    if (doc.issues.length > 0) continue;
    const split = doc.end - doc.start > splitAbove && doc.arrays.size > 0;
    let value: unknown;
    const elements = new Map<string, Elements>();
    if (split) {
      let shell = "";
      let at = doc.start;
      for (const [key, array] of [...doc.arrays].sort((a, b) => a[1].open - b[1].open)) {
        shell += text.slice(at, array.open + 1);
        at = array.close;
        elements.set(key, jsonElements(text, array.elements));
      }
      shell += text.slice(at, doc.end);
      value = JSON.parse(shell) as unknown;
    } else {
      const bad = [...doc.arrays.values()].flatMap((a) => a.elements.flatMap((e) => e.issues ?? []));
      for (const issue of bad) report(document, issue);
      if (bad.length > 0) continue;
      value = JSON.parse(text.slice(doc.start, doc.end)) as unknown;
    }
    yield { document, line: doc.line, value, lineOf: jsonLineOf(text, doc.start, doc.line), elements };
  }
  if (scan.error !== null) report(index, scan.error);
}

/** The line of a path inside the JSON value at `start` (on line `line`). */
function jsonLineOf(text: string, start: number, line: number): (path: string) => number {
  return (path) => {
    const offset = locateJson(text, start, pathSegments(path));
    let n = line;
    for (let j = text.indexOf("\n", start); j >= 0 && j < offset; j = text.indexOf("\n", j + 1)) n++;
    return n;
  };
}

function jsonElements(text: string, spans: ReadonlyArray<Span & { issues?: JsonIssue[] }>): Elements {
  return {
    length: spans.length,
    read(i) {
      const span = spans[i]!;
      if (span.issues !== undefined && span.issues.length > 0) return { ok: false, line: span.line, issues: span.issues };
      return { ok: true, line: span.line, value: JSON.parse(text.slice(span.start, span.end)) as unknown, lineOf: jsonLineOf(text, span.start, span.line) };
    },
  };
}

function* readYaml(text: string, report: (document: number, issue: TextIssue) => void, splitAbove: number): Generator<ReadDocument> {
  // one pass for the common case: nothing unusual, so nothing go-yaml refuses either
  const clean = !UNUSUAL.test(text);
  const bad = clean ? null : NOT_YAML.exec(text);
  if (bad !== null) {
    const line = new LineIndex(text).lineAt(bad.index);
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    const what = ["0085", "2028", "2029"].includes(code) ? "a line break in YAML 1.1 (kubectl) and not in YAML 1.2: escape it in a double-quoted string" : "control characters are not allowed";
    report(0, { line, message: `invalid YAML: character U+${code} at line ${line}: ${what}` });
    return;
  }
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const body = start === 0 ? text : text.slice(start);
  const spans = yamlDocuments(body);
  for (let document = 0; document < spans.length; document++) {
    const span = spans[document]!;
    const size = span.end - span.start;
    const split = size > splitAbove ? splitYamlDocument(body, span.start, span.end, SPLIT_KEYS) : null;
    if (split === null && size > MAX_WHOLE_YAML) {
      report(document, {
        line: span.line,
        message: `YAML document of ${(size / 2 ** 20).toFixed(1)} MiB cannot be read item by item (it is not a mapping with an \`items\` list, or uses anchors across items) and is larger than the ${MAX_WHOLE_YAML / 2 ** 20} MiB read whole`,
      });
      continue;
    }
    const read = split === null ? readYamlText(body, span.start, span.end, span.startLine, clean) : readYamlText(split.shell, 0, split.shell.length, span.startLine, clean);
    if (!read.ok) {
      for (const issue of read.issues) report(document, issue);
      continue;
    }
    const elements = new Map<string, Elements>();
    for (const [key, items] of split?.elements ?? []) elements.set(key, yamlElements(body, items, clean));
    yield { document, line: span.line, value: read.value, lineOf: read.lineOf, elements: elements.size > 0 ? elements : NO_ELEMENTS };
  }
}

/** Reads `text[start, end)` (first line `line`): the fast subset reader, else the `yaml` library. */
function readYamlText(text: string, start: number, end: number, line: number, clean: boolean): ({ readonly ok: true } & ReadValue) | { readonly ok: false; readonly issues: TextIssue[] } {
  const fast = readSimpleYaml(text, start, end, clean);
  if (fast !== null) {
    // lines are only ever needed for a problem: read the text again then, with the library
    let full: ReadValue | null = null;
    const lineOf = (path: string): number | undefined => {
      if (full === null) {
        const again = readYamlDocument(text.slice(start, end), line);
        full = again.ok ? again.read : { value: undefined, lineOf: () => line };
      }
      return full.lineOf(path);
    };
    return { ok: true, value: fast.value, lineOf };
  }
  const read = readYamlDocument(start === 0 && end === text.length ? text : text.slice(start, end), line);
  return read.ok ? { ok: true, ...read.read } : read;
}

/**
 * The elements of a split sequence. Each is read in the context it had: as the one
 * entry of a sequence under a top-level key (`k:` on the line before it), so that
 * indentation rules apply to it as they did in the whole document.
 */
function yamlElements(text: string, spans: readonly Span[], clean: boolean): Elements {
  return {
    length: spans.length,
    read(i) {
      const span = spans[i]!;
      const wrapped = `k:\n${text.slice(span.start, span.end)}`;
      const read = readYamlText(wrapped, 0, wrapped.length, span.line - 1, clean);
      if (!read.ok) return { ok: false, line: span.line, issues: read.issues };
      const items = (read.value as { k?: unknown } | null)?.k;
      if (!Array.isArray(items) || items.length !== 1) {
        return { ok: false, line: span.line, issues: [{ line: span.line, message: "invalid YAML: this list item could not be read on its own" }] };
      }
      const lineOf = read.lineOf;
      return { ok: true, line: span.line, value: items[0] as unknown, lineOf: (path) => lineOf(path === "" ? "k[0]" : path.startsWith("[") ? `k[0]${path}` : `k[0].${path}`) };
    },
  };
}
