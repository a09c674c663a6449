/**
 * Pods by address, keyed by number: an IPv4 address by its u32 value, an IPv6
 * address by its four big-endian u32 words, each family in an open-addressing table
 * of u32 slots (no Map: IPv4 values past 2^31 would be heap numbers as Map keys). Lookups
 * take scanned words (`scanAddress`), so a batch resolves its addresses without
 * building an `Address`, a BigInt or a canonical text per address.
 *
 * A shared (host-network) address stands for the first pod listing it, as the
 * cluster order gives it. The same table indexes nodes by their addresses.
 */
import { scanAddress, type Address } from "../primitives/address.js";

const MASK32 = 0xffffffffn;

/** Four big-endian u32 words of a 128-bit value. */
function words6(value: bigint, out: Uint32Array, at: number): void {
  out[at] = Number((value >> 96n) & MASK32);
  out[at + 1] = Number((value >> 64n) & MASK32);
  out[at + 2] = Number((value >> 32n) & MASK32);
  out[at + 3] = Number(value & MASK32);
}

function hash6(words: ArrayLike<number>, at: number): number {
  let h = Math.imul(words[at]! ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ words[at + 1]! ^ (h >>> 15), 0xc2b2ae35);
  h = Math.imul(h ^ words[at + 2]! ^ (h >>> 13), 0x85ebca6b);
  h = Math.imul(h ^ words[at + 3]! ^ (h >>> 16), 0xc2b2ae35);
  return (h ^ (h >>> 15)) >>> 0;
}

/** The pod owning each address of a cluster, looked up by number. Immutable once built. */
export class PodAddresses {
  /** IPv4 slots: the address, then the pod index + 1 (0: empty). */
  private readonly v4: Uint32Array;
  private readonly v4Mask: number;
  /** IPv6 slots: 4 words of the address, then the pod index + 1 (0: empty). */
  private readonly v6: Uint32Array;
  private readonly v6Mask: number;
  /** Whether any address of each family is indexed: a lookup in an empty family (most clusters list no node IPv6, many no node at all) hashes nothing. */
  private readonly any4: boolean;
  private readonly any6: boolean;
  private readonly scratch = new Uint32Array(4);

  /**
   * `v4`: pairs (address, pod index); `v6`: runs of five (four big-endian words of the
   * address, pod index). The first pod listing an address keeps it.
   */
  private constructor(v4: readonly number[], v6: readonly number[]) {
    const capacity = (count: number): number => {
      let c = 16;
      while (c < count * 2) c *= 2;
      return c;
    };
    this.any4 = v4.length > 0;
    this.any6 = v6.length > 0;
    this.v4Mask = capacity(v4.length / 2) - 1;
    this.v4 = new Uint32Array((this.v4Mask + 1) * 2);
    for (let k = 0; k < v4.length; k += 2) {
      const value = v4[k]!;
      const slot = this.slot4(value);
      if (this.v4[slot * 2 + 1] !== 0) continue; // the first pod keeps it
      this.v4[slot * 2] = value;
      this.v4[slot * 2 + 1] = v4[k + 1]! + 1;
    }
    this.v6Mask = capacity(v6.length / 5) - 1;
    this.v6 = new Uint32Array((this.v6Mask + 1) * 5);
    for (let k = 0; k < v6.length; k += 5) {
      const slot = this.slot6(v6, k);
      if (this.v6[slot * 5 + 4] !== 0) continue; // the first pod keeps it
      for (let j = 0; j < 4; j++) this.v6[slot * 5 + j] = v6[k + j]!;
      this.v6[slot * 5 + 4] = v6[k + 4]! + 1;
    }
  }

  /** The index of the pods' (or nodes') addresses (`pods[i].index` is `i`). */
  static of(pods: ReadonlyArray<{ readonly index: number; readonly ips: readonly Address[] }>): PodAddresses {
    const v4: number[] = [];
    const v6: number[] = [];
    const words = new Uint32Array(4);
    for (const pod of pods) {
      for (const ip of pod.ips) {
        if (ip.family === 4) v4.push(Number(ip.value), pod.index);
        // the canonical text scans to the same words, without BigInt arithmetic
        else if (scanAddress(ip.text, words) === 6) v6.push(words[0]!, words[1]!, words[2]!, words[3]!, pod.index);
      }
    }
    return new PodAddresses(v4, v6);
  }

  /** The slot holding IPv4 address `value`, or the empty slot where it would go. */
  private slot4(value: number): number {
    const table = this.v4;
    for (let slot = (Math.imul(value ^ (value >>> 16), 0x45d9f3b) ^ (value >>> 7)) & this.v4Mask; ; slot = (slot + 1) & this.v4Mask) {
      if (table[slot * 2 + 1] === 0 || table[slot * 2] === value) return slot;
    }
  }

  /** The slot holding the IPv6 address `words[at..at+3]`, or the empty slot where it would go. */
  private slot6(words: ArrayLike<number>, at: number): number {
    const table = this.v6;
    for (let slot = hash6(words, at) & this.v6Mask; ; slot = (slot + 1) & this.v6Mask) {
      const base = slot * 5;
      if (table[base + 4] === 0) return slot;
      if (table[base] === words[at] && table[base + 1] === words[at + 1] && table[base + 2] === words[at + 2] && table[base + 3] === words[at + 3]) return slot;
    }
  }

  /** The pod owning IPv4 address `value` (a u32), or -1. */
  find4(value: number): number {
    return this.any4 ? this.v4[this.slot4(value) * 2 + 1]! - 1 : -1;
  }

  /** The pod owning the IPv6 address `words[at..at+3]` (big-endian u32 words), or -1. */
  find6(words: ArrayLike<number>, at = 0): number {
    return this.any6 ? this.v6[this.slot6(words, at) * 5 + 4]! - 1 : -1;
  }

  /** The pod owning `address`, or undefined. */
  get(address: Address): number | undefined {
    let pod: number;
    if (address.family === 4) pod = this.find4(Number(address.value));
    else {
      words6(address.value, this.scratch, 0);
      pod = this.find6(this.scratch);
    }
    return pod < 0 ? undefined : pod;
  }
}
