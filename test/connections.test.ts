// `Engine.connections` against a brute-force probe of the same engine: on small random
// clusters (fast-check), every probed port of every protocol, between every ordered
// pair of pods and between pods and an address of each outside range (not the one
// connections itself asked about), is in the connection's ports exactly when
// `decideBatch` allows it. The probe covers each port the policies and containers
// name, its neighbours, and random ports; the same with random groups of pods and self
// pairs (a group pair allows a port when one of its pod pairs does), which exercises
// the pod classes connections works over (pods of few labels share classes). Planting
// a bug in the classes (dropping the addresses from a pod's signature, or the
// distinct-pods diagonal) fails these properties. Then grouping, narrowing, self pairs
// and explanations on hand-written clusters. Every test runs on every evaluator.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { cluster, finished, options, policies, type AnyPolicyJson, type Scenario } from "./support/arbitraries.js";
import { clusterPolicies, nodes } from "./support/tier-arbitraries.js";
import { onEveryEvaluator } from "./support/evaluators.js";
import type { Engine, EngineInput, Flow } from "../src/api/engine.js";
import type { Connection } from "../src/api/connections.js";
import { formatAddress, parseAddress } from "../src/primitives/address.js";
import { NetpolValidationError } from "../src/primitives/issues.js";
import { PROTOCOLS, type Protocol } from "../src/primitives/kubernetes.js";

const RUNS = Number(process.env.NETPOL_CONNECTIONS_RUNS ?? 25);

const contains = (spans: readonly (readonly [number, number])[], port: number): boolean => spans.some(([lo, hi]) => lo <= port && port <= hi);

/** An address of range `FIRST-LAST` owned by no pod, as far from FIRST as can be. */
function probeAddress(range: string, owned: ReadonlySet<string>): string {
  const [first, last] = range.split("-").map((t) => parseAddress(t)!);
  for (let v = last!.value; v >= first!.value; v--) {
    const text = formatAddress(first!.family, v);
    if (!owned.has(text)) return text;
  }
  throw new Error(`range ${range} has no address outside the cluster`);
}

/** How `mismatch` asks `connections`: pods named by group (`groups[i]` for pod i), self pairs too. */
interface Grouping {
  readonly groups?: readonly string[];
  readonly includeSelf?: boolean;
}

/**
 * Checks every probed flow of `engine` against `connections(grouping)`; returns the
 * first mismatch. A pair of endpoints allows a port when one of its pairs of pods (or,
 * with `includeSelf`, a pod reaching itself) does, as `decideBatch` says.
 */
function mismatch(engine: Engine, scenario: Scenario<AnyPolicyJson>, extraPorts: readonly number[], grouping: Grouping = {}): string | null {
  const all = [...engine.connections(grouping)];
  const byPair = new Map(all.map((c) => [`${c.from} ${c.to}`, c]));
  const ends_ = [...scenario.cluster.pods.filter((p) => !finished(p.phase)), ...((scenario.cluster as { nodes?: Array<{ ips: string[] }> }).nodes ?? [])];
  const owned = new Set(ends_.flatMap((p) => p.ips.map((ip) => parseAddress(ip)!.text)));
  const ranges = [...new Set(all.flatMap((c) => [c.from, c.to]).filter((id) => id.includes("-") && parseAddress(id.split("-")[0]!) !== null))];
  const ports = new Set<number>([1, 2, 1000, 30000, 65534, 65535, ...extraPorts]);
  for (const p of JSON.stringify(scenario).matchAll(/"(?:port|endPort|containerPort)":(\d+)/g)) for (const d of [-1, 0, 1]) ports.add(Number(p[1]) + d);
  const probed = [...ports].filter((p) => p >= 1 && p <= 65535);
  const groupOf = new Map(engine.pods.map((id, i) => [id, grouping.groups?.[i] ?? id]));
  const ends: Array<{ id: string; flow: string }> = [...engine.pods.map((id) => ({ id, flow: id })), ...ranges.map((id) => ({ id, flow: probeAddress(id, owned) }))];
  const flows: Flow[] = [];
  const pairs: Array<{ from: string; to: string; protocol: Protocol; port: number }> = [];
  for (const a of ends) {
    for (const b of ends) {
      if ((a === b && grouping.includeSelf !== true) || (!engine.pods.includes(a.id) && !engine.pods.includes(b.id))) continue;
      const [from, to] = [groupOf.get(a.id) ?? a.id, groupOf.get(b.id) ?? b.id];
      if (from === to && grouping.includeSelf !== true) continue;
      for (const protocol of PROTOCOLS) {
        for (const port of probed) {
          flows.push({ from: a.flow, to: b.flow, protocol, port });
          pairs.push({ from, to, protocol, port });
        }
      }
    }
  }
  const verdicts = engine.decideBatch(flows);
  const expected = new Map<string, boolean>();
  pairs.forEach(({ from, to, protocol, port }, k) => {
    const key = `${from} ${to} ${protocol} ${port}`;
    expected.set(key, expected.get(key) === true || verdicts[k] === 1);
  });
  for (const [key, allowed] of expected) {
    const [from, to, protocol, port] = key.split(" ") as [string, string, Protocol, string];
    const listed = byPair.get(`${from} ${to}`);
    const said = listed !== undefined && contains(listed.allowed[protocol], Number(port));
    if (said !== allowed) return `${from} → ${to} ${port}/${protocol}: decideBatch says ${allowed} for some pair of its pods, connections says ${said}`;
  }
  for (const c of all) {
    if (PROTOCOLS.every((p) => c.allowed[p].length === 0)) return `${c.from} → ${c.to} is listed with nothing allowed`;
    if (c.from === c.to && grouping.includeSelf !== true) return `${c.from} → itself is listed without includeSelf`;
  }
  return null;
}

onEveryEvaluator(`connections equal a port-by-port probe of the engine on ${RUNS} random clusters`, async (create) => {
  const arbitrary = fc.record({ cluster: cluster(5), policies: policies(5), options, extra: fc.array(fc.integer({ min: 1, max: 65535 }), { maxLength: 12 }) });
  await fc.assert(
    fc.asyncProperty(arbitrary, async ({ extra, ...scenario }) => {
      const engine = await create({ cluster: scenario.cluster, policies: scenario.policies, options: scenario.options } as EngineInput);
      const problem = mismatch(engine, scenario, extra);
      if (problem !== null) throw new Error(problem);
    }),
    { numRuns: RUNS },
  );
});

onEveryEvaluator(`connections with ClusterNetworkPolicy tiers and nodes equal a port-by-port probe on ${Math.ceil(RUNS / 2)} random clusters`, async (create) => {
  const arbitrary = fc.record({ cluster: cluster(4), nodes, policies: policies(3), cnps: clusterPolicies(3), options, extra: fc.array(fc.integer({ min: 1, max: 65535 }), { maxLength: 8 }) });
  await fc.assert(
    fc.asyncProperty(arbitrary, async ({ extra, cnps, nodes: n, ...rest }) => {
      const scenario = { cluster: { ...rest.cluster, nodes: n }, policies: [...rest.policies, ...cnps], options: rest.options };
      const engine = await create(scenario as unknown as EngineInput);
      const problem = mismatch(engine, scenario as unknown as Scenario<AnyPolicyJson>, extra);
      if (problem !== null) throw new Error(problem);
    }),
    { numRuns: Math.ceil(RUNS / 2) },
  );
});

onEveryEvaluator(`connections of random groups of pods, self pairs or not, equal the probe on ${Math.ceil(RUNS / 2)} random clusters`, async (create) => {
  // few labels and ports: many pods share a class, the case the class tables answer from one representative
  const arbitrary = fc.record({
    cluster: cluster(6),
    policies: policies(4),
    options,
    groupOf: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 6, maxLength: 6 }),
    includeSelf: fc.boolean(),
    extra: fc.array(fc.integer({ min: 1, max: 65535 }), { maxLength: 6 }),
  });
  await fc.assert(
    fc.asyncProperty(arbitrary, async ({ extra, groupOf, includeSelf, ...scenario }) => {
      const engine = await create({ cluster: scenario.cluster, policies: scenario.policies, options: scenario.options } as EngineInput);
      const groups = engine.pods.map((_, i) => `g/${groupOf[i]}`);
      const problem = mismatch(engine, scenario, extra, { groups, includeSelf });
      if (problem !== null) throw new Error(problem);
    }),
    { numRuns: Math.ceil(RUNS / 2) },
  );
});

/** Pods of one signature in two namespaces, one address outside an ipBlock: the class tables' cases by hand. */
const CLASSES: EngineInput = {
  cluster: {
    namespaces: [{ name: "a" }, { name: "b" }],
    pods: [
      { namespace: "a", name: "web-1", labels: { app: "web" }, ips: ["10.0.0.1"] },
      { namespace: "a", name: "web-2", labels: { app: "web" }, ips: ["10.0.0.2"] },
      { namespace: "a", name: "web-3", labels: { app: "web" }, ips: ["10.0.1.3"] },
      { namespace: "b", name: "web-1", labels: { app: "web" }, ips: ["10.0.0.4"] },
    ],
  },
  policies: [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { namespace: "a", name: "web" },
      spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ port: 80 }] }] },
    },
  ],
};

onEveryEvaluator("connections: pods of one signature share verdicts, an ipBlock on pod addresses splits them", async (create) => {
  const engine = await create(CLASSES);
  const all = [...engine.connections({ includeExternal: false })].map((c) => `${c.from} ${c.to} ${JSON.stringify(c.allowed.TCP)}`);
  const TCP80 = "[[80,80]]";
  assert.equal(all, [
    `a/web-1 a/web-2 ${TCP80}`,
    `a/web-1 a/web-3 ${TCP80}`,
    "a/web-1 b/web-1 [[1,65535]]",
    `a/web-2 a/web-1 ${TCP80}`,
    `a/web-2 a/web-3 ${TCP80}`,
    "a/web-2 b/web-1 [[1,65535]]",
    "a/web-3 b/web-1 [[1,65535]]",
    `b/web-1 a/web-1 ${TCP80}`,
    `b/web-1 a/web-2 ${TCP80}`,
    `b/web-1 a/web-3 ${TCP80}`,
  ]);
  const self = [...engine.connections({ includeExternal: false, includeSelf: true, groups: ["a/web", "a/web", "a/web", "b/web"] })];
  assert.equal(self.find((c) => c.from === "a/web" && c.to === "a/web")!.allowed.TCP, [[1, 65535]], "each pod reaches itself (selfTraffic allow)");
});

/** A namespace with a web pod (named port `http` 8080) and two db pods, one policy. */
const SMALL: EngineInput = {
  cluster: {
    namespaces: [{ name: "a" }],
    pods: [
      { namespace: "a", name: "web", labels: { app: "web" }, ips: ["10.0.0.1"], ports: [{ name: "http", containerPort: 8080 }] },
      { namespace: "a", name: "db-0", labels: { app: "db" }, ips: ["10.0.0.2"] },
      { namespace: "a", name: "db-1", labels: { app: "db" }, ips: ["10.0.0.3"] },
    ],
  },
  policies: [
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { namespace: "a", name: "web" },
      spec: {
        podSelector: { matchLabels: { app: "web" } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: "db" } } }, { ipBlock: { cidr: "192.168.0.0/16", except: ["192.168.1.0/24"] } }], ports: [{ port: "http" }, { protocol: "UDP", port: 9000, endPort: 9100 }] }],
      },
    },
  ],
};

const ALL: Connection["allowed"] = { TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] };

onEveryEvaluator("connections: outside ranges are cut by every ipBlock, ports merged, rules attached", async (create) => {
  const engine = await create(SMALL);
  const all = [...engine.connections({ explain: true })];
  const ranges = [...new Set(all.map((c) => c.from).filter((id) => /^\d/.test(id)))];
  assert.equal(ranges, ["0.0.0.0-192.167.255.255", "192.168.0.0-192.168.0.255", "192.168.1.0-192.168.1.255", "192.168.2.0-192.168.255.255", "192.169.0.0-255.255.255.255"]);
  const web = all.find((c) => c.from === "192.168.0.0-192.168.0.255" && c.to === "a/web")!;
  assert.equal(web.allowed, { TCP: [[8080, 8080]], UDP: [[9000, 9100]], SCTP: [] });
  assert.equal(web.allowedBy, [
    { tier: "NetworkPolicy", policy: "a/web", policyIndex: 0, direction: "Ingress", rule: 0, protocol: "TCP", ports: [[8080, 8080]] },
    { tier: "NetworkPolicy", policy: "a/web", policyIndex: 0, direction: "Ingress", rule: 0, protocol: "UDP", ports: [[9000, 9100]] },
  ]);
  assert.not.ok(all.some((c) => c.from === "192.168.1.0-192.168.1.255" && c.to === "a/web"), "the except range may not reach web");
  assert.equal(all.find((c) => c.from === "a/web" && c.to === "a/db-0")!.allowed, ALL);
  assert.not.ok(all.some((c) => c.from === c.to), "no self pairs by default");
  const sorted = all.map((c) => `${c.from} ${c.to}`);
  assert.equal(sorted, [...sorted].sort((x, y) => new Intl.Collator("en", { numeric: true }).compare(x.split(" ")[0]!, y.split(" ")[0]!) || new Intl.Collator("en", { numeric: true }).compare(x.split(" ")[1]!, y.split(" ")[1]!)));
});

onEveryEvaluator("connections: groups, narrowing, self pairs, no outside", async (create) => {
  const engine = await create(SMALL);
  const grouped = [...engine.connections({ groups: ["a/web", "a/db", "a/db"], includeExternal: false })];
  assert.equal(grouped.map((c) => [c.from, c.to]), [["a/db", "a/web"], ["a/web", "a/db"]]);
  assert.equal(grouped[0]!.allowed, { TCP: [[8080, 8080]], UDP: [[9000, 9100]], SCTP: [] });
  const selfToo = [...engine.connections({ groups: ["a/web", "a/db", "a/db"], includeExternal: false, includeSelf: true })];
  assert.equal(selfToo.map((c) => [c.from, c.to]), [["a/db", "a/db"], ["a/db", "a/web"], ["a/web", "a/db"], ["a/web", "a/web"]]);
  const narrowed = [...engine.connections({ ports: [{ port: 8000, endPort: 8085 }, { protocol: "UDP", port: 9050 }], includeExternal: false })];
  assert.equal(narrowed.find((c) => c.to === "a/web")!.allowed, { TCP: [[8080, 8080]], UDP: [[9050, 9050]], SCTP: [] });
  assert.equal(narrowed.find((c) => c.from === "a/web")!.allowed, { TCP: [[8000, 8085]], UDP: [[9050, 9050]], SCTP: [] });
  try {
    [...engine.connections({ ports: [{ port: 0 }], groups: ["x"] })];
    assert.unreachable("bad options are rejected");
  } catch (error) {
    assert.instance(error, NetpolValidationError);
    assert.equal((error as NetpolValidationError).issues.map((i) => i.path), ["options.ports[0].port", "options.groups"]);
  }
});

onEveryEvaluator("exposure: outside ranges both ways, the pods each ingress rule admits, open endpoints first", async (create) => {
  const found = (await create(SMALL)).exposure();
  assert.equal(found.map((e) => [e.endpoint, e.fromAnyAddress]), [["a/db-0", true], ["a/db-1", true], ["a/web", false]]);
  const web = found.find((e) => e.endpoint === "a/web")!;
  assert.equal(web.fromOutside.map((r) => r.range), ["192.168.0.0-192.168.0.255", "192.168.2.0-192.168.255.255"]);
  assert.equal(web.fromPods, [{ namespaces: "namespace a", pods: "pods with label app=db", ports: "on the TCP port named http or UDP ports 9000-9100", policy: "a/web", direction: "Ingress", rule: 0 }]);
  assert.is(web.toOutside.length, 5);
});

test.run();
