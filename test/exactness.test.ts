// Issue 14 on both evaluators, through the library: `policyTypes: []`, finished pods
// (createEngine, update, parseManifests), duplicate NetworkPolicies, IPv4-mapped flow
// endpoints in every batch form, and host-network pods seen by ipBlocks in every
// mode. Verdicts on whole cases are also in test/conformance/netpol-extra/.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Engine, type EngineInput, type NetpolValidationError } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { FACTORIES } from "./support/evaluators.js";

const policy = (name: string, spec: Record<string, unknown>, namespace = "x") => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec,
});

const cluster = {
  namespaces: [{ name: "x" }],
  pods: [
    { namespace: "x", name: "a", labels: { app: "a" }, ips: ["10.0.0.1"] },
    { namespace: "x", name: "b", labels: { app: "b" }, ips: ["10.0.0.2", "fd00::2"] },
  ],
};

async function each(input: EngineInput, check: (engine: Engine) => void): Promise<void> {
  for (const create of FACTORIES) check(await create(input));
}

/** The rejection of `input`, the same on every evaluator. */
async function rejection(input: EngineInput): Promise<NetpolValidationError> {
  const [first, ...others] = await Promise.all(FACTORIES.map((create) => create.rejection(input)));
  for (const other of others) assert.equal(other.issues, first!.issues);
  return first!;
}

test("`policyTypes: []` and `null` default like an absent list (SetDefaults_NetworkPolicy: len == 0)", async () => {
  for (const policyTypes of [[], null]) {
    const denyAll = policy("deny", { podSelector: {}, policyTypes });
    await each({ cluster, policies: [denyAll] }, (engine) => {
      assert.not.ok(engine.decide({ from: "x/a", to: "x/b", port: 80 }).allowed, `${JSON.stringify(policyTypes)} isolates for ingress`);
      assert.ok(engine.decide({ from: "x/a", to: "192.0.2.1", port: 80 }).allowed, "and not for egress");
    });
    const withEgress = policy("egress", { podSelector: {}, policyTypes, egress: [{ to: [{ ipBlock: { cidr: "192.0.2.0/24" } }] }] });
    await each({ cluster, policies: [withEgress] }, (engine) => {
      assert.not.ok(engine.decide({ from: "x/a", to: "x/b", port: 80 }).allowed, "Ingress always");
      assert.ok(engine.decide({ from: "x/a", to: "192.0.2.1", port: 80 }).allowed, "Egress with egress rules");
      assert.not.ok(engine.decide({ from: "x/a", to: "198.51.100.1", port: 80 }).allowed);
    });
  }
});

test("finished pods are no endpoints: their reused IPs belong to the running pod", async () => {
  const pods = [
    { namespace: "x", name: "job-1", labels: { app: "a" }, ips: ["10.0.0.2"], phase: "Succeeded" },
    { namespace: "x", name: "old", labels: {}, ips: ["10.0.0.9"], phase: "Failed" },
    ...cluster.pods,
    { namespace: "x", name: "starting", labels: {}, phase: "Pending" },
  ];
  const deny = policy("deny-a", { podSelector: { matchLabels: { app: "a" } } });
  await each({ cluster: { ...cluster, pods }, policies: [deny] }, (engine) => {
    assert.equal(engine.pods, ["x/a", "x/b", "x/starting"]);
    assert.is(engine.decide({ from: "x/a", to: "10.0.0.2", port: 80 }).explanation.ingress.reason, "not-isolated", "10.0.0.2 is b's");
    assert.ok(engine.decide({ from: "x/a", to: "10.0.0.9", port: 80 }).explanation.ingress.reason === "outside", "a finished pod's IP is nobody's");
  });
  const bad = await rejection({ cluster: { pods: [{ namespace: "x", name: "p", phase: "Done" }] }, policies: [] });
  assert.match(bad.message, /cluster\.pods\[0\]\.phase: unsupported value `Done`: supported values: "Failed", "Pending", "Running", "Succeeded", "Unknown"/);
});

test("update: a pod that finishes is removed; a finished pod that was not there changes nothing", async () => {
  await each({ cluster, policies: [] }, (engine) => {
    engine.update({ op: "upsertPod", pod: { ...cluster.pods[0], phase: "Succeeded" } });
    assert.equal(engine.pods, ["x/b"]);
    engine.update({ op: "upsertPod", pod: { namespace: "x", name: "gone", ips: ["10.0.0.2"], phase: "Failed" } });
    assert.equal(engine.pods, ["x/b"]);
    engine.update({ op: "upsertPod", pod: { namespace: "x", name: "a2", ips: ["10.0.0.1"] } });
    assert.is(engine.decide({ from: "10.0.0.1", to: "x/b", port: 80 }).explanation.egress.reason, "not-isolated");
    assert.equal(engine.pods, ["x/b", "x/a2"]);
  });
});

test("two NetworkPolicies with one namespace/name are an error naming both (createEngine)", async () => {
  const error = await rejection({ cluster, policies: [policy("p", { podSelector: {} }), policy("q", { podSelector: {} }), policy("p", { podSelector: {}, ingress: [{}] })] });
  assert.equal(
    error.issues.map((i) => [i.object, i.path, i.message]),
    [["policies[2]", "metadata.name", "duplicate NetworkPolicy `x/p`: policies[0] has the same namespace and name, and the API server keeps one object per name"]],
  );
  // the default namespace is a namespace like any other
  const defaulted = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p" }, spec: { podSelector: {} } };
  assert.match((await rejection({ cluster, policies: [defaulted, policy("p", { podSelector: {} }, "default")] })).message, /duplicate NetworkPolicy `default\/p`/);
  // generateName alone: the API server gives each its own name
  const generated = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { generateName: "p-", namespace: "x" }, spec: { podSelector: {} } };
  await each({ cluster, policies: [generated, generated] }, (engine) => {
    assert.equal(engine.decide({ from: "x/a", to: "x/b", port: 80 }).explanation.ingress.isolatedBy.map((p) => p.name), ["x/p-", "x/p-"]);
    engine.update({ op: "upsertPolicy", policy: generated });
    assert.is(engine.decide({ from: "x/a", to: "x/b", port: 80 }).explanation.ingress.isolatedBy.length, 3, "an upsert by generateName adds");
    engine.update({ op: "upsertPolicy", policy: policy("p", { podSelector: {} }) });
    engine.update({ op: "upsertPolicy", policy: policy("p", { podSelector: {}, ingress: [{}] }) });
    assert.ok(engine.decide({ from: "x/a", to: "x/b", port: 80 }).explanation.ingress.isolatedBy.filter((p) => p.name === "x/p").length === 1, "upsert keeps one per name");
  });
});

test("parseManifests: a second NetworkPolicy of one name is an error at its place naming the first, and skipped", () => {
  const doc = (ingress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec: {podSelector: {}, ingress: ${ingress}}
`;
  const m = parseManifests(`${doc("[]")}---\n${doc("[{}]")}`, { file: "p.yaml" });
  assert.is(m.policies.length, 1);
  assert.equal(m.policies[0]!.spec!.ingress, []);
  assert.equal(
    m.issues.map((i) => [i.file, i.document, i.line, i.severity, i.message]),
    [["p.yaml", 1, 5, "error", "duplicate NetworkPolicy `x/p`, first defined at p.yaml:1 document 0: this one is skipped"]],
  );
});

test("IPv4-mapped flow endpoints stand for the IPv4 pod, in every batch form (netip Addr.Unmap)", async () => {
  const deny = policy("b-from-a", { podSelector: { matchLabels: { app: "b" } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: "a" } } }] }] });
  await each({ cluster, policies: [deny] }, (engine) => {
    assert.ok(engine.decide({ from: "::ffff:10.0.0.1", to: "x/b", port: 80 }).allowed, "::ffff:10.0.0.1 is pod a");
    assert.not.ok(engine.decide({ from: "::ffff:10.0.0.3", to: "x/b", port: 80 }).allowed);
    assert.not.ok(engine.decide({ from: "::10.0.0.1", to: "x/b", port: 80 }).allowed, "::10.0.0.1 is ::a00:1, not pod a");
    const columns = {
      from: Uint32Array.of(2, 3, 4),
      to: Uint32Array.of(1, 1, 1),
      ports: Uint32Array.of(80, 80, 80),
      addresses: ["::ffff:a00:1"],
      addresses6: Uint32Array.of(0, 0, 0xffff, 0x0a000001, 0, 0, 0, 0x0a000001),
    };
    assert.equal([...engine.decideBatch(columns)], [1, 1, 0], `${engine.evaluator}: mapped words are the IPv4 pod, ::a00:1 is not`);
  });
});

test("ipBlocks see a host-network pod by its node address in every mode (both evaluators)", async () => {
  const nodes = {
    namespaces: [{ name: "x" }, { name: "kube-system" }],
    pods: [
      { namespace: "x", name: "a", labels: { app: "a" }, ips: ["10.0.0.1"] },
      { namespace: "kube-system", name: "agent", labels: {}, ips: ["192.168.0.10"], hostNetwork: true },
    ],
  };
  const fromNodes = policy("from-nodes", { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "192.168.0.0/24" } }] }] });
  for (const hostNetwork of ["host", "pod"] as const) {
    for (const ipBlockMatchesPods of [true, false]) {
      await each({ cluster: nodes, policies: [fromNodes], options: { hostNetwork, ipBlockMatchesPods } }, (engine) => {
        const mode = `${engine.evaluator} hostNetwork=${hostNetwork} ipBlockMatchesPods=${ipBlockMatchesPods}`;
        assert.ok(engine.decide({ from: "kube-system/agent", to: "x/a", port: 80 }).allowed, `${mode}: the listed host-network pod`);
        assert.ok(engine.decide({ from: "192.168.0.10", to: "x/a", port: 80 }).allowed, `${mode}: its address`);
        assert.ok(engine.decide({ from: "192.168.0.11", to: "x/a", port: 80 }).allowed, `${mode}: another address of the node range`);
        assert.ok(engine.matrix({ port: 80 }).allowed(1, 0), `${mode}: matrix`);
      });
    }
  }
});

test.run();
