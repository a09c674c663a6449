// The shared views' data side (src/views), without a browser: cell counts at every
// level against a pair-by-pair count, workload grouping, search terms, the view state
// in a fragment, names and order as the CLI's, the ports the manifests name, and the
// "any port" layer against the engine port by port.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, mentionedPorts } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { Endpoints } from "../src/index.js";
import { endpointNames } from "../src/views/endpoints.js";
import { bitAt, cellValue, Grid, type Layer } from "../src/views/heatmap/grid.js";
import { axisEntries, LEVELS, workloadOf, type Labels } from "../src/views/heatmap/levels.js";
import { matches, narrowed, parseQuery } from "../src/views/heatmap/search.js";
import { fitZoom, initialState, readState, writeState, ZOOMS } from "../src/views/heatmap/state.js";
import { anyPortLayer } from "../src/views/layers.js";
import { Random } from "./support/random.js";

function randomLayer(random: Random, n: number, density: number): Layer {
  const words = (n + 31) >>> 5;
  const bits = new Uint32Array(words * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (random.chance(density)) bits[i * words + (j >>> 5)]! |= 1 << (j & 31);
  return { bits, words };
}

/** A random cluster's display ids: some namespaces, pods of a few deployments each. */
function randomIds(random: Random, n: number): { ids: string[]; labels: Labels[] } {
  const ids: string[] = [];
  const labels: Labels[] = [];
  for (let i = 0; i < n; i++) {
    const ns = `ns-${random.below(5)}`;
    const app = `app${random.below(4)}`;
    ids.push(`${ns}/${app}-h${app.length}-${i.toString(36)}`);
    labels.push({ app, "pod-template-hash": `h${app.length}` });
  }
  return { ids, labels };
}

test("cells at every level and their totals count the pairs one by one (with a before layer)", () => {
  const random = new Random(7);
  for (const n of [1, 31, 33, 70]) {
    const { ids, labels } = randomIds(random, n);
    const order = new Endpoints(ids, []).order();
    const workloads = ids.map((id, i) => workloadOf(id, labels[i]!));
    const after = randomLayer(random, n, 0.4);
    const before = randomLayer(random, n, 0.4);
    for (const rowLevel of LEVELS) {
      for (const colLevel of LEVELS) {
        const shown = order.filter(() => random.chance(0.8));
        const rows = axisEntries(rowLevel, shown, ids, workloads);
        const cols = axisEntries(colLevel, order, ids, workloads);
        const grid = new Grid(rows, cols, n, after, before);
        const v = cellValue();
        const sum = cellValue();
        rows.forEach((re, r) =>
          cols.forEach((ce, c) => {
            grid.value(r, c, v);
            const expected = cellValue();
            for (const i of re.members) {
              for (const j of ce.members) {
                expected.total++;
                const now = bitAt(after, i, j);
                const was = bitAt(before, i, j);
                if (now) expected.allowed++;
                if (now && !was) expected.gained++;
                if (was && !now) expected.lost++;
              }
            }
            assert.equal(v, expected, `${rowLevel}×${colLevel} cell ${re.key} → ${ce.key} (n=${n})`);
            for (const k of ["allowed", "total", "gained", "lost"] as const) sum[k] += v[k];
          }),
        );
        assert.equal(grid.totals(), sum, `${rowLevel}×${colLevel} totals (n=${n})`);
      }
    }
  }
});

test("workloads are read from the names and labels controllers leave on their pods", () => {
  assert.is(workloadOf("shop/web-7d9f8c6b5-x2kzq", { "pod-template-hash": "7d9f8c6b5" }), "shop/deployment/web");
  assert.is(workloadOf("shop/db-0", { "statefulset.kubernetes.io/pod-name": "db-0" }), "shop/statefulset/db");
  assert.is(workloadOf("shop/report-28471-abcde", { "batch.kubernetes.io/job-name": "report-28471" }), "shop/job/report-28471");
  assert.is(workloadOf("kube-system/node-exporter-x7k2p", { "pod-template-generation": "1" }), "kube-system/daemonset/node-exporter");
  assert.is(workloadOf("shop/deployment/api", {}), "shop/deployment/api", "a workload standing for its pods is itself");
  assert.is(workloadOf("shop/lonely", {}), "shop/lonely");
  assert.is(workloadOf("shop/web-1", { "pod-template-hash": "zzz" }), "shop/web-1", "a hash not in the name groups nothing");
  const labels = Object.create(null) as Record<string, string>;
  labels["__proto__"] = "x";
  assert.is(workloadOf("shop/p", labels), "shop/p", "labels are data");
});

test("a search keeps endpoints by name, namespace, workload and label", () => {
  const labels = { app: "web", tier: "front" };
  const hit = (query: string, id = "shop/web-1", workload = "shop/deployment/web") => matches(parseQuery(query), id, labels, workload);
  assert.ok(hit(""));
  assert.ok(hit("WEB"));
  assert.ok(hit("ns:shop app=web"));
  assert.not.ok(hit("ns:sho"));
  assert.ok(hit("workload:shop/deployment/web"));
  assert.ok(hit("tier=*"));
  assert.not.ok(hit("tier!=front"));
  assert.ok(hit("app!=api"));
  assert.not.ok(hit("missing=*"));
  assert.is(narrowed("app=web ns:a workload:a/x", "ns:b"), "app=web ns:b");
});

test("the view state survives a trip through the URL fragment", () => {
  const state = { rows: { level: "workload" as const, query: "ns:shop app=web" }, cols: { level: "pod" as const, query: "" }, zoom: 24, selected: { from: "a/x", to: "b/y" } };
  const params = new URLSearchParams("m=keep");
  writeState(state, params);
  assert.equal(readState(new URLSearchParams(params.toString()), initialState(10)), state);
  assert.is(params.get("m"), "keep");
  assert.equal(readState(new URLSearchParams("rl=nonsense&z=7"), initialState(1000)), initialState(1000));
  assert.is(initialState(100).rows.level, "pod");
  assert.is(initialState(1000).rows.level, "namespace");
  assert.ok(ZOOMS.includes(fitZoom("pod", 5, 5, 800, 600)));
  assert.is(fitZoom("pod", 5000, 5000, 800, 600), 14, "too many to fit: the level's smallest readable size");
});

const APP = ["cluster.yaml", "policies/api.yaml", "policies/web.json"].map((f) => readFileSync(`test/fixtures/cli/app/${f}`, "utf8")).join("\n---\n");

test("views name and order endpoints as the CLI does", async () => {
  const manifests = parseManifests(APP);
  const engine = await createEngine({ cluster: { namespaces: manifests.namespaces, pods: manifests.pods }, policies: manifests.policies });
  const cli = new Endpoints(engine.pods);
  const { ids, order } = endpointNames(engine.pods);
  assert.equal(ids, cli.ids);
  assert.equal(order, cli.order());
  assert.ok(ids.includes("shop/deployment/api"));
});

test("the ports the manifests name: the policies' in order, then the pods'; and the any-port layer is the union of the engine's matrices", async () => {
  const manifests = parseManifests(APP);
  const engine = await createEngine({ cluster: { namespaces: manifests.namespaces, pods: manifests.pods }, policies: manifests.policies });
  const ports = mentionedPorts(engine.rules, manifests.pods);
  assert.ok(ports.length > 0);
  assert.equal(ports, [...new Map(ports.map((p) => [`${p.protocol}/${p.port}`, p])).values()], "no repeats");
  const policyPorts = mentionedPorts(engine.rules, []);
  assert.equal(ports.slice(0, policyPorts.length), policyPorts);
  const ranged = await createEngine({ cluster: { pods: [] }, policies: [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "r" }, spec: { podSelector: {}, ingress: [{ ports: [{ port: 1000, endPort: 1010 }, { protocol: "UDP" }] }] } }] });
  assert.equal(mentionedPorts(ranged.rules, []), [
    { protocol: "TCP", port: 1000 },
    { protocol: "TCP", port: 1010 },
  ]);
  const any = anyPortLayer(engine, ports);
  const matrices = ports.map((p) => engine.matrix(p));
  engine.pods.forEach((_, i) => engine.pods.forEach((__, j) => assert.is(bitAt(any, i, j), matrices.some((m) => m.allowed(i, j)))));
});

test.run();
