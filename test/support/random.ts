/**
 * A small seeded pseudo-random generator (mulberry32) for data that must be
 * reproducible from one integer: the flows of a differential run, the synthetic
 * clusters of the benchmarks. Not for anything that needs real randomness.
 */

/** A deterministic stream of pseudo-random numbers from a 32-bit seed. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** An integer in [lo, hi], inclusive. */
  between(lo: number, hi: number): number {
    return lo + this.below(hi - lo + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty array");
    return items[this.below(items.length)]!;
  }

  /** A uniformly random bigint in [0, 2^bits). */
  bits(bits: number): bigint {
    let out = 0n;
    for (let done = 0; done < bits; done += 32) out = (out << 32n) | BigInt(Math.floor(this.next() * 4294967296));
    return out & ((1n << BigInt(bits)) - 1n);
  }

  /** The items in a random order (a new array). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }
}
