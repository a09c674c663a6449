/**
 * Compile step 5, the section writer: lays the steps' results out as `layout.ts`
 * says (header, then each section in layout order), in one buffer from the caller's
 * `Allocate`, and fills the peer-set bitsets in place (the largest section, never
 * copied).
 */
import type { Options, Peer } from "../ir/types.js";
import type { CompileCache } from "./cache.js";
import type { AddressClasses, AddressSets } from "./address-sets.js";
import { sizePlanes, type PodClasses } from "./classes.js";
import { FLAG_NODE_LOCAL, FLAG_SELF_ALLOW, POD_HOST_BIT, H, HEADER_WORDS, NAMED_BIT, NONE, T, VERSION, tierField } from "./layout.js";
import type { NamedPorts } from "./named-ports.js";
import type { PortClasses } from "./ports.js";
import type { Profiles } from "./profiles.js";
import type { InternedRules, Interner } from "./rules.js";
import type { InternedTiers } from "./tiers.js";

/**
 * Returns a u32 view of `words` words where the tables will live, its first `zeroed`
 * words zero (the rest, derived sections the core fills itself, may hold anything).
 */
export type Allocate = (words: number, zeroed: number) => Uint32Array;

/** Everything the earlier steps computed, for the writer. */
export interface CompiledParts {
  /** Pods (N). */
  readonly pods: number;
  readonly classes: PodClasses;
  /**
   * The tables' class ids, `classes.reps.length` or more: the ids past the classes
   * are room for classes a patch adds (`compile/patch.ts`), without pods, peers or profiles.
   */
  readonly capacity: number;
  /** W: u32 words per class bitset (`ceil(capacity / 32)`). */
  readonly words: number;
  readonly options: Options;
  readonly rules: InternedRules;
  /** Egress then ingress profiles. */
  readonly profiles: readonly [Profiles, Profiles];
  readonly addresses: AddressSets;
  /** The classes each ip set holds by their addresses. */
  readonly addressClasses: AddressClasses | null;
  readonly ports: PortClasses;
  readonly named: NamedPorts;
  /** The classes each pod peer (by peer-set id and peer index) selects. */
  readonly selectPeer: (peerSet: number, peer: number) => Int32Array;
  /** Nodes (rows after the intervals in the interval bits). */
  readonly nodes: number;
  /** Per class, its node index `| POD_HOST_BIT` for host-network pods, or NONE (layout `O_CLASS_NODE`). */
  readonly classNodes: Uint32Array;
  readonly tiers: InternedTiers;
  /** The four tier sides' profiles (Admin egress, Admin ingress, Baseline egress, Baseline ingress). */
  readonly tierProfiles: readonly Profiles[];
  /** The classes a tier `pods` or `nodes` peer (by tier peer-set id and peer index) holds: `networks` peers are the address sets'. */
  readonly tierPeerClasses: (peerSet: number, peer: number) => Iterable<number>;
}

/** Lists as CSR: `start` (lists + 1 offsets) and the lists back to back. */
function csr(lists: readonly (readonly number[])[]): [Uint32Array, Uint32Array] {
  const start = new Uint32Array(lists.length + 1);
  lists.forEach((l, i) => (start[i + 1] = start[i]! + l.length));
  const flat = new Uint32Array(start[lists.length]!);
  lists.forEach((l, i) => flat.set(l, start[i]!));
  return [start, flat];
}

/** `values` made `length` long, the new entries `fill`. */
export function padded(values: Uint32Array, length: number, fill: number): Uint32Array {
  if (values.length >= length) return values;
  const out = new Uint32Array(length).fill(fill);
  out.set(values);
  return out;
}

/** The written tables: the buffer `allocate` gave, and the words each section was given (by its header field). */
export interface WrittenTables {
  readonly words: Uint32Array;
  readonly room: ReadonlyMap<number, number>;
}

/**
 * Sets the peer-set bits `parts` gives into the peer-set rows at `base` (`w` words
 * each, zero before), of the peer sets from `from` on: the classes of each pod peer,
 * of each tier `pods` or `nodes` peer, and the classes in the ranges of each ip set.
 */
export function fillPeerBits(
  out: Uint32Array,
  base: number,
  w: number,
  parts: Pick<CompiledParts, "rules" | "tiers" | "selectPeer" | "tierPeerClasses" | "addressClasses" | "addresses">,
  from = 0,
  only?: Iterable<number>,
): void {
  const { rules, addresses } = parts;
  const fill = (ps: number): void => {
    if (ps < from) return;
    const row = base + ps * w;
    rules.peerSets.values[ps]!.forEach((peer, k) => {
      if (peer.kind !== "pods") return;
      const classes = parts.selectPeer(ps, k);
      // an index loop: no iterator result per class
      for (let j = 0; j < classes.length; j++) out[row + (classes[j]! >>> 5)]! |= 1 << (classes[j]! & 31);
    });
  };
  // `only`: the NetworkPolicy peer sets that may hold a class here (`peerSetsNear`)
  if (only === undefined) for (let ps = 0; ps < rules.peerSets.values.length; ps++) fill(ps);
  else for (const ps of only) fill(ps);
  const tierBase = parts.tiers.base;
  parts.tiers.peerSets.values.forEach((peers, local) => {
    if (tierBase + local < from) return;
    const row = base + (tierBase + local) * w;
    peers.forEach((peer, k) => {
      if (peer.kind !== "pods" && peer.kind !== "nodes") return;
      for (const i of parts.tierPeerClasses(local, k)) out[row + (i >>> 5)]! |= 1 << (i & 31);
    });
  });
  const ipPods = parts.addressClasses;
  if (ipPods !== null) {
    for (let ip = 0; ip < addresses.count; ip++) {
      if (!ipPods.any[ip] || addresses.peerSetOf[ip]! < from) continue;
      const [to, row] = [base + addresses.peerSetOf[ip]! * w, ip * w];
      for (let b = 0; b < w; b++) out[to + b]! |= ipPods.rows[row + b]!;
    }
  }
}

/**
 * The NetworkPolicy peer sets that may hold a pod of `namespaces`: those with a pod
 * peer scoped to one of them or by a namespace selector (the others' pod peers are
 * scoped to other namespaces, and their ipBlocks' classes come from the ip sets).
 * The index behind it is kept in `cache` and extended as peer sets are appended.
 */
export function peerSetsNear(peerSets: Interner<readonly Peer[]>, namespaces: Iterable<string>, cache: CompileCache): Set<number> {
  let index = cache.peerScopes;
  if (index === null || index.peerSets !== peerSets) index = cache.peerScopes = { peerSets, length: 0, byScope: new Map() };
  for (; index.length < peerSets.values.length; index.length++) {
    const ps = index.length;
    for (const peer of peerSets.values[ps]!) {
      if (peer.kind !== "pods") continue;
      const scope = peer.namespaces.kind === "namespace" ? peer.namespaces.name : null;
      const list = index.byScope.get(scope);
      if (list === undefined) index.byScope.set(scope, [ps]);
      else if (list[list.length - 1] !== ps) list.push(ps);
    }
  }
  const out = new Set<number>(index.byScope.get(null));
  for (const name of namespaces) for (const ps of index.byScope.get(name) ?? []) out.add(ps);
  return out;
}

/**
 * Each rule's words as profiles inline them: NetworkPolicy's as (peer set, ip set,
 * port set | NAMED_BIT) triples, the tiers' as (peer set, ip set, port set |
 * NAMED_BIT, action) quadruples, tier peer set `k` as global id `tiers.base + k`.
 */
export function inlinedRules(parts: Pick<CompiledParts, "rules" | "tiers" | "addresses" | "named">): { np: (id: number) => number[]; tiers: (id: number) => number[] } {
  const { rules, addresses, named } = parts;
  const portWord = (portSet: number): number => (portSet === NONE || named.lists[portSet]!.length === 0 ? portSet : (portSet | NAMED_BIT) >>> 0);
  const tierBase = parts.tiers.base;
  return {
    np: (id) => {
      const [peerSet, portSet] = rules.rules.values[id]!;
      return [peerSet, peerSet === NONE ? NONE : addresses.ipSetOf[peerSet]!, portWord(portSet)];
    },
    tiers: (id) => {
      const [local, portSet, action] = parts.tiers.rules.values[id]!;
      return [tierBase + local, addresses.ipSetOf[tierBase + local]!, portWord(portSet), action];
    },
  };
}

/**
 * Sets class `c`'s bits in the node rows at `base` (`O_NODE_ROWS`, `w` words per
 * row) for its place `place` (a `CLASS_NODE` entry): its node's row of every class,
 * and for host-network pods its node's row of host-network classes.
 */
export function markNodeRows(rows: Uint32Array, base: number, w: number, c: number, place: number): void {
  if (place === NONE) return;
  const node = (place & ~POD_HOST_BIT) >>> 0;
  const bit = 1 << (c & 31);
  if ((place & POD_HOST_BIT) !== 0) rows[base + node * 2 * w + (c >>> 5)]! |= bit;
  rows[base + (node * 2 + 1) * w + (c >>> 5)]! |= bit;
}

/**
 * The sections and header words of the port classes and named ports, in layout
 * order, the class-indexed ones over `capacity` class ids.
 */
export function portSections(ports: PortClasses, named: NamedPorts, capacity: number): { sections: [number, Uint32Array][]; header: [number, number][] } {
  const [namedStart, namedFlat] = csr(named.lists);
  const [nameRefStart, nameRefs] = csr(named.refs);
  const classes = named.classStart.length - 1;
  return {
    sections: [
      [H.O_PORT_CLASS_MAP, ports.classOf],
      [H.O_PORT_CLASS_BITS, ports.bits],
      [H.O_NAMED_START, namedStart],
      [H.O_NAMED, namedFlat],
      [H.O_NAMED_SLOT, Uint32Array.from(named.slots)],
      [H.O_CLASS_PORT_START, padded(named.classStart, capacity + 1, named.classStart[classes]!)],
      [H.O_CLASS_PORTS, named.classPairs],
      [H.O_NAME_REF_START, nameRefStart],
      [H.O_NAME_REFS, nameRefs],
    ],
    header: [
      [H.PORT_SETS, named.lists.length],
      [H.PORT_WORDS, ports.words],
      [H.PORT_CLASSES, ports.count],
      [H.NAMED_SETS, named.sets],
      [H.NAME_KEYS, named.nameKeys],
    ],
  };
}

/** Rows the peer-set bitsets get for `rows` peer sets: a sixteenth more, and 16, for the peer sets patches add. */
export const peerRowRoom = (rows: number): number => rows + (rows >>> 4) + 16;

/** Writes the tables into the buffer `allocate` gives. */
export function writeSections(parts: CompiledParts, allocate: Allocate): WrittenTables {
  const { words: w, rules, profiles, addresses, ports, named, capacity } = parts;
  const { np: ruleWords, tiers: tierRuleWords } = inlinedRules(parts);
  // rules inlined into profiles as (peer set, ip set, port set | NAMED_BIT) triples
  const inline = (ruleLists: readonly number[][]): [Uint32Array, Uint32Array] => {
    const [start, flat] = csr(ruleLists.map((ids) => ids.flatMap(ruleWords)));
    return [start.map((offset) => offset / 3), flat];
  };
  const [egress, ingress] = profiles;
  const [startE, rulesE] = inline(egress.ruleLists);
  const [startI, rulesI] = inline(ingress.ruleLists);
  // every global peer-set id: NetworkPolicy's, the room after them (empty rows), the tiers'
  const peerSets = parts.tiers.base + parts.tiers.peerSets.values.length;
  const tierSections = parts.tierProfiles.map((p, k): [number, Uint32Array][] => {
    const [start, flat] = csr(p.ruleLists.map((ids) => ids.flatMap(tierRuleWords)));
    return [
      [tierField(k, T.O_CLASS_PROFILE), padded(p.ofClass, capacity, NONE)],
      [tierField(k, T.O_PROFILE_START), start.map((offset) => offset / 4)],
      [tierField(k, T.O_PROFILE_RULES), flat],
      [tierField(k, T.O_PROFILE_REP), Uint32Array.from(p.reps)],
    ];
  });
  const classes = parts.classes;
  const portParts = portSections(ports, named, capacity);
  const planes = sizePlanes(classes.sizes, w);
  // section contents (or sizes in u32 words, for sections filled below or by the core), in layout order
  // the node-local clause: per node, its host-network classes and all its classes
  const nodeLocal = parts.options.nodeLocal === "allow" && parts.nodes > 0;
  const nodeRows = new Uint32Array(nodeLocal ? parts.nodes * 2 * w : 0);
  if (nodeLocal) parts.classNodes.forEach((place, c) => markNodeRows(nodeRows, 0, w, c, place));
  const sections: [number, Uint32Array | number][] = [
    [H.O_CLASS_NODE, padded(parts.classNodes, capacity, NONE)],
    [H.O_NODE_ROWS, nodeRows],
    [H.O_POD_CLASS, classes.ofPod],
    [H.O_CLASS_RUN_START, padded(classes.runStart, capacity + 1, classes.runStart[classes.reps.length]!)],
    [H.O_CLASS_RUNS, classes.runs],
    [H.O_SIZE_PLANES, planes.bits],
    [H.O_CLASS_PROFILE_E, padded(egress.ofClass, capacity, NONE)],
    [H.O_CLASS_PROFILE_I, padded(ingress.ofClass, capacity, NONE)],
    [H.O_PROFILE_START_E, startE],
    [H.O_PROFILE_RULES_E, rulesE],
    [H.O_PROFILE_START_I, startI],
    [H.O_PROFILE_RULES_I, rulesI],
    [H.O_PROFILE_REP_I, Uint32Array.from(ingress.reps)],
    // with room for the peer sets a patch adds (`compile/patch-rules.ts`)
    [H.O_PEER_BITS, peerRowRoom(peerSets) * w],
    [H.O_INTERVAL_BITS, addresses.intervalBits],
    ...portParts.sections,
    ...tierSections.flat(),
    // derived sections last, filled by the core
    [H.O_PROFILE_PEERS_E, egress.reps.length * w],
    [H.O_PROFILE_PEERS_I, ingress.reps.length * w],
    ...parts.tierProfiles.flatMap((p, k): [number, number][] => [
      [tierField(k, T.O_PROFILE_PEERS), p.reps.length * w],
      [tierField(k, T.O_PROFILE_ACCEPT_PEERS), p.reps.length * w],
    ]),
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
    [H.PODS, parts.pods],
    [H.CLASSES, capacity],
    [H.SIZE_PLANES, planes.planes],
    [H.WORDS, w],
    [H.FLAGS, (parts.options.selfTraffic === "allow" ? FLAG_SELF_ALLOW : 0) | (nodeLocal ? FLAG_NODE_LOCAL : 0)],
    [H.PEER_SETS, peerSets],
    [H.TIER_PEER_SETS, parts.tiers.peerSets.values.length],
    [H.NODES, parts.nodes],
    [H.TIERS, parts.tierProfiles.some((p) => p.reps.length > 0) ? 1 : 0],
    ...parts.tierProfiles.map((p, k): [number, number] => [tierField(k, T.PROFILES), p.reps.length]),
    [H.IP_SETS, addresses.count],
    [H.IP_WORDS, addresses.words],
    [H.INTERVALS, addresses.intervals.count],
    ...portParts.header,
    [H.RULES, rules.rules.values.length],
    [H.PROFILES_E, egress.reps.length],
    [H.PROFILES_I, ingress.reps.length],
    [H.TOTAL_BYTES, total * 4],
  ];
  for (const [field, value] of header) out[field] = value;
  for (const [field, word] of at) out[field] = word * 4;

  fillPeerBits(out, at.get(H.O_PEER_BITS)!, w, parts);
  const room = new Map<number, number>();
  sections.forEach(([field, data]) => room.set(field, typeof data === "number" ? data : data.length));
  return { words: out, room };
}
