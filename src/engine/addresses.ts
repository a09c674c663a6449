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
import { PodSlots } from "./pod-slots.js";

const MASK32 = 0xffffffffn;

/** The tables of an index not built yet. */
const EMPTY = new Uint32Array(0);

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

/**
 * The tables of an index, shared by the indexes that pod additions and removals make
 * from it: `v4` slots of (address, pod slot + 1), `v6` slots of (four big-endian
 * words, pod slot + 1), 0 marking an empty slot, each a power of two of slots, `used`
 * of them taken; `latest` is the index that may add to them. A pod's slot
 * (`PodSlots`) never changes: an address keeps its entry when its pod is removed,
 * and the indexes that see that slot dead answer -1 for it.
 */
interface Tables {
  readonly v4: Uint32Array;
  readonly v6: Uint32Array;
  readonly used: [number, number];
  latest: PodAddresses | null;
}

/** Pods (or nodes) with their addresses, as an index takes them. */
type Holders = ReadonlyArray<{ readonly index: number; readonly ips: readonly Address[] }>;

/**
 * The pod owning each address of a cluster, looked up by number. Immutable to its
 * holders: an index made by `with` or `without` shares the same tables, and each
 * index sees only the pods of its own slots. An index made by `of` builds its tables
 * on first use (a lookup or `with`): an engine answering only by pod name never builds them.
 */
export class PodAddresses {
  private readonly scratch = new Uint32Array(4);
  private tables: Tables | null = null;
  /** The pods whose addresses are still to be put in tables (`of`), or null once they are. */
  private pending: Holders | null = null;
  private v4: Uint32Array = EMPTY;
  private v6: Uint32Array = EMPTY;
  private v4Mask = 0;
  private v6Mask = 0;

  private constructor(
    /** The tables, or the pods to build them from on first use (never changed: they are a model's). */
    source: Tables | Holders,
    /** The slots of the pods (or nodes) this index holds. */
    private readonly slots: PodSlots,
  ) {
    if (Array.isArray(source)) this.pending = source as Holders;
    else this.bind(source as Tables);
  }

  /** The index of the pods' (or nodes') addresses (`pods[i].index` is `i`); the first pod listing an address keeps it. */
  static of(pods: Holders): PodAddresses {
    return new PodAddresses(pods, PodSlots.dense(pods.length));
  }

  private bind(tables: Tables): void {
    this.tables = tables;
    [this.v4, this.v6] = [tables.v4, tables.v6];
    this.v4Mask = this.v4.length / 2 - 1;
    this.v6Mask = this.v6.length / 5 - 1;
  }

  /** The tables, built from the pending pods when this is their first use. */
  private built(): Tables {
    if (this.tables !== null) return this.tables;
    const pods = this.pending!;
    this.pending = null;
    let v4 = 0;
    let v6 = 0;
    for (const pod of pods) {
      for (const ip of pod.ips) {
        if (ip.family === 4) v4++;
        else v6++;
      }
    }
    const slots = (count: number): number => {
      let c = 16;
      while (c < count * 2) c *= 2;
      return c;
    };
    const tables: Tables = { v4: new Uint32Array(slots(v4) * 2), v6: new Uint32Array(slots(v6) * 5), used: [0, 0], latest: this };
    this.bind(tables);
    for (const pod of pods) this.add(pod, pod.index);
    return tables;
  }

  /**
   * This index and the addresses of `pod` (the next pod, index `size`) where no
   * indexed pod has them; null when the tables would be more than half full, when a
   * later index shares them, or when a removed pod's entry holds one of the
   * addresses (`of` then makes new ones).
   */
  with(pod: { readonly index: number; readonly ips: readonly Address[] }): PodAddresses | null {
    const tables = this.built();
    const v4 = pod.ips.filter((ip) => ip.family === 4).length;
    const v6 = pod.ips.length - v4;
    if (tables.latest !== this || pod.index !== this.slots.size) return null;
    // at most half of each table's slots (2 words an IPv4 slot, 5 an IPv6 one) taken
    if ((tables.used[0] + v4) * 2 * 2 > this.v4.length || (tables.used[1] + v6) * 2 * 5 > this.v6.length) return null;
    if (this.slots.dead.length > 0 && pod.ips.some((ip) => this.get(ip) === undefined && this.held(ip))) return null;
    const next = new PodAddresses(tables, this.slots.next());
    tables.latest = next;
    next.add(pod, this.slots.limit);
    return next;
  }

  /**
   * This index without pod `removed` (later pods move down one index), `pods` being
   * the pods left; an index of its own (`of`, built on first use) when the tables
   * are not built yet, or when `removed` runs on the host network (another pod may
   * list its addresses, and would own them now).
   */
  without(removed: { readonly index: number; readonly hostNetwork: boolean }, pods: Holders): PodAddresses {
    const slots = this.slots.without(removed.index);
    // past half the slots dead, new tables cost less than the dead entries they hold
    if (this.tables === null || removed.hostNetwork || slots.dead.length * 2 > slots.limit) return PodAddresses.of(pods);
    const next = new PodAddresses(this.tables, slots);
    if (this.tables.latest === this) this.tables.latest = next;
    return next;
  }

  /** Puts `pod`'s addresses into the tables, under `slot`, where no earlier pod has them. */
  private add(pod: { readonly ips: readonly Address[] }, slot: number): void {
    const used = this.tables!.used;
    for (const ip of pod.ips) {
      if (ip.family === 4) {
        const value = Number(ip.value);
        const at = this.slot4(value);
        if (this.v4[at * 2 + 1] !== 0) continue; // the first pod keeps it
        this.v4[at * 2] = value;
        this.v4[at * 2 + 1] = slot + 1;
        used[0]++;
        // the canonical text scans to the same words, without BigInt arithmetic
      } else if (scanAddress(ip.text, this.scratch) === 6) {
        const at = this.slot6(this.scratch, 0);
        if (this.v6[at * 5 + 4] !== 0) continue;
        this.v6.set(this.scratch, at * 5);
        this.v6[at * 5 + 4] = slot + 1;
        used[1]++;
      }
    }
  }

  /** Whether the tables have an entry for `ip` (its pod's slot alive here or not). */
  private held(ip: Address): boolean {
    if (ip.family === 4) return this.v4[this.slot4(Number(ip.value)) * 2 + 1] !== 0;
    words6(ip.value, this.scratch, 0);
    return this.v6[this.slot6(this.scratch, 0) * 5 + 4] !== 0;
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

  /** The pod owning IPv4 address `value` (a u32), or -1 (at once when the tables hold no IPv4 address: many clusters list no node addresses). */
  find4(value: number): number {
    if (this.built().used[0] === 0) return -1;
    const slot = this.v4[this.slot4(value) * 2 + 1]! - 1;
    return slot < 0 ? -1 : this.slots.indexOf(slot);
  }

  /** The pod owning the IPv6 address `words[at..at+3]` (big-endian u32 words), or -1 (at once when the tables hold no IPv6 address). */
  find6(words: ArrayLike<number>, at = 0): number {
    if (this.built().used[1] === 0) return -1;
    const slot = this.v6[this.slot6(words, at) * 5 + 4]! - 1;
    return slot < 0 ? -1 : this.slots.indexOf(slot);
  }

  /** The pod owning `address`, or undefined. */
  get(address: Address): number | undefined {
    // built before `scratch` holds the address: building uses it too
    if (this.tables === null) this.built();
    let pod: number;
    if (address.family === 4) pod = this.find4(Number(address.value));
    else {
      words6(address.value, this.scratch, 0);
      pod = this.find6(this.scratch);
    }
    return pod < 0 ? undefined : pod;
  }
}
