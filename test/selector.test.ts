// Canonical label selectors and what they match.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EVERYTHING, canonicalSelector, selectorMatches } from "../src/primitives/selector.js";

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

test.run();
