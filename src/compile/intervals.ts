/**
 * The address line cut at every ipBlock boundary: per family a sorted list of
 * interval starts covering the whole family (the first start is 0), so every
 * address falls in exactly one interval and all addresses of an interval lie in
 * the same ipBlocks. Interval ids number IPv4 intervals first, then IPv6.
 */
import type { Address, AddressRange } from "../ir/types.js";

/** The ranges of one ip set (a peer set holding ipBlocks), by family. */
export interface IpSetRanges {
  readonly v4: readonly AddressRange[];
  readonly v6: readonly AddressRange[];
}

const V4_END = 1n << 32n;
const V6_END = 1n << 128n;

function starts(ranges: Iterable<AddressRange>, end: bigint): bigint[] {
  const points = new Set<bigint>([0n]);
  for (const r of ranges) {
    points.add(r.first);
    if (r.last + 1n < end) points.add(r.last + 1n);
  }
  return [...points].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The last index `i` with `list[i] <= value` (list sorted, `list[0] <= value`). */
function floorIndex<T extends number | bigint>(list: ArrayLike<T>, value: T): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The interval table of a set of ip sets. */
export class Intervals {
  /** IPv4 interval starts as numbers (exact below 2^32). */
  readonly v4: Float64Array;
  readonly v6: readonly bigint[];

  constructor(sets: readonly IpSetRanges[]) {
    this.v4 = Float64Array.from(starts(sets.flatMap((s) => s.v4), V4_END), Number);
    this.v6 = starts(sets.flatMap((s) => s.v6), V6_END);
  }

  /** Intervals over both families. */
  get count(): number {
    return this.v4.length + this.v6.length;
  }

  /** The interval id of an address. */
  locate(address: Address): number {
    return address.family === 4 ? floorIndex(this.v4, Number(address.value)) : this.v4.length + floorIndex(this.v6, address.value);
  }

  /**
   * Sets bit `set` of each interval's ip-set bitset (`words` u32 per interval, from
   * `offset` in `out`) for every interval inside the ranges of ip set `set`.
   */
  mark(out: Uint32Array, offset: number, words: number, set: number, ranges: IpSetRanges): void {
    const fill = (first: number, last: number): void => {
      for (let i = first; i <= last; i++) out[offset + i * words + (set >>> 5)]! |= 1 << (set & 31);
    };
    for (const r of ranges.v4) fill(floorIndex(this.v4, Number(r.first)), floorIndex(this.v4, Number(r.last)));
    const base = this.v4.length;
    for (const r of ranges.v6) fill(base + floorIndex(this.v6, r.first), base + floorIndex(this.v6, r.last));
  }
}
