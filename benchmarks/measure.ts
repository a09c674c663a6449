/**
 * One measurement: one size on one evaluator, in a process of its own so that its
 * peak memory is its own. Correctness first: the verdicts on a fixed sample of flows
 * are compared with the reference's (when given) before anything is timed, and the
 * matrix is checked cell by cell on a sample after it is built.
 *
 * The reference is never given a million flows or a full matrix: its batch rate comes
 * from the sample, its matrix time from a sample of cells times N², and both are
 * marked `scaled`. Batches use the columnar form when the engine offers it, encoded
 * before timing; a batch is run once untimed (JIT and caches warm), then timed
 * `BATCH_RUNS` times and its median kept. Updates likewise: one warm-up, then the
 * median of `UPDATE_RUNS`, each changing the policy.
 */
import { createEngine } from "../src/engine/create.js";
import { loadModel } from "../src/engine/model.js";
import { ReferenceEngine } from "../src/engine/reference-engine.js";
import type { Engine, EngineInput, EvaluatorName, Flow } from "../src/api/engine.js";
import { loadModule } from "../src/engine/wasm/core.js";
import { WasmEngine } from "../src/engine/wasm/engine.js";
import { columnarBatch, policyUpdate } from "./capabilities.js";
import { MATRIX_PORT, syntheticFlows, syntheticWorld, type Size } from "./synthetic.js";
import { Random } from "../test/support/random.js";

/** Flows timed on a fast evaluator. */
export const BATCH_FLOWS = 1_000_000;
/** Flows every evaluator answers for the correctness check, and the reference is timed on. */
export const SAMPLE_FLOWS = 2_000;
/** Matrix cells checked on every evaluator, and timed on the reference. */
export const SAMPLE_CELLS = 2_000;
/** Timed runs of a batch (after one untimed run); the median is kept. */
export const BATCH_RUNS = 3;
/** Timed policy updates (after one untimed update); the median is kept. */
export const UPDATE_RUNS = 5;
/** Further engine builds timed after everything else (their memory is not in the peak). */
export const WARM_BUILDS = 3;

/** One row of the benchmark table. */
export interface Measurement {
  readonly size: string;
  readonly evaluator: EvaluatorName;
  readonly pods: number;
  readonly policies: number;
  /** `createEngine` wall time, the first in a fresh process (cold JIT); null when the measurement failed. */
  readonly compileMs: number | null;
  /** `createEngine` wall time once the process has built an engine before (warm JIT), median of `WARM_BUILDS`. */
  readonly warmCompileMs: number | null;
  /**
   * The part of `compileMs` after the input is loaded (decoded, validated, normalized):
   * building the evaluator from the model, for WASM the table compile and the
   * instance (the module's own compile is cached per process, and counted in neither).
   */
  readonly tablesMs: number | null;
  readonly batch: {
    /** Median of `BATCH_RUNS` timed runs over the whole mix. */
    readonly flowsPerSecond: number;
    /** The same for the mix's pod-to-pod flows alone (no address to resolve); null when not columnar. */
    readonly podToPodFlowsPerSecond: number | null;
    /** Flows actually timed. */
    readonly flows: number;
    /** Whether the rate is extrapolated from a sample. */
    readonly scaled: boolean;
    /** Whether the columnar (typed array) form was timed. */
    readonly columnar: boolean;
  } | null;
  /** One-port matrix (TCP 8080) over all pods. */
  readonly matrix: { readonly ms: number; readonly scaled: boolean } | null;
  /** Incremental update of one policy (after the timings above): median of `UPDATE_RUNS` after a warm-up; null when the engine has no `update`. */
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
    warmCompileMs: null,
    tablesMs: null,
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

/** The median of `runs` timings of `f`, in milliseconds. */
function median(runs: number, f: () => unknown): number {
  const times = Array.from({ length: runs }, () => timed(f)[1]).sort((a, b) => a - b);
  return times[runs >> 1]!;
}

/** A batch over `flows`, ready to time: columnar when the engine offers it, else flow objects. */
function batchOf(engine: Engine, flows: readonly Flow[]): { run: () => Uint8Array; columnar: boolean; podToPod: (() => Uint8Array) | null; podToPodFlows: number } {
  const columnar = columnarBatch(engine, flows);
  return columnar === null ? { run: () => engine.decideBatch(flows), columnar: false, podToPod: null, podToPodFlows: 0 } : { ...columnar, columnar: true };
}

/**
 * `createEngine`'s two steps timed apart: loading the model, then building the
 * evaluator from it (what `createEngine` does; an evaluator this file does not know
 * is built through `createEngine`, its tables time unknown).
 */
async function build(input: EngineInput, evaluator: EvaluatorName): Promise<{ engine: Engine; compileMs: number; tablesMs: number | null }> {
  if (evaluator !== "wasm" && evaluator !== "reference") {
    const [engine, compileMs] = await timedAsync(() => createEngine({ ...input, evaluator }));
    return { engine, compileMs, tablesMs: null };
  }
  const [model, loadMs] = timed(() => loadModel(input));
  if (!model.ok) throw new Error(`the synthetic input is invalid: ${model.issues[0]?.message}`);
  const [module, moduleMs] = await timedAsync(() => (evaluator === "wasm" ? loadModule() : Promise.resolve(null)));
  const [engine, tablesMs] = timed(() => (module === null ? new ReferenceEngine(model.value) : new WasmEngine(model.value, module)));
  return { engine, compileMs: loadMs + moduleMs + tablesMs, tablesMs };
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
  const input: EngineInput = { cluster: world.cluster, policies: [...world.policies, ...world.clusterPolicies] as EngineInput["policies"] };
  const { engine, compileMs, tablesMs } = await build(input, evaluator);
  gc();
  const heapMB = mb(process.memoryUsage().heapUsed);
  const base = { size: size.name, evaluator, pods: world.cluster.pods.length, policies: input.policies.length, compileMs, warmCompileMs: null, tablesMs, heapMB };
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
  batch.run();
  gc();
  const batchMs = median(BATCH_RUNS, batch.run);
  let podToPodMs: number | null = null;
  if (batch.podToPod !== null) {
    batch.podToPod();
    gc();
    podToPodMs = median(BATCH_RUNS, batch.podToPod);
  }
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
  update?.();
  const result = finish({
    batch: {
      flowsPerSecond: (flows.length / batchMs) * 1000,
      podToPodFlowsPerSecond: podToPodMs === null ? null : (batch.podToPodFlows / podToPodMs) * 1000,
      flows: flows.length,
      scaled,
      columnar: batch.columnar,
    },
    matrix: { ms: matrixMs, scaled },
    updateMs: update === null ? null : median(UPDATE_RUNS, update),
    verdicts,
    error: expected === null ? null : compareVerdicts(verdicts, expected),
  });
  // after the peak memory is read: each build holds a second engine for a moment
  const warm: number[] = [];
  for (let k = 0; k < WARM_BUILDS; k++) {
    gc();
    warm.push((await build(input, evaluator)).compileMs);
  }
  return { ...result, warmCompileMs: warm.sort((a, b) => a - b)[WARM_BUILDS >> 1]! };
}
