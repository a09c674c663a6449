/**
 * Compile step 3, address sets: the peer sets holding address peers (NetworkPolicy
 * ipBlocks; a tier's `networks` and `nodes`) become ip sets (ip-set index
 * `0..count-1`), their ranges cut the address line into intervals, and each interval
 * gets the bitset of ip sets containing it. Each node gets such a bitset too, after
 * the intervals: the ip sets holding one of its addresses or selecting it by label.
 * Each ip set also gets the pod classes it sees whose addresses it holds, to add to
 * its peer set's classes (`addressClasses`, once the classes are known: they depend on
 * the intervals): an ipBlock's are the pods ipBlocks see (every pod under
 * `ipBlockMatchesPods`, host-network pods always: see `ipBlocksSee`), a tier's
 * `networks` see every pod.
 */
import { ipBlocksSee } from "../ir/endpoint-rules.js";
import { domainAddresses } from "../ir/domain-names.js";
import { mergeRanges } from "../normalize/cluster-policies.js";
import type { Cluster, Options, Peer, Pod } from "../ir/types.js";
import type { Address, AddressRange } from "../primitives/address.js";
import { selectorMatches, type Selector } from "../primitives/selector.js";
import type { CompileCache } from "./cache.js";
import { Intervals, type IpSetRanges } from "./intervals.js";
import { NONE } from "./layout.js";
import type { Interner } from "./rules.js";
import type { InternedTiers } from "./tiers.js";

/** What an ip set is made of. */
export interface IpSetSource extends IpSetRanges {
  /** Its peer set (global id). */
  readonly peerSet: number;
  /** Its peer set's key. */
  readonly key: string;
  /** Which pods its ranges hold: those ipBlocks see (`ipBlocksSee`), or every pod (a tier's `networks`). */
  readonly sees: "ipBlock" | "all";
  /** The selectors of its `nodes` peers. */
  readonly nodes: readonly Selector[];
}

/** The ip sets of a compile and what they cut. */
export interface AddressSets {
  /** Per peer set, its ip-set index, or `NONE` when it holds no address peer. */
  readonly ipSetOf: Uint32Array;
  /** Per ip set, its peer set. */
  readonly peerSetOf: Uint32Array;
  /** How many ip sets. */
  readonly count: number;
  /** IPW: u32 words per interval's ip-set bitset. */
  readonly words: number;
  readonly intervals: Intervals;
  /** `(intervals.count + nodes) * words` u32: the ip sets containing each interval, then each node. */
  readonly intervalBits: Uint32Array;
  /** The ip-set bits of each interval alone (`intervals.count * words` u32). */
  readonly cutBits: Uint32Array;
  /** The sources. */
  readonly sources: readonly IpSetSource[];
  /** Whether some ip set sees every pod's addresses (a tier's `networks`). */
  readonly seeAll: boolean;
}

/** Per ip set, the classes it sees whose addresses it holds (`w` words each) and whether it holds any. */
export interface AddressClasses {
  readonly rows: Uint32Array;
  readonly any: readonly boolean[];
}

/**
 * The ip-set sources of the peer sets: NetworkPolicy's ipBlock peer sets (ids
 * `0..`), then the tiers' peer sets with `networks`, `nodes` or `domainNames` peers
 * (ids from `tiers.base` on). A `domainNames` peer's addresses come from `dns`; its
 * ip set's key gains them, so that a change of records is a change of ip sets.
 */
export function ipSetSources(peerSets: Interner<readonly Peer[]>, tiers: Pick<InternedTiers, "peerSets" | "base">, dns: Cluster["dns"]): IpSetSource[] {
  const tierPeerSets = tiers.peerSets;
  const out: IpSetSource[] = [];
  peerSets.values.forEach((peers, ps) => {
    const blocks = peers.flatMap((p) => (p.kind === "ipBlock" ? [p] : []));
    if (blocks.length === 0) return;
    const v4 = blocks.flatMap((b) => (b.family === 4 ? b.ranges : []));
    const v6 = blocks.flatMap((b) => (b.family === 6 ? b.ranges : []));
    out.push({ peerSet: ps, key: peerSets.keys[ps]!, v4, v6, sees: "ipBlock", nodes: [] });
  });
  tierPeerSets.values.forEach((peers, k) => {
    const v4: AddressRange[] = [];
    const v6: AddressRange[] = [];
    const nodes: Selector[] = [];
    const resolved: string[] = [];
    let domains = false;
    for (const p of peers) {
      if (p.kind === "networks") v4.push(...p.v4), v6.push(...p.v6);
      else if (p.kind === "nodes") nodes.push(p.selector);
      else if (p.kind === "domainNames") {
        domains = true;
        for (const a of domainAddresses(p.names, dns)) {
          (a.family === 4 ? v4 : v6).push({ first: a.value, last: a.value });
          resolved.push(a.text);
        }
      }
    }
    if (v4.length + v6.length + nodes.length === 0 && !domains) return;
    const key = domains ? `${tierPeerSets.keys[k]!}\u0000dns:${resolved.join(",")}` : tierPeerSets.keys[k]!;
    out.push({ peerSet: tiers.base + k, key, v4: domains ? mergeRanges(v4) : v4, v6: domains ? mergeRanges(v6) : v6, sees: "all", nodes });
  });
  return out;
}

/** The address sets of `sources` over the cluster's nodes (`peerSets` peer sets in all). */
export function addressSets(sources: readonly IpSetSource[], peerSets: number, cluster: Cluster, cache: CompileCache): AddressSets {
  const { nodes } = cluster;
  const ipSetOf = new Uint32Array(peerSets).fill(NONE);
  sources.forEach((s, ip) => (ipSetOf[s.peerSet] = ip));
  const peerSetOf = Uint32Array.from(sources, (s) => s.peerSet);
  const words = (sources.length + 31) >>> 5;
  // the ip sets by their peer sets' keys: what the cached entry was computed for
  const key = sources.map((s) => s.key).join("\u0000");
  if (cache.intervals?.key !== key) {
    const value = new Intervals(sources);
    const bits = new Uint32Array(value.count * words);
    sources.forEach((r, ip) => value.mark(bits, 0, words, ip, r));
    cache.intervals = { key, value, bits };
  }
  const { value: intervals, bits: cutBits } = cache.intervals;
  // each node's row: the ip sets holding one of its addresses, or selecting it by label
  const intervalBits = new Uint32Array((intervals.count + nodes.length) * words);
  intervalBits.set(cutBits);
  nodes.forEach((node, n) => {
    const row = (intervals.count + n) * words;
    for (const address of node.ips) {
      const iv = locate(intervals, address) * words;
      for (let k = 0; k < words; k++) intervalBits[row + k]! |= cutBits[iv + k]!;
    }
    sources.forEach((s, ip) => {
      if (s.nodes.some((selector) => selectorMatches(selector, node.labels))) intervalBits[row + (ip >>> 5)]! |= 1 << (ip & 31);
    });
  });
  const seeAll = sources.some((s) => s.sees === "all");
  return { ipSetOf, peerSetOf, count: sources.length, words, intervals, intervalBits, cutBits, sources, seeAll };
}

/** The interval of an address. */
export function locate(intervals: Intervals, address: Address): number {
  return address.family === 4 ? intervals.locate4(Number(address.value)) : intervals.locate(address);
}

/**
 * What address peers see of a pod, as text: "" when no ip set may hold it by its
 * addresses, else the ip sets holding one of them (the OR of their intervals' ip-set
 * bits, remembered per list of intervals). Pods with equal texts are held by the same
 * ip sets.
 */
export function addressKeys(sets: AddressSets, options: Options): (pod: Pod) => string {
  const { words, intervals, cutBits } = sets;
  const byIntervals = new Map<string, string>();
  return (pod) => {
    if (sets.count === 0 || !(sets.seeAll || ipBlocksSee(pod, options))) return "";
    let ids = "";
    for (const address of pod.ips) ids += `${locate(intervals, address)},`;
    let key = byIntervals.get(ids);
    if (key === undefined) {
      const bits = new Uint32Array(words);
      for (const address of pod.ips) {
        const iv = locate(intervals, address) * words;
        for (let k = 0; k < words; k++) bits[k]! |= cutBits[iv + k]!;
      }
      byIntervals.set(ids, (key = `i${bits.join(",")}`));
    }
    return key;
  };
}

/**
 * Per ip set, the classes (given by a pod of each, `reps`) whose addresses it holds
 * and sees, over `w`-word class bitsets; null when there are no ip sets. All pods of a
 * class have their addresses in the same intervals (`classes.ts`), so its first
 * pod answers for all.
 */
export function addressClasses(sets: AddressSets, reps: readonly Pod[], options: Options, w: number): AddressClasses | null {
  const { sources, words, intervals, cutBits } = sets;
  if (sources.length === 0) return null;
  const rows = new Uint32Array(sources.length * w);
  reps.forEach((pod, c) => {
    const seen = ipBlocksSee(pod, options);
    for (const address of pod.ips) {
      const iv = locate(intervals, address) * words;
      for (let k = 0; k < words; k++) {
        for (let bits = cutBits[iv + k]!; bits !== 0; bits &= bits - 1) {
          const ip = k * 32 + (31 - Math.clz32(bits & -bits));
          if (sources[ip]!.sees === "all" || seen) rows[ip * w + (c >>> 5)]! |= 1 << (c & 31);
        }
      }
    }
  });
  const any = sources.map((_, ip) => rows.subarray(ip * w, ip * w + w).some((word) => word !== 0));
  return { rows, any };
}
