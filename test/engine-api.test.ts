// createEngine's edge: every problem of the input reported at once, with paths, as a
// NetpolValidationError; bad questions answered the same way. All on every evaluator.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngineSync, NetpolValidationError, ReachabilityMatrix, type Flow } from "../src/index.js";
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
  assert.equal({ ...create.sync({ cluster, policies: [] }).options }, { selfTraffic: "allow", ipBlockMatchesPods: true, hostNetwork: "host", nodeLocal: "allow" });
  assert.is(create.sync({ cluster, policies: [], options: { selfTraffic: "policy" } }).options.selfTraffic, "policy");
});

onEveryEvaluator("a bad batch of flow objects reports every bad flow, holes included", (create) => {
  const e = create.sync({ cluster, policies: [] });
  const flows = [{ from: "x/a", to: "x/b", port: 80 }, { from: "x/a", to: "x/nope", port: 80 }, { from: "x/a", to: "x/b", port: 80, protocol: "tcp" }] as Flow[];
  flows[4] = { from: "10.0.0.1", to: "x/b", port: 1.5 };
  flows[5] = [] as unknown as Flow;
  const error = (() => {
    try {
      e.decideBatch(flows);
    } catch (err) {
      return err;
    }
    return null;
  })();
  assert.instance(error, NetpolValidationError);
  const issues = (error as NetpolValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  assert.equal(issues, [
    "flows[1].to: unknown pod or invalid IP address `x/nope`",
    "flows[2].protocol: unsupported value `tcp`: supported values: \"SCTP\", \"TCP\", \"UDP\"",
    "flows[3]: expected a flow object, got `undefined`",
    "flows[4].port: invalid value `1.5`: must be between 1 and 65535, inclusive",
    "flows[5]: expected a flow object, got `array`",
  ]);
});

onEveryEvaluator("endpointIds: ids for columns, resolved once", (create) => {
  const withNode = { ...cluster, nodes: [{ name: "n1", ips: ["192.168.0.10"] }] };
  // a policy that tells nodes, pods and outside addresses apart: x/b admits only x/a and n1's address
  const policies = [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { namespace: "x", name: "b" },
      spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }, { ipBlock: { cidr: "192.168.0.10/32" } }] }] },
    },
  ];
  const e = create.sync({ cluster: withNode, policies });
  const refs = ["x/b", "10.0.0.1", "192.0.2.7", "fd00::9", "x/b", "192.0.2.7", "2001:db8::1", "node:n1", "192.168.0.10"];
  const { ids, addresses, addresses4, addresses6 } = e.endpointIds(refs);
  // pods by index (an address of a pod too); nodes by name, then outside addresses and
  // node addresses as numbers, each once, in the address table's order
  assert.equal([...ids], [1, 0, 3, 5, 1, 3, 6, 2, 4]);
  assert.equal(addresses, ["node:n1"]);
  assert.equal([...addresses4], [0xc0000207, 0xc0a8000a]);
  assert.equal([...addresses6], [0xfd000000, 0, 0, 9, 0x20010db8, 0, 0, 1]);
  const pairs: Array<[number, number]> = [[0, 1], [2, 0], [1, 3], [6, 4], [3, 6], [7, 0], [8, 0], [2, 7], [7, 8]];
  const columns = {
    from: Uint32Array.from(pairs, ([a]) => ids[a]!),
    to: Uint32Array.from(pairs, ([, b]) => ids[b]!),
    ports: Uint32Array.from(pairs, () => 80),
    addresses,
    addresses4,
    addresses6,
  };
  const objects = pairs.map(([a, b]) => ({ from: refs[a]!, to: refs[b]!, port: 80 }));
  const verdicts = [...e.decideBatch(objects)];
  assert.equal([...e.decideBatch(columns)], verdicts);
  assert.equal(verdicts, [1, 0, 1, 0, 1, 1, 1, 1, 1]);
  assert.throws(
    () => e.endpointIds(["x/a", "x/zzz", 7 as never, "node:nope"]),
    (err: unknown) =>
      err instanceof NetpolValidationError &&
      err.issues.map((i) => `${i.path}: ${i.message}`).join("\n") ===
        ["refs[1]: unknown pod or invalid IP address `x/zzz`", "refs[2]: expected a pod `namespace/name`, a workload `namespace/kind/name`, a Service `namespace/service/name`, a node `node:name` or an IP address, got `7`", "refs[3]: unknown node `node:nope`"].join("\n"),
  );
  assert.throws(() => e.endpointIds("x/a" as never), (err: unknown) => err instanceof NetpolValidationError && err.issues[0]!.path === "refs");
});

onEveryEvaluator("matrix into a caller's buffer", (create) => {
  const e = create.sync({ cluster, policies: [] });
  const fresh = e.matrix({ port: 80 });
  const buffer = new Uint32Array(fresh.bits.length + 3).fill(0xffffffff);
  const into = e.matrix({ port: 80 }, { into: buffer });
  assert.equal([...into.bits], [...fresh.bits]);
  assert.is(into.bits.buffer, buffer.buffer);
  const again = e.sideMatrix({ port: 80 }, "Egress", { into: into.bits });
  assert.is(again.bits, into.bits);
  assert.equal([...again.bits], [...e.sideMatrix({ port: 80 }, "Egress").bits]);
  for (const [options, path] of [[{ into: new Uint32Array(1) }, "options.into"], [{ into: [0, 0] }, "options.into"], [7, "options"]] as const) {
    assert.throws(() => e.matrix({ port: 80 }, options as never), (err: unknown) => err instanceof NetpolValidationError && err.issues[0]!.path === path);
  }
});

test("a matrix whose JSON could not be one string refuses toJSON with the figure", () => {
  const pods = Array.from({ length: 23_200 }, (_, i) => `ns/pod-${i}`);
  const matrix = new ReachabilityMatrix(pods, "TCP", 80, new Uint32Array(pods.length * Math.ceil(pods.length / 32)));
  assert.throws(
    () => JSON.stringify(matrix),
    (err: unknown) => err instanceof NetpolValidationError && /538,\d{3},\d{3} characters, more than the 536,870,888/.test(err.message),
  );
  const small = new ReachabilityMatrix(pods.slice(0, 3), "TCP", 80, new Uint32Array(3));
  assert.equal(small.toJSON().matrix, Object.assign(Object.create(null), { "ns/pod-0": "000", "ns/pod-1": "000", "ns/pod-2": "000" }));
});

test.run();
