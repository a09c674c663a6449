// Nodes in the cluster model: the compact cluster's `nodes`, Node objects and
// cluster-scoped policies in manifests, `node:NAME` endpoints, node addresses, updates.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeCluster } from "../src/validate/decoders.js";
import { formatIssue } from "../src/primitives/issues.js";
import { EVALUATORS, createEngine } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";

const problems = (cluster: unknown): string[] => {
  const r = decodeCluster(cluster);
  return r.ok ? [] : r.issues.map(formatIssue);
};

const node = (name: string, ips: string[], labels: Record<string, string> = {}) => ({ name, labels, ips });

test("compact cluster nodes: names, labels and addresses are checked", () => {
  assert.equal(problems({ nodes: [node("w1", ["172.18.0.2", "fd00::2"], { "kubernetes.io/os": "linux" })] }), []);
  assert.equal(problems({ nodes: [{ ips: [] }] }), ["nodes[0].name: required value"]);
  assert.equal(problems({ nodes: [node("w1", []), node("w1", [])] }), ["nodes[1].name: duplicate node `w1`"]);
  assert.equal(problems({ nodes: [node("w1", ["300.0.0.1"])] }), ["nodes[0].ips[0]: invalid value `300.0.0.1`: must be a valid IP address"]);
  assert.equal(problems({ nodes: [node("w1", ["10.0.0.1"]), node("w2", ["10.0.0.1"])] }), ["nodes[1].ips[0]: IP `10.0.0.1` already belongs to node `w1`"]);
  assert.ok(problems({ nodes: [node("W1", [])] })[0]!.startsWith("nodes[0].name: invalid value `W1`"));
  assert.ok(problems({ nodes: [{ name: "w1", labels: { "a b": "c" } }] })[0]!.startsWith("nodes[0].labels: invalid label key `a b`"));
});

test("only a host-network pod may share its node's address; nodeName is a DNS subdomain", () => {
  const nodes = [node("w1", ["172.18.0.2"])];
  assert.equal(problems({ nodes, pods: [{ namespace: "x", name: "h", ips: ["172.18.0.2"], hostNetwork: true, nodeName: "w1" }] }), []);
  assert.equal(problems({ nodes, pods: [{ namespace: "x", name: "p", ips: ["172.18.0.2"] }] }), [
    "pods[0].ips[0]: IP `172.18.0.2` belongs to node `w1`; only a host-network pod may share its node's address",
  ]);
  assert.ok(problems({ pods: [{ namespace: "x", name: "p", nodeName: "Bad" }] })[0]!.startsWith("pods[0].nodeName: invalid value `Bad`"));
});

test("parseManifests reads Node objects (InternalIP and ExternalIP), spec.nodeName and cluster-scoped policies", () => {
  const m = parseManifests(`apiVersion: v1
kind: Node
metadata: {name: kind-worker, labels: {kubernetes.io/os: linux}}
status:
  addresses:
  - {type: InternalIP, address: 172.18.0.2}
  - {type: ExternalIP, address: "fd00::2"}
  - {type: Hostname, address: kind-worker}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: kube-system}
spec: {hostNetwork: true, nodeName: kind-worker}
status: {podIP: 172.18.0.2}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: deny-nodes}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {}}
  egress:
  - {action: Deny, to: [{nodes: {}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec: {subject: {namespaces: {}}}
`);
  assert.equal(
    m.issues.filter((i) => i.severity === "error"),
    [],
  );
  assert.equal(m.nodes, [{ name: "kind-worker", labels: Object.assign(Object.create(null), { "kubernetes.io/os": "linux" }), ips: ["172.18.0.2", "fd00::2"] }]);
  assert.is(m.pods[0]!.nodeName, "kind-worker");
  assert.equal(
    m.policies.map((p) => (p as { kind: string }).kind),
    ["ClusterNetworkPolicy", "BaselineAdminNetworkPolicy"],
  );
  const warning = m.issues.find((i) => i.severity === "warning" && i.object === "BaselineAdminNetworkPolicy default");
  assert.ok(warning !== undefined && warning.path === "apiVersion" && warning.line === 26, JSON.stringify(m.issues));
});

test("parseManifests reports cluster-scoped policy errors with the object and line, and duplicate nodes", () => {
  const m = parseManifests(`apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: p}
spec:
  tier: Admin
  priority: 2000
  subject: {namespaces: {}}
---
{apiVersion: v1, kind: Node, metadata: {name: n1}}
---
{apiVersion: v1, kind: Node, metadata: {name: n1}}
`);
  const errors = m.issues.filter((i) => i.severity === "error");
  assert.equal(
    errors.map((i) => [i.object, i.path, i.line]),
    [
      ["ClusterNetworkPolicy p", "spec.priority", 6],
      [undefined, "", 10],
    ],
  );
  assert.ok(errors[1]!.message.startsWith("duplicate node `n1`"));
});

const CLUSTER = {
  namespaces: [{ name: "x" }],
  pods: [
    { namespace: "x", name: "a", ips: ["10.0.0.1"] },
    { namespace: "x", name: "h", ips: ["172.18.0.2"], hostNetwork: true },
  ],
  nodes: [node("w1", ["172.18.0.2"], { role: "worker" }), node("w2", ["172.18.0.3"])],
};

const DENY_TO_WORKERS = {
  apiVersion: "policy.networking.k8s.io/v1alpha2",
  kind: "ClusterNetworkPolicy",
  metadata: { name: "deny-workers" },
  spec: { tier: "Admin", priority: 1, subject: { namespaces: {} }, egress: [{ action: "Deny", to: [{ nodes: { matchLabels: { role: "worker" } } }] }] },
};

for (const evaluator of EVALUATORS) {
  test(`[${evaluator}] node endpoints: node:NAME, a node's address, and host-network pods at their node`, async () => {
    const engine = await createEngine({ cluster: CLUSTER, policies: [DENY_TO_WORKERS], evaluator });
    const allowed = (to: string): boolean => engine.decide({ from: "x/a", to, port: 80 }).allowed;
    assert.is(allowed("node:w1"), false);
    assert.is(allowed("172.18.0.2"), false); // the node's address stands for the node
    assert.is(allowed("x/h"), false); // a host-network pod on w1 (by its address)
    assert.is(allowed("node:w2"), true);
    assert.is(allowed("172.18.0.3"), true);
    assert.is(engine.decide({ from: "x/a", to: "node:w1", port: 80 }).explanation.egress.reason, "admin");
    assert.is(engine.decide({ from: "node:w1", to: "x/a", port: 80 }).explanation.egress.reason, "node");
    assert.throws(() => engine.decide({ from: "x/a", to: "node:nope", port: 80 }), /unknown node `node:nope`/);
    assert.equal([...engine.decideBatch([{ from: "x/a", to: "node:w1", port: 80 }, { from: "x/a", to: "node:w2", port: 80 }])], [0, 1]);
  });

  test(`[${evaluator}] update: upsertNode and removeNode`, async () => {
    const engine = await createEngine({ cluster: CLUSTER, policies: [DENY_TO_WORKERS], evaluator });
    engine.update({ op: "upsertNode", node: node("w2", ["172.18.0.3"], { role: "worker" }) });
    assert.is(engine.decide({ from: "x/a", to: "node:w2", port: 80 }).allowed, false);
    engine.update({ op: "removeNode", node: "w1" });
    assert.is(engine.decide({ from: "x/a", to: "172.18.0.2", port: 80 }).allowed, true); // now a host-network pod's address, on no known node
    assert.throws(() => engine.update({ op: "upsertNode", node: node("w3", ["10.0.0.1"]) }), /IP `10.0.0.1` already belongs to pod `x\/a`/);
    assert.throws(() => engine.update({ op: "removeNode", node: "w1" }), /unknown node `w1`/);
  });
}

test.run();
