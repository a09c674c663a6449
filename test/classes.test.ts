// Pod classes: which pods share one, the runs and size planes the core reads, and
// every answer of the WASM engine over a cluster of replicas (interleaved, on nodes,
// seen by ipBlocks) equal to the reference's, whatever the options.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { classesOf, podClasses, sizePlanes } from "../src/compile/classes.js";
import { createEngineSync } from "../src/engine/create.js";
import type { Engine, EngineInput, Flow } from "../src/api/engine.js";
import type { Pod } from "../src/ir/types.js";
import { WasmEngine } from "../src/engine/wasm/engine.js";
import { compilePodClasses } from "../src/compile/tables.js";
import { loadModel } from "../src/engine/model.js";
import { parseAddress } from "../src/primitives/address.js";

const address = (text: string) => {
  const parsed = parseAddress(text);
  if (parsed === null) throw new Error(text);
  return parsed;
};

const pod = (index: number, namespace: string, labels: Record<string, string>, more: Partial<Pod> = {}): Pod => ({
  index,
  namespace,
  name: `p${index}`,
  workload: null,
  labels: new Map(Object.entries(labels)),
  ips: [address(`10.0.0.${index + 1}`)],
  ports: [],
  hostNetwork: false,
  nodeName: null,
  node: null,
  ...more,
});

test("replicas share a class; namespace, labels, ports, node and seen intervals split", () => {
  const pods = [
    pod(0, "a", { app: "web" }),
    pod(1, "a", { app: "web" }),
    pod(2, "b", { app: "web" }),
    pod(3, "a", { app: "db" }),
    pod(4, "a", { app: "web" }),
    pod(5, "a", { app: "web" }, { ports: [{ name: "http", port: 80, protocol: "TCP" }] }),
    pod(6, "a", { app: "web" }, { hostNetwork: true, node: 0 }),
    pod(7, "a", { app: "web" }, { hostNetwork: true, node: 0 }),
    pod(8, "a", { app: "web" }, { hostNetwork: true, node: 1 }),
  ];
  // host-network pods are seen by their addresses: 10.0.0.7 and 10.0.0.8 in the same ip sets, 10.0.0.9 in others
  const classes = podClasses(pods, (p) => (p.hostNetwork ? (p.ips[0]!.value >= 0x0a000009n ? "b" : "a") : ""));
  assert.equal([...classes.ofPod], [0, 0, 1, 2, 0, 3, 4, 4, 5]);
  assert.equal(classes.reps, [0, 2, 3, 5, 6, 8]);
  assert.equal([...classes.sizes], [3, 1, 1, 1, 2, 1]);
  // class 0's runs: pods 0-1 and pod 4
  assert.equal([...classes.runs.subarray(2 * classes.runStart[0]!, 2 * classes.runStart[1]!)], [0, 2, 4, 5]);
  // seen by ipBlocks: addresses in other ip sets split pods of one workload
  const seen = podClasses(pods.slice(0, 2), (p) => String(p.ips[0]!.value & 1n));
  assert.equal([...seen.ofPod], [0, 1]);
});

test("classesOf and the size planes", () => {
  const mark = new Uint8Array(3);
  assert.equal([...classesOf([4, 0, 1, 3], Uint32Array.of(2, 0, 1, 0, 2), mark)], [0, 2]);
  assert.equal([...mark], [0, 0, 0]);
  const { planes, bits } = sizePlanes(Uint32Array.of(3, 1, 4), 1);
  assert.is(planes, 3);
  assert.equal([...bits], [0b011, 0b001, 0b100]);
});

const NP = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" } as const;

/** Workloads of three replicas each, interleaved, two host-network agents on one node, one on another. */
function input(options: EngineInput["options"] = {}, evaluator: "wasm" | "reference" = "wasm"): EngineInput {
  const pods: NonNullable<EngineInput["cluster"]["pods"]>[number][] = [];
  for (let r = 0; r < 3; r++) {
    for (const app of ["web", "api", "db"]) {
      const i = pods.length;
      pods.push({ namespace: "shop", name: `${app}-${r}`, labels: { app }, ips: [`10.0.${i}.1`], ports: [{ name: "http", containerPort: app === "api" ? 9090 : 8080 }] });
    }
  }
  pods.push({ namespace: "ops", name: "client-0", labels: { app: "client" }, ips: ["10.9.0.1"] });
  pods.push({ namespace: "ops", name: "client-1", labels: { app: "client" }, ips: ["10.9.0.2"] });
  for (const [name, ip] of [["agent-0", "192.168.0.1"], ["agent-1", "192.168.0.1"], ["agent-2", "192.168.0.2"]] as const) {
    pods.push({ namespace: "ops", name, labels: { app: "agent" }, ips: [ip], hostNetwork: true });
  }
  return {
    evaluator,
    options,
    cluster: { namespaces: [{ name: "shop" }, { name: "ops" }], pods },
    policies: [
      { ...NP, metadata: { namespace: "shop", name: "deny" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
      {
        ...NP,
        metadata: { namespace: "shop", name: "web" },
        spec: {
          podSelector: { matchLabels: { app: "web" } },
          ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: "client" } } }, { ipBlock: { cidr: "192.168.0.0/31" } }], ports: [{ port: "http" }] }],
          egress: [{ to: [{ podSelector: { matchLabels: { app: "api" } } }, { ipBlock: { cidr: "10.0.0.0/14", except: ["10.0.4.0/24"] } }] }],
        },
      },
      {
        ...NP,
        metadata: { namespace: "shop", name: "api" },
        spec: { podSelector: { matchLabels: { app: "api" } }, ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] },
      },
    ],
  };
}

const queries = [{ port: 8080 }, { port: 9090 }, { protocol: "UDP" as const, port: 53 }];

function answers(engine: Engine): unknown {
  const ends = [...engine.pods, "10.0.4.1", "8.8.8.8", "192.168.0.1"];
  const flows: Flow[] = ends.flatMap((from) => ends.flatMap((to) => queries.map((q) => ({ from, to, protocol: q.protocol ?? "TCP", port: q.port }))));
  return {
    batch: [...engine.decideBatch(flows)],
    matrices: queries.map((q) => [engine.matrix(q).bits, engine.sideMatrix(q, "Egress").bits, engine.sideMatrix(q, "Ingress").bits, engine.counts(q)]),
  };
}

test("replicas share classes, and every answer equals the reference's", () => {
  for (const options of [{}, { selfTraffic: "policy" as const }, { hostNetwork: "pod" as const }, { ipBlockMatchesPods: false }, { ipBlockMatchesPods: false, selfTraffic: "policy" as const }]) {
    const wasm = createEngineSync(input(options));
    const loaded = loadModel(input(options));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const { rules, cluster } = loaded.value;
    const classes = compilePodClasses(rules, cluster, loaded.value.options).reps.length;
    assert.ok(classes < cluster.pods.length, `${classes} classes for ${cluster.pods.length} pods`);
    // the tables keep room for classes a patch adds
    assert.ok((wasm as WasmEngine).stats().CLASSES >= classes + 16);
    assert.equal(answers(wasm), answers(createEngineSync(input(options, "reference"))), JSON.stringify(options));
  }
});

test.run();
