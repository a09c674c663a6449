/**
 * A reachability matrix over the cluster's pods for one port and protocol.
 *
 * Bit layout of `bits`: row-major, one row per source pod, each row `words` u32 words
 * long (`words = ceil(N / 32)`); destination j of row i is bit `j & 31` of word
 * `i * words + (j >>> 5)`. Unused high bits of a row's last word are zero.
 */
import type { Protocol } from "../primitives/kubernetes.js";

/** The verdicts of every (source pod, destination pod) pair on one port. */
export class ReachabilityMatrix {
  /** u32 words per row. */
  readonly words: number;

  constructor(
    /** Pod ids in cluster order; row and column index space. */
    readonly pods: readonly string[],
    readonly protocol: Protocol,
    readonly port: number,
    /** The raw bits, laid out as the module comment says. */
    readonly bits: Uint32Array,
  ) {
    this.words = (pods.length + 31) >>> 5;
    if (bits.length !== this.words * pods.length) throw new RangeError("matrix bits do not fit the pod count");
  }

  /** Whether pod `from` may reach pod `to` (indexes into `pods`). */
  allowed(from: number, to: number): boolean {
    return ((this.bits[from * this.words + (to >>> 5)]! >>> (to & 31)) & 1) === 1;
  }

  /** The destinations pod `from` may reach, as indexes. */
  *row(from: number): IterableIterator<number> {
    for (let j = 0; j < this.pods.length; j++) if (this.allowed(from, j)) yield j;
  }

  /** The sources that may reach pod `to`, as indexes. */
  *column(to: number): IterableIterator<number> {
    for (let i = 0; i < this.pods.length; i++) if (this.allowed(i, to)) yield i;
  }

  /** How many pairs are allowed. */
  count(): number {
    let n = 0;
    for (const w of this.bits) {
      let v = w - ((w >>> 1) & 0x55555555);
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      n += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
    }
    return n;
  }

  /** Row strings of '1'/'0' keyed by pod id: the conformance format's `matrix`. */
  toJSON(): { protocol: Protocol; port: number; pods: readonly string[]; matrix: Record<string, string> } {
    const matrix: Record<string, string> = Object.create(null) as Record<string, string>;
    this.pods.forEach((id, i) => {
      let row = "";
      for (let j = 0; j < this.pods.length; j++) row += this.allowed(i, j) ? "1" : "0";
      matrix[id] = row;
    });
    return { protocol: this.protocol, port: this.port, pods: this.pods, matrix };
  }

  /** Builds a matrix cell by cell from a predicate (the reference path). */
  static fromPredicate(
    pods: readonly string[],
    protocol: Protocol,
    port: number,
    allowed: (from: number, to: number) => boolean,
  ): ReachabilityMatrix {
    const words = (pods.length + 31) >>> 5;
    const bits = new Uint32Array(words * pods.length);
    for (let i = 0; i < pods.length; i++) {
      for (let j = 0; j < pods.length; j++) if (allowed(i, j)) bits[i * words + (j >>> 5)]! |= 1 << (j & 31);
    }
    return new ReachabilityMatrix(pods, protocol, port, bits);
  }
}
