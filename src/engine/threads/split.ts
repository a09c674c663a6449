/**
 * How a batch or a matrix is cut into a job for the calling thread and its workers,
 * and how the pieces are put back together: the calling thread writes its own chunks
 * straight into the result; a batch's verdicts from workers are copied from shared
 * memory, a matrix's rows are written in place (a matrix is split only into a
 * `SharedArrayBuffer`); a chunk a worker failed is redone on the calling thread. The
 * same `runs.ts` loops compute every chunk, so the result is byte for byte the
 * single-threaded one.
 */
import type { Core } from "../wasm/core.js";
import { decideRange, loadAddresses, matrixRows, prepareQuery, type ColumnSource, type Prepared } from "../wasm/runs.js";
import { C, CHUNK_STATE, type DecideJob, type MatrixJob } from "./protocol.js";
import type { Settled } from "./pool.js";

/** When splitting pays, and into what: see `DEFAULT_SPLIT`. */
export interface SplitPolicy {
  /** Batches of fewer flows stay on the calling thread. */
  readonly minFlows: number;
  /** Flows per chunk of a batch. */
  readonly chunkFlows: number;
  /** Matrices of fewer pods stay on the calling thread (and every matrix whose result is not a `SharedArrayBuffer`). */
  readonly minPods: number;
  /** A matrix is cut into about this many chunks per thread (each a run of 32-row strips), so that a busy thread takes fewer. */
  readonly chunksPerThread: number;
}

/**
 * Measured on 2 cores (`npm run bench`, threads table): a chunk of 2^17 flows costs some
 * milliseconds, against tens of microseconds to post a job; below 2^18 flows the copy
 * into shared memory and the workers' wake-up eat what a second thread saves.
 * A matrix is split only `{ into }` a SharedArrayBuffer, where every thread writes its
 * rows in place, each making only the class-matrix strips its pods need: ×1.5–1.9 at
 * 20,000 pods (×1.5 when each thread made the whole class matrix), ×1.1–1.3 at
 * 10,000, ×1.0–1.2 at 5,000, ×0.5 at 2,500 (the job's wake-up against a 0.1 ms
 * matrix), hence from 8,192 pods. Not split:
 * - `{ into }` an ordinary array: only the calling thread can write it, and copying
 *   the workers' rows into it (a read and a write of their share, on top of the
 *   workers' own writes) cost what they saved: ×0.9–1.1, at 1.4 times the CPU time.
 * - a fresh array: its cost is the kernel faulting in its new pages (at 20,000 pods,
 *   a 48 MiB array: 50–170 ms on this machine against 5 ms of rows), paid by the thread
 *   that first writes each page, so only a shared array would share it; over a fresh
 *   SharedArrayBuffer it measured ×1.6, but V8 counts no shared memory towards
 *   collection, and every worker keeps the buffer it was sent until its own next
 *   collection: 40 matrices in a loop held 2 GB. A caller wanting threads passes a
 *   shared `into` it reuses.
 */
export const DEFAULT_SPLIT: SplitPolicy = { minFlows: 1 << 18, chunkFlows: 1 << 17, minPods: 8192, chunksPerThread: 8 };

/** Where shared buffers come from (the pool's reused arena). */
export type SharedBuffers = (slot: string, bytes: number) => SharedArrayBuffer;

/** One job, ready to run: what to post, how many chunks, the calling thread's share, and how to finish. */
export interface Plan<T> {
  readonly job: DecideJob | MatrixJob;
  readonly chunks: number;
  mine(k: number): void;
  finish(settled: Settled): T;
}

/** Whether `array` already lives in shared memory (then workers read or write it in place). */
export function isShared(array: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer === "function" && array.buffer instanceof SharedArrayBuffer;
}

/** `array` itself when shared, else its copy into the shared slot. */
function sharedCopy<T extends Uint8Array | Uint16Array | Uint32Array>(array: T, slot: string, shared: SharedBuffers, make: (b: SharedArrayBuffer, n: number) => T): T {
  if (isShared(array)) return array;
  const copy = make(shared(slot, array.byteLength), array.length);
  copy.set(array);
  return copy;
}

/**
 * A batch of checked columns: `codes` is its address table as core codes. `finish`
 * gives the verdicts and the index of the first flow the core refused (or -1), as
 * one thread's `decideRange` over the whole batch would.
 */
export function batchPlan(core: Core, flows: ColumnSource, codes: Uint32Array, policy: SplitPolicy, shared: SharedBuffers): Plan<{ out: Uint8Array; bad: number }> {
  const length = flows.from.length;
  const chunkFlows = policy.chunkFlows;
  const chunks = Math.ceil(length / chunkFlows);
  const u32 = (b: SharedArrayBuffer, n: number): Uint32Array => new Uint32Array(b, 0, n);
  const columns: ColumnSource = {
    from: sharedCopy(flows.from, "from", shared, u32),
    to: sharedCopy(flows.to, "to", shared, u32),
    ports: flows.ports === undefined ? undefined : sharedCopy(flows.ports, "ports", shared, u32),
    port: flows.port === undefined ? undefined : sharedCopy(flows.port, "port", shared, (b, n) => new Uint16Array(b, 0, n)),
    protocol: flows.protocol === undefined ? undefined : sharedCopy(flows.protocol, "protocol", shared, (b, n) => new Uint8Array(b, 0, n)),
  };
  const job: DecideJob = {
    type: "decide",
    columns,
    codes: sharedCopy(codes, "codes", shared, u32),
    out: new Uint8Array(shared("out", length), 0, length),
    length,
    chunkFlows,
  };
  const out = new Uint8Array(length);
  const bad = new Int32Array(chunks).fill(-1);
  let addresses = loadAddresses(core, codes);
  const run = (k: number): void => {
    const start = k * chunkFlows;
    bad[k] = decideRange(core, flows, addresses, codes.length, start, Math.min(length, start + chunkFlows), out, start);
  };
  return {
    job,
    chunks,
    mine: run,
    finish(settled) {
      const { control } = settled;
      let first = -1;
      for (let k = 0; k < chunks; k++) {
        const state = Atomics.load(control, C.HEAD + k);
        if (state === CHUNK_STATE.FAILED) {
          // the worker's error is not the caller's: redo the chunk here (reporting the input's own error, if any)
          addresses = loadAddresses(core, codes);
          run(k);
        } else if (state === CHUNK_STATE.DONE) {
          const start = k * chunkFlows;
          const end = Math.min(length, start + chunkFlows);
          bad[k] = Atomics.load(control, C.HEAD + chunks + k);
          out.set(job.out.subarray(start, end), start);
        }
        if (first < 0 && bad[k]! >= 0) first = bad[k]!;
      }
      return { out, bad: first };
    },
  };
}

/**
 * A matrix (or one side of it, `kind`) for a checked query, into `bits` (the whole
 * matrix's words, `pods * ceil(pods / 32)`), which lives in a `SharedArrayBuffer`:
 * every thread writes its rows in place, so nothing is copied. Each thread makes
 * only the strips of the class matrix its pods need (the core's `podRows`): nothing
 * is made twice but the strips whose pods fall in chunks taken by two threads.
 */
export function matrixPlan(core: Core, kind: number, protocol: number, port: number, pods: number, bits: Uint32Array, threads: number, policy: SplitPolicy): Plan<Uint32Array> {
  // 32-row strips, as many as the words of a row
  const strips = Math.ceil(pods / 32);
  const chunkStrips = Math.max(1, Math.ceil(strips / (threads * policy.chunksPerThread)));
  const chunks = Math.ceil(strips / chunkStrips);
  const job: MatrixJob = { type: "matrix", kind, protocol, port, pods, strips, chunkStrips, bits };
  // made by the first chunk the calling thread takes, once the job is posted: the workers make theirs meanwhile
  let prepared: Prepared | null = null;
  const rows = (k: number): void => {
    prepared ??= prepareQuery(core, protocol, port, kind);
    matrixRows(core, kind, pods, prepared, k * chunkStrips, Math.min(strips, (k + 1) * chunkStrips), bits);
  };
  return {
    job,
    chunks,
    mine: rows,
    finish(settled) {
      let again = true;
      for (let k = 0; k < chunks; k++) {
        if (Atomics.load(settled.control, C.HEAD + k) !== CHUNK_STATE.FAILED) continue;
        // prepared again: an asynchronous job's caller may have used its core's transient region meanwhile
        if (again) prepared = prepareQuery(core, protocol, port, kind);
        again = false;
        rows(k);
      }
      return bits;
    },
  };
}
