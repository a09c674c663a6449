/**
 * `Engine.connections`: every connection the policies allow, computed from the
 * engine's own verdicts on port equivalence classes.
 *
 * Port classes: per protocol, ports 1..65535 are cut at every boundary a verdict can
 * change at: each numeric rule port's first port and `last + 1` (NetworkPolicy and
 * cluster-scoped tiers alike), each named container
 * port of any pod (`port`, `port + 1`), and each filter's bounds. Within a class every
 * flow has the same verdict (every rule port covers whole classes, every named port
 * resolves to a whole class), so one matrix per class, at its first port, decides it.
 * Classes with the same matrix share it ("patterns").
 *
 * Outside ranges: per family, the address space cut at every ipBlock range boundary
 * (`cidr` minus `except`) and every ClusterNetworkPolicy `networks` CIDR; within a range every address outside the cluster has the
 * same verdicts, so one representative (its first address owned by no pod or node)
 * decides it, and a range of pod and node addresses only is left out. IPv6's `::ffff:0:0/96` is cut
 * out: those addresses are their IPv4 addresses. IPv6 ranges are listed only when a
 * pod or an ipBlock has an IPv6 address.
 */
import { NetpolValidationError, quote, unsupportedValue, type Issue } from "../primitives/issues.js";
import { formatAddress, parseCidr, type AddressRange } from "../primitives/address.js";
import { isProtocol, namespacedName, PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import type { AllowedPorts, Connection, ConnectionOptions, ConnectionRule, PortFilter, PortSpan } from "../api/connections.js";
import type { ColumnarFlows, Engine } from "../api/engine.js";
import type { Model } from "./model.js";

const MAX_PORT = 65535;
/** `::ffff:0:0/96`, the IPv4-mapped IPv6 addresses. */
const MAPPED: AddressRange = { first: 0xffffn << 32n, last: (0xffffn << 32n) | 0xffffffffn };
const LAST = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n } as const;

const NATURAL = new Intl.Collator("en", { numeric: true });

/** The order of endpoint names in `connections`: numbers in names compared as numbers, ties (`a01`, `a1`) by code unit. */
export const compareEndpoints = (a: string, b: string): number => NATURAL.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** The engine answers connections are computed from. */
export type Verdicts = Pick<Engine, "matrix" | "decideBatch" | "decide">;

/**
 * Per pod (in pod order), a key such that pods of one egress key have the same
 * verdicts to every outside address, and pods of one ingress key from every outside
 * address: the policies isolating the pod on that side (and, for ingress, its
 * container ports, where named ports resolve), or anything finer.
 */
export interface OutsideKeys {
  readonly egress: ArrayLike<unknown>;
  readonly ingress: ArrayLike<unknown>;
}

/** One port class: a protocol and an inclusive port range. */
interface PortClass {
  readonly protocol: Protocol;
  readonly first: number;
  readonly last: number;
}

/** An outside range and the address that stands for it. */
interface OutsideRange {
  readonly name: string;
  readonly family: 4 | 6;
  readonly representative: bigint;
}

/** Checks the options; throws `NetpolValidationError` listing every problem. */
function checkOptions(options: ConnectionOptions, podCount: number): void {
  const issues: Issue[] = [];
  if (typeof options !== "object" || options === null) throw new NetpolValidationError([{ path: "options", message: `expected an object, got ${quote(options)}` }]);
  const port = (value: unknown): boolean => typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_PORT;
  if (options.ports !== undefined) {
    if (!Array.isArray(options.ports)) issues.push({ path: "options.ports", message: `expected an array, got ${quote(options.ports)}` });
    else {
      options.ports.forEach((p: PortFilter, i: number) => {
        const path = `options.ports[${i}]`;
        if (typeof p !== "object" || p === null) return void issues.push({ path, message: `expected a port, got ${quote(p)}` });
        if (p.protocol !== undefined && !isProtocol(p.protocol)) issues.push({ path: `${path}.protocol`, message: unsupportedValue(p.protocol, PROTOCOLS) });
        if (!port(p.port)) issues.push({ path: `${path}.port`, message: `invalid value ${quote(p.port)}: must be between 1 and 65535, inclusive` });
        if (p.endPort !== undefined && (!port(p.endPort) || p.endPort < p.port)) {
          issues.push({ path: `${path}.endPort`, message: `invalid value ${quote(p.endPort)}: must be between port and 65535, inclusive` });
        }
      });
    }
  }
  if (options.groups !== undefined && (!Array.isArray(options.groups) || options.groups.length !== podCount || options.groups.some((g) => typeof g !== "string"))) {
    issues.push({ path: "options.groups", message: `expected one endpoint name per pod (${podCount} strings)` });
  }
  if (options.cutBy !== undefined) {
    if (!Array.isArray(options.cutBy)) issues.push({ path: "options.cutBy", message: `expected an array of CIDRs, got ${quote(options.cutBy)}` });
    else options.cutBy.forEach((c: unknown, i: number) => void (typeof c === "string" && parseCidr(c) !== null ? null : issues.push({ path: `options.cutBy[${i}]`, message: `invalid CIDR ${quote(c)}` })));
  }
  for (const key of ["includeExternal", "includeSelf", "explain"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "boolean") issues.push({ path: `options.${key}`, message: `expected a boolean, got ${quote(options[key])}` });
  }
  if (issues.length > 0) throw new NetpolValidationError(issues);
}

/** The port classes of `model`, narrowed to `filters` (when given). */
export function portClasses(model: Model, filters: readonly PortFilter[] | undefined): PortClass[] {
  const out: PortClass[] = [];
  for (const protocol of PROTOCOLS) {
    const cuts = new Set<number>([1, MAX_PORT + 1]);
    const cut = (first: number, last: number): void => void cuts.add(first).add(last + 1);
    for (const policy of model.rules.policies) {
      for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
        for (const p of rule.ports ?? []) if (p.kind === "range" && p.protocol === protocol) cut(p.first, p.last);
      }
    }
    for (const policy of model.rules.clusterPolicies) {
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const p of rule.ports ?? []) if (p.kind === "range" && p.protocol === protocol) cut(p.first, p.last);
      }
    }
    for (const pod of model.cluster.pods) for (const p of pod.ports) if (p.name !== null && p.protocol === protocol) cut(p.port, p.port);
    const wanted = filters?.filter((f) => (f.protocol ?? "TCP") === protocol).map((f) => [f.port, f.endPort ?? f.port] as const);
    for (const [first, last] of wanted ?? []) cut(first, last);
    const sorted = [...cuts].sort((a, b) => a - b);
    for (let k = 0; k + 1 < sorted.length; k++) {
      const c = { protocol, first: sorted[k]!, last: sorted[k + 1]! - 1 };
      if (wanted === undefined || wanted.some(([first, last]) => first <= c.first && c.last <= last)) out.push(c);
    }
  }
  return out;
}

/** The outside ranges of `model`, also cut at `cutBy` (see the module comment). */
export function outsideRanges(model: Model, cutBy: readonly string[] = []): OutsideRange[] {
  const cuts = { 4: new Set<bigint>([0n]), 6: new Set<bigint>([0n, MAPPED.first, MAPPED.last + 1n]) };
  let v6 = false;
  for (const policy of model.rules.policies) {
    for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind !== "ipBlock") continue;
        if (peer.family === 6) v6 = true;
        for (const r of peer.ranges) cuts[peer.family].add(r.first).add(r.last + 1n);
      }
    }
  }
  for (const policy of model.rules.clusterPolicies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind !== "networks") continue;
        if (peer.v6.length > 0) v6 = true;
        for (const r of peer.v4) cuts[4].add(r.first).add(r.last + 1n);
        for (const r of peer.v6) cuts[6].add(r.first).add(r.last + 1n);
      }
    }
  }
  for (const text of cutBy) {
    const cidr = parseCidr(text)!;
    if (cidr.family === 6) v6 = true;
    cuts[cidr.family].add(cidr.first).add(cidr.last + 1n);
  }
  const podAddresses = { 4: [] as bigint[], 6: [] as bigint[] };
  // node addresses are endpoints too (`node:NAME`), never outside
  for (const end of [...model.cluster.pods, ...model.cluster.nodes]) for (const ip of end.ips) podAddresses[ip.family].push(ip.value);
  if (podAddresses[6].length > 0) v6 = true;
  const out: OutsideRange[] = [];
  for (const family of v6 ? ([4, 6] as const) : ([4] as const)) {
    const owned = new Set(podAddresses[family]);
    const sorted = [...cuts[family]].filter((c) => c <= LAST[family]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    sorted.forEach((first, k) => {
      const last = k + 1 < sorted.length ? sorted[k + 1]! - 1n : LAST[family];
      if (family === 6 && first === MAPPED.first) return;
      let representative = first;
      while (representative <= last && owned.has(representative)) representative++;
      if (representative > last) return;
      out.push({ name: `${formatAddress(family, first)}-${formatAddress(family, last)}`, family, representative });
    });
  }
  return out;
}

/** A 32-bit hash of words, for finding equal matrices. */
function hashWords(words: Uint8Array | Uint32Array): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < words.length; k++) h = Math.imul(h ^ words[k]!, 0x01000193);
  return h >>> 0;
}

const equalWords = (a: Uint8Array | Uint32Array, b: Uint8Array | Uint32Array): boolean => a.length === b.length && a.every((v, k) => v === b[k]);

/** Verdict tables deduplicated: each distinct table with the port classes that have it. */
class Patterns<T extends Uint8Array | Uint32Array> {
  readonly tables: T[] = [];
  readonly classes: PortClass[][] = [];
  private readonly byHash = new Map<number, number[]>();

  add(table: T, c: PortClass): void {
    const h = hashWords(table);
    const same = this.byHash.get(h) ?? [];
    const found = same.find((k) => equalWords(this.tables[k]!, table));
    if (found !== undefined) return void this.classes[found]!.push(c);
    same.push(this.tables.length);
    this.byHash.set(h, same);
    this.tables.push(table);
    this.classes.push([c]);
  }
}

/** Sorted, merged spans per protocol of a set of port classes. */
function allowedPorts(classes: readonly PortClass[]): AllowedPorts {
  const out: Record<Protocol, PortSpan[]> = { TCP: [], UDP: [], SCTP: [] };
  for (const c of [...classes].sort((a, b) => a.first - b.first)) {
    const spans = out[c.protocol];
    const previous = spans[spans.length - 1];
    if (previous !== undefined && previous[1] + 1 >= c.first) spans[spans.length - 1] = [previous[0], Math.max(previous[1], c.last)];
    else spans.push([c.first, c.last]);
  }
  return out;
}

/** One endpoint of the output: a group of pods, or an outside range (index into the ranges). */
type End = { readonly name: string; readonly pods: readonly number[] } | { readonly name: string; readonly outside: number };

/**
 * Every ordered pair of endpoints with something allowed between them, sorted by
 * `from` then `to` (numbers in names compared as numbers), one at a time.
 * Throws `NetpolValidationError` for bad options.
 */
export function* connections(engine: Verdicts, model: Model, options: ConnectionOptions = {}, outsideKeys: () => OutsideKeys): Generator<Connection> {
  const n = model.podIds.length;
  checkOptions(options, n);
  const classes = portClasses(model, options.ports);
  const outside = options.includeExternal === false ? [] : outsideRanges(model, options.cutBy);

  // pod → pod: one matrix per class, deduplicated
  const inside = new Patterns<Uint32Array>();
  for (const c of classes) inside.add(engine.matrix({ protocol: c.protocol, port: c.first }).bits, c);
  const words = (n + 31) >>> 5;

  // pod ↔ outside. The far end is no pod, so nothing isolates it and no named port
  // resolves on it: a pod's egress verdict to an outside address depends only on the
  // policies isolating the pod for egress, and its ingress verdict from one only on
  // those isolating it for ingress and its container ports. One pod per such key
  // ("side representative") is asked, per class: `E * R` egress verdicts (rep e →
  // range k at e * R + k), then `I * R` ingress ones (range k → rep i at E * R + i * R + k).
  const r = outside.length;
  const external = new Patterns<Uint8Array>();
  const egressRep = new Uint32Array(n);
  const ingressRep = new Uint32Array(n);
  let egressReps: number[] = [];
  if (r > 0 && n > 0) {
    const keys = outsideKeys();
    const repsOf = (key: ArrayLike<unknown>, out: Uint32Array): number[] => {
      const index = new Map<unknown, number>();
      const reps: number[] = [];
      for (let p = 0; p < n; p++) {
        const k = key[p];
        let at = index.get(k);
        if (at === undefined) index.set(k, (at = reps.push(p) - 1));
        out[p] = at;
      }
      return reps;
    };
    egressReps = repsOf(keys.egress, egressRep);
    const ingressReps = repsOf(keys.ingress, ingressRep);
    const v4 = outside.filter((o) => o.family === 4);
    const v6 = outside.filter((o) => o.family === 6);
    const addresses4 = Uint32Array.from(v4, (o) => Number(o.representative));
    const addresses6 = new Uint32Array(v6.length * 4);
    v6.forEach((o, k) => {
      for (let w = 0; w < 4; w++) addresses6[k * 4 + w] = Number((o.representative >> BigInt(96 - 32 * w)) & 0xffffffffn);
    });
    // outside index k is table entry v4 first then v6, the order `outside` lists them in
    const e = egressReps.length * r;
    const total = e + ingressReps.length * r;
    const from = new Uint32Array(total);
    const to = new Uint32Array(total);
    egressReps.forEach((p, i) => {
      for (let k = 0; k < r; k++) [from[i * r + k], to[i * r + k]] = [p, n + k];
    });
    ingressReps.forEach((p, i) => {
      for (let k = 0; k < r; k++) [from[e + i * r + k], to[e + i * r + k]] = [n + k, p];
    });
    const ports = new Uint32Array(total);
    for (const c of classes) {
      const flows: ColumnarFlows = { from, to, addresses4, addresses6, ports: ports.fill(c.first | (PROTOCOLS.indexOf(c.protocol) << 16)) };
      external.add(engine.decideBatch(flows), c);
    }
  }
  /** Whether pod `p` may reach outside range `k` (`egress`), or be reached from it, in verdict table `verdicts`. */
  const outsideVerdict = (verdicts: Uint8Array, p: number, k: number, egress: boolean): boolean =>
    verdicts[egress ? egressRep[p]! * r + k : egressReps.length * r + ingressRep[p]! * r + k] === 1;

  // the endpoints, sorted
  const groupOf = options.groups ?? model.podIds;
  const members = new Map<string, number[]>();
  groupOf.forEach((name, p) => void (members.get(name) ?? members.set(name, []).get(name)!).push(p));
  const ends: End[] = [...[...members].map(([name, pods]) => ({ name, pods })), ...outside.map((o, k) => ({ name: o.name, outside: k }))];
  ends.sort((a, b) => compareEndpoints(a.name, b.name));

  const matrices = inside.tables;
  // each pod's endpoint, as an index into `ends`
  const endOf = new Int32Array(n);
  ends.forEach((e, g) => {
    if ("pods" in e) for (const p of e.pods) endOf[p] = g;
  });
  // per destination endpoint, the patterns the current source reaches it in (`seen` dedupes)
  const hits: number[][] = ends.map(() => []);
  const seen = new Int32Array(ends.length).fill(-1);
  for (const a of ends) {
    // per pattern, the OR of the rows of a's pods, and the endpoints its set bits fall in
    const rows = "pods" in a ? matrices.map((bits) => orRows(bits, a.pods, words)) : null;
    for (const list of hits) list.length = 0;
    seen.fill(-1);
    rows?.forEach((row, k) => {
      for (let w = 0; w < words; w++) {
        for (let v = row[w]!; v !== 0; v &= v - 1) {
          const g = endOf[(w << 5) | (31 - Math.clz32(v & -v))]!;
          if (seen[g] !== k) {
            seen[g] = k;
            hits[g]!.push(k);
          }
        }
      }
    });
    for (const [gb, b] of ends.entries()) {
      if (a === b && options.includeSelf !== true) continue;
      const parts: PortClass[] = [];
      const witnesses: Array<{ from: number; to: number; classes: readonly PortClass[] }> = [];
      if ("pods" in a && "pods" in b) {
        for (const k of hits[gb]!) {
          const bits = matrices[k]!;
          const row = rows![k]!;
          const target = b.pods.find((j) => ((row[j >>> 5]! >>> (j & 31)) & 1) === 1)!;
          parts.push(...inside.classes[k]!);
          if (options.explain === true) witnesses.push({ from: a.pods.find((i) => bit(bits, i, target, words))!, to: target, classes: inside.classes[k]! });
        }
      } else if ("pods" in a || "pods" in b) {
        const egress = "pods" in a;
        const pods = "pods" in a ? a.pods : (b as { pods: readonly number[] }).pods;
        const range = "outside" in a ? a.outside : (b as { outside: number }).outside;
        external.tables.forEach((verdicts, k) => {
          const pod = pods.find((p) => outsideVerdict(verdicts, p, range, egress));
          if (pod === undefined) return;
          parts.push(...external.classes[k]!);
          if (options.explain === true) witnesses.push({ from: egress ? pod : -1 - range, to: egress ? -1 - range : pod, classes: external.classes[k]! });
        });
      }
      if (parts.length === 0) continue;
      const connection: Connection = { from: a.name, to: b.name, allowed: allowedPorts(parts) };
      yield options.explain === true ? { ...connection, allowedBy: rulesOf(engine, model, outside, witnesses) } : connection;
    }
  }
}

/** Whether bit (i, j) of a row-major matrix is set. */
const bit = (bits: Uint32Array, i: number, j: number, words: number): boolean => ((bits[i * words + (j >>> 5)]! >>> (j & 31)) & 1) === 1;

/** The OR of rows `pods` of a matrix. */
function orRows(bits: Uint32Array, pods: readonly number[], words: number): Uint32Array {
  const out = new Uint32Array(words);
  for (const i of pods) for (let w = 0; w < words; w++) out[w]! |= bits[i * words + w]!;
  return out;
}

/**
 * The rules that allow each part: for each port class, the explanation of one allowed
 * flow of the pair (`from`/`to`: a pod index, or `-1 - k` for outside range k).
 */
function rulesOf(
  engine: Verdicts,
  model: Model,
  outside: readonly OutsideRange[],
  witnesses: ReadonlyArray<{ from: number; to: number; classes: readonly PortClass[] }>,
): ConnectionRule[] {
  const name = (end: number): string => (end >= 0 ? model.podIds[end]! : formatAddress(outside[-1 - end]!.family, outside[-1 - end]!.representative));
  const byRule = new Map<string, { rule: Omit<ConnectionRule, "ports">; classes: PortClass[] }>();
  for (const w of witnesses) {
    for (const c of w.classes) {
      const { explanation } = engine.decide({ from: name(w.from), to: name(w.to), protocol: c.protocol, port: c.first });
      const refs: Array<Omit<ConnectionRule, "ports" | "protocol">> = [];
      for (const side of [explanation.egress, explanation.ingress]) {
        // a cluster-scoped tier's Accept decides the side; otherwise the NetworkPolicy rules that allowed it
        for (const step of [side.admin, side.baseline]) {
          const m = step?.matched;
          if (m?.action === "Accept") refs.push({ tier: m.policy.tier, policy: m.policy.name, policyIndex: m.policy.index, direction: m.direction, rule: m.rule });
        }
        for (const ref of side.allowedBy) {
          refs.push({ tier: "NetworkPolicy", policy: namespacedName(model.rules.policies[ref.policy.index]!), policyIndex: ref.policy.index, direction: ref.direction, rule: ref.rule });
        }
      }
      for (const ref of refs) {
        const key = `${ref.tier}\0${ref.direction}\0${ref.policyIndex}\0${ref.rule}\0${c.protocol}`;
        const entry = byRule.get(key) ?? byRule.set(key, { rule: { ...ref, protocol: c.protocol }, classes: [] }).get(key)!;
        entry.classes.push(c);
      }
    }
  }
  const tiers = ["Admin", "NetworkPolicy", "Baseline"];
  const order = (x: Omit<ConnectionRule, "ports">): string => `${x.direction}\0${tiers.indexOf(x.tier)}\0${String(x.policyIndex).padStart(8, "0")}\0${String(x.rule).padStart(8, "0")}\0${PROTOCOLS.indexOf(x.protocol)}`;
  return [...byRule.values()]
    .sort((x, y) => (order(x.rule) < order(y.rule) ? -1 : 1))
    .map(({ rule, classes }) => ({ ...rule, ports: allowedPorts(classes)[rule.protocol] }));
}
