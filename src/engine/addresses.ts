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

/** The address tables: IPv4 and IPv6 slots, as `PodAddresses` describes them. */
interface Slots {
  /** IPv4 slots: the address, then the pod index + 1 (0: empty). */
  readonly v4: Uint32Array;
  readonly v4Mask: number;
  /** IPv6 slots: 4 words of the address, then the pod index + 1 (0: empty). */
  readonly v6: Uint32Array;
  readonly v6Mask: number;
}

/** Open-addressing table size (a power of two, at least 16) for `count` entries at most half full. */
function capacity(count: number): number {
  let c = 16;
  while (c < count * 2) c *= 2;
  return c;
}

/** IPv4 slot of `value` in `v4` (mask `mask`): the slot holding it, or the empty slot where it would go. */
function slot4(v4: Uint32Array, mask: number, value: number): number {
  for (let slot = (Math.imul(value ^ (value >>> 16), 0x45d9f3b) ^ (value >>> 7)) & mask; ; slot = (slot + 1) & mask) {
    if (v4[slot * 2 + 1] === 0 || v4[slot * 2] === value) return slot;
  }
}

/** IPv6 slot of `words[at..at+3]` in `v6` (mask `mask`), as `slot4`. */
function slot6(v6: Uint32Array, mask: number, words: ArrayLike<number>, at: number): number {
  for (let slot = hash6(words, at) & mask; ; slot = (slot + 1) & mask) {
    const base = slot * 5;
    if (v6[base + 4] === 0) return slot;
    if (v6[base] === words[at] && v6[base + 1] === words[at + 1] && v6[base + 2] === words[at + 2] && v6[base + 3] === words[at + 3]) return slot;
  }
}

/**
 * The tables of the pods' addresses, in pod order: the first pod listing an address
 * keeps it. IPv4 addresses are read from their value, IPv6 ones from their canonical
 * text (which scans to the same words, without BigInt arithmetic).
 */
function buildSlots(pods: ReadonlyArray<{ readonly index: number; readonly ips: readonly Address[] }>): Slots {
  let count4 = 0;
  let count6 = 0;
  for (const pod of pods) {
    for (const ip of pod.ips) {
      if (ip.family === 4) count4++;
      else count6++;
    }
  }
  const v4Mask = capacity(count4) - 1;
  const v4 = new Uint32Array((v4Mask + 1) * 2);
  const v6Mask = capacity(count6) - 1;
  const v6 = new Uint32Array((v6Mask + 1) * 5);
  const words = new Uint32Array(4);
  for (const pod of pods) {
    for (const ip of pod.ips) {
      if (ip.family === 4) {
        const value = Number(ip.value);
        const slot = slot4(v4, v4Mask, value);
        if (v4[slot * 2 + 1] !== 0) continue; // the first pod keeps it
        v4[slot * 2] = value;
        v4[slot * 2 + 1] = pod.index + 1;
      } else if (scanAddress(ip.text, words) === 6) {
        const slot = slot6(v6, v6Mask, words, 0);
        if (v6[slot * 5 + 4] !== 0) continue; // the first pod keeps it
        v6.set(words, slot * 5);
        v6[slot * 5 + 4] = pod.index + 1;
      }
    }
  }
  return { v4, v4Mask, v6, v6Mask };
}

/**
 * The pod owning each address of a cluster, looked up by number. Immutable: the
 * tables are built on the first lookup (an engine answering only by pod name never
 * builds them), from the pod list given, which is never changed.
 */
export class PodAddresses {
  private tables: Slots | null = null;
  private readonly scratch = new Uint32Array(4);

  private constructor(private readonly pods: ReadonlyArray<{ readonly index: number; readonly ips: readonly Address[] }>) {}

  /** The index of the pods' (or nodes') addresses (`pods[i].index` is `i`). */
  static of(pods: ReadonlyArray<{ readonly index: number; readonly ips: readonly Address[] }>): PodAddresses {
    return new PodAddresses(pods);
  }

  private get slots(): Slots {
    return (this.tables ??= buildSlots(this.pods));
  }

  /** The pod owning IPv4 address `value` (a u32), or -1. */
  find4(value: number): number {
    const { v4, v4Mask } = this.slots;
    return v4[slot4(v4, v4Mask, value) * 2 + 1]! - 1;
  }

  /** The pod owning the IPv6 address `words[at..at+3]` (big-endian u32 words), or -1. */
  find6(words: ArrayLike<number>, at = 0): number {
    const { v6, v6Mask } = this.slots;
    return v6[slot6(v6, v6Mask, words, at) * 5 + 4]! - 1;
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
