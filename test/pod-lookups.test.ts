// The model's pod lookups that pod additions extend in place (PodNames,
// PodAddresses.with): each model sees its own pods only, whatever later models add,
// and a model that is not the latest never writes into tables a later one reads.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PodNames } from "../src/engine/pod-names.js";
import { PodAddresses } from "../src/engine/addresses.js";
import { parseAddress, type Address } from "../src/primitives/address.js";

const ip = (text: string): Address => {
  const parsed = parseAddress(text);
  if (parsed === null) throw new Error(text);
  return parsed;
};

test("PodNames: an added pod is seen by the new names only; a stale model adds on a copy", () => {
  const a = PodNames.of(["x/a", "x/b"]);
  const b = a.with("x/c");
  assert.is(b.get("x/c"), 2);
  assert.is(a.get("x/c"), undefined);
  assert.not.ok(a.has("x/c"));
  assert.equal([...a.keys()], ["x/a", "x/b"]);
  assert.is(a.size, 2);
  // `a` is no longer the latest: its addition must not show in `b`, nor `b`'s in it
  const c = a.with("x/d");
  assert.is(c.get("x/d"), 2);
  assert.is(c.get("x/c"), undefined);
  assert.is(b.get("x/d"), undefined);
  assert.equal([...b.entries()], [["x/a", 0], ["x/b", 1], ["x/c", 2]]);
  assert.equal([...c], [["x/a", 0], ["x/b", 1], ["x/d", 2]]);
  // a key that is data, not a property
  assert.is(PodNames.of(["__proto__"]).get("__proto__"), 0);
});

test("PodAddresses.with: a new pod's addresses, the first owner kept, unseen by earlier indexes", () => {
  const pods = [
    { index: 0, ips: [ip("10.0.0.1"), ip("fd00::1")] },
    { index: 1, ips: [ip("10.0.0.2")] },
  ];
  const a = PodAddresses.of(pods);
  const b = a.with({ index: 2, ips: [ip("10.0.0.3"), ip("10.0.0.1"), ip("fd00::3")] })!;
  assert.is(b.get(ip("10.0.0.3")), 2);
  assert.is(b.get(ip("fd00::3")), 2);
  assert.is(b.get(ip("10.0.0.1")), 0, "the first pod listing an address keeps it");
  assert.is(a.get(ip("10.0.0.3")), undefined);
  assert.is(a.get(ip("fd00::3")), undefined);
  // `a` is no longer the latest, and an index only adds the next pod
  assert.is(a.with({ index: 2, ips: [ip("10.0.0.9")] }), null);
  assert.is(b.with({ index: 5, ips: [ip("10.0.0.9")] }), null);
  // past half full, the caller builds the index again
  let grown: PodAddresses | null = PodAddresses.of([]);
  let k = 0;
  while (grown !== null && k < 100) grown = grown.with({ index: k, ips: [ip(`10.1.0.${++k}`)] });
  assert.ok(k < 100, "a table of 16 slots takes at most 8 addresses");
});

test.run();
