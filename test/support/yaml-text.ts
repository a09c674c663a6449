/**
 * fast-check arbitraries for YAML text: JSON-like trees written in every block style
 * kubectl and people write (compact and indented sequences, 2- and 4-space indents,
 * plain, single- and double-quoted scalars, flow `[]`/`{}` and flow collections,
 * literal and folded block scalars, multi-line quoted scalars, comments, CRLF line
 * ends), with scalars that YAML 1.1 reads in surprising ways (`0120`, `yes`, `~`,
 * `1e3`, `:x`, `a#b`). Used to hold the fast reader to the library's reading and the
 * item-by-item reading to the whole-document one.
 */
import fc from "fast-check";

/** A JSON-like tree (strings only at the leaves: the YAML text decides what they become). */
export type Tree = string | Tree[] | { [key: string]: Tree };

/** Plain scalars worth trying: YAML 1.1 numbers, booleans, nulls, and strings with indicator characters inside. */
export const TRICKY_PLAIN = [
  "0120", "09", "0x1F", "0o17", "0b101", "1_000", "1e3", "1e400", ".5", "+1", "-0", "1.", "99999999999999999999",
  "yes", "Yes", "no", "on", "OFF", "y", "N", "true", "False", "~", "null", "Null",
  "2001-12-14", "2001-12-14T21:59:43Z", "a#b", ":x", "-x", "?x", "http://x:8080/a", "a:b", "a,b", "a[0]", "x{y}",
  "web", "kube-system", "10.0.0.1", "fd00::1", "<<x", "it's", '"q"', "a b  c", "éclair", "__proto__", "constructor",
];

/** Characters for keys and values beyond the vocabulary. */
const word = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);

const scalar: fc.Arbitrary<string> = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TRICKY_PLAIN) }, { weight: 2, arbitrary: word }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });

/** Trees of bounded depth and width. */
export const tree: fc.Arbitrary<Tree> = fc.letrec<{ node: Tree }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    { weight: 3, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie("node"), { maxLength: 4 }) },
    { weight: 2, arbitrary: fc.dictionary(fc.oneof(word, fc.constantFrom("yes", "1", "0x10", "a b", "it's", "__proto__", "~")), tie("node"), { maxKeys: 4 }) },
  ),
})).node;

/** How a tree is written. */
export interface Style {
  readonly indent: 2 | 4;
  /** Sequences under a key at the key's column (`key:\n- a`), as kubectl writes them. */
  readonly compact: boolean;
  /** 0 plain where possible, 1 single, 2 double quoted, 3 mixed by position. */
  readonly quoting: 0 | 1 | 2 | 3;
  readonly comments: boolean;
  readonly crlf: boolean;
  /** Strings with spaces as multi-line quoted or block scalars now and then. */
  readonly multiline: boolean;
  /** Small collections as flow `[a, b]` / `{a: b}` now and then. */
  readonly flow: boolean;
}

export const style: fc.Arbitrary<Style> = fc.record({
  indent: fc.constantFrom(2 as const, 4 as const),
  compact: fc.boolean(),
  quoting: fc.constantFrom(0 as const, 1 as const, 2 as const, 3 as const),
  comments: fc.boolean(),
  crlf: fc.boolean(),
  multiline: fc.boolean(),
  flow: fc.boolean(),
});

/** Whether `s` may be written plain and read back as text by both readers (not as a key, number or indicator). */
function plainSafe(s: string): boolean {
  return /^[A-Za-z0-9_./~+:#?<-][^\n\t]*$/.test(s) && !/(: |:$| #|^[-?:](\s|$)|\s$|^\s|[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff"'])/.test(s) && s !== "" && !s.startsWith("#");
}

const dq = (s: string): string => JSON.stringify(s).replace(/\\u007f/gi, "\\x7f");
const sq = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** A scalar written in the style's quoting (position `k` mixes them). */
function writeScalar(s: string, st: Style, k: number): string {
  const q = st.quoting === 3 ? k % 3 : st.quoting;
  if (q === 0 && plainSafe(s)) return s;
  if (q === 1 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/.test(s)) return sq(s);
  return dq(s);
}

/** Writes `t` as YAML lines at `indent`. */
export function writeYaml(t: Tree, st: Style): string {
  const lines: string[] = [];
  let k = 0;
  const pad = (n: number): string => " ".repeat(n);
  const flowOf = (v: Tree): string | null => {
    if (typeof v === "string") return /^[A-Za-z][A-Za-z0-9-]*$/.test(v) && !/^(y|n|yes|no|on|off|true|false|null)$/i.test(v) ? v : dq(v);
    if (Array.isArray(v)) return v.every((x) => typeof x === "string") ? `[${v.map(flowOf).join(", ")}]` : null;
    const entries = Object.entries(v);
    return entries.every(([key, x]) => typeof x === "string" && /^[a-z][a-z0-9-]*$/.test(key)) ? `{${entries.map(([key, x]) => `${key}: ${flowOf(x)}`).join(", ")}}` : null;
  };
  const value = (v: Tree, col: number): string[] | string => {
    k++;
    if (typeof v === "string") {
      if (st.multiline && v.includes(" ") && k % 4 === 0) return k % 8 === 0 ? `|\n${pad(col + st.indent)}${v}` : `"${v.split(" ")[0]}\n${pad(col + st.indent)}${v.split(" ").slice(1).join(" ").replace(/["\\]/g, "")}"`;
      return writeScalar(v, st, k);
    }
    if (st.flow && k % 3 === 0) {
      const flow = flowOf(v);
      if (flow !== null && flow.length < 60) return flow;
    }
    if (Array.isArray(v)) return v.length === 0 ? "[]" : [];
    return Object.keys(v).length === 0 ? "{}" : [];
  };
  const node = (v: Tree, col: number, first: string | null): void => {
    // `first`: the prefix already on the line (`- ` or `key: `), or null for a fresh line
    if (Array.isArray(v)) {
      v.forEach((item, i) => {
        const prefix = `${i === 0 && first !== null ? first : pad(col)}- `;
        entry(item, col + 2, prefix);
      });
    } else if (typeof v === "object") {
      Object.entries(v).forEach(([key, item], i) => {
        const prefix = `${i === 0 && first !== null ? first : pad(col)}${writeKey(key)}:`;
        const written = value(item, col);
        if (typeof written === "string") lines.push(`${prefix} ${written}${st.comments && k % 5 === 0 ? " # note" : ""}`);
        else {
          lines.push(prefix);
          if (Array.isArray(item)) node(item, st.compact ? col : col + st.indent, null);
          else node(item, col + st.indent, null);
        }
        if (st.comments && k % 7 === 0) lines.push(`${pad(k % 2 === 0 ? 0 : col)}# between`);
      });
    }
  };
  const entry = (item: Tree, col: number, prefix: string): void => {
    const written = value(item, col);
    if (typeof written === "string") lines.push(`${prefix}${written}`);
    else node(item, col, prefix);
  };
  const writeKey = (key: string): string => (/^[a-z][a-z0-9-]*$/.test(key) && !/^(y|n|yes|no|on|off|true|false|null)$/.test(key) ? key : k % 2 === 0 ? dq(key) : plainSafe(key) ? key : sq(key));
  const top = value(t, 0);
  if (typeof top === "string") lines.push(top);
  else node(t, 0, null);
  return lines.join(st.crlf ? "\r\n" : "\n") + (st.crlf ? "\r\n" : "\n");
}

/** A few text mutations: what a hand edit or a broken file does. */
export function mutate(text: string, at: number, kind: number, insert: string): string {
  const i = text.length === 0 ? 0 : at % text.length;
  switch (kind % 6) {
    case 0:
      return text.slice(0, i) + insert + text.slice(i);
    case 1:
      return text.slice(0, i) + text.slice(i + 1 + (at % 5));
    case 2:
      return text.slice(0, i);
    case 3: {
      // re-indent one line
      const start = text.lastIndexOf("\n", i - 1) + 1;
      return `${text.slice(0, start)} ${text.slice(start)}`;
    }
    case 4:
      return text.slice(0, i) + text.slice(i).replace("\n", `\n${insert}\n`);
    default:
      return text.replace(/: /, insert.length % 2 === 0 ? ":" : ":  ");
  }
}
