/**
 * Compile step 3, address sets: the peer sets holding ipBlocks become ip sets (ip-set
 * index `0..count-1`), their ranges cut the address line into intervals, and each
 * interval gets the bitset of ip sets containing it. Each ip set also gets the pods
 * ipBlocks see (every pod under `ipBlockMatchesPods`, host-network pods always: see
 * `ipBlocksSee`) whose addresses it holds, to add to its peer set's pods.
 */
import { ipBlocksSee } from "../ir/endpoint-rules.js";
import type { Options, Peer, Pod } from "../ir/types.js";
import type { CompileCache } from "./cache.js";
import { Intervals, type IpSetRanges } from "./intervals.js";
import { NONE } from "./layout.js";
import type { Interner } from "./rules.js";

/** The ip sets of a compile and what they cut. */
export interface AddressSets {
  /** Per peer set, its ip-set index, or `NONE` when it holds no ipBlock. */
  readonly ipSetOf: Uint32Array;
  /** Per ip set, its peer set. */
  readonly peerSetOf: Uint32Array;
  /** How many ip sets. */
  readonly count: number;
  /** IPW: u32 words per interval's ip-set bitset. */
  readonly words: number;
  readonly intervals: Intervals;
  /** `intervals.count * words` u32: the ip sets containing each interval. */
  readonly intervalBits: Uint32Array;
  /**
   * Per ip set, the pods ipBlocks see whose addresses it holds (`w` words each) and
   * whether it holds any; null when there are no ip sets.
   */
  readonly pods: { readonly rows: Uint32Array; readonly any: readonly boolean[] } | null;
}

/** The address sets of `peerSets` over `pods` (a pod bitset is `w` words). */
export function addressSets(peerSets: Interner<readonly Peer[]>, pods: readonly Pod[], options: Options, w: number, cache: CompileCache): AddressSets {
  const ipSetOf = new Uint32Array(peerSets.values.length).fill(NONE);
  const ranges: IpSetRanges[] = [];
  peerSets.values.forEach((peers, ps) => {
    const blocks = peers.flatMap((p) => (p.kind === "ipBlock" ? [p] : []));
    if (blocks.length === 0) return;
    ipSetOf[ps] = ranges.length;
    ranges.push({
      v4: blocks.flatMap((b) => (b.family === 4 ? b.ranges : [])),
      v6: blocks.flatMap((b) => (b.family === 6 ? b.ranges : [])),
    });
  });
  const peerSetOf = new Uint32Array(ranges.length);
  ipSetOf.forEach((ip, ps) => {
    if (ip !== NONE) peerSetOf[ip] = ps;
  });
  const words = (ranges.length + 31) >>> 5;
  // the ip sets by their peer sets' keys: what the cached entries were computed for
  const key = ipSetOf.length === 0 ? "" : [...peerSetOf].map((ps) => peerSets.keys[ps]!).join("\u0000");
  if (cache.intervals?.key !== key) {
    const value = new Intervals(ranges);
    const bits = new Uint32Array(value.count * words);
    ranges.forEach((r, ip) => value.mark(bits, 0, words, ip, r));
    cache.intervals = { key, value, bits };
  }
  const { value: intervals, bits: intervalBits } = cache.intervals;
  if (ranges.length === 0) return { ipSetOf, peerSetOf, count: ranges.length, words, intervals, intervalBits, pods: null };
  if (cache.ipPods?.key !== key) {
    const rows = new Uint32Array(ranges.length * w);
    pods.forEach((pod, i) => {
      if (!ipBlocksSee(pod, options)) return;
      for (const address of pod.ips) {
        const iv = (address.family === 4 ? intervals.locate4(Number(address.value)) : intervals.locate(address)) * words;
        for (let k = 0; k < words; k++) {
          for (let bits = intervalBits[iv + k]!; bits !== 0; bits &= bits - 1) {
            const ip = k * 32 + (31 - Math.clz32(bits & -bits));
            rows[ip * w + (i >>> 5)]! |= 1 << (i & 31);
          }
        }
      }
    });
    const any = ranges.map((_, ip) => rows.subarray(ip * w, ip * w + w).some((word) => word !== 0));
    cache.ipPods = { key, rows, any };
  }
  return { ipSetOf, peerSetOf, count: ranges.length, words, intervals, intervalBits, pods: cache.ipPods };
}
