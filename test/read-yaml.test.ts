// YAML read as kubectl reads it: sigs.k8s.io/yaml over go-yaml v2 (YAML 1.1). Each
// pin cites the upstream code that decides it (kubernetes-sigs/yaml, goyaml.v2/
// resolve.go, decode.go and yaml.go). Then the two readers are held to each other:
// the fast reader never disagrees with the library's reading, and a large document
// read item by item gives what the whole document gives.
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { readDocuments, type ReadDocument } from "../src/read/documents.js";
import { readSimpleYaml } from "../src/read/yaml-fast.js";
import { goFloat32, resolvePlain } from "../src/read/yaml-scalar.js";
import { readYamlDocument } from "../src/read/yaml-tree.js";
import { mutate, style, tree, writeYaml } from "./support/yaml-text.js";

const RUNS = Number(process.env.NETPOL_FUZZ_RUNS ?? 200);

const ns = (name: string, labels = "{}"): string => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}, labels: ${labels}}\n`;
const pod = (name: string, ip: string, labels = "{app: db}"): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: x, labels: ${labels}}\nstatus: {podIP: ${ip}}\n`;

/** The value of a one-document text, read whole. */
function value(text: string): unknown {
  const r = readYamlDocument(text, 1);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join("; "));
  return r.read.value;
}

test("resolve.go: a leading 0 is octal (ParseInt base 0), so `port: 0120` is port 80", async () => {
  const m = parseManifests(`${ns("x")}---\n${pod("db", "10.0.0.2")}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {}
  ingress: [{ports: [{port: 0120}]}]
`);
  assert.equal(m.issues, []);
  assert.is((m.policies[0] as { spec: { ingress: Array<{ ports: Array<{ port: number }> }> } }).spec.ingress[0]!.ports[0]!.port, 80);
  const engine = await createEngine({ cluster: { namespaces: m.namespaces, pods: m.pods }, policies: m.policies });
  assert.ok(engine.decide({ from: "203.0.113.1", to: "x/db", port: 80 }).allowed);
  assert.not.ok(engine.decide({ from: "203.0.113.1", to: "x/db", port: 120 }).allowed);
});

test("resolve.go: integers, floats and what stays a string", () => {
  const cases: Array<[string, unknown]> = [
    ["0120", 80], // ParseInt(plain, 0, 64): leading 0 is octal
    ["09", 9], // not octal: ParseInt fails, then yamlStyleFloat matches
    ["0x50", 80],
    ["0o17", 15],
    ["0b101", 5],
    ["1_000", 1000], // underscores removed before ParseInt
    [".5", 0.5],
    ["1e3", 1000],
    ["+1", 1],
    ["1e400", "1e400"], // ParseFloat out of range is an error: the text stays a string
    ["99999999999999999999", 1e20], // past uint64: yamlStyleFloat
    ["2001-12-14", "2001-12-14"], // timestamps reach interface{} as their text (decode.go)
    ["0x", "0x"],
    ["NaN", "NaN"], // only .nan is in resolveMap
    ["-", "-"],
  ];
  for (const [text, want] of cases) {
    const got = resolvePlain(text);
    const js = got.tag === "int" ? Number(got.value) : got.tag === "null" ? null : got.value;
    assert.equal(js, want, text);
  }
});

test("resolve.go resolveMapList: y/yes/on and n/no/off are booleans, ~ and null are null", () => {
  const v = value("a: y\nb: Yes\nc: ON\nd: n\ne: No\nf: off\ng: ~\nh: Null\ni: yES\nj: 'yes'\n") as Record<string, unknown>;
  assert.equal(v, { a: true, b: true, c: true, d: false, e: false, f: false, g: null, h: null, i: "yES", j: "yes" });
});

test("label values yes/on become booleans, which the API server refuses", () => {
  const m = parseManifests(ns("x", "{team: yes, tier: on, quoted: 'yes'}"));
  assert.equal(
    m.issues.map((i) => [i.path, i.message]),
    [
      ["metadata.labels.team", "expected string, got `true`"],
      ["metadata.labels.tier", "expected string, got `true`"],
    ],
  );
  assert.is(m.namespaces.length, 0);
});

test("yaml.go convertToJSONableObject: keys that are not strings become strings", () => {
  assert.equal(value("1: a\n0x10: b\nyes: c\n1.5: d\n1e6: e\n"), { "1": "a", "16": "b", true: "c", "1.5": "d", "1e+06": "e" });
  assert.equal(goFloat32(0.1), "0.1"); // float32 precision, as FormatFloat(f, 'g', -1, 32)
  assert.equal(goFloat32(3.14159265), "3.1415927");
  const nullKey = readYamlDocument("~: a\n", 1);
  assert.ok(!nullKey.ok && nullKey.issues[0]!.message.startsWith("unsupported map key"));
  const seqKey = readYamlDocument("? [a]\n: b\n", 1);
  assert.ok(!seqKey.ok && seqKey.issues[0]!.message.startsWith("invalid map key"));
});

test("decode.go merge: `<<` merges a map, an alias or a list of them; later keys override, earlier maps win", () => {
  const v = value(`base: &base {app: web, tier: a}
more: &more {tier: b, zone: z}
m1:
  <<: *base
  tier: c
m2:
  tier: c
  <<: *base
m3:
  <<: [*more, *base]
`) as Record<string, unknown>;
  assert.equal(v.m1, { app: "web", tier: "c" });
  assert.equal(v.m2, { tier: "a", app: "web" }); // go-yaml v2 sets keys in order: the merge comes last
  assert.equal(v.m3, { tier: "b", app: "web", zone: "z" });
  const bad = readYamlDocument("a: &a [1]\nb:\n  <<: *a\n", 1);
  assert.ok(!bad.ok && bad.issues[0]!.message === "map merge requires map or sequence of maps as the value");
});

test("merge keys in a manifest: the pod template's labels", () => {
  const m = parseManifests(`${ns("x")}---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: x}
spec:
  template:
    metadata:
      labels:
        <<: {app: web, tier: front}
        tier: edge
`);
  assert.equal(m.issues, []);
  assert.equal([m.pods[0]!.labels.app, m.pods[0]!.labels.tier], ["web", "edge"]);
});

test("a key twice in one mapping is an error with its line (the API server's strict field validation)", () => {
  const m = parseManifests(`${ns("x")}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: y\n  name: z\n`);
  assert.equal(
    m.issues.map((i) => [i.document, i.line, i.message]),
    [[1, 9, "duplicate key `name`"]],
  );
});

test("what go-yaml refuses is refused, with its line", () => {
  const cases: Array<[string, RegExp]> = [
    ["a: .inf\n", /json: unsupported value: \+Inf/], // json.Marshal refuses infinities
    ["%YAML 1.2\n---\na: 1\n", /incompatible YAML document/], // parserc.go: only %YAML 1.1
    ['a: "x\\/y"\n', /unknown escape character/], // scannerc.go has no \/ escape
    ["a: &a [*a]\n", /anchor 'a' value contains itself/],
    ["a: *nowhere\n", /unknown anchor 'nowhere'/],
    ["a: b\u0001\n", /control characters are not allowed/], // readerc.go
    ["a: b\u2028c\n", /U\+2028 .*line break in YAML 1\.1/], // is_break: LS is a line break in YAML 1.1
    ["a: !!int abc\n", /cannot decode !!str `abc` as a !!int/],
    ["a: !!binary '!!'\n", /invalid base64/],
  ];
  for (const [text, want] of cases) {
    const m = parseManifests(text);
    assert.ok(m.issues.some((i) => want.test(i.message) && i.line !== undefined), `${JSON.stringify(text)}: ${JSON.stringify(m.issues)}`);
  }
});

test("tags as go-yaml reads them", () => {
  assert.equal(value("a: !!int '12'\nb: !!str 12\nc: ! 12\nd: !!float 3\ne: !!binary aGVsbG8=\nf: !custom 5\n"), { a: 12, b: "12", c: "12", d: 3, e: "hello", f: "5" });
});

test("alias bombs stop at go-yaml's budget (allowedAliasRatio); deep nesting is refused, not a stack overflow", () => {
  let bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
  for (const [from, to] of ["ab", "bc", "cd", "de", "ef", "fg", "gh", "hi"]) bomb += `${to}: &${to} [${`*${from},`.repeat(9).slice(0, -1)}]\n`;
  const t0 = Date.now();
  const m = parseManifests(bomb);
  assert.ok(m.issues.some((i) => i.message === "document contains excessive aliasing"), JSON.stringify(m.issues));
  assert.ok(Date.now() - t0 < 5000);
  for (const deep of ["[".repeat(100_000) + "]".repeat(100_000), `${"- ".repeat(3000)}x\n`, Array.from({ length: 1500 }, (_, i) => `${" ".repeat(i)}a:`).join("\n")]) {
    const issues = parseManifests(deep).issues;
    assert.ok(issues.length > 0 && issues.length < 5, JSON.stringify(issues).slice(0, 300));
  }
});

test("fast reader: whenever it reads a text, the library reads the same value", () => {
  const check = (text: string): void => {
    const fast = readSimpleYaml(text, 0, text.length);
    if (fast === null) return;
    const full = readYamlDocument(text, 1);
    if (!full.ok) throw new Error(`the fast reader read ${JSON.stringify(text)}, which the library refuses: ${full.issues[0]!.message}`);
    if (!isDeepStrictEqual(fast.value, full.read.value)) throw new Error(`${JSON.stringify(text)}: fast ${JSON.stringify(fast.value)}, library ${JSON.stringify(full.read.value)}`);
  };
  fc.assert(fc.property(tree, style, (t, s) => check(writeYaml(t, s))), { numRuns: RUNS });
  fc.assert(
    fc.property(tree, style, fc.nat(), fc.nat(), fc.constantFrom("#", ":", "- ", " ", "'", '"', "\t", "&a", "*a", "!t", "|", "[", "{", "\u2028", "\r", "---"), (t, s, at, kind, insert) => check(mutate(writeYaml(t, s), at, kind, insert))),
    { numRuns: RUNS * 2 },
  );
  let read = 0;
  fc.assert(
    fc.property(tree, style, (t, s) => {
      if (readSimpleYaml(writeYaml(t, s), 0, writeYaml(t, s).length) !== null) read++;
    }),
    { numRuns: 200, seed: 7 },
  );
  assert.ok(read > 40, `the fast reader read only ${read} of 200 texts`);
});

/** Every document's value with its split arrays put back. */
function whole(docs: Iterable<ReadDocument>): unknown[] {
  const out: unknown[] = [];
  for (const doc of docs) {
    const v = doc.value as Record<string, unknown>;
    for (const [key, elements] of doc.elements) {
      const items: unknown[] = [];
      for (let i = 0; i < elements.length; i++) {
        const e = elements.read(i);
        items.push(e.ok ? e.value : { error: e.issues.map((x) => x.message) });
      }
      v[key] = items;
    }
    out.push(v);
  }
  return out;
}

test("a large document read item by item gives what the whole document gives", () => {
  let cut = 0;
  const list = fc.record({ items: fc.array(tree, { maxLength: 6 }), before: fc.dictionary(fc.constantFrom("apiVersion", "kind", "metadata"), tree, { maxKeys: 2 }), after: fc.constantFrom("", "kind: List\n", "# end\nmetadata: {resourceVersion: ''}\n") });
  fc.assert(
    fc.property(list, style, ({ items, before, after }, s) => {
      const head = Object.keys(before).length > 0 ? writeYaml(before, s) : "";
      const text = `${head}items:${items.length === 0 ? " []" : ""}\n${items.length > 0 ? writeYaml(items, { ...s, crlf: false }).replace(/^/gm, s.compact ? "" : "  ").replace(/ +$/gm, "") : ""}${after}`;
      const problems: string[] = [];
      const full = whole(readDocuments(text, (_, i) => problems.push(i.message), { splitAbove: Infinity }));
      const wholeProblems = problems.length;
      const docs = [...readDocuments(text, (_, i) => problems.push(i.message), { splitAbove: 0 })];
      if (docs.some((d) => d.elements.size > 0)) cut++;
      const split = whole(docs);
      const splitProblems = problems.length - wholeProblems + JSON.stringify(split).split('{"error":').length - 1;
      // a bad item fails the whole document, but only itself when read item by item
      if (wholeProblems > 0) {
        if (splitProblems === 0) throw new Error(`${JSON.stringify(text)}: whole: ${problems.join("; ")}, item by item no problem`);
        return;
      }
      if (!isDeepStrictEqual(split, full)) throw new Error(`${JSON.stringify(text)}:\nsplit ${JSON.stringify(split)}\nwhole ${JSON.stringify(full)}\n${problems.join("\n")}`);
    }),
    { numRuns: RUNS },
  );
  assert.ok(cut > RUNS / 4, `only ${cut} of ${RUNS} documents were cut into items`);
});

test("item by item: lines that look like items inside quoted, flow, block and plain scalars stay in their item", () => {
  const text = `kind: List
items:
  - a: "multi
       - not an item"
    b: [1,
       "- 2"]
  - c: |
      text
      - in c
    d: x
  - e: plain
     - continued
  - f: 'it''s
      - still f'
  -   g: {h: "}
        - i"}
# a comment at column 0
  - - nested
    - seq
  - |
   - in the block
  - "# not a comment"  # a comment
metadata: {}
`;
  const problems: string[] = [];
  const split = [...readDocuments(text, (_, i) => problems.push(i.message), { splitAbove: 0 })];
  assert.is(split[0]!.elements.get("items")?.length, 8);
  assert.equal(whole(split), whole(readDocuments(text, (_, i) => problems.push(i.message), { splitAbove: Infinity })));
  assert.equal(problems, []);
  // a continuation at the items' column is an error either way (the library wants it indented)
  const bad = 'items:\n  - a: "multi\n  - not an item"\n';
  const splitBad: string[] = [];
  const read = whole(readDocuments(bad, (_, i) => splitBad.push(i.message), { splitAbove: 0 }));
  const wholeBad: string[] = [];
  whole(readDocuments(bad, (_, i) => wholeBad.push(i.message), { splitAbove: Infinity }));
  assert.ok(wholeBad.length > 0 && (splitBad.length > 0 || JSON.stringify(read).includes('"error"')));
});

test("item by item: a bad item is reported at its own line and the others load", () => {
  const text = `apiVersion: v1
items:
- ${ns("a").replace(/\n(?=.)/g, "\n  ")}- apiVersion: v1
  kind: Namespace
  metadata: {name: b, name: c}
- ${ns("d").replace(/\n(?=.)/g, "\n  ")}kind: List
`;
  const problems: Array<[number, string]> = [];
  const docs = [...readDocuments(text, (_, i) => problems.push([i.line, i.message]), { splitAbove: 0 })];
  assert.is(docs[0]!.elements.get("items")!.length, 3);
  const bad = docs[0]!.elements.get("items")!.read(1);
  assert.ok(!bad.ok && bad.issues[0]!.line === 8 && bad.issues[0]!.message === "duplicate key `name`", JSON.stringify(bad));
  assert.equal(problems, []);
});

test.run();
