// JSON read as JSON (kubectl's YAMLOrJSONDecoder sends input starting with `{` to
// Go's encoding/json): errors with line and column, never a fall back to YAML;
// duplicate keys refused; large documents read item by item with the same result.
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseManifests } from "../src/manifests-entry.js";
import { readDocuments } from "../src/read/documents.js";
import { scanJson } from "../src/read/json-scan.js";

const RUNS = Number(process.env.NETPOL_FUZZ_RUNS ?? 200);

const namespaces = (n: number): string =>
  JSON.stringify({ apiVersion: "v1", kind: "List", items: Array.from({ length: n }, (_, i) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: `ns-${i}` } })) }, null, 4);

test("a truncated JSON file is a JSON error at its end, not a YAML error", () => {
  const text = namespaces(50);
  const cut = text.slice(0, Math.floor(text.length * 0.7));
  const m = parseManifests(cut, { file: "dump.json" });
  const lines = cut.split("\n").length;
  assert.equal(
    m.issues.map((i) => [i.file, i.line, i.severity]),
    [["dump.json", lines, "error"]],
  );
  assert.match(m.issues[0]!.message, new RegExp(`^invalid JSON at line ${lines}, column \\d+: unexpected end of JSON input$`));
  assert.is(m.namespaces.length, 0);
});

test("JSON syntax errors say where and what, as Go's encoding/json does", () => {
  const cases: Array<[string, string]> = [
    ['{"a": 1,}', "invalid JSON at line 1, column 9: invalid character '}' looking for beginning of object key string"],
    ['{"a" 1}', "invalid JSON at line 1, column 6: invalid character '1' after object key"],
    ['{"a": tru}', "invalid JSON at line 1, column 7: invalid character 't' looking for beginning of value"],
    ['{\n "a": "x\ny"}', "invalid JSON at line 2, column 9: invalid character '\\n' in string literal"],
    ['{"a": 01}', "invalid JSON at line 1, column 8: invalid character '1' after object key:value pair"],
    ["{a: 1}", "invalid JSON at line 1, column 2: invalid character 'a' looking for beginning of object key string"],
  ];
  for (const [text, message] of cases) assert.equal(parseManifests(text).issues.map((i) => i.message), [message], text);
});

test("a key twice in one JSON object is an error at its path and line; the rest of the list loads", () => {
  const text = `{"kind": "List", "items": [
  {"kind": "Namespace", "metadata": {"name": "a"}},
  {"kind": "Namespace", "metadata": {"name": "b", "labels": {"x": "1", "x": "2"}}},
  {"kind": "Namespace", "metadata": {"name": "c"}}
]}`;
  for (const splitAbove of [0, Infinity]) {
    const issues: Array<[number, string, string | undefined]> = [];
    const docs = [...readDocuments(text, (_, i) => issues.push([i.line, i.message, i.path]), { splitAbove })];
    if (splitAbove === 0) {
      const bad = docs[0]!.elements.get("items")!.read(1);
      assert.ok(!bad.ok && bad.issues[0]!.line === 3 && bad.issues[0]!.path === "items[1].metadata.labels.x", JSON.stringify(bad));
    } else assert.equal(issues, [[3, "duplicate key `x`", "items[1].metadata.labels.x"]]);
  }
  const m = parseManifests(text);
  assert.equal(m.issues.map((i) => [i.line, i.path, i.message]), [[3, "items[1].metadata.labels.x", "duplicate key `x`"]]);
});

test("numbers out of float64 range are refused (encoding/json cannot hold them)", () => {
  const m = parseManifests('{"kind": "Namespace", "metadata": {"name": "a", "x": 1e400}}');
  assert.equal(m.issues.map((i) => [i.path, i.message]), [["metadata.x", "number 1e400 is out of range"]]);
});

test("a stream of JSON values, a byte-order mark, and nesting past Go's 10,000 levels", () => {
  const m = parseManifests('\ufeff{"kind": "Namespace", "metadata": {"name": "a"}}\n{"kind": "Namespace", "metadata": {"name": "b"}}');
  assert.equal(m.issues, []);
  assert.equal(m.namespaces.map((n) => n.name), ["a", "b"]);
  const deep = parseManifests(`{"a": ${"[".repeat(20_000)}${"]".repeat(20_000)}}`);
  assert.match(deep.issues[0]!.message, /exceeded max depth of 10000/);
});

test("bytes: UTF-8, UTF-16 with a byte-order mark; bad UTF-8 is refused in YAML, replaced in JSON", () => {
  const yaml = "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n";
  assert.equal(parseManifests(new TextEncoder().encode(yaml)).namespaces.map((n) => n.name), ["a"]);
  const utf16 = new Uint8Array(2 + yaml.length * 2);
  utf16.set([0xff, 0xfe]);
  for (let i = 0; i < yaml.length; i++) utf16[2 + 2 * i] = yaml.charCodeAt(i);
  assert.equal(parseManifests(utf16).namespaces.map((n) => n.name), ["a"]);
  const bad = new Uint8Array([...new TextEncoder().encode("a: "), 0xff, 0x0a]);
  assert.match(parseManifests(bad).issues[0]!.message, /not UTF-8 \(invalid byte at offset 3\)/);
  const json = new Uint8Array([...new TextEncoder().encode('{"kind": "Namespace", "metadata": {"name": "a", "annotations": {"x": "'), 0xff, ...new TextEncoder().encode('"}}}')]);
  assert.equal(parseManifests(json).issues, []);
});

/** JSON values for the split property. */
const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(null, true, false, 0, -1.5, 1e21, "s", "a\"b\\c\u2028", "__proto__"),
    fc.array(tie("v"), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom("a", "b", "items", "__proto__", "k\u00e9y"), tie("v"), { maxKeys: 3 }),
  ),
})).v;

test("JSON read item by item gives what JSON.parse gives, at any indentation", () => {
  fc.assert(
    fc.property(fc.array(json, { maxLength: 5 }), json, fc.constantFrom(0, 1, 4, "\t"), (items, other, indent) => {
      const value = { kind: "List", items, other };
      const text = JSON.stringify(value, null, indent);
      const docs = [...readDocuments(text, () => {}, { splitAbove: 0 })];
      const read = docs[0]!.value as Record<string, unknown>;
      const split = docs[0]!.elements.get("items")!;
      const back = Array.from({ length: split.length }, (_, i) => {
        const e = split.read(i);
        if (!e.ok) throw new Error(e.issues[0]!.message);
        return e.value;
      });
      if (!isDeepStrictEqual({ ...read, items: back }, JSON.parse(text))) throw new Error(text);
      if (scanJson(text, new Set()).error !== null) throw new Error(`scan refused ${text}`);
    }),
    { numRuns: RUNS },
  );
});

test("the scanner accepts what JSON.parse accepts and refuses what it refuses", () => {
  fc.assert(
    fc.property(json, fc.nat(), fc.constantFrom("", "}", "]", ",", '"', "\\", "\n", "0", "-", "e", "{", "[", ":", "tru", "\u0001"), (v, at, insert) => {
      const base = JSON.stringify({ x: v });
      const i = at % (base.length + 1);
      const text = base.slice(0, i) + insert + base.slice(i);
      let native = true;
      try {
        JSON.parse(text);
      } catch {
        native = false;
      }
      const scanned = scanJson(text, new Set());
      const mine = scanned.error === null && scanned.documents.length === 1;
      // JSON.parse keeps a duplicate key's last value; the scanner reports it and still scans
      if (native !== mine) throw new Error(`${JSON.stringify(text)}: JSON.parse ${native}, scanner ${mine}`);
    }),
    { numRuns: RUNS * 5 },
  );
});

test.run();
