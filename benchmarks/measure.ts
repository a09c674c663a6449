/**
 * One measurement: one size on one evaluator, in a process of its own so that its
 * peak memory is its own. Correctness first: the verdicts on a fixed sample of flows
 * are compared with the reference's (when given) before anything is timed, and the
 * matrix is checked cell by cell on a sample after it is built.
 *
 * The reference is never given a million flows or a full matrix: its batch rate comes
 * from the sample, its matrix time from a sample of cells times N², and both are
 * marked `scaled`. Batches use the columnar form when the engine offers it.
 */
import { createEngine } from "../src/engine/create.js";
import type { Engine, EvaluatorName, Flow } from "../src/engine/types.js";
import { columnarBatch, policyUpdate } from "./capabilities.js";
import { MATRIX_PORT, syntheticFlows, syntheticWorld, type Size } from "./synthetic.js";
import { Random } from "../test/support/random.js";

/** Flows timed on a fast evaluator. */
export const BATCH_FLOWS = 1_000_000;
/** Flows every evaluator answers for the correctness check, and the reference is timed on. */
export const SAMPLE_FLOWS = 2_000;
/** Matrix cells checked on every evaluator, and timed on the reference. */
export const SAMPLE_CELLS = 2_000;
/** Flows batched once, untimed, before the timed batch (JIT and caches warm). */
const WARM_UP = 500;

/** One row of the benchmark table. */
export interface Measurement {
  readonly size: string;
  readonly evaluator: EvaluatorName;
  readonly pods: number;
  readonly policies: number;
  /** `createEngine` wall time; null when the measurement failed. */
  readonly compileMs: number | null;
  readonly batch: {
    readonly flowsPerSecond: number;
    /** Flows actually timed. */
    readonly flows: number;
    /** Whether the rate is extrapolated from a sample. */
    readonly scaled: boolean;
    /** Whether the columnar (typed array) form was timed. */
    readonly columnar: boolean;
  } | null;
  /** One-port matrix (TCP 8080) over all pods. */
  readonly matrix: { readonly ms: number; readonly scaled: boolean } | null;
  /** Incremental update of one policy (after the timings above), when the engine has `update`. */
  readonly updateMs: number | null;
  /** Peak resident set size of the process; null when the measurement failed. */
  readonly rssPeakMB: number | null;
  /** V8 heap in use after compiling (after a GC); null when the measurement failed. */
  readonly heapMB: number | null;
  /** '0'/'1' verdicts of the sample flows, then of the sample cells. */
  readonly verdicts: string;
  /** What went wrong: its sample disagreed with the reference, or the measurement failed. */
  readonly error: string | null;
}

/** The row of a measurement that could not be made. */
export function failed(size: Size, evaluator: EvaluatorName, error: string): Measurement {
  return {
    size: size.name,
    evaluator,
    pods: size.pods,
    policies: size.policies,
    compileMs: null,
    batch: null,
    matrix: null,
    updateMs: null,
    rssPeakMB: null,
    heapMB: null,
    verdicts: "",
    error,
  };
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** `f`'s result and its wall time in milliseconds. */
function timed<T>(f: () => T): [T, number] {
  const t0 = process.hrtime.bigint();
  const out = f();
  return [out, Number(process.hrtime.bigint() - t0) / 1e6];
}

/** `f`'s resolved result and its wall time in milliseconds. */
async function timedAsync<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t0 = process.hrtime.bigint();
  const out = await f();
  return [out, Number(process.hrtime.bigint() - t0) / 1e6];
}

/** The sample cells: `SAMPLE_CELLS` (from, to) pod index pairs. */
function sampleCells(pods: number, seed: number): Array<[number, number]> {
  const random = new Random(seed);
  return Array.from({ length: SAMPLE_CELLS }, () => [random.below(pods), random.below(pods)] as [number, number]);
}

/** How two verdict strings differ (how many, and where first), as a message; null when equal. */
function compareVerdicts(got: string, want: string): string | null {
  if (got === want) return null;
  let k = 0;
  while (k < got.length && got[k] === want[k]) k++;
  const wrong = [...want].filter((v, i) => got[i] !== v).length;
  return `${wrong} of ${want.length} sample verdicts differ from the reference (first at ${k})`;
}

/** A timed batch over `flows`: columnar when the engine offers it, else flow objects. */
function batchOf(engine: Engine, flows: readonly Flow[]): { run: () => Uint8Array; columnar: boolean } {
  const columnar = columnarBatch(engine, flows);
  return columnar === null ? { run: () => engine.decideBatch(flows), columnar: false } : { run: columnar, columnar: true };
}

/**
 * Measures `evaluator` on the world of `size` (seeded). `expected` is the reference's
 * verdict string for the same sample; a mismatch stops the measurement before timing.
 * The reference is timed on the samples and scaled; a fast evaluator on a million
 * flows and a full matrix.
 */
export async function measure(size: Size, evaluator: EvaluatorName, seed: number, expected: string | null): Promise<Measurement> {
  const world = syntheticWorld(size, seed);
  const sample = syntheticFlows(world, SAMPLE_FLOWS, seed + 1);
  gc();
  const [engine, compileMs] = await timedAsync(() => createEngine({ cluster: world.cluster, policies: world.policies, evaluator }));
  gc();
  const heapMB = mb(process.memoryUsage().heapUsed);
  const base = { size: size.name, evaluator, pods: world.cluster.pods.length, policies: world.policies.length, compileMs, heapMB };
  const finish = (rest: Pick<Measurement, "batch" | "matrix" | "updateMs" | "verdicts" | "error">): Measurement => ({
    ...base,
    ...rest,
    rssPeakMB: Math.round(process.resourceUsage().maxRSS / 1024),
  });
  const flowVerdicts = engine.decideBatch(sample).join("");
  const early = expected === null ? null : compareVerdicts(flowVerdicts, expected.slice(0, SAMPLE_FLOWS));
  if (early !== null) return finish({ batch: null, matrix: null, updateMs: null, verdicts: flowVerdicts, error: early });

  const scaled = evaluator === "reference";
  const n = engine.pods.length;
  const cells = sampleCells(n, seed + 2);
  const flows = scaled ? sample : syntheticFlows(world, BATCH_FLOWS, seed + 3);
  const batch = batchOf(engine, flows);
  batchOf(engine, flows.slice(0, WARM_UP)).run();
  gc();
  const [, batchMs] = timed(batch.run);
  let cellVerdicts: string;
  let matrixMs: number;
  if (scaled) {
    const cellFlows: Flow[] = cells.map(([i, j]) => ({ from: engine.pods[i]!, to: engine.pods[j]!, ...MATRIX_PORT }));
    const [verdicts, ms] = timed(batchOf(engine, cellFlows).run);
    cellVerdicts = verdicts.join("");
    matrixMs = (ms / cells.length) * n * n;
  } else {
    const [matrix, ms] = timed(() => engine.matrix(MATRIX_PORT));
    cellVerdicts = cells.map(([i, j]) => (matrix.allowed(i, j) ? "1" : "0")).join("");
    matrixMs = ms;
  }
  const verdicts = flowVerdicts + cellVerdicts;
  const update = policyUpdate(engine, world);
  return finish({
    batch: { flowsPerSecond: (flows.length / batchMs) * 1000, flows: flows.length, scaled, columnar: batch.columnar },
    matrix: { ms: matrixMs, scaled },
    updateMs: update === null ? null : timed(update)[1],
    verdicts,
    error: expected === null ? null : compareVerdicts(verdicts, expected),
  });
}
