// The playground re-reads a large text after an edit by re-parsing only the documents
// that changed (docs/playground/src/incremental.ts). Through a run of edits of every
// kind, what it reads must be what `parseManifests` reads from the whole text (issues
// compared as a set: their order differs), and the engine it keeps up to date with
// `engine.update` must answer as one built afresh.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { stringify } from "yaml";
import { createEngine, type Manifests } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { EngineCache, ManifestCache, policyUpdates, splitDocuments } from "../docs/playground/src/incremental.js";
import { worldYaml } from "../benchmarks/manifests.js";
import { syntheticWorld } from "../benchmarks/synthetic.js";

const EXAMPLE = `${readFileSync("examples/test-network-policy.yaml", "utf8").trimEnd()}\n---\n${readFileSync("examples/cluster.yaml", "utf8")}`;
const policy = (name: string, port: number, namespace = "default"): string =>
  `---\n${stringify({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace }, spec: { podSelector: {}, ingress: [{ ports: [{ port }] }] } })}`;

const cnp = (name: string, priority: number, tier = "Admin", action = "Deny"): string =>
  `---\n${stringify({
    apiVersion: "policy.networking.k8s.io/v1alpha2",
    kind: "ClusterNetworkPolicy",
    metadata: { name },
    spec: { tier, priority, subject: { namespaces: {} }, ingress: [{ action, from: [{ namespaces: { matchLabels: { project: "myproject" } } }] }], egress: [{ action, to: [{ nodes: {} }] }] },
  })}`;
const NODE = "---\napiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {zone: a}}\nstatus: {addresses: [{type: InternalIP, address: 192.168.0.1}]}\n";

/** Texts in the order a user might produce them, each an edit of the one before. */
function edits(): string[] {
  const world = worldYaml(syntheticWorld({ name: "t", pods: 120, policies: 24 }, 3));
  const out = [EXAMPLE];
  out.push(`# a comment before everything\n\n${EXAMPLE}`);
  out.push(`${EXAMPLE}${policy("extra", 8080)}`);
  out.push(`${EXAMPLE}${policy("extra", 9090)}`);
  out.push(`${EXAMPLE}${policy("renamed", 9090)}`);
  out.push(`${policy("first", 53)}${EXAMPLE}${policy("renamed", 9090)}`);
  out.push(`${EXAMPLE}${policy("renamed", 9090).replace("port: 9090", "port: 99999")}`);
  out.push(`${EXAMPLE}${policy("broken", 1).replace("ingress:", "ingress: [")}`);
  out.push(`${EXAMPLE}---\nkind: NetworkPolicyList\nitems:\n- metadata: {name: listed}\n  spec: {podSelector: {}}\n`);
  out.push(`${EXAMPLE}---\napiVersion: v1\nkind: Pod\nmetadata: {name: late, namespace: default, labels: {role: db}}\n`);
  out.push(`${EXAMPLE}---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}}\n`);
  // cluster-scoped policies and nodes (issue 8): edited in place, renamed, tied, withdrawn versions
  out.push(`${EXAMPLE}${cnp("guard", 10)}`);
  out.push(`${EXAMPLE}${cnp("guard", 20)}`);
  out.push(`${EXAMPLE}${cnp("guard", 20, "Admin", "Pass")}${cnp("floor", 5, "Baseline")}`);
  out.push(`${EXAMPLE}${NODE}${cnp("guard", 20, "Admin", "Pass")}${cnp("floor", 5, "Baseline")}`);
  out.push(`${EXAMPLE}${NODE}${cnp("guard", 20, "Admin", "Pass")}${cnp("also", 20)}${cnp("floor", 5, "Baseline")}`);
  out.push(`${EXAMPLE}${NODE}${cnp("guard", 20)}${cnp("guard", 30)}`);
  out.push(`${EXAMPLE}${NODE}${cnp("guard", 20).replace("v1alpha2", "v1alpha1").replace("ClusterNetworkPolicy", "AdminNetworkPolicy").replace(/tier: Admin\n\s*/, "")}`);
  out.push(world);
  out.push(world.replace(/port: 8080/, "port: 8081"));
  out.push(`${world}${policy("late", 443, "team-0")}`);
  out.push(world.replace(/---\napiVersion: networking.k8s.io\/v1\nkind: NetworkPolicy\n[\s\S]*?(?=---\n)/, ""));
  out.push(world.replace("kind: Pod", "kind: Pod\nspec: {hostNetwork: 7}"));
  out.push(JSON.stringify({ kind: "List", items: [] }));
  out.push("a: 1\n...\n---\nkind: NetworkPolicy\n");
  out.push("");
  return out;
}

const sortedIssues = (m: Manifests): string[] => m.issues.map((i) => JSON.stringify(i, Object.keys(i).sort())).sort();

test("documents are cut where the YAML parser starts them", () => {
  const pieces = splitDocuments("# c\n\n---\na: 1\n---\nkind: NetworkPolicy\nmetadata: {}\n--- !x\nb: 2\n")!;
  assert.equal(
    pieces.map((p) => [p.line, p.policy]),
    [
      [1, false],
      [5, true],
      [8, false],
    ],
  );
  assert.is(pieces.map((p) => p.text).join(""), "# c\n\n---\na: 1\n---\nkind: NetworkPolicy\nmetadata: {}\n--- !x\nb: 2\n");
  assert.is(splitDocuments('{"kind": "List"}'), null);
  assert.is(splitDocuments("%YAML 1.2\n---\na: 1\n"), null);
});

test("through a run of edits, the manifests read piece by piece are those read whole", () => {
  const cache = new ManifestCache();
  let previous: Manifests | null = null;
  for (const [k, text] of edits().entries()) {
    const got = cache.parse(text);
    const whole = parseManifests(text);
    const label = `edit ${k}`;
    assert.equal(got.policies, whole.policies, `${label}: policies`);
    assert.equal(got.policyLocations, whole.policyLocations, `${label}: policy locations`);
    assert.equal(got.namespaces, whole.namespaces, `${label}: namespaces`);
    assert.equal(got.pods, whole.pods, `${label}: pods`);
    assert.equal(got.nodes, whole.nodes, `${label}: nodes`);
    assert.equal(sortedIssues(got), sortedIssues(whole), `${label}: issues`);
    if (previous !== null && k === 3) assert.ok(got.pods === previous.pods, "an edit to a policy keeps the cluster part");
    previous = got;
  }
});

test("the engine kept up to date answers as one built afresh", async () => {
  const cache = new ManifestCache();
  const engines = new EngineCache();
  for (const [k, text] of edits().entries()) {
    const m = cache.parse(text);
    const kept = await engines.build(m, m.policies).catch((e: Error) => e.message);
    const fresh = await createEngine({ cluster: { namespaces: m.namespaces, pods: m.pods, nodes: m.nodes }, policies: m.policies }).catch((e: Error) => e.message);
    if (typeof fresh === "string" || typeof kept === "string") {
      assert.is(kept, fresh, `edit ${k}: the same refusal`);
      continue;
    }
    assert.equal(kept.pods, fresh.pods, `edit ${k}: pods`);
    for (const port of [{ port: 80 }, { port: 6379 }, { port: 8080 }, { port: 9090 }, { protocol: "UDP" as const, port: 53 }]) {
      assert.equal(kept.matrix(port).bits, fresh.matrix(port).bits, `edit ${k}: matrix on ${port.port}`);
    }
    assert.equal(kept.rules.clusterPolicies, fresh.rules.clusterPolicies, `edit ${k}: cluster-scoped policies`);
    assert.equal(kept.warnings, fresh.warnings, `edit ${k}: warnings`);
    if (fresh.rules.clusterPolicies.length > 0) {
      const flow = { from: fresh.pods[0]!, to: "192.168.0.1", port: 22 };
      if (m.nodes.length > 0) assert.equal(kept.decide(flow), fresh.decide(flow), `edit ${k}: a flow to the node`);
    }
  }
});

test("policy updates: in place by name, then the changed end; none when a name repeats", () => {
  const p = (name: string, n = 0) => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name, namespace: "d" }, spec: { podSelector: {}, n } }) as never;
  const [a, b, c] = [p("a"), p("b"), p("c")];
  assert.equal(policyUpdates([a, b], [a, b]), []);
  assert.equal(policyUpdates([a, b], [a, p("b", 1)]), [{ op: "upsertPolicy", policy: p("b", 1) }]);
  assert.equal(policyUpdates([a, b], [a, c]), [
    { op: "removePolicy", policy: "d/b" },
    { op: "upsertPolicy", policy: c },
  ]);
  assert.is(policyUpdates([a], [a, a]), null);
});

test.run();
