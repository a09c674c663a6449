// The compiler's tables on small hand-made clusters, and the layout the TS side and
// assembly/ share.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as layout from "../src/compile/layout.js";
import { FLAG_SELF_ALLOW, H, HEADER_WORDS, layoutHash, NAMED_BIT, NONE, VERSION } from "../src/compile/layout.js";
import { assemblyLayout, MIRROR_PATH } from "../scripts/layout-mirror.js";
import { Intervals } from "../src/compile/intervals.js";
import { portClasses } from "../src/compile/ports.js";
import { Selections } from "../src/compile/selection.js";
import { compileTables } from "../src/compile/tables.js";
import { loadModel, type Model } from "../src/engine/model.js";
import { PodNames } from "../src/engine/pod-names.js";
import { loadModuleSync } from "../src/engine/wasm/core.js";
import { parseAddress, parseCidr } from "../src/primitives/address.js";
import { canonicalSelector, EVERYTHING } from "../src/primitives/selector.js";
import { DEFAULT_OPTIONS, type Options } from "../src/ir/types.js";
import { Random } from "./support/random.js";

test("assembly/layout.ts is the one the build generates from src/compile/layout.ts (not stale)", () => {
  const onDisk = readFileSync(new URL(`../${MIRROR_PATH}`, import.meta.url), "utf8");
  assert.ok(onDisk === assemblyLayout(), "assembly/layout.ts is stale: run `npm run build:wasm`");
  assert.ok((onDisk.match(/^export const \w+: u32 = /gm) ?? []).length > 40);
});

test("VERSION is the hash of every layout constant, and any change to one changes it", () => {
  const constants = Object.fromEntries(Object.entries(layout).filter(([name, value]) => name !== "VERSION" && typeof value !== "function")) as Parameters<typeof layoutHash>[0];
  assert.is(VERSION, layoutHash(constants));
  assert.is.not(layoutHash({ ...constants, REVISION: layout.REVISION + 1 }), VERSION);
  assert.is.not(layoutHash({ ...constants, H: { ...H, O_NAMED: H.O_NAMED + 1 } }), VERSION);
});

test("the header fields fit the header and are distinct", () => {
  const fields = Object.values(H);
  assert.equal(new Set(fields).size, fields.length);
  assert.ok(Math.max(...fields) < HEADER_WORDS);
});

test("the built core reads the layout version this library writes", () => {
  const instance = new WebAssembly.Instance(loadModuleSync(), {});
  assert.is((instance.exports.layoutVersion as () => number)() >>> 0, VERSION);
});

const cluster = {
  namespaces: [{ name: "shop", labels: { team: "shop" } }, { name: "ops" }],
  pods: [
    { namespace: "shop", name: "web", labels: { app: "web" }, ips: ["10.0.0.1"], ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }] },
    { namespace: "shop", name: "db", labels: { app: "db" }, ips: ["10.1.0.2"] },
    { namespace: "ops", name: "client", labels: { app: "client" }, ips: ["10.2.0.3", "fd00::3"] },
    { namespace: "ops", name: "node", labels: { app: "client" }, ips: ["192.168.0.9"], hostNetwork: true },
  ],
};

const NP = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" } as const;

const policies = [
  { ...NP, metadata: { namespace: "shop", name: "deny-all" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
  {
    ...NP,
    metadata: { namespace: "shop", name: "web-from-clients" },
    spec: {
      podSelector: { matchLabels: { app: "web" } },
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: "client" } } }], ports: [{ port: "http" }] }],
    },
  },
  {
    ...NP,
    metadata: { namespace: "shop", name: "db-egress" },
    spec: {
      podSelector: { matchLabels: { app: "db" } },
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }], ports: [{ protocol: "TCP", port: 5432, endPort: 5433 }] }],
    },
  },
];

function compiled(options: Partial<Options> = {}): { model: Model; words: Uint32Array; intervals: Intervals } {
  const loaded = loadModel({ cluster, policies, options });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const model = loaded.value;
  const tables = compileTables(model.rules, model.cluster, model.options, model.podByName, new Selections(model.cluster, model.options), (n) => new Uint32Array(n));
  return { model, ...tables };
}

/** A section of the tables as a u32 array of `length` words. */
const section = (words: Uint32Array, field: number, length: number): number[] => [...words.subarray(words[field]! / 4, words[field]! / 4 + length)];

test("header: counts, flags and version", () => {
  const { words } = compiled();
  assert.is(words[H.VERSION], VERSION);
  assert.is(words[H.PODS], 4);
  assert.is(words[H.WORDS], 1);
  assert.is(words[H.FLAGS], FLAG_SELF_ALLOW);
  assert.is(words[H.PEER_SETS], 2); // the client peer, the ipBlock
  assert.is(words[H.IP_SETS], 1);
  assert.is(words[H.PORT_SETS], 2); // `http`, TCP 5432-5433
  assert.is(words[H.RULES], 2);
  assert.is(words[H.PROFILES_E], 1); // db
  assert.is(words[H.PROFILES_I], 2); // web (deny-all + web-from-clients), db (deny-all)
  assert.is(words[H.NAMED_SETS], 1);
  assert.is(words[H.TOTAL_BYTES], words.length * 4);
  assert.is(compiled({ selfTraffic: "policy" }).words[H.FLAGS], 0);
});

test("profiles: who is isolated, by which rules; host-network pods never", () => {
  const { words } = compiled();
  assert.equal(section(words, H.O_CLASS_PROFILE_E, 4), [NONE, 0, NONE, NONE]);
  assert.equal(section(words, H.O_CLASS_PROFILE_I, 4), [0, 1, NONE, NONE]);
  // ingress profile 0 (web) has the one ingress rule, profile 1 (db) none: deny-all has no rules
  assert.equal(section(words, H.O_PROFILE_START_I, 3), [0, 1, 1]);
  assert.equal(section(words, H.O_PROFILE_REP_I, 2), [0, 1]);
  const hostAsPod = compiled({ hostNetwork: "pod" }).words;
  assert.equal(section(hostAsPod, H.O_CLASS_PROFILE_I, 4), [0, 1, NONE, NONE]);
});

test("profiles: classes whose isolating policies differ but give the same rules share one", () => {
  // db is isolated by deny-all and db-deny, cache by deny-all alone: neither has an ingress rule
  const extra = {
    cluster: { ...cluster, pods: [...cluster.pods, { namespace: "shop", name: "cache", labels: { app: "cache" }, ips: ["10.0.0.9"] }] },
    policies: [...policies, { ...NP, metadata: { namespace: "shop", name: "db-deny" }, spec: { podSelector: { matchLabels: { app: "db" } }, policyTypes: ["Ingress"] } }],
  };
  const loaded = loadModel(extra);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  const model = loaded.value;
  const { words } = compileTables(model.rules, model.cluster, model.options, model.podByName, new Selections(model.cluster, model.options), (n) => new Uint32Array(n));
  assert.is(words[H.PROFILES_I], 2);
  assert.equal(section(words, H.O_CLASS_PROFILE_I, 5), [0, 1, NONE, NONE, 1]);
});

test("peer sets: pod bits exclude host-network pods unless hostNetwork is pod; ipBlocks match pods by IP", () => {
  const peerBits = (words: Uint32Array): number[] => section(words, H.O_PEER_BITS, words[H.PEER_SETS]!);
  const { words } = compiled();
  // inlined rules: web's ingress rule (client peer set 0, port set 0 `http`, named); db's egress rule (ipBlock peer set 1, ip set 0, port set 1)
  assert.equal(section(words, H.O_PROFILE_RULES_I, 3), [0, NONE, (0 | NAMED_BIT) >>> 0]);
  assert.equal(section(words, H.O_PROFILE_RULES_E, 3), [1, 0, 1]);
  // 10.0.0.0/8 minus 10.1.0.0/16 holds web (10.0.0.1) and client (10.2.0.3), not db (10.1.0.2)
  assert.equal(peerBits(words), [0b0100, 0b0101]);
  assert.equal(peerBits(compiled({ hostNetwork: "pod" }).words), [0b1100, 0b0101]);
  assert.equal(peerBits(compiled({ ipBlockMatchesPods: false }).words), [0b0100, 0]);
});

test("intervals: the address line cut at ipBlock boundaries, each with its ip sets", () => {
  const { words, intervals } = compiled();
  // IPv4: [0, 10.0.0.0) [10.0.0.0, 10.1.0.0) [10.1.0.0, 10.2.0.0) [10.2.0.0, 11.0.0.0) [11.0.0.0, ...]; IPv6: one
  assert.is(words[H.INTERVALS], 6);
  assert.equal(section(words, H.O_INTERVAL_BITS, 6), [0, 1, 0, 1, 0, 0]);
  const at = (text: string): number => intervals.locate(parseAddress(text)!);
  assert.equal(["9.255.255.255", "10.0.0.0", "10.1.255.255", "10.2.0.0", "10.255.255.255", "11.0.0.0", "::1"].map(at), [0, 1, 2, 3, 3, 4, 5]);
});

test("intervals: locate4 / locate6 on numbers agree with locate on addresses", () => {
  const cidrs = ["10.0.0.0/8", "10.1.0.0/16", "10.1.2.3/32", "172.16.0.0/12", "0.0.0.0/1", "255.255.255.255/32", "fd00::/8", "fd00::1:0/112", "::/1", "ffff::/16", "::ffff:0:0/96"];
  const ranges = cidrs.map((c) => parseCidr(c)!);
  const intervals = new Intervals([
    { v4: ranges.filter((r) => r.family === 4), v6: [] },
    { v4: [], v6: ranges.filter((r) => r.family === 6) },
  ]);
  const random = new Random(3);
  const probes: bigint[] = [];
  for (const r of ranges) for (const v of [r.first, r.last]) for (const d of [-1n, 0n, 1n]) probes.push(v + d);
  for (let k = 0; k < 2000; k++) probes.push(random.bits(32), random.bits(128));
  const words = new Uint32Array(4);
  for (const value of probes) {
    if (value >= 0n && value < 1n << 32n) assert.is(intervals.locate4(Number(value)), intervals.locate({ family: 4, value, text: "" }), value.toString(16));
    if (value >= 0n && value < 1n << 128n) {
      for (let k = 0; k < 4; k++) words[k] = Number((value >> BigInt(96 - 32 * k)) & 0xffffffffn);
      assert.is(intervals.locate6(words), intervals.locate({ family: 6, value, text: "" }), value.toString(16));
    }
  }
});

test("ports: classes cut at range boundaries; named ports resolved per pod", () => {
  const { words } = compiled();
  const classOf = (code: number, port: number): number => words[words[H.O_PORT_CLASS_MAP]! / 4 + code * 65536 + port]!;
  assert.is(classOf(0, 5431), classOf(0, 1));
  assert.is(classOf(0, 5432), classOf(0, 5433));
  assert.is.not(classOf(0, 5432), classOf(0, 5431));
  assert.is(classOf(0, 5434), classOf(0, 65535));
  assert.is.not(classOf(1, 5432), classOf(0, 5432));
  const bits = (cls: number): number => words[words[H.O_PORT_CLASS_BITS]! / 4 + cls * words[H.PORT_WORDS]!]!;
  assert.is(bits(classOf(0, 5432)), 0b10);
  assert.is(bits(classOf(1, 5432)), 0);
  // `http` is name 0: nameKey 0 * 4 + TCP; only web carries it
  assert.equal(section(words, H.O_NAMED_START, 3), [0, 1, 1]);
  assert.equal(section(words, H.O_NAMED, 1), [0]);
  assert.equal(section(words, H.O_CLASS_PORT_START, 5), [0, 1, 1, 1, 1]);
  assert.equal(section(words, H.O_CLASS_PORTS, 2), [0, 8080]);
  assert.equal(section(words, H.O_NAME_REF_START, 5), [0, 1, 1, 1, 1]);
  assert.equal(section(words, H.O_NAME_REFS, 1), [0]);
});

test("portClasses on its own: full-range entries and overlapping ranges", () => {
  const range = (first: number, last: number) => ({ kind: "range", protocol: "UDP", first, last, key: `${first}-${last}`, index: 0 }) as const;
  const p = portClasses([[range(1, 65535)], [range(100, 200), range(150, 300)]]);
  const cls = (port: number): number => p.classOf[65536 + port]!;
  assert.is(p.words, 1);
  assert.equal([99, 100, 200, 201, 300, 301].map((port) => p.bits[cls(port)]), [0b01, 0b11, 0b11, 0b11, 0b11, 0b01]);
});

test("selections follow pod and namespace changes", () => {
  const loaded = loadModel({ cluster, policies: [] });
  if (!loaded.ok) throw new Error("load");
  const model = loaded.value;
  const s = new Selections(model.cluster, DEFAULT_OPTIONS);
  const app = canonicalSelector({ matchLabels: new Map([["app", "client"]]) });
  const clients = { scope: { kind: "selector", selector: EVERYTHING }, selector: app } as const;
  const teamClients = { scope: { kind: "selector", selector: canonicalSelector({ matchExpressions: [{ key: "team", operator: "Exists" }] }) }, selector: app } as const;
  assert.equal([...s.select(clients, model.podByName)], [2]);
  assert.equal([...s.select(teamClients, model.podByName)], []);
  const web = model.cluster.pods[0]!;
  s.podChanged(web, { ...web, labels: new Map([["app", "client"]]) });
  assert.equal([...s.select(teamClients, model.podByName)].sort(), [0]);
  const ops = model.cluster.namespaces.get("ops")!;
  s.namespaceChanged("ops", { ...ops, labels: new Map([...ops.labels, ["team", "ops"]]) });
  assert.equal([...s.select(teamClients, model.podByName)].sort(), [0, 2]);
});

test("selections keep their indexes current through runs of removals, whenever they are asked again", () => {
  // past the removals an entry is shifted for in place, and past those listed before every entry's indexes are dropped;
  // the `keep` pods are never removed, so that their entry is never made again for losing a member
  const pods = Array.from({ length: 700 }, (_, k) => ({ namespace: k % 3 === 0 ? "ops" : "shop", name: `p${k}`, labels: { app: k % 2 === 0 ? "client" : "web", ...(k % 50 === 0 ? { keep: "yes" } : {}) }, ips: [`10.3.${k >> 8}.${k & 255}`] }));
  const loaded = loadModel({ cluster: { namespaces: cluster.namespaces, pods }, policies: [] });
  if (!loaded.ok) throw new Error("load");
  let current = loaded.value.cluster.pods;
  const s = new Selections(loaded.value.cluster, DEFAULT_OPTIONS);
  const query = (key: string, value: string) => ({ key, value, query: { scope: { kind: "selector", selector: EVERYTHING }, selector: canonicalSelector({ matchLabels: new Map([[key, value]]) }) } as const });
  const queries = [query("app", "client"), query("keep", "yes")];
  const random = new Random(7);
  const sorted = (a: Int32Array): number[] => [...a].sort((x, y) => x - y);
  for (let step = 0; step < 600; step++) {
    const index = random.below(current.length);
    if (current[index]!.labels.has("keep")) continue;
    s.podChanged(current[index]!, undefined);
    current = current.filter((_, i) => i !== index).map((p, i) => ({ ...p, index: i }));
    // asked after every removal early on, then after runs of removals of growing length
    if (step < 20 || random.below(Math.min(step, 60)) === 0) {
      const names = PodNames.of(current.map((p) => `${p.namespace}/${p.name}`));
      for (const { key, value, query: q } of queries) {
        assert.equal(sorted(s.select(q, names)), current.filter((p) => p.labels.get(key) === value).map((p) => p.index), `step ${step}`);
      }
    }
  }
});

test.run();
