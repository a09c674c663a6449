// createEngine's edge: every problem of the input reported at once, with paths, as a
// NetpolValidationError; bad questions answered the same way. All on every evaluator.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngineSync, NetpolValidationError, type Flow } from "../src/index.js";
import { onEveryEvaluator } from "./support/evaluators.js";

const cluster = { namespaces: [{ name: "x" }], pods: [{ namespace: "x", name: "a", ips: ["10.0.0.1"] }, { namespace: "x", name: "b" }] };

onEveryEvaluator("every problem of cluster, policies and options is reported at once", async (create) => {
  const error = await create.rejection({
    cluster: { namespaces: [{ name: "Bad" }], pods: [{ namespace: "x", name: "a", ips: ["10.0.0.300"] }, { namespace: "x", name: "a" }] },
    policies: [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p" }, spec: { ingress: [{ ports: [{ port: 100, endPort: 99 }] }] } }, 42],
    options: { selfTraffic: "sometimes", colour: "blue" },
  });
  const lines = error.issues.map((i) => `${i.object ?? ""} ${i.path}: ${i.message}`);
  for (const want of [
    " options.selfTraffic: unsupported value `sometimes`",
    " options.colour: unknown option",
    " cluster.namespaces[0].name: invalid value `Bad`",
    " cluster.pods[0].ips[0]: invalid value `10.0.0.300`: must be a valid IP address",
    " cluster.pods[1]: duplicate pod `x/a`",
    "policies[0] spec.ingress[0].ports[0].endPort: invalid value `99`: must be greater than or equal to `port`",
    "policies[1] : expected NetworkPolicy, got `42`",
  ]) {
    assert.ok(lines.some((l) => l.startsWith(want)), `missing ${want} in\n${lines.join("\n")}`);
  }
  assert.match(error.message, "spec.ingress[0].ports[0].endPort");
});

onEveryEvaluator("cluster type errors keep their paths (the codec's generic path reports them)", async (create) => {
  const error = await create.rejection({
    cluster: { namespaces: [{ name: "x", labels: { team: 1 } }], pods: [{ namespace: "x", name: "a", ips: "10.0.0.1", ports: [{ containerPort: 80.5 }], hostNetwork: "yes" }] },
    policies: [],
  });
  const paths = error.issues.map((i) => i.path).sort();
  assert.equal(paths, ["cluster.namespaces[0].labels.team", "cluster.pods[0].hostNetwork", "cluster.pods[0].ips", "cluster.pods[0].ports[0].containerPort"]);
});

onEveryEvaluator("input that is not an object at all", async (create) => {
  for (const input of [null, 42, "x", { cluster: cluster, policies: "nope" }, { cluster: [], policies: [] }]) {
    const error = await create.rejection(input);
    assert.ok(error.issues.length > 0);
  }
});

test("an unknown evaluator", () => {
  assert.throws(() => createEngineSync({ cluster, policies: [], evaluator: "quantum" as never }), (e: unknown) => e instanceof NetpolValidationError && /evaluator/.test(e.message));
});

onEveryEvaluator("IPs: one pod each, except that host-network pods share their node's", async (create) => {
  const error = await create.rejection({ cluster: { pods: [{ namespace: "x", name: "a", ips: ["10.0.0.1"] }, { namespace: "x", name: "b", ips: ["10.0.0.1"] }] }, policies: [] });
  assert.match(error.issues[0]!.message, "already belongs to pod `x/a`");
  const shared = { pods: [{ namespace: "kube-system", name: "proxy", hostNetwork: true, ips: ["192.168.1.5"] }, { namespace: "kube-system", name: "agent", hostNetwork: true, ips: ["192.168.1.5"] }] };
  const e = await create({ cluster: shared, policies: [] });
  assert.ok(e.decide({ from: "192.168.1.5", to: "kube-system/agent", port: 80 }).allowed);
});

onEveryEvaluator("bad flows throw NetpolValidationError with the flow's path", (create) => {
  const e = create.sync({ cluster, policies: [] });
  const bad: Array<[unknown, string]> = [
    [{ from: "x/nope", to: "x/a", port: 80 }, "from: unknown pod or invalid IP address `x/nope`"],
    [{ from: "x/a", to: "10.0.0.999", port: 80 }, "to: unknown pod or invalid IP address"],
    [{ from: "x/a", to: "x/b", port: 0 }, "port: invalid value `0`"],
    [{ from: "x/a", to: "x/b", port: 70000 }, "port: invalid value `70000`"],
    [{ from: "x/a", to: "x/b", port: 80, protocol: "ICMP" }, "protocol: unsupported value `ICMP`"],
    [{ from: 1, to: "x/b", port: 80 }, "from: expected a pod"],
    [null, "expected a flow object"],
  ];
  for (const [flow, message] of bad) {
    assert.throws(() => e.decide(flow as Flow), (err: unknown) => err instanceof NetpolValidationError && err.message.includes(message), message);
    assert.throws(() => e.decideBatch([{ from: "x/a", to: "x/b", port: 80 }, flow as Flow]), (err: unknown) => err instanceof NetpolValidationError && err.message.includes(`flows[1]`), message);
  }
  assert.throws(() => e.matrix({ port: -1 }), (err: unknown) => err instanceof NetpolValidationError);
});

onEveryEvaluator("the empty cluster and the empty batch", (create) => {
  const e = create.sync({ cluster: {}, policies: [] });
  assert.equal(e.pods, []);
  assert.is(e.decideBatch([]).length, 0);
  assert.is(e.matrix({ port: 80 }).count(), 0);
  assert.ok(e.decide({ from: "10.0.0.1", to: "fd00::1", port: 1 }).allowed);
});

onEveryEvaluator("the rule set and who selects whom, as the verdicts use them", (create) => {
  const hosted = {
    namespaces: [{ name: "x" }],
    pods: [...cluster.pods, { namespace: "x", name: "node", hostNetwork: true, ips: ["192.168.0.1"] }],
  };
  const policies = [
    { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { namespace: "x", name: "all" }, spec: { podSelector: {} } },
    { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { namespace: "x", name: "out" }, spec: { podSelector: {}, policyTypes: ["Egress"] } },
  ];
  for (const hostNetwork of ["host", "pod"] as const) {
    const e = create.sync({ cluster: hosted, policies, options: { hostNetwork } });
    assert.equal(e.rules.policies.map((p) => [p.index, `${p.namespace}/${p.name}`, p.ingress !== null, p.egress !== null]), [[0, "x/all", true, false], [1, "x/out", false, true]]);
    const everyone = hostNetwork === "host" ? [0, 1] : [0, 1, 2];
    assert.equal([...e.selectedPods(0)], everyone);
    assert.equal([...e.selectedPods(0, "Egress")], []);
    assert.equal([...e.selectedPods(1, "Egress")], everyone);
    // the same answer the explanations give, pod by pod
    e.pods.forEach((id, i) => {
      for (const direction of ["Ingress", "Egress"] as const) {
        const side = e.decide({ from: id, to: "10.9.9.9", port: 80 }).explanation;
        const into = e.decide({ from: "10.9.9.9", to: id, port: 80 }).explanation;
        const isolatedBy = (direction === "Egress" ? side.egress : into.ingress).isolatedBy.map((p) => p.index);
        assert.equal([...e.isolatingPolicies(i, direction)], isolatedBy, `${id} ${direction}`);
      }
    });
  }
  const e = create.sync({ cluster, policies: [] });
  for (const bad of [() => e.selectedPods(5), () => e.selectedPods(-1), () => e.isolatingPolicies(9, "Ingress"), () => e.isolatingPolicies(0, "Sideways" as never)]) {
    assert.throws(bad, (err: unknown) => err instanceof NetpolValidationError);
  }
});

onEveryEvaluator("options come back with defaults filled in", (create) => {
  assert.equal({ ...create.sync({ cluster, policies: [] }).options }, { selfTraffic: "allow", ipBlockMatchesPods: true, hostNetwork: "host" });
  assert.is(create.sync({ cluster, policies: [], options: { selfTraffic: "policy" } }).options.selfTraffic, "policy");
});

test.run();
