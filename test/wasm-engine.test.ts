// The WASM engine: updates equal rebuilds, the columnar batch, matrix halves,
// counts, and memory growth with large batches; typed errors on bad input to every
// method, on every evaluator.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { NetpolValidationError } from "../src/primitives/issues.js";
import { createEngine, createEngineSync } from "../src/engine/create.js";
import type { Engine, EngineInput, Flow, EngineUpdate } from "../src/api/engine.js";
import type { NetworkPolicyManifest } from "../src/decode/manifest-types.js";
import { WasmEngine } from "../src/engine/wasm/engine.js";
import { PROTOCOLS, type Protocol } from "../src/primitives/kubernetes.js";
import { onEveryEvaluator } from "./support/evaluators.js";

const NP = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" } as const;

interface PodJson {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  ips?: string[];
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  hostNetwork?: boolean;
}

const pods: PodJson[] = [
  { namespace: "shop", name: "web", labels: { app: "web" }, ips: ["10.0.0.1"], ports: [{ name: "http", containerPort: 8080 }] },
  { namespace: "shop", name: "api", labels: { app: "api" }, ips: ["10.0.0.2"], ports: [{ name: "http", containerPort: 9090 }] },
  { namespace: "shop", name: "db", labels: { app: "db" }, ips: ["10.1.0.2"] },
  { namespace: "ops", name: "client", labels: { app: "client" }, ips: ["10.2.0.3", "fd00::3"] },
  { namespace: "ops", name: "node", labels: { app: "client" }, ips: ["192.168.0.9"], hostNetwork: true },
];

const policies: NetworkPolicyManifest[] = [
  { ...NP, metadata: { namespace: "shop", name: "deny-all" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
  {
    ...NP,
    metadata: { namespace: "shop", name: "web" },
    spec: {
      podSelector: { matchLabels: { app: "web" } },
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: "client" } } }], ports: [{ port: "http" }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: "api" } } }], ports: [{ port: "http" }] }],
      policyTypes: ["Ingress", "Egress"],
    },
  },
  {
    ...NP,
    metadata: { namespace: "shop", name: "api" },
    spec: { podSelector: { matchLabels: { app: "api" } }, ingress: [{ from: [{ podSelector: {} }] }] },
  },
  {
    ...NP,
    metadata: { namespace: "shop", name: "db" },
    spec: {
      podSelector: { matchLabels: { app: "db" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }], ports: [{ protocol: "TCP", port: 5432, endPort: 5433 }] }],
    },
  },
];

const input = (extra: Partial<EngineInput> = {}): EngineInput => ({
  cluster: { namespaces: [{ name: "shop", labels: { team: "shop" } }, { name: "ops" }], pods },
  policies,
  ...extra,
});

const ports: { protocol: Protocol; port: number }[] = [
  { protocol: "TCP", port: 8080 },
  { protocol: "TCP", port: 9090 },
  { protocol: "TCP", port: 5432 },
  { protocol: "UDP", port: 8080 },
];
const outside = ["10.3.0.1", "10.1.0.7", "8.8.8.8", "fd00::9"];

/** Every pod and outside address to every other, on every test port. */
function allFlows(engine: Engine): Flow[] {
  const ends = [...engine.pods, ...outside];
  return ends.flatMap((from) => ends.flatMap((to) => ports.map((p) => ({ from, to, ...p }))));
}

/** Every answer the engine gives on the test flows and ports, for comparisons. */
function answers(engine: Engine): unknown {
  const matrices = ports.map((q) => [engine.matrix(q).bits, engine.sideMatrix(q, "Egress").bits, engine.sideMatrix(q, "Ingress").bits, engine.counts(q)]);
  return { pods: engine.pods, batch: [...engine.decideBatch(allFlows(engine))], matrices };
}

test("wasm is the default evaluator, async and sync", async () => {
  assert.is((await createEngine(input())).evaluator, "wasm");
  const engine = createEngineSync(input());
  assert.is(engine.evaluator, "wasm");
  assert.instance(engine, WasmEngine);
  const stats = (engine as WasmEngine).stats();
  assert.is(stats.PODS, pods.length);
  assert.is(stats.TOTAL_BYTES % 4, 0);
});

test("every verdict, matrix half and count equals the reference's", () => {
  for (const options of [{}, { selfTraffic: "policy" as const }, { hostNetwork: "pod" as const, ipBlockMatchesPods: false }]) {
    const wasm = createEngineSync(input({ options }));
    const reference = createEngineSync(input({ options, evaluator: "reference" }));
    assert.equal(answers(wasm), answers(reference));
    for (const flow of allFlows(wasm).slice(0, 200)) assert.equal(wasm.decide(flow), reference.decide(flow));
  }
});

test("matrix is the AND of its halves, plus self traffic", () => {
  const engine = createEngineSync(input({ options: { selfTraffic: "policy" } }));
  for (const q of ports) {
    const [both, egress, ingress] = [engine.matrix(q), engine.sideMatrix(q, "Egress"), engine.sideMatrix(q, "Ingress")];
    assert.equal([...both.bits], [...egress.bits].map((w, i) => (w & ingress.bits[i]!) >>> 0));
  }
  const self = createEngineSync(input()).matrix({ port: 5432 });
  for (let i = 0; i < pods.length; i++) assert.ok(self.allowed(i, i));
});

test("counts are the matrix's row and column sums", () => {
  const engine = createEngineSync(input());
  for (const q of ports) {
    const m = engine.matrix(q);
    const { reach, reachedBy } = engine.counts(q);
    assert.equal([...reach], engine.pods.map((_, i) => [...m.row(i)].length));
    assert.equal([...reachedBy], engine.pods.map((_, j) => [...m.column(j)].length));
  }
});

test("a batch after a matrix or count call (whose work rows go over the batch screen's rows) gives the same verdicts", () => {
  const engine = createEngineSync(input());
  const flows = allFlows(engine);
  const first = [...engine.decideBatch(flows)];
  for (const q of ports) {
    engine.counts(q);
    assert.equal([...engine.decideBatch(flows)], first);
    engine.matrix(q);
    assert.equal([...engine.decideBatch(flows)], first);
  }
});

test("columnar batches, both port forms, give the object form's verdicts", () => {
  const engine = createEngineSync(input());
  const flows = allFlows(engine);
  const n = engine.pods.length;
  const code = (end: string): number => (engine.pods.includes(end) ? engine.pods.indexOf(end) : n + outside.indexOf(end));
  const from = Uint32Array.from(flows, (f) => code(f.from));
  const to = Uint32Array.from(flows, (f) => code(f.to));
  const protocol = Uint8Array.from(flows, (f) => PROTOCOLS.indexOf(f.protocol!));
  const port = Uint16Array.from(flows, (f) => f.port as number);
  const expected = [...engine.decideBatch(flows)];
  assert.equal([...engine.decideBatch({ from, to, protocol, port, addresses: outside })], expected);
  const packed = Uint32Array.from(flows, (f) => (f.port as number) | (PROTOCOLS.indexOf(f.protocol!) << 16));
  assert.equal([...engine.decideBatch({ from, to, ports: packed, addresses: outside })], expected);
  // a pod's own address in the address table stands for the pod
  const viaAddress = engine.decideBatch({ from: Uint32Array.of(n), to: Uint32Array.of(0), ports: Uint32Array.of(8080), addresses: ["10.2.0.3"] });
  assert.equal([...viaAddress], [...engine.decideBatch([{ from: "ops/client", to: "shop/web", port: 8080 }])]);
});

test("columnar addresses as numbers (addresses4, addresses6) read as the same literals, on both evaluators", () => {
  const wasm = createEngineSync(input());
  const reference = createEngineSync(input({ evaluator: "reference" }));
  const n = wasm.pods.length;
  // client's own addresses stand for client; the others are outside, in and out of db's ipBlock
  const texts = ["10.2.0.3", "10.0.0.77", "10.1.0.5", "8.8.8.8", "fd00::3", "fd00::77", "2001:db8::1"];
  const v4 = Uint32Array.of(0x0a020003, 0x0a00004d, 0x0a010005, 0x08080808);
  const v6 = Uint32Array.of(0xfd000000, 0, 0, 3, 0xfd000000, 0, 0, 0x77, 0x20010db8, 0, 0, 1);
  const ends = [...wasm.pods.keys(), ...texts.map((_, i) => n + i)];
  const pairs = ends.flatMap((a) => ends.map((b) => [a, b] as const));
  const from = Uint32Array.from(pairs, ([a]) => a);
  const to = Uint32Array.from(pairs, ([, b]) => b);
  const ports = new Uint32Array(pairs.length).fill(5432);
  // the same table three ways: literals; IPv4 numbers then IPv6 words; literals of the first two, the rest as numbers
  const asText = { from, to, ports, addresses: texts };
  const asNumbers = { from, to, ports, addresses4: v4, addresses6: v6 };
  const mixed = { from, to, ports, addresses: texts.slice(0, 2), addresses4: v4.subarray(2), addresses6: v6 };
  const expected = [...reference.decideBatch(asText)];
  assert.ok(expected.includes(1) && expected.includes(0));
  for (const engine of [wasm, reference]) {
    for (const columns of [asText, asNumbers, mixed]) assert.equal([...engine.decideBatch(columns)], expected);
  }
  assert.equal([...wasm.decideBatch(asText)], [...wasm.decideBatch(pairs.map(([a, b]) => ({ from: a < n ? wasm.pods[a]! : texts[a - n]!, to: b < n ? wasm.pods[b]! : texts[b - n]!, port: 5432 })))]);
  for (const engine of [wasm, reference]) {
    rejects(() => engine.decideBatch({ from, to, ports, addresses4: [1] } as never), "flows.addresses4");
    rejects(() => engine.decideBatch({ from, to, ports, addresses6: new Uint32Array(3) }), "flows.addresses6");
    rejects(() => engine.decideBatch({ from: Uint32Array.of(n + 2), to: Uint32Array.of(0), ports: Uint32Array.of(80), addresses4: v4.subarray(0, 2) }), "flows.from[0]");
  }
});

test("large columnar batches go through the scratch region in chunks and grow memory", () => {
  const engine = createEngineSync(input());
  const flows = allFlows(engine);
  const small = createEngineSync(input()).decideBatch(flows);
  const n = engine.pods.length;
  const code = (end: string): number => (engine.pods.includes(end) ? engine.pods.indexOf(end) : n + outside.indexOf(end));
  const total = 3_000_000 + 17;
  const from = new Uint32Array(total);
  const to = new Uint32Array(total);
  const packed = new Uint32Array(total);
  const many = Array.from({ length: 5000 }, (_, i) => `172.16.${i >> 8}.${i & 255}`);
  for (let k = 0; k < total; k++) {
    const f = flows[k % flows.length]!;
    from[k] = code(f.from);
    to[k] = code(f.to);
    packed[k] = (f.port as number) | (PROTOCOLS.indexOf(f.protocol!) << 16);
  }
  const out = engine.decideBatch({ from, to, ports: packed, addresses: [...outside, ...many] });
  assert.is(out.length, total);
  for (let k = 0; k < total; k += 997) assert.is(out[k], small[k % flows.length]);
  assert.is(out[total - 1], small[(total - 1) % flows.length]);
});

test("object batches of several chunks, every end spelled each way (id, kubectl kind, address), give each flow's own verdict", () => {
  const engine = createEngineSync(input());
  // a pod's own addresses and kubectl's spellings stand for the pod; the rest are outside
  const ends = [...engine.pods, "10.0.0.1", "shop/po/api", "fd00::3", "::ffff:10.0.0.2", ...outside];
  const flows = ends.flatMap((from) => ends.flatMap((to) => ports.map((p) => ({ from, to, ...p }))));
  const one = flows.map((f) => engine.decideBatch([f])[0]);
  const reference = createEngineSync(input({ evaluator: "reference" }));
  assert.equal([...reference.decideBatch(flows)], one);
  // past two chunks, with each flow's texts as strings of their own (as a parser hands them over)
  const total = 150_000;
  const many = Array.from({ length: total }, (_, k) => {
    const f = flows[k % flows.length]!;
    return { from: (" " + f.from).slice(1), to: (" " + f.to).slice(1), protocol: f.protocol, port: f.port };
  });
  const out = engine.decideBatch(many);
  for (let k = 0; k < total; k++) if (out[k] !== one[k % flows.length]) assert.unreachable(`flow ${k}`);
});

test("a large cluster's matrix (several row bands) and counts need memory the core grows into", () => {
  const n = 9000;
  const big = Array.from({ length: n }, (_, i) => ({ namespace: `ns${i % 7}`, name: `p${i}`, labels: { app: `a${i % 13}` }, ips: [`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`] }));
  const policy = (i: number) => ({
    ...NP,
    metadata: { namespace: `ns${i % 7}`, name: `pol${i}` },
    spec: { podSelector: { matchLabels: { app: `a${i % 13}` } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: `a${(i * 5) % 13}` } } }] }] },
  });
  const world = { cluster: { pods: big }, policies: Array.from({ length: 40 }, (_, i) => policy(i)) };
  const engine = createEngineSync(world);
  const reference = createEngineSync({ ...world, evaluator: "reference" });
  const m = engine.matrix({ port: 80 });
  assert.is(m.bits.length, n * 282);
  // 8 MiB bands of 32-row strips: 7424 rows each at this size; sample around the seam too
  for (let k = 0; k < 3000; k++) {
    const [i, j] = [k < 1000 ? 7400 + (k % 50) : (k * 7919) % n, (k * 104729) % n];
    assert.is(m.allowed(i, j), reference.decide({ from: engine.pods[i]!, to: engine.pods[j]!, port: 80 }).allowed);
  }
  assert.is(engine.counts({ port: 80 }).reach.reduce((a, b) => a + b, 0), m.count());
});

/** The input an engine built from scratch would get after `change`. */
function applyToInput(world: { namespaces: { name: string; labels?: Record<string, string> }[]; pods: PodJson[]; policies: any[] }, change: EngineUpdate): void {
  const id = (p: { namespace?: string; name: string }) => `${p.namespace ?? "default"}/${p.name}`;
  const policyId = (p: any) => `${p.metadata.namespace ?? "default"}/${p.metadata.name}`;
  const upsert = <T>(list: T[], item: T, key: (t: T) => string) => {
    const k = list.findIndex((x) => key(x) === key(item));
    if (k < 0) list.push(item);
    else list[k] = item;
  };
  switch (change.op) {
    case "upsertPod":
      return upsert(world.pods, change.pod as PodJson, id);
    case "removePod":
      world.pods.splice(world.pods.findIndex((p) => id(p) === change.pod), 1);
      return;
    case "upsertNamespace":
      return upsert(world.namespaces, change.namespace as { name: string }, (n) => n.name);
    case "removeNamespace":
      world.namespaces.splice(world.namespaces.findIndex((n) => n.name === change.namespace), 1);
      world.pods = world.pods.filter((p) => p.namespace !== change.namespace);
      return;
    case "upsertPolicy":
      return upsert(world.policies, change.policy, policyId);
    case "removePolicy":
      world.policies.splice(world.policies.findIndex((p) => policyId(p) === change.policy), 1);
  }
}

test("after each update, every answer equals an engine built from scratch", () => {
  const world = { namespaces: [{ name: "shop", labels: { team: "shop" } }, { name: "ops" }], pods: [...pods], policies: [...policies] as any[] };
  const engine = createEngineSync({ cluster: { namespaces: world.namespaces, pods: world.pods }, policies: world.policies });
  const reference = createEngineSync({ cluster: { namespaces: world.namespaces, pods: world.pods }, policies: world.policies, evaluator: "reference" });
  const changes: EngineUpdate[] = [
    { op: "upsertPolicy", policy: { ...NP, metadata: { namespace: "ops", name: "only-team" }, spec: { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "shop" } } }] }] } } },
    { op: "upsertNamespace", namespace: { name: "ops", labels: { team: "shop" } } },
    { op: "upsertPod", pod: { namespace: "shop", name: "web", labels: { app: "api" }, ips: ["10.0.0.1"], ports: [{ name: "http", containerPort: 7070 }] } },
    { op: "upsertPod", pod: { namespace: "lab", name: "new", labels: { app: "client" }, ips: ["10.9.0.1"] } },
    { op: "removePod", pod: "shop/api" },
    { op: "upsertPolicy", policy: { ...(policies[3] as object), spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/9" } }] }] } } },
    { op: "removePolicy", policy: "shop/deny-all" },
    { op: "removeNamespace", namespace: "ops" },
    { op: "upsertNamespace", namespace: { name: "ops" } },
    { op: "upsertPod", pod: { namespace: "ops", name: "client", labels: { app: "client" }, ips: ["10.2.0.3"] } },
    { op: "upsertPod", pod: { namespace: "lab", name: "more", labels: { app: "web" }, ips: ["10.9.0.2"] } },
    { op: "upsertPolicy", policy: { ...NP, metadata: { namespace: "lab", name: "web" }, spec: { podSelector: { matchLabels: { app: "web" } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: "client" } } }] }] } } },
    // several pods before others leave at once: later indexes shift by more than one
    { op: "removeNamespace", namespace: "shop" },
  ];
  for (const change of changes) {
    engine.update(change);
    reference.update(change);
    applyToInput(world, change);
    const fresh = createEngineSync({ cluster: { namespaces: world.namespaces, pods: world.pods }, policies: world.policies });
    const got = answers(engine);
    assert.equal(got, answers(fresh), `after ${change.op}`);
    assert.equal(got, answers(reference), `reference after ${change.op}`);
  }
  // several at once, in order
  engine.update([
    { op: "removePod", pod: "lab/new" },
    { op: "upsertPolicy", policy: { ...NP, metadata: { namespace: "shop", name: "deny-all" }, spec: { podSelector: {} } } },
  ]);
  applyToInput(world, { op: "removePod", pod: "lab/new" });
  applyToInput(world, { op: "upsertPolicy", policy: { ...NP, metadata: { namespace: "shop", name: "deny-all" }, spec: { podSelector: {} } } });
  assert.equal(answers(engine), answers(createEngineSync({ cluster: { namespaces: world.namespaces, pods: world.pods }, policies: world.policies })));
});

/** Runs `f`, expecting a NetpolValidationError with an issue at `path`. */
function rejects(f: () => unknown, path: string): void {
  try {
    f();
  } catch (error) {
    assert.instance(error, NetpolValidationError);
    const paths = (error as NetpolValidationError).issues.map((i) => i.path);
    assert.ok(paths.includes(path), `issues at ${paths.join(", ")}, expected ${path}`);
    return;
  }
  assert.unreachable(`no error, expected one at ${path}`);
}

onEveryEvaluator("bad input to any method is a NetpolValidationError with a path", (create) => {
  const engine = create.sync(input());
  const one = (extra: Record<string, unknown>) => ({ from: Uint32Array.of(0), to: Uint32Array.of(1), ports: Uint32Array.of(80), ...extra });
  rejects(() => engine.decide({ from: "shop/nope", to: "shop/web", port: 80 }), "from");
  rejects(() => engine.decide({ from: "shop/web", to: "shop/web", port: 0 }), "flow.port");
  rejects(() => engine.decideBatch([{ from: "shop/web", to: "shop/db", port: 80 }, { from: "shop/web", to: "x", port: 80 }]), "flows[1].to");
  rejects(() => engine.decideBatch(one({ to: Uint32Array.of(99) }) as never), "flows.to[0]");
  rejects(() => engine.decideBatch(one({ ports: Uint32Array.of(3 << 16 | 80) }) as never), "flows.ports[0]");
  rejects(() => engine.decideBatch(one({ ports: Uint32Array.of(0) }) as never), "flows.ports[0]");
  rejects(() => engine.decideBatch({ from: Uint32Array.of(0), to: Uint32Array.of(1), protocol: Uint8Array.of(0), port: Uint16Array.of(0) }), "flows.port[0]");
  rejects(() => engine.decideBatch(one({ to: [1] }) as never), "flows.to");
  rejects(() => engine.decideBatch(one({ ports: new Uint32Array(2) }) as never), "flows.ports");
  rejects(() => engine.decideBatch(one({ addresses: ["not-an-ip"] }) as never), "flows.addresses[0]");
  rejects(() => engine.matrix({ protocol: "ICMP" as Protocol, port: 80 }), "query.protocol");
  rejects(() => engine.counts({ port: 70000 }), "query.port");
  rejects(() => engine.sideMatrix({ port: 80 }, "Sideways" as never), "direction");
  rejects(() => engine.update({ op: "explode" } as never), "update.op");
  rejects(() => engine.update({ op: "removePod", pod: "shop/ghost" }), "update.pod");
  rejects(() => engine.update([{ op: "removePolicy", policy: "shop/web" }, { op: "upsertPolicy", policy: { ...NP, metadata: { name: "x" }, spec: { podSelector: { matchLabels: { "bad key!": "v" } } } } }]), "updates[1].policy.spec.podSelector.matchLabels");
  rejects(() => engine.update({ op: "upsertPod", pod: { namespace: "shop", name: "dup", ips: ["10.0.0.1"] } }), "update.pod.ips[0]");
  // a rejected update list changes nothing
  assert.equal(answers(engine), answers(create.sync(input())));
});

onEveryEvaluator("matrixStrips hand out the matrix's rows band by band, on both sides or one", (create) => {
  const engine = create.sync(input({ options: { selfTraffic: "policy" } }));
  const words = (engine.pods.length + 31) >>> 5;
  for (const q of ports) {
    for (const direction of [undefined, "Egress", "Ingress"] as const) {
      const whole = direction === undefined ? engine.matrix(q) : engine.sideMatrix(q, direction);
      for (const rows of [1, 2, 3, 100]) {
        const got = new Uint32Array(whole.bits.length);
        let next = 0;
        for (const strip of engine.matrixStrips(q, { rows, ...(direction ? { direction } : {}) })) {
          assert.is(strip.first, next);
          assert.is(strip.bits.length, strip.rows * words);
          got.set(strip.bits, strip.first * words);
          next += strip.rows;
          // another call between two strips takes the core's work space: the next strip is still right
          engine.decideBatch([{ from: engine.pods[0]!, to: engine.pods[1]!, port: 80 }]);
        }
        assert.is(next, engine.pods.length);
        assert.equal([...got], [...whole.bits]);
      }
    }
  }
  assert.is([...engine.matrixStrips(ports[0]!)].length, 1);
  rejects(() => engine.matrixStrips(ports[0]!, { rows: 0 }), "options.rows");
  rejects(() => engine.matrixStrips(ports[0]!, { direction: "Up" as never }), "options.direction");
  rejects(() => engine.matrixStrips({ port: 0 }), "query.port");
  const strips = engine.matrixStrips(ports[0]!, { rows: 1 });
  strips.next();
  engine.update({ op: "removePolicy", policy: "shop/deny-all" });
  rejects(() => strips.next(), "matrixStrips");
});

test.run();
