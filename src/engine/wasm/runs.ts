/**
 * The loops that drive one core instance over part of a batch or a matrix: the same
 * code runs on the calling thread (`WasmEngine`) and in every worker
 * (`../threads/worker.ts`), so that a range gives the same bytes wherever it runs.
 */
import { CHUNK, H, HEADER_WORDS, SCRATCH, classBlockWords, workWords } from "../../compile/layout.js";
import { alignUp } from "../../primitives/limits.js";
import type { Core } from "./core.js";

/** Bytes of matrix rows the core writes per call: bounds the core's memory, not the result's. */
const BAND_BYTES = 1 << 20;

/**
 * The columns of a batch, as `decideRange` reads them: the caller's `ColumnarFlows`
 * arrays, or their copies in shared memory. The ports are packed (`ports`) or split
 * (`port` and `protocol`).
 */
export interface ColumnSource {
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  readonly ports?: Uint32Array | undefined;
  readonly port?: Uint16Array | undefined;
  readonly protocol?: Uint8Array | undefined;
}

/**
 * Copies a batch's address table (`codes`, one core code per entry) into the core's
 * transient block and returns its byte offset, for `decideRange`. Valid until the
 * next transient request.
 */
export function loadAddresses(core: Core, codes: Uint32Array): number {
  const addresses = core.transient(codes.length * 4);
  new Uint32Array(core.buffer, addresses, codes.length).set(codes);
  return addresses;
}

/**
 * Decides flows `[start, end)` of `flows` through the scratch region, CHUNK flows at
 * a time, writing flow k's verdict to `out[k - start + at]`. `addresses` is the
 * offset `loadAddresses` returned for the batch's `addressCount` codes. Returns the
 * index (in `flows`) of the first flow the core refused (an endpoint value past the
 * address table, a protocol code past SCTP, port 0), or -1; nothing after it is decided.
 */
export function decideRange(core: Core, flows: ColumnSource, addresses: number, addressCount: number, start: number, end: number, out: Uint8Array, at: number): number {
  // no memory.grow below: the views stay valid
  const buffer = core.buffer;
  const base = core.scratch;
  const split = flows.ports === undefined ? 1 : 0;
  const from = new Uint32Array(buffer, base + SCRATCH.FROM, CHUNK);
  const to = new Uint32Array(buffer, base + SCRATCH.TO, CHUNK);
  const ports = new Uint32Array(buffer, base + SCRATCH.PORT, CHUNK);
  const port16 = new Uint16Array(buffer, base + SCRATCH.PORT16, CHUNK);
  const protocol8 = new Uint8Array(buffer, base + SCRATCH.PROTOCOL8, CHUNK);
  const verdicts = new Uint8Array(buffer, base + SCRATCH.OUT, CHUNK);
  for (let first = start; first < end; first += CHUNK) {
    const last = Math.min(end, first + CHUNK);
    from.set(flows.from.subarray(first, last));
    to.set(flows.to.subarray(first, last));
    if (split === 0) ports.set(flows.ports!.subarray(first, last));
    else {
      port16.set(flows.port!.subarray(first, last));
      protocol8.set(flows.protocol!.subarray(first, last));
    }
    const bad = core.exports.decide(base, last - first, addresses, addressCount, split);
    if (bad >= 0) return first + bad;
    out.set(verdicts.subarray(0, last - first), at + first - start);
  }
  return -1;
}

/** Where `prepareQuery` put the class block and the band of pod rows. */
export interface Prepared {
  readonly classes: number;
  readonly out: number;
}

/**
 * Pod rows the core writes per band for `n` pods (bounded by `BAND_BYTES`): whole
 * 32-row strips, so that every band starts 8-byte aligned in the matrix. A copy into
 * shared memory (a worker's rows, a shared `into`) goes byte by byte when source and
 * destination are not aligned alike (measured six times slower): with 419-row bands
 * of 2,500-byte rows (20,000 pods), every other band of a 20k-pod matrix was.
 */
function bandRows(n: number): number {
  const strips = Math.floor(BAND_BYTES / (Math.ceil(n / 32) * 128));
  return Math.min(n, Math.max(1, strips) * 32);
}

/**
 * Computes the core's work rows for (`protocol` code, `port`) and starts the class
 * matrix of `kind` (`MATRIX_BOTH`, `MATRIX_EGRESS`, `MATRIX_INGRESS`), with room for a
 * band of pod rows after them, for `matrixRows`. The class matrix's strips are made as
 * `matrixRows` first needs them: a thread writing some rows makes only theirs.
 */
export function prepareQuery(core: Core, protocol: number, port: number, kind: number): Prepared {
  const header = new Uint32Array(core.buffer, core.tables, HEADER_WORDS);
  const n = header[H.PODS]!;
  const workBytes = alignUp(workWords(header) * 4);
  const classBytes = alignUp(classBlockWords(header) * 4);
  const work = core.work(workBytes + classBytes + bandRows(n) * Math.ceil(n / 32) * 4);
  core.exports.prepare(work, protocol, port);
  core.exports.classMatrix(work + workBytes, kind);
  return { classes: work + workBytes, out: work + workBytes + classBytes };
}

/**
 * Writes the pod rows of strips `[firstStrip, endStrip)` (rows `32 * firstStrip` up to
 * `32 * endStrip`, at most `n`) of `kind` into `bits`, the whole matrix's words
 * (`n * ceil(n / 32)`), at their own place, a band at a time. `prepared` is what
 * `prepareQuery` returned for the same kind.
 */
export function matrixRows(core: Core, kind: number, n: number, prepared: Prepared, firstStrip: number, endStrip: number, bits: Uint32Array): void {
  const words = Math.ceil(n / 32);
  const step = bandRows(n);
  const last = Math.min(n, endStrip * 32);
  for (let first = firstStrip * 32; first < last; first += step) {
    const end = Math.min(last, first + step);
    core.exports.podRows(prepared.out, prepared.classes, kind, first, end);
    bits.set(new Uint32Array(core.buffer, prepared.out, (end - first) * words), first * words);
  }
}
