// The model's pod lookups that pod additions and removals share (PodSlots, PodNames,
// PodAddresses.with and without): each model sees its own pods only, whatever later
// models add or remove, and a model that is not the latest never writes into tables a
// later one reads. A property drives long runs of additions and removals, from the
// latest model or an older one (as after an update list that failed), against arrays.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { PodNames } from "../src/engine/pod-names.js";
import { PodAddresses } from "../src/engine/addresses.js";
import { PodSlots } from "../src/engine/pod-slots.js";
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

test("PodAddresses: an index builds its tables on first use, whichever lookup comes first", () => {
  const pods = [
    { index: 0, ips: [ip("10.0.0.1"), ip("fd00::1")] },
    { index: 1, ips: [ip("fd00::2")] },
  ];
  // `get` of an IPv6 address first: building must not clobber the words being looked up
  assert.is(PodAddresses.of(pods).get(ip("fd00::2")), 1);
  assert.is(PodAddresses.of(pods).get(ip("10.0.0.1")), 0);
  assert.is(PodAddresses.of(pods).find4(0x0a000001), 0);
  assert.is(PodAddresses.of(pods).find6(Uint32Array.of(0xfd000000, 0, 0, 1)), 0);
  assert.is(PodAddresses.of(pods).get(ip("fd00::3")), undefined);
  assert.is(PodAddresses.of(pods).with({ index: 2, ips: [ip("fd00::3")] })?.get(ip("fd00::3")), 2);
});

test("PodSlots: indexes of slots and slots of indexes after removals and additions, as an array of slots says", () => {
  fc.assert(
    fc.property(fc.nat(20), fc.array(fc.oneof(fc.nat(), fc.constant(-1)), { maxLength: 60 }), (start, ops) => {
      let slots = PodSlots.dense(start);
      const alive = Array.from({ length: start }, (_, i) => i);
      let limit = start;
      for (const op of ops) {
        if (op < 0 || alive.length === 0) {
          slots = slots.next();
          alive.push(limit++);
        } else {
          const index = op % alive.length;
          slots = slots.without(index);
          alive.splice(index, 1);
        }
        assert.is(slots.size, alive.length);
        assert.is(slots.limit, limit);
        alive.forEach((slot, index) => assert.is(slots.slotOf(index), slot));
        for (let slot = 0; slot < limit + 2; slot++) assert.is(slots.indexOf(slot), alive.indexOf(slot));
      }
    }),
  );
});

test("PodNames.without: later names move down; the names it came from keep theirs; a removed name added again is a new pod", () => {
  const a = PodNames.of(["x/a", "x/b", "x/c", "x/d"]);
  const b = a.without(1);
  assert.equal([...b], [["x/a", 0], ["x/c", 1], ["x/d", 2]]);
  assert.is(b.get("x/b"), undefined);
  assert.is(b.size, 3);
  assert.equal([...a], [["x/a", 0], ["x/b", 1], ["x/c", 2], ["x/d", 3]]);
  const c = b.with("x/b");
  assert.equal([...c], [["x/a", 0], ["x/c", 1], ["x/d", 2], ["x/b", 3]]);
  assert.is(a.get("x/b"), 1);
  assert.is(b.get("x/b"), undefined);
});

test("PodAddresses.without: the removed pod's addresses are nobody's, later pods move down, earlier indexes unchanged", () => {
  const pods = [
    { index: 0, ips: [ip("10.0.0.1")], hostNetwork: false },
    { index: 1, ips: [ip("10.0.0.2"), ip("fd00::2")], hostNetwork: false },
    { index: 2, ips: [ip("10.0.0.3"), ip("fd00::3")], hostNetwork: false },
  ];
  const a = PodAddresses.of(pods);
  assert.is(a.get(ip("10.0.0.3")), 2);
  const left = [pods[0]!, { ...pods[2]!, index: 1 }];
  const b = a.without(pods[1]!, left);
  assert.is(b.get(ip("10.0.0.2")), undefined);
  assert.is(b.get(ip("fd00::2")), undefined);
  assert.is(b.get(ip("10.0.0.3")), 1);
  assert.is(b.find6(Uint32Array.of(0xfd000000, 0, 0, 3)), 1);
  assert.is(a.get(ip("10.0.0.2")), 1);
  assert.is(a.get(ip("10.0.0.3")), 2);
  // the removed pod's address taken by a new pod: its entry is dead here, so the caller builds the index again
  assert.is(b.with({ index: 2, ips: [ip("10.0.0.2")] }), null);
  assert.is(b.with({ index: 2, ips: [ip("10.0.0.9")] })?.get(ip("10.0.0.9")), 2);
});

/** One model's pods in the property below: id, addresses, host network. */
interface TestPod {
  readonly id: string;
  readonly ips: readonly string[];
  readonly hostNetwork: boolean;
}

interface Version {
  readonly pods: readonly TestPod[];
  readonly names: PodNames;
  readonly addresses: PodAddresses;
}

const holders = (pods: readonly TestPod[]) => pods.map((p, index) => ({ index, ips: p.ips.map(ip), hostNetwork: p.hostNetwork }));

/** Checks a version's lookups against its pods: every name and address, and names and addresses no pod of it has. */
function check(v: Version, names: readonly string[], addresses: readonly string[]): void {
  assert.is(v.names.size, v.pods.length);
  assert.equal([...v.names.keys()], v.pods.map((p) => p.id));
  for (const name of names) {
    const i = v.pods.findIndex((p) => p.id === name);
    assert.is(v.names.get(name), i < 0 ? undefined : i, name);
  }
  for (const text of addresses) {
    const i = v.pods.findIndex((p) => p.ips.includes(text));
    assert.is(v.addresses.get(ip(text)), i < 0 ? undefined : i, text);
  }
}

test("PodNames and PodAddresses agree with arrays through runs of additions and removals, from the latest model or an older one", () => {
  const step = fc.record({ back: fc.nat(6), remove: fc.boolean(), pick: fc.nat(), host: fc.boolean(), reuse: fc.nat(3), look: fc.boolean() });
  fc.assert(
    fc.property(fc.nat(12), fc.array(step, { minLength: 1, maxLength: 40 }), (start, steps) => {
      const names: string[] = [];
      const addresses: string[] = [];
      let fresh = 0;
      const newPod = (host: boolean, reuse: number, taken: readonly TestPod[]): TestPod => {
        // names and addresses of removed pods come back; host-network pods share a few addresses
        const gone = names.filter((n) => !taken.some((p) => p.id === n));
        const id = reuse === 0 && gone.length > 0 ? gone[0]! : `x/p${fresh}`;
        const free = addresses.filter((a) => !a.startsWith("10.9.") && !taken.some((p) => p.ips.includes(a)));
        let text = reuse <= 1 && free.length > 0 ? free[free.length - 1]! : fresh % 2 === 0 ? `10.0.${fresh >> 8}.${fresh & 255}` : `fd00::${fresh.toString(16)}`;
        if (host && reuse >= 2) text = `10.9.0.${reuse}`;
        else if (host && reuse === 1) text = taken.find((p) => p.hostNetwork)?.ips[0] ?? text;
        fresh++;
        if (!names.includes(id)) names.push(id);
        if (!addresses.includes(text)) addresses.push(text);
        return { id, ips: [text], hostNetwork: host && text.startsWith("10.9.") ? true : host && taken.some((p) => p.ips.includes(text)) ? true : host };
      };
      const first: TestPod[] = [];
      for (let k = 0; k < start; k++) first.push(newPod(k % 3 === 0, 3, first));
      const versions: Version[] = [{ pods: first, names: PodNames.of(first.map((p) => p.id)), addresses: PodAddresses.of(holders(first)) }];
      for (const s of steps) {
        const base = versions[Math.max(0, versions.length - 1 - (s.back > 3 ? s.back - 3 : 0))]!;
        let next: Version;
        if (s.remove && base.pods.length > 0) {
          const index = s.pick % base.pods.length;
          const pods = base.pods.filter((_, i) => i !== index);
          next = { pods, names: base.names.without(index), addresses: base.addresses.without({ index, hostNetwork: base.pods[index]!.hostNetwork }, holders(pods)) };
        } else {
          const pod = newPod(s.host, s.reuse, base.pods);
          // a non-host-network address is nobody else's (validation refuses a clash)
          if (!pod.hostNetwork && base.pods.some((p) => p.ips.includes(pod.ips[0]!))) continue;
          const pods = [...base.pods, pod];
          const added = { index: base.pods.length, ips: pod.ips.map(ip) };
          next = { pods, names: base.names.with(pod.id), addresses: base.addresses.with(added) ?? PodAddresses.of(holders(pods)) };
        }
        versions.push(next);
        // lookups build lazy tables: only some versions are looked up at once
        if (s.look) check(next, names, addresses);
        for (const v of versions) if (v !== next || s.look) check(v, names, addresses);
      }
    }),
  );
});

test.run();
