/**
 * The compile stage: IR + cluster + options → the flat tables of `layout.ts`.
 *
 * Contract: input is the normalized model (nothing here validates or throws on
 * user data); output is one u32 buffer the caller allocates (the WASM engine hands
 * out a view of linear memory, so the largest section, the peer-set bitsets, is
 * written in place and never copied) plus the interval table that turns outside
 * addresses into endpoint codes. Selector evaluation is delegated to `Selections`,
 * whose cache makes a recompile after an update redo only new selectors; a
 * `CompileCache` keeps intervals, port classes and the pods of ip sets across
 * compiles, so that a recompile after a policy update redoes little besides what that
 * policy changed.
 */
import { ipBlocksSee } from "../ir/endpoint-rules.js";
import type { Cluster, Options, Peer, Pod, PortMatch, Rule, RuleSet } from "../ir/types.js";
import { Intervals, type IpSetRanges } from "./intervals.js";
import { FLAG_SELF_ALLOW, H, HEADER_WORDS, NAMED_BIT, NONE, VERSION } from "./layout.js";
import { nameKey, portClasses, type PortClasses } from "./ports.js";
import type { Selections } from "./selection.js";

/**
 * Returns a u32 view of `words` words where the tables will live, its first `zeroed`
 * words zero (the rest, derived sections the core fills itself, may hold anything).
 */
export type Allocate = (words: number, zeroed: number) => Uint32Array;

/** The tables and what the host needs besides them. */
export interface Tables {
  /** Header and every section, laid out as `layout.ts` says. */
  readonly words: Uint32Array;
  /** To turn outside addresses into interval ids. */
  readonly intervals: Intervals;
}

type Direction = 0 | 1; // 0 egress, 1 ingress: the E and I of the layout

/**
 * What a compile keeps for the next one: the interval table and its bits by the ip
 * sets that cut it, the port classes by their port sets, and, over the same cluster
 * (the same `Cluster` object: a policy-only update keeps it), the pods each ip set's
 * ranges hold and the pods' named ports by the names policies use. A recompile after
 * a policy update then computes only what the new policy brings.
 */
export class CompileCache {
  cluster: Cluster | null = null;
  /** Per ip set (in the order `key` lists them), the pods its ranges hold: `w` words each. */
  ipPods: { readonly key: string; readonly rows: Uint32Array; readonly any: readonly boolean[] } | null = null;
  intervals: { readonly key: string; readonly value: Intervals; readonly bits: Uint32Array } | null = null;
  ports: { readonly key: string; readonly value: PortClasses } | null = null;
  podPorts: { readonly key: string; readonly start: Uint32Array; readonly pairs: Uint32Array } | null = null;

  /** Drops what depended on the previous cluster when `cluster` is another one. */
  use(cluster: Cluster): void {
    if (this.cluster === cluster) return;
    this.cluster = cluster;
    this.ipPods = null;
    this.podPorts = null;
  }
}

/** Interns keys into dense ids. */
class Interner<T> {
  readonly ids = new Map<string, number>();
  readonly keys: string[] = [];
  readonly values: T[] = [];
  id(key: string, value: () => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      this.ids.set(key, (id = this.values.length));
      this.keys.push(key);
      this.values.push(value());
    }
    return id;
  }
}

/** A pod's container ports and their hash, kept per ports array (shared by a pod's re-indexed copies). */
type PortSignature = { readonly ports: Pod["ports"]; readonly hash: number };
const signatures = new WeakMap<object, PortSignature>();
function portSignature(pod: Pod): PortSignature {
  let sig = signatures.get(pod.ports);
  if (sig === undefined) {
    // numbers, protocols and the names' ends: equal lists are then compared in full
    let hash = 2166136261;
    for (const c of pod.ports) {
      const name = c.name === null ? 0xffff : (c.name.length << 16) ^ (c.name.charCodeAt(0) << 8) ^ c.name.charCodeAt(c.name.length - 1);
      hash = mix(mix(mix(hash, c.port), c.protocol.charCodeAt(0)), name);
    }
    signatures.set(pod.ports, (sig = { ports: pod.ports, hash }));
  }
  return sig;
}

/** Whether two signatures are of equal port lists. */
function samePorts(a: PortSignature | null, b: PortSignature | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.hash !== b.hash || a.ports.length !== b.ports.length) return false;
  for (let i = 0; i < a.ports.length; i++) {
    const [p, q] = [a.ports[i]!, b.ports[i]!];
    if (p.port !== q.port || p.protocol !== q.protocol || p.name !== q.name) return false;
  }
  return true;
}

/** A rule's peer-set and port-set keys (null: every peer / port), kept while the rule object lives. */
const keysOfRule = new WeakMap<Rule, { readonly peers: string | null; readonly ports: string | null; readonly named: boolean }>();
function ruleKeys(rule: Rule): { readonly peers: string | null; readonly ports: string | null; readonly named: boolean } {
  let keys = keysOfRule.get(rule);
  if (keys === undefined) {
    keys = {
      peers: rule.peers === null ? null : rule.peers.map((p) => p.key).join("\n"),
      ports: rule.ports === null ? null : rule.ports.map((p) => p.key).join("\n"),
      named: rule.ports?.some((p) => p.kind === "named") ?? false,
    };
    keysOfRule.set(rule, keys);
  }
  return keys;
}

/** A 32-bit FNV-1a step. */
function mix(h: number, v: number): number {
  return Math.imul(h ^ v, 16777619) >>> 0;
}

/** Whether pods `a` and `b` have the same list in the CSR `start`/`list`. */
function sameList(start: Uint32Array, list: Int32Array, a: number, b: number): boolean {
  const a0 = start[a]!;
  const b0 = start[b]!;
  const length = start[a + 1]! - a0;
  if (start[b + 1]! - b0 !== length) return false;
  for (let k = 0; k < length; k++) if (list[a0 + k] !== list[b0 + k]) return false;
  return true;
}

/**
 * Groups pods by their isolating-policy list (CSR `start`/`list`, ascending policy
 * indexes per pod), splitting by port signature where `split(pod)` gives one, and
 * returns each pod's profile and each profile's first pod. Keys are hashes checked
 * against the group's first pod, so no string is built per pod.
 */
function groupPods(
  start: Uint32Array,
  list: Int32Array,
  split: (pod: number) => PortSignature | null,
): { ofPod: Uint32Array; reps: number[] } {
  const n = start.length - 1;
  const ofPod = new Uint32Array(n).fill(NONE);
  const reps: number[] = [];
  const signature: (PortSignature | null)[] = [];
  const byHash = new Map<number, number[]>();
  let previous = -1;
  for (let pod = 0; pod < n; pod++) {
    const a = start[pod]!;
    const b = start[pod + 1]!;
    if (a === b) continue;
    const sig = split(pod);
    // neighbours (replicas) usually share a profile: try the previous pod's first
    if (previous >= 0 && samePorts(signature[ofPod[previous]!]!, sig) && sameList(start, list, previous, pod)) {
      ofPod[pod] = ofPod[previous]!;
      previous = pod;
      continue;
    }
    let h = 2166136261;
    for (let k = a; k < b; k++) h = mix(h, list[k]!);
    if (sig !== null) h = mix(h, sig.hash);
    let group = byHash.get(h);
    if (group === undefined) byHash.set(h, (group = []));
    let id = -1;
    for (const g of group) if (samePorts(signature[g]!, sig) && sameList(start, list, reps[g]!, pod)) id = g;
    if (id < 0) {
      id = reps.length;
      reps.push(pod);
      signature.push(sig);
      group.push(id);
    }
    ofPod[pod] = id;
    previous = pod;
  }
  return { ofPod, reps };
}

/**
 * Compiles the rule set against the cluster. `selections` must index the same
 * cluster; `podIndex` maps pod ids to their index (the model's `podByName`).
 */
export function compileTables(
  rules: RuleSet,
  cluster: Cluster,
  options: Options,
  podIndex: ReadonlyMap<string, number>,
  selections: Selections,
  allocate: Allocate,
  cache: CompileCache = new CompileCache(),
): Tables {
  const pods = cluster.pods;
  cache.use(cluster);
  const n = pods.length;
  const w = (n + 31) >>> 5;
  selections.mark();

  const peerSets = new Interner<readonly Peer[]>();
  const portSets = new Interner<readonly PortMatch[]>();
  const ruleIds = new Interner<readonly [number, number]>();
  // per direction: each policy's rule ids (undefined: the policy does not govern it)
  const policyRules: [(number[] | undefined)[], (number[] | undefined)[]] = [[], []];
  const namedPolicy: boolean[] = [];
  const targets = rules.policies.map((policy) => {
    ([policy.egress, policy.ingress] as const).forEach((list, dir) => {
      if (list === null) return;
      const ids = new Set<number>();
      for (const rule of list) {
        const keys = ruleKeys(rule);
        const peerSet = keys.peers === null ? NONE : peerSets.id(keys.peers, () => rule.peers!);
        const portSet = keys.ports === null ? NONE : portSets.id(keys.ports, () => rule.ports!);
        if (dir === 1 && keys.named) namedPolicy[policy.index] = true;
        ids.add(ruleIds.id(`${peerSet},${portSet}`, () => [peerSet, portSet]));
      }
      policyRules[dir as Direction][policy.index] = [...ids];
    });
    return selections.select({ scope: { kind: "namespace", name: policy.namespace }, selector: policy.target }, podIndex);
  });

  // profiles: distinct isolating-policy lists; an ingress profile whose rules name ports
  // also splits by the pods' container ports, so one pod resolves them for all
  const profiles = ([0, 1] as const).map((dir) => {
    const start = new Uint32Array(n + 1);
    for (let i = 0; i < targets.length; i++) {
      if (policyRules[dir][i] === undefined) continue;
      const target = targets[i]!;
      for (let k = 0; k < target.length; k++) start[target[k]! + 1]!++;
    }
    for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
    const list = new Int32Array(start[n]!);
    const fill = start.slice(0, n);
    for (let i = 0; i < targets.length; i++) {
      if (policyRules[dir][i] === undefined) continue;
      const target = targets[i]!;
      for (let k = 0; k < target.length; k++) list[fill[target[k]!]!++] = i;
    }
    const split = (pod: number): PortSignature | null => {
      if (dir === 0) return null;
      for (let k = start[pod]!; k < start[pod + 1]!; k++) if (namedPolicy[list[k]!] === true) return portSignature(pods[pod]!);
      return null;
    };
    const { ofPod, reps } = groupPods(start, list, split);
    // each profile's distinct rule ids, in first-seen order (`seen` marks them per profile)
    const seen = new Int32Array(ruleIds.values.length).fill(-1);
    const ruleLists = reps.map((pod, profile) => {
      const ids: number[] = [];
      for (let k = start[pod]!; k < start[pod + 1]!; k++) {
        for (const r of policyRules[dir][list[k]!]!) {
          if (seen[r] === profile) continue;
          seen[r] = profile;
          ids.push(r);
        }
      }
      return ids;
    });
    return { ofPod, reps, ruleLists };
  });

  // ip sets: the peer sets holding ipBlocks, and the interval table they cut
  const ipSetOf = new Uint32Array(peerSets.values.length).fill(NONE);
  const ipRanges: IpSetRanges[] = [];
  peerSets.values.forEach((peers, ps) => {
    const blocks = peers.flatMap((p) => (p.kind === "ipBlock" ? [p] : []));
    if (blocks.length === 0) return;
    ipSetOf[ps] = ipRanges.length;
    ipRanges.push({
      v4: blocks.flatMap((b) => (b.family === 4 ? b.ranges : [])),
      v6: blocks.flatMap((b) => (b.family === 6 ? b.ranges : [])),
    });
  });
  const ipPeerSet = new Uint32Array(ipRanges.length);
  ipSetOf.forEach((ip, ps) => {
    if (ip !== NONE) ipPeerSet[ip] = ps;
  });
  const ipWords = (ipRanges.length + 31) >>> 5;
  const ipKey = ipSetOf.length === 0 ? "" : [...ipPeerSet].map((ps) => peerSets.keys[ps]!).join("\u0000");
  if (cache.intervals?.key !== ipKey) {
    const value = new Intervals(ipRanges);
    const bits = new Uint32Array(value.count * ipWords);
    ipRanges.forEach((ranges, ip) => value.mark(bits, 0, ipWords, ip, ranges));
    cache.intervals = { key: ipKey, value, bits };
  }
  const intervals = cache.intervals.value;

  // ports: numeric classes, then named entries by nameKey
  const portKey = portSets.keys.join("\u0000");
  if (cache.ports?.key !== portKey) cache.ports = { key: portKey, value: portClasses(portSets.values) };
  const ports = cache.ports.value;
  const names = new Map<string, number>();
  const namedLists = portSets.values.map((set) =>
    set.flatMap((e) => {
      if (e.kind !== "named") return [];
      if (!names.has(e.name)) names.set(e.name, names.size);
      return [nameKey(names.get(e.name)!, e.protocol)];
    }),
  );
  const nameKeys = names.size * 4;
  const refs: number[][] = Array.from({ length: nameKeys }, () => []);
  namedLists.forEach((keys, ps) => keys.forEach((k) => refs[k]!.push(ps)));
  let namedSets = 0;
  const namedSlot = namedLists.map((keys) => (keys.length > 0 ? namedSets++ : NONE));
  const namesKey = [...names.keys()].join("\u0000");
  if (cache.podPorts?.key !== namesKey) {
    const start = new Uint32Array(n + 1);
    const pairs: number[] = [];
    pods.forEach((pod, i) => {
      for (const c of pod.ports) if (c.name !== null && names.has(c.name)) pairs.push(nameKey(names.get(c.name)!, c.protocol), c.port);
      start[i + 1] = pairs.length / 2;
    });
    cache.podPorts = { key: namesKey, start, pairs: Uint32Array.from(pairs) };
  }
  const { start: podPortStart, pairs: podPortPairs } = cache.podPorts;

  // section sizes in u32 words, in layout order
  const csr = (lists: readonly (readonly number[])[]): [Uint32Array, Uint32Array] => {
    const start = new Uint32Array(lists.length + 1);
    lists.forEach((l, i) => (start[i + 1] = start[i]! + l.length));
    const flat = new Uint32Array(start[lists.length]!);
    lists.forEach((l, i) => flat.set(l, start[i]!));
    return [start, flat];
  };
  const ruleWords = ruleIds.values.map(([peerSet, portSet]) => [
    peerSet,
    peerSet === NONE ? NONE : ipSetOf[peerSet]!,
    portSet === NONE || namedLists[portSet]!.length === 0 ? portSet : (portSet | NAMED_BIT) >>> 0,
  ]);
  // rules inlined into profiles as (peer set, ip set, port set | NAMED_BIT) triples
  const inline = (ruleLists: readonly number[][]): [Uint32Array, Uint32Array] => {
    const [start, flat] = csr(ruleLists.map((ids) => ids.flatMap((id) => ruleWords[id]!)));
    return [start.map((offset) => offset / 3), flat];
  };
  const [startE, rulesE] = inline(profiles[0]!.ruleLists);
  const [startI, rulesI] = inline(profiles[1]!.ruleLists);
  const [namedStart, named] = csr(namedLists);
  const [nameRefStart, nameRefs] = csr(refs);
  const sections: [number, Uint32Array | number][] = [
    [H.O_POD_PROFILE_E, profiles[0]!.ofPod],
    [H.O_POD_PROFILE_I, profiles[1]!.ofPod],
    [H.O_PROFILE_START_E, startE],
    [H.O_PROFILE_RULES_E, rulesE],
    [H.O_PROFILE_START_I, startI],
    [H.O_PROFILE_RULES_I, rulesI],
    [H.O_PROFILE_REP_I, Uint32Array.from(profiles[1]!.reps)],
    [H.O_PEER_BITS, peerSets.values.length * w],
    [H.O_INTERVAL_BITS, intervals.count * ipWords],
    [H.O_PORT_CLASS_MAP, ports.classOf],
    [H.O_PORT_CLASS_BITS, ports.bits],
    [H.O_NAMED_START, namedStart],
    [H.O_NAMED, named],
    [H.O_NAMED_SLOT, Uint32Array.from(namedSlot)],
    [H.O_POD_PORT_START, podPortStart],
    [H.O_POD_PORTS, podPortPairs],
    [H.O_NAME_REF_START, nameRefStart],
    [H.O_NAME_REFS, nameRefs],
    [H.O_PROFILE_PEERS_E, profiles[0]!.reps.length * w],
    [H.O_PROFILE_PEERS_I, profiles[1]!.reps.length * w],
  ];
  let total = HEADER_WORDS;
  const at = new Map<number, number>();
  for (const [field, data] of sections) {
    at.set(field, total);
    total += typeof data === "number" ? data : data.length;
  }
  // the profile-peers sections come last: the core fills them, nothing needs zeroing there
  const out = allocate(total, at.get(H.O_PROFILE_PEERS_E)!);
  for (const [field, data] of sections) if (typeof data !== "number") out.set(data, at.get(field)!);
  const header: [number, number][] = [
    [H.VERSION, VERSION],
    [H.PODS, n],
    [H.WORDS, w],
    [H.FLAGS, options.selfTraffic === "allow" ? FLAG_SELF_ALLOW : 0],
    [H.PEER_SETS, peerSets.values.length],
    [H.IP_SETS, ipRanges.length],
    [H.IP_WORDS, ipWords],
    [H.INTERVALS, intervals.count],
    [H.PORT_SETS, portSets.values.length],
    [H.PORT_WORDS, ports.words],
    [H.PORT_CLASSES, ports.count],
    [H.RULES, ruleIds.values.length],
    [H.PROFILES_E, profiles[0]!.reps.length],
    [H.PROFILES_I, profiles[1]!.reps.length],
    [H.NAMED_SETS, namedSets],
    [H.NAME_KEYS, nameKeys],
    [H.TOTAL_BYTES, total * 4],
  ];
  for (const [field, value] of header) out[field] = value;
  for (const [field, word] of at) out[field] = word * 4;

  // peer-set bitsets: pod peers from the selection cache, then the pods in the ranges of
  // each ip set (computed once per cluster and ip sets)
  const peerBase = at.get(H.O_PEER_BITS)!;
  peerSets.values.forEach((peers, ps) => {
    const row = peerBase + ps * w;
    for (const peer of peers) {
      if (peer.kind !== "pods") continue;
      for (const i of selections.select({ scope: peer.namespaces, selector: peer.pods }, podIndex)) out[row + (i >>> 5)]! |= 1 << (i & 31);
    }
  });
  const intervalBits = cache.intervals.bits;
  out.set(intervalBits, at.get(H.O_INTERVAL_BITS)!);
  if (ipRanges.length > 0) {
    if (cache.ipPods?.key !== ipKey) {
      const rows = new Uint32Array(ipRanges.length * w);
      pods.forEach((pod, i) => {
        if (!ipBlocksSee(pod, options)) return;
        for (const address of pod.ips) {
          const iv = (address.family === 4 ? intervals.locate4(Number(address.value)) : intervals.locate(address)) * ipWords;
          for (let k = 0; k < ipWords; k++) {
            for (let bits = intervalBits[iv + k]!; bits !== 0; bits &= bits - 1) {
              const ip = k * 32 + (31 - Math.clz32(bits & -bits));
              rows[ip * w + (i >>> 5)]! |= 1 << (i & 31);
            }
          }
        }
      });
      const any = ipRanges.map((_, ip) => rows.subarray(ip * w, ip * w + w).some((word) => word !== 0));
      cache.ipPods = { key: ipKey, rows, any };
    }
    const { rows, any } = cache.ipPods;
    for (let ip = 0; ip < ipRanges.length; ip++) {
      if (!any[ip]) continue;
      const [to, from] = [peerBase + ipPeerSet[ip]! * w, ip * w];
      for (let b = 0; b < w; b++) out[to + b]! |= rows[from + b]!;
    }
  }
  selections.sweep();
  return { words: out, intervals };
}
