// The compiled tables of the cluster-scoped tiers: the header fields of the four tier
// sides, their profiles and first-match rule lists, tier peer sets after
// NetworkPolicy's, and node rows after the intervals.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ACTION_ACCEPT, ACTION_DENY, ACTION_PASS, H, HEADER_WORDS, NONE, T, TIER_BASE, TIER_SIDES, TIER_STRIDE, tierField } from "../src/compile/layout.js";
import { Selections } from "../src/compile/selection.js";
import { compileTables } from "../src/compile/tables.js";
import { tierPeerRoom } from "../src/compile/tiers.js";
import { loadModel } from "../src/engine/model.js";
import type { Options } from "../src/ir/types.js";

const cluster = {
  namespaces: [{ name: "a", labels: { team: "a" } }, { name: "b" }],
  pods: [
    { namespace: "a", name: "web", ips: ["10.0.0.1"] },
    { namespace: "b", name: "db", ips: ["10.0.0.2"] },
    { namespace: "b", name: "agent", ips: ["172.18.0.2"], hostNetwork: true },
  ],
  nodes: [
    { name: "w1", labels: { role: "worker" }, ips: ["172.18.0.2"] },
    { name: "w2", labels: { role: "worker" }, ips: ["172.18.0.3"] },
  ],
};

const cnp = (name: string, tier: string, priority: number, spec: Record<string, unknown>) => ({
  apiVersion: "policy.networking.k8s.io/v1alpha2",
  kind: "ClusterNetworkPolicy",
  metadata: { name },
  spec: { tier, priority, subject: { namespaces: { matchLabels: { team: "a" } } }, ...spec },
});

const policies = [
  cnp("second", "Admin", 2, { egress: [{ action: "Deny", to: [{ namespaces: {} }] }] }),
  cnp("first", "Admin", 1, {
    egress: [
      { action: "Pass", to: [{ pods: { podSelector: {} } }], protocols: [{ tcp: { destinationPort: { number: 80 } } }] },
      { action: "Accept", to: [{ nodes: { matchLabels: { role: "worker" } } }, { networks: ["10.0.0.2/32"] }] },
    ],
  }),
  cnp("base", "Baseline", 1, { subject: { namespaces: {} }, ingress: [{ action: "Deny", from: [{ namespaces: {} }] }] }),
];

function compiled(options: Partial<Options> = {}): Uint32Array {
  const loaded = loadModel({ cluster, policies, options });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const m = loaded.value;
  return compileTables(m.rules, m.cluster, m.options, m.podByName, new Selections(m.cluster, m.options), (n) => new Uint32Array(n)).words;
}

const section = (words: Uint32Array, field: number, length: number): number[] => [...words.subarray(words[field]! / 4, words[field]! / 4 + length)];

test("the tier sides' header fields follow the other fields and fill the header", () => {
  assert.ok(Math.max(...Object.values(H)) < TIER_BASE);
  assert.is(TIER_BASE + TIER_SIDES * TIER_STRIDE, HEADER_WORDS);
  assert.is(Object.keys(T).length, TIER_STRIDE);
});

test("tier sides: profiles by subject, rules in evaluation order with their actions", () => {
  const words = compiled();
  assert.is(words[H.TIERS], 1);
  assert.is(words[H.NODES], 2);
  // Admin egress: pod web (team a), whose profile holds first's two rules, then second's one
  assert.is(words[tierField(0, T.PROFILES)], 1);
  assert.equal(section(words, tierField(0, T.O_CLASS_PROFILE), 3), [0, NONE, NONE]);
  assert.equal(section(words, tierField(0, T.O_PROFILE_START), 2), [0, 3]);
  const rules = section(words, tierField(0, T.O_PROFILE_RULES), 12);
  assert.equal([rules[3], rules[7], rules[11]], [ACTION_PASS, ACTION_ACCEPT, ACTION_DENY]);
  // no Admin ingress, no Baseline egress; Baseline ingress holds web and db, never the host-network agent
  assert.equal([words[tierField(1, T.PROFILES)], words[tierField(2, T.PROFILES)], words[tierField(3, T.PROFILES)]], [0, 0, 1]);
  assert.equal(section(words, tierField(3, T.O_CLASS_PROFILE), 3), [0, 0, NONE]);
  assert.equal(section(compiled({ hostNetwork: "pod" }), tierField(3, T.O_CLASS_PROFILE), 3), [0, 0, NONE]);
});

test("tier peer sets follow NetworkPolicy's and the room kept for patches; nodes and networks peers become ip sets with node rows", () => {
  const words = compiled();
  // no NetworkPolicy peer set: the tiers' start after the empty rows a NetworkPolicy patch may take
  assert.is(words[H.PEER_SETS], tierPeerRoom(0) + words[H.TIER_PEER_SETS]!);
  const peerBits = section(words, H.O_PEER_BITS, words[H.PEER_SETS]!);
  assert.ok(peerBits.slice(0, tierPeerRoom(0)).every((row) => row === 0));
  // the first rule's pods peer: web and db, not the agent; the nodes + networks peer: db (10.0.0.2) and the agent on w1
  const rules = section(words, tierField(0, T.O_PROFILE_RULES), 8);
  assert.is(peerBits[rules[0]!], 0b011);
  assert.is(peerBits[rules[4]!], 0b110);
  assert.is(rules[1], NONE);
  assert.is.not(rules[5], NONE);
  // both nodes' rows (after the intervals) hold that ip set
  const ipWords = words[H.IP_WORDS]!;
  const rows = section(words, H.O_INTERVAL_BITS, (words[H.INTERVALS]! + 2) * ipWords);
  const ipSet = rules[5]!;
  for (const node of [0, 1]) assert.ok((rows[(words[H.INTERVALS]! + node) * ipWords + (ipSet >>> 5)]! >>> (ipSet & 31)) & 1, `node ${node}`);
});

test.run();
