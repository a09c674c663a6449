// The node-local clause ("traffic to and from the node where a Pod is running is
// always allowed"), option `nodeLocal`, on every evaluator: single flows, batches,
// matrices (both and one-sided), counts, explanations, and how the cluster-scoped
// tiers stay in force around it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Engine, EngineInput } from "../src/api/engine.js";
import type { Options } from "../src/ir/types.js";
import { onEveryEvaluator } from "./support/evaluators.js";

// node w1 runs pods x/a (isolated both ways), x/b (not isolated) and the host-network
// agent kube-system/agent; node w2 runs x/c (isolated) and nothing else; x/d has no node
const cluster = {
  namespaces: [{ name: "x" }, { name: "kube-system" }],
  nodes: [
    { name: "w1", labels: { role: "worker" }, ips: ["192.168.0.1"] },
    { name: "w2", labels: { role: "worker" }, ips: ["192.168.0.2"] },
  ],
  pods: [
    { namespace: "x", name: "a", labels: { app: "a" }, ips: ["10.0.0.1"], nodeName: "w1" },
    { namespace: "x", name: "b", labels: { app: "b" }, ips: ["10.0.0.2"], nodeName: "w1" },
    { namespace: "kube-system", name: "agent", labels: { app: "agent" }, ips: ["192.168.0.1"], hostNetwork: true, nodeName: "w1" },
    { namespace: "x", name: "c", labels: { app: "c" }, ips: ["10.0.0.3"], nodeName: "w2" },
    { namespace: "x", name: "d", labels: { app: "d" }, ips: ["10.0.0.4"] },
  ],
};
const denyAll = {
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "deny-all", namespace: "x" },
  spec: { podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["a", "c", "d"] }] }, policyTypes: ["Ingress", "Egress"] },
};

const build = (create: (input: EngineInput) => Engine, options: Partial<Options> = {}, extra: unknown[] = []): Engine =>
  create({ cluster, policies: [denyAll, ...extra] as EngineInput["policies"], options });

/** Each [from, to, allowed under "allow", allowed under "policy"] on TCP 10250. */
const FLOWS: [string, string, boolean, boolean][] = [
  ["node:w1", "x/a", true, false], // the kubelet probing its pod
  ["192.168.0.1", "x/a", true, false], // the node by its address
  ["x/a", "node:w1", true, false], // a pod reaching its own node
  ["kube-system/agent", "x/a", true, false], // a host-network pod on the same node is the node's traffic
  ["x/a", "kube-system/agent", true, false],
  ["node:w2", "x/a", false, false], // another node: policies decide
  ["node:w1", "x/c", false, false], // x/c runs on w2
  ["x/b", "x/a", false, false], // two ordinary pods on one node: not node-local
  ["node:w1", "x/d", false, false], // x/d's node is unknown
  ["node:w2", "x/c", true, false],
];

for (const mode of ["allow", "policy"] as const) {
  onEveryEvaluator(`nodeLocal "${mode}": single flows and batches`, (create) => {
    const e = build(create.sync, { nodeLocal: mode });
    const flows = FLOWS.map(([from, to]) => ({ from, to, port: 10250 }));
    const want = FLOWS.map((f) => (mode === "allow" ? f[2] : f[3]));
    assert.equal(flows.map((f) => e.decide(f).allowed), want);
    assert.equal([...e.decideBatch(flows)].map((v) => v === 1), want);
  });

  onEveryEvaluator(`nodeLocal "${mode}": matrices, side matrices and counts`, (create) => {
    const e = build(create.sync, { nodeLocal: mode });
    const a = e.pods.indexOf("x/a");
    const agent = e.pods.indexOf("kube-system/agent");
    const m = e.matrix({ port: 10250 });
    assert.is(m.allowed(agent, a), mode === "allow", "agent → a");
    assert.is(m.allowed(a, agent), mode === "allow", "a → agent");
    assert.is(m.allowed(e.pods.indexOf("x/b"), a), false, "b → a");
    assert.is(e.sideMatrix({ port: 10250 }, "Ingress").allowed(agent, a), mode === "allow", "a's ingress side admits the agent");
    assert.is(e.sideMatrix({ port: 10250 }, "Egress").allowed(a, agent), mode === "allow", "a's egress side admits the agent");
    const pairs = [...e.connections({ includeExternal: false })].map((c) => `${c.from} ${c.to}`);
    assert.is(pairs.includes("kube-system/agent x/a"), mode === "allow", "connections over pod classes keep the node-local pair");
    const counts = e.counts({ port: 10250 });
    assert.is(counts.reachedBy[a], mode === "allow" ? 2 : 1, "a is reached from itself, and from the agent when node-local");
  });
}

onEveryEvaluator("the node-local default is the documentation's: allowed, and explained", (create) => {
  const e = build(create.sync);
  assert.is(e.options.nodeLocal, "allow");
  const { explanation } = e.decide({ from: "node:w1", to: "x/a", port: 10250 });
  assert.is(explanation.ingress.reason, "node-local");
  assert.equal(explanation.ingress.isolatedBy.map((p) => p.name), ["x/deny-all"]);
  assert.equal(explanation.ingress.allowedBy, []);
});

onEveryEvaluator("a host-network pod isolated under hostNetwork: pod keeps the clause for its node's pods", (create) => {
  const policy = { ...denyAll, metadata: { name: "deny-agent", namespace: "kube-system" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } };
  const e = build(create.sync, { hostNetwork: "pod" }, [policy]);
  assert.is(e.decide({ from: "kube-system/agent", to: "x/b", port: 80 }).allowed, true, "agent → b, both on w1");
  assert.is(e.decide({ from: "kube-system/agent", to: "x/c", port: 80 }).allowed, false, "agent → c on w2");
  assert.is(e.decide({ from: "x/c", to: "kube-system/agent", port: 80 }).allowed, false);
  const agent = e.pods.indexOf("kube-system/agent");
  const m = e.matrix({ port: 80 });
  assert.is(m.allowed(agent, e.pods.indexOf("x/b")), true);
  assert.is(m.allowed(agent, agent), true, "self traffic stays selfTraffic's");
});

onEveryEvaluator("the cluster-scoped tiers are not bound by the node-local clause", (create) => {
  const denyNodes = {
    apiVersion: "policy.networking.k8s.io/v1alpha2",
    kind: "ClusterNetworkPolicy",
    metadata: { name: "deny-kubelet" },
    spec: { tier: "Admin", priority: 1, subject: { namespaces: {} }, egress: [{ action: "Deny", to: [{ nodes: {} }], protocols: [{ tcp: { destinationPort: { number: 10250 } } }] }] },
  };
  const e = build(create.sync, {}, [denyNodes]);
  const out = e.decide({ from: "x/a", to: "node:w1", port: 10250 });
  assert.is(out.allowed, false, "an Admin Deny on nodes blocks a pod's own node");
  assert.is(out.explanation.egress.reason, "admin");
  assert.is(e.decide({ from: "x/a", to: "node:w1", port: 22 }).explanation.egress.reason, "node-local");
  const baseline = { ...denyNodes, metadata: { name: "baseline-deny" }, spec: { ...denyNodes.spec, tier: "Baseline" } };
  const b = build(create.sync, {}, [baseline]);
  assert.is(b.decide({ from: "x/b", to: "node:w1", port: 10250 }).allowed, false, "Baseline denies a pod NetworkPolicy does not isolate");
  assert.is(b.decide({ from: "x/a", to: "node:w1", port: 10250 }).allowed, true, "NetworkPolicy decides for x/a before Baseline, and lets its node through");
});

onEveryEvaluator("an unknown nodeLocal value is refused with its path", async (create) => {
  const error = await create.rejection({ cluster, policies: [], options: { nodeLocal: "deny" } });
  assert.ok(error.issues.some((i) => i.path === "options.nodeLocal"), JSON.stringify(error.issues));
});
test.run();
