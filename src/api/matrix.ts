/**
 * A reachability matrix over the cluster's pods for one port and protocol.
 *
 * Bit layout of `bits`: row-major, one row per source pod, each row `words` u32 words
 * long (`words = ceil(N / 32)`); destination j of row i is bit `j & 31` of word
 * `i * words + (j >>> 5)`. Unused high bits of a row's last word are zero.
 */
import { NetpolValidationError, quote } from "../primitives/issues.js";
import { PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import { checkTextLength, matrixWords } from "../primitives/limits.js";

/**
 * A zeroed matrix bit array for `n` pods (`n` rows of `ceil(n / 32)` words); throws
 * `NetpolValidationError` with the size when no typed array holds it or the host
 * cannot allocate it.
 */
export function allocateMatrix(n: number): Uint32Array {
  const words = matrixWords(n);
  try {
    return new Uint32Array(words);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const mib = Math.ceil((words * 4) / 2 ** 20).toLocaleString("en");
    const message = `a reachability matrix of ${n.toLocaleString("en")} × ${n.toLocaleString("en")} pods needs ${mib} MiB, which this host could not allocate: use counts(), or give matrix() a buffer ({ into })`;
    throw new NetpolValidationError([{ path: "cluster.pods", message }]);
  }
}

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
    const issues: Array<{ path: string; message: string }> = [];
    if (!Array.isArray(pods) || !pods.every((p) => typeof p === "string")) issues.push({ path: "pods", message: `expected an array of pod ids, got ${quote(pods)}` });
    if (!PROTOCOLS.includes(protocol)) issues.push({ path: "protocol", message: `unsupported value ${quote(protocol)}: supported values: "SCTP", "TCP", "UDP"` });
    if (!Number.isInteger(port) || port < 1 || port > 65535) issues.push({ path: "port", message: `invalid value ${quote(port)}: must be between 1 and 65535, inclusive` });
    const n = Array.isArray(pods) ? pods.length : 0;
    if (!(bits instanceof Uint32Array) || (issues.length === 0 && bits.length !== matrixWords(n))) {
      issues.push({ path: "bits", message: `expected a Uint32Array of ${n} rows of ${Math.ceil(n / 32)} words, got ${bits instanceof Uint32Array ? `${bits.length} words` : quote(bits)}` });
    }
    if (issues.length > 0) throw new NetpolValidationError(issues);
    this.words = Math.ceil(n / 32);
  }

  /** Throws unless `i` is a pod index of this matrix. */
  private check(i: unknown, name: string): asserts i is number {
    if (typeof i !== "number" || !Number.isInteger(i) || i < 0 || i >= this.pods.length) {
      throw new NetpolValidationError([{ path: name, message: `invalid value ${quote(i)}: must be a pod index from 0 to ${this.pods.length - 1}` }]);
    }
  }

  /** The cell, unchecked: for loops over valid indexes. */
  private bit(from: number, to: number): boolean {
    return ((this.bits[from * this.words + (to >>> 5)]! >>> (to & 31)) & 1) === 1;
  }

  /** Whether pod `from` may reach pod `to` (indexes into `pods`); throws `NetpolValidationError` for any other index. */
  allowed(from: number, to: number): boolean {
    this.check(from, "from");
    this.check(to, "to");
    return this.bit(from, to);
  }

  /** The destinations pod `from` may reach, as indexes. */
  row(from: number): IterableIterator<number> {
    this.check(from, "from");
    return this.rowOf(from);
  }

  private *rowOf(from: number): IterableIterator<number> {
    for (let j = 0; j < this.pods.length; j++) if (this.bit(from, j)) yield j;
  }

  /** The sources that may reach pod `to`, as indexes. */
  column(to: number): IterableIterator<number> {
    this.check(to, "to");
    return this.columnOf(to);
  }

  private *columnOf(to: number): IterableIterator<number> {
    for (let i = 0; i < this.pods.length; i++) if (this.bit(i, to)) yield i;
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

  /**
   * Row strings of '1'/'0' keyed by pod id: the conformance format's `matrix`. Throws
   * `NetpolValidationError` when that text (N² characters and the ids) could not be one
   * string, as `JSON.stringify` would need: read `bits`, `row` or `allowed` instead.
   */
  toJSON(): { protocol: Protocol; port: number; pods: readonly string[]; matrix: Record<string, string> } {
    let ids = 0;
    for (const id of this.pods) ids += 2 * id.length + 8;
    const n = this.pods.length;
    checkTextLength(n * n + ids, "", `the JSON of a matrix of ${n} pods`, "read bits, row() or allowed() instead");
    const matrix: Record<string, string> = Object.create(null) as Record<string, string>;
    this.pods.forEach((id, i) => {
      let row = "";
      for (let j = 0; j < this.pods.length; j++) row += this.bit(i, j) ? "1" : "0";
      matrix[id] = row;
    });
    return { protocol: this.protocol, port: this.port, pods: this.pods, matrix };
  }

  /** Builds a matrix cell by cell from a predicate (the reference path), into `into` (zeroed first) when given. */
  static fromPredicate(
    pods: readonly string[],
    protocol: Protocol,
    port: number,
    allowed: (from: number, to: number) => boolean,
    into: Uint32Array | null = null,
  ): ReachabilityMatrix {
    const words = Math.ceil(pods.length / 32);
    const bits = into === null ? allocateMatrix(pods.length) : into.fill(0);
    for (let i = 0; i < pods.length; i++) {
      for (let j = 0; j < pods.length; j++) if (allowed(i, j)) bits[i * words + (j >>> 5)]! |= 1 << (j & 31);
    }
    return new ReachabilityMatrix(pods, protocol, port, bits);
  }
}
