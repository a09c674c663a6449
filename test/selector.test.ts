// Canonical label selectors and what they match.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EVERYTHING, SelectorInterner, canonicalSelector, selectorMatches, type SelectorSource } from "../src/primitives/selector.js";

const labels = (o: Record<string, string>) => new Map(Object.entries(o));

test("matchLabels fold into In requirements; order does not change the key", () => {
  const a = canonicalSelector({ matchLabels: labels({ b: "2", a: "1" }) });
  const b = canonicalSelector({ matchExpressions: [{ key: "a", operator: "In", values: ["1"] }, { key: "b", operator: "In", values: ["2"] }] });
  assert.is(a.key, b.key);
  assert.equal(a.requirements.map((r) => r.key), ["a", "b"]);
});

test("values are sorted and deduplicated; a repeated requirement counts once", () => {
  const s = canonicalSelector({ matchExpressions: [{ key: "k", operator: "NotIn", values: ["z", "a", "z"] }, { key: "k", operator: "NotIn", values: ["a", "z"] }] });
  assert.equal(s.requirements, [{ key: "k", operator: "NotIn", values: ["a", "z"] }]);
});

test("the four operators, with missing keys", () => {
  const m = (operator: "In" | "NotIn" | "Exists" | "DoesNotExist", l: Record<string, string>) =>
    selectorMatches(canonicalSelector({ matchExpressions: [{ key: "k", operator, values: operator.endsWith("In") ? ["v"] : [] }] }), labels(l));
  assert.equal([m("In", { k: "v" }), m("In", { k: "w" }), m("In", {})], [true, false, false]);
  assert.equal([m("NotIn", { k: "v" }), m("NotIn", { k: "w" }), m("NotIn", {})], [false, true, true]);
  assert.equal([m("Exists", { k: "" }), m("Exists", {})], [true, false]);
  assert.equal([m("DoesNotExist", { k: "" }), m("DoesNotExist", {})], [false, true]);
});

test("the empty selector matches everything, including no labels", () => {
  assert.ok(selectorMatches(EVERYTHING, labels({})));
  assert.ok(selectorMatches(canonicalSelector({ matchLabels: null, matchExpressions: [] }), labels({ a: "b" })));
});

test("keys that are prototype names are plain data", () => {
  const s = canonicalSelector({ matchLabels: labels({ constructor: "x" }) });
  assert.ok(selectorMatches(s, labels({ constructor: "x" })));
  assert.not.ok(selectorMatches(s, labels({})));
});

/** Label keys where one is a prefix of another, with a DNS prefix, and prototype names. */
const labelKey = fc.constantFrom("a", "ab", "a.b", "a-b", "b", "app", "app.kubernetes.io/name", "x/a", "__proto__", "constructor");
const labelMap = fc.dictionary(labelKey, fc.constantFrom("", "1", "10", "web", "a.b"), { maxKeys: 5 }).map((o) => new Map(Object.entries(o)));
const expression = fc.record({
  key: labelKey,
  operator: fc.constantFrom("In", "NotIn", "Exists", "DoesNotExist"),
  values: fc.array(fc.constantFrom("", "1", "10", "web"), { maxLength: 3 }),
});
const source: fc.Arbitrary<SelectorSource> = fc.record({ matchLabels: fc.option(labelMap, { nil: undefined }), matchExpressions: fc.option(fc.array(expression, { maxLength: 3 }), { nil: undefined }) });

test("matchLabels alone (the shortcut) give the selector their In requirements give", () => {
  fc.assert(
    fc.property(labelMap, (m) => {
      // matchExpressions take the general path: a map of requirements, deduplicated and sorted by key
      const expected = canonicalSelector({ matchExpressions: [...m].map(([key, value]) => ({ key, operator: "In", values: [value] })) });
      assert.equal(canonicalSelector({ matchLabels: m }), expected);
    }),
  );
});

test("an interner shares one object between matchLabels and the same In expression, whichever comes first", () => {
  const labels: SelectorSource = { matchLabels: new Map([["a-b", "10"]]) };
  const expression: SelectorSource = { matchExpressions: [{ key: "a-b", operator: "In", values: ["10"] }] };
  for (const order of [[labels, expression], [expression, labels]]) {
    const interner = new SelectorInterner();
    const [first, second] = order.map((source) => interner.of(source));
    assert.is(first, second);
  }
});

test("an interner gives the canonical selector, one object per distinct selector", () => {
  fc.assert(
    fc.property(fc.array(source, { maxLength: 12 }), (sources) => {
      const interner = new SelectorInterner();
      const byKey = new Map<string, unknown>();
      for (const s of sources) {
        const got = interner.of(s);
        assert.equal(got, canonicalSelector(s));
        if (byKey.has(got.key)) assert.is(got, byKey.get(got.key), "an equal selector seen before is the same object");
        byKey.set(got.key, got);
      }
    }),
  );
});

test.run();
