/**
 * The address line cut at every ipBlock boundary: per family a sorted list of
 * interval starts covering the whole family (the first start is 0), so every
 * address falls in exactly one interval and all addresses of an interval lie in
 * the same ipBlocks. Interval ids number IPv4 intervals first, then IPv6.
 */
import type { Address, AddressRange } from "../primitives/address.js";

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
function floorIndex(list: Float64Array, value: number): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `floorIndex` over BigInts (a function of its own: one element kind per function keeps both fast). */
function floorIndexBig(list: readonly bigint[], value: bigint): number {
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
  /** The IPv6 starts as four big-endian u32 words each, for `locate6`. */
  private readonly v6Words: Uint32Array;
  /** Per /16 prefix `p` (and `p = 65536`), the IPv4 interval of address `p << 16`: `locate4` searches only between two neighbours. */
  private readonly v4By16: Uint32Array;

  constructor(sets: readonly IpSetRanges[]) {
    this.v4 = Float64Array.from(starts(sets.flatMap((s) => s.v4), V4_END), Number);
    this.v6 = starts(sets.flatMap((s) => s.v6), V6_END);
    this.v4By16 = new Uint32Array(65537);
    for (let p = 0, i = 0; p <= 65536; p++) {
      while (i + 1 < this.v4.length && this.v4[i + 1]! <= p * 65536) i++;
      this.v4By16[p] = i;
    }
    this.v6Words = new Uint32Array(this.v6.length * 4);
    this.v6.forEach((start, i) => {
      for (let k = 0; k < 4; k++) this.v6Words[i * 4 + k] = Number((start >> BigInt(96 - 32 * k)) & 0xffffffffn);
    });
  }

  /** Intervals over both families. */
  get count(): number {
    return this.v4.length + this.v6.length;
  }

  /** The interval id of an address. */
  locate(address: Address): number {
    return address.family === 4 ? floorIndex(this.v4, Number(address.value)) : this.v4.length + floorIndexBig(this.v6, address.value);
  }

  /** The interval id of IPv4 address `value` (a u32). */
  locate4(value: number): number {
    const starts = this.v4;
    const prefix = value >>> 16;
    let lo = this.v4By16[prefix]!;
    let hi = this.v4By16[prefix + 1]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= value) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The interval id of the IPv6 address `words[at..at+3]` (big-endian u32 words). */
  locate6(words: ArrayLike<number>, at = 0): number {
    const starts = this.v6Words;
    let lo = 0;
    let hi = this.v6.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      let k = 0;
      while (k < 3 && starts[mid * 4 + k] === words[at + k]) k++;
      if (starts[mid * 4 + k]! <= words[at + k]!) lo = mid;
      else hi = mid - 1;
    }
    return this.v4.length + lo;
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
    for (const r of ranges.v6) fill(base + floorIndexBig(this.v6, r.first), base + floorIndexBig(this.v6, r.last));
  }
}
