/**
 * What the calling thread and its workers say to each other, and the layout of a
 * job's control words. A job is cut into chunks (a range of flows, or of matrix
 * strips); the calling thread and every worker take chunks in order from one shared
 * counter until none is left, so a slow or still-starting worker takes fewer and
 * nobody waits for it to start. Each chunk is written by exactly one thread.
 */
import type { ColumnSource } from "../wasm/runs.js";

/**
 * The control block of one job, an `Int32Array` over a `SharedArrayBuffer` of
 * `controlWords(chunks)` words: `NEXT`, the next chunk to take (taken with
 * `Atomics.add`; past the last, nothing is left); `SETTLED`, how many chunks workers
 * have finished or failed (the calling thread waits on it); then, per chunk k, its
 * state at `HEAD + k` (`OPEN` while the calling thread or nobody has it) and, for a
 * batch, at `HEAD + chunks + k` the index of the first flow the core refused, or -1.
 */
export const C = { NEXT: 0, SETTLED: 1, HEAD: 2 } as const;

/** A chunk's state in the control block. */
export const CHUNK_STATE = { OPEN: 0, DONE: 1, FAILED: 2 } as const;

/** Words of the control block of a job of `chunks` chunks. */
export function controlWords(chunks: number): number {
  return C.HEAD + 2 * chunks;
}

/** A batch job: flows `[k * chunkFlows, (k + 1) * chunkFlows)` are chunk k. Arrays over shared memory. */
export interface DecideJob {
  readonly type: "decide";
  readonly columns: ColumnSource;
  /** The batch's address table as core codes. */
  readonly codes: Uint32Array;
  /** Verdicts of the chunks workers take, at their flows' places. */
  readonly out: Uint8Array;
  readonly length: number;
  readonly chunkFlows: number;
}

/** A matrix job: strips `[k * chunkStrips, (k + 1) * chunkStrips)` are chunk k. */
export interface MatrixJob {
  readonly type: "matrix";
  /** `MATRIX_BOTH`, `MATRIX_EGRESS` or `MATRIX_INGRESS`. */
  readonly kind: number;
  /** Protocol code (`PROTOCOLS` order) and port of the query. */
  readonly protocol: number;
  readonly port: number;
  readonly pods: number;
  readonly strips: number;
  readonly chunkStrips: number;
  /** The whole matrix's words, over a `SharedArrayBuffer`; each thread writes its chunks' rows at their places. */
  readonly bits: Uint32Array;
}

/** Messages to a worker, handled in the order sent. */
export type ToWorker =
  /** The compiled core: the worker instantiates it once. */
  | { readonly type: "init"; readonly module: WebAssembly.Module }
  /** The tables of compile `generation`, copied once per compile into shared memory; the worker copies them into its own instance. */
  | { readonly type: "tables"; readonly generation: number; readonly tables: Uint32Array }
  /** A job on the tables of `generation`; `control` is its control block. */
  | { readonly type: "job"; readonly id: number; readonly generation: number; readonly control: Int32Array; readonly job: DecideJob | MatrixJob };

/** Messages from a worker. */
export type FromWorker =
  /** The worker finished the chunks it took of job `id`. */
  | { readonly type: "settled"; readonly id: number }
  /** Something failed in the worker (the chunk it held is marked FAILED and redone by the calling thread); it takes no more work. */
  | { readonly type: "failed" };
