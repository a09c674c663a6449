/**
 * One measurement: one size on one evaluator of one build (this tree, or another
 * given with `--compare`), in a process of its own so that its peak memory is its
 * own. Correctness first: the verdicts on fixed samples of both flow mixes are
 * compared with the reference's (when given) before anything is timed, and the matrix
 * is checked cell by cell on a sample after it is built.
 *
 * Both batch forms are timed on both mixes (`syntheticFlows`, mostly pods by id;
 * `flowLogFlows`, every end an IP as a flow log writes it): flow objects as the
 * caller has them, and columns encoded before timing (the caller of that form holds
 * columns already). The reference is never given a million flows or a full matrix:
 * its rates come from the samples, its matrix time from a sample of cells times N²,
 * all marked `scaled`. A batch is run once untimed (JIT and caches warm), then timed
 * `BATCH_RUNS` times and its median kept; matrices and updates likewise.
 */
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import type { Engine, EngineInput, EvaluatorName, Flow } from "../src/api/engine.js";
import type { ReachabilityMatrix } from "../src/api/matrix.js";
import { columnarBatch, matrixInto, matrixStreamed, namespaceUpdate, podAddition, podRemoval, podUpdate, policyUpdate } from "./capabilities.js";
import { MATRIX_PORT, flowLogFlows, syntheticFlows, syntheticWorld, type Size } from "./synthetic.js";
import { Random } from "../test/support/random.js";

/** Flows timed on a fast evaluator, per mix and form. */
export const BATCH_FLOWS = 1_000_000;
/** Flows of each mix every evaluator answers for the correctness check, and the reference is timed on. */
export const SAMPLE_FLOWS = 2_000;
/** Matrix cells checked on every evaluator, and timed on the reference. */
export const SAMPLE_CELLS = 2_000;
/** Timed runs of a batch (after one untimed run); the median is kept. */
export const BATCH_RUNS = 3;
/** Timed matrices (after one untimed matrix); the median is kept. */
export const MATRIX_RUNS = 3;
/** Timed policy updates (after one untimed update); the median is kept. */
export const UPDATE_RUNS = 5;
/** Matrices larger than this many bytes are streamed in strips (`matrixStrips`) where the engine offers them, never held whole. */
export const STREAM_BYTES = 512 << 20;
/** Further engine builds timed after everything else (their memory is not in the peak). */
export const WARM_BUILDS = 3;

/** Flows per second of one mix through each batch form; null where not measured. */
export interface Rates {
  /** `decideBatch(flows)` on flow objects. */
  readonly objects: number | null;
  /** `decideBatch(columns)` on columns encoded beforehand. */
  readonly columns: number | null;
}

/** One row of the benchmark tables. */
export interface Measurement {
  readonly size: string;
  readonly evaluator: EvaluatorName;
  /** Which build: `null` for this tree, else the label of a `--compare` tree. */
  readonly build: string | null;
  readonly pods: number;
  readonly policies: number;
  /** `createEngine` wall time, the first in a fresh process (cold JIT); null when the measurement failed. */
  readonly compileMs: number | null;
  /** `createEngine` wall time once the process has built an engine before (warm JIT), median of `WARM_BUILDS`. */
  readonly warmCompileMs: number | null;
  /** Batch rates of the pod mix and of the flow-log mix. */
  readonly batch: { readonly pods: Rates; readonly flowLogs: Rates; readonly scaled: boolean } | null;
  /**
   * One-port matrix (TCP 8080) over all pods, in a fresh array and `into` the previous
   * one's bits (null when unsupported), or streamed in strips (`streamed`, past
   * `STREAM_BYTES`; `intoMs` null); `passMs`: one memory pass over as many bits (a
   * fill of a buffer of the matrix's size, or of the strip buffer once per strip);
   * `countsMs`: `counts` on the same port.
   */
  readonly matrix: {
    readonly ms: number;
    readonly intoMs: number | null;
    readonly scaled: boolean;
    readonly streamed?: boolean;
    readonly passMs?: number | null;
    readonly countsMs?: number | null;
  } | null;
  /** Incremental update of one policy: median of `UPDATE_RUNS` after a warm-up; null when the engine has no `update`. */
  readonly updateMs: number | null;
  /** Incremental updates of one pod (relabelled) and one namespace (relabelled), a pod added and a pod removed, like `updateMs`. */
  readonly podUpdateMs?: number | null;
  readonly namespaceUpdateMs?: number | null;
  readonly podAddMs?: number | null;
  readonly podRemoveMs?: number | null;
  /** Resident set size right after compiling (after a GC): the input, the engine, its tables; null when the measurement failed. */
  readonly rssMB: number | null;
  /** Peak resident set size of the process (the flows and matrices timed included); null when the measurement failed. */
  readonly rssPeakMB: number | null;
  /** V8 heap in use after compiling (after a GC); null when the measurement failed. */
  readonly heapMB: number | null;
  /** '0'/'1' verdicts of the sample flows of both mixes, then of the sample cells. */
  readonly verdicts: string;
  /** What went wrong: its sample disagreed with the reference, or the measurement failed. */
  readonly error: string | null;
}

/** The row of a measurement that could not be made. */
export function failed(size: Size, evaluator: EvaluatorName, build: string | null, error: string): Measurement {
  return {
    size: size.name,
    evaluator,
    build,
    pods: size.pods,
    policies: size.policies,
    compileMs: null,
    warmCompileMs: null,
    batch: null,
    matrix: null,
    updateMs: null,
    rssMB: null,
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

/** A word to sleep on (`Atomics.wait`). */
const SLEEP = new Int32Array(new SharedArrayBuffer(4));

/**
 * Garbage collected, and the collector's background work done: `gc()` returns with
 * the sweeping left to V8's background threads, and on a machine of few cores they
 * take the CPU from whatever runs next. Timed right after `gc()`, an XL update of
 * 10 ms of its own CPU waited 60-130 ms to be scheduled (`.prof`-style measurement
 * with /proc/thread-self/schedstat). So the calling thread sleeps until the process
 * uses (nearly) no CPU in a 10 ms slice, for at most a second.
 */
function collect(): void {
  gc();
  for (let k = 0; k < 100; k++) {
    const before = process.cpuUsage();
    Atomics.wait(SLEEP, 0, 0, 10);
    const used = process.cpuUsage(before);
    if (used.user + used.system < 1000) return;
  }
}

/** The median of `runs` timings of `f` (after one untimed run), in milliseconds; garbage is collected before each, untimed (`collect`). */
function median(runs: number, f: () => unknown): number {
  f();
  const times = Array.from({ length: runs }, () => {
    collect();
    return timed(f)[1];
  }).sort((a, b) => a - b);
  return times[runs >> 1]!;
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

/** `createEngine` of this tree, or of the tree at `root` (a `--compare` build, loaded through tsx). */
async function createEngineOf(root: string | null): Promise<(input: EngineInput) => Promise<Engine>> {
  const path = root === null ? "../src/engine/create.js" : pathToFileURL(join(root, "src/engine/create.ts")).href;
  return ((await import(path)) as { createEngine: (input: EngineInput) => Promise<Engine> }).createEngine;
}

/** Flows per second of `flows` through `run`, median of `BATCH_RUNS`. */
const rate = (flows: number, run: () => unknown): number => (flows / median(BATCH_RUNS, run)) * 1000;

/** Both forms' rates on one mix; the reference's from `sample` alone. */
function ratesOf(engine: Engine, flows: readonly Flow[]): Rates {
  const columns = columnarBatch(engine, flows);
  return { objects: rate(flows.length, () => engine.decideBatch(flows)), columns: columns === null ? null : rate(flows.length, columns) };
}

/**
 * Measures `evaluator` (of this tree, or of the tree at `root` labelled `build`) on
 * the world of `size` (seeded). `expected` is the reference's verdict string for the
 * same samples; a mismatch stops the measurement before timing.
 */
export async function measure(size: Size, evaluator: EvaluatorName, seed: number, expected: string | null, build: { label: string; root: string } | null = null): Promise<Measurement> {
  const world = syntheticWorld(size, seed);
  const samples = [syntheticFlows(world, SAMPLE_FLOWS, seed + 1), flowLogFlows(world, SAMPLE_FLOWS, seed + 1)] as const;
  const createEngine = await createEngineOf(build?.root ?? null);
  collect();
  // one thread: these rows say what one core does (the threads table compares 1 thread with N)
  const input: EngineInput = { cluster: world.cluster, policies: [...world.policies, ...world.clusterPolicies] as EngineInput["policies"], evaluator, threads: 1 };
  const [engine, compileMs] = await (async () => {
    const t0 = process.hrtime.bigint();
    const built = await createEngine(input);
    return [built, Number(process.hrtime.bigint() - t0) / 1e6] as const;
  })();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  const base = { size: size.name, evaluator, build: build?.label ?? null, pods: world.cluster.pods.length, policies: input.policies.length, compileMs, warmCompileMs: null, heapMB: mb(heapUsed), rssMB: mb(rss) };
  const finish = (rest: Pick<Measurement, "batch" | "matrix" | "updateMs" | "podUpdateMs" | "namespaceUpdateMs" | "podAddMs" | "podRemoveMs" | "verdicts" | "error">): Measurement => ({
    ...base,
    ...rest,
    rssPeakMB: Math.round(process.resourceUsage().maxRSS / 1024),
  });
  const flowVerdicts = samples.map((sample) => engine.decideBatch(sample).join("")).join("");
  const early = expected === null ? null : compareVerdicts(flowVerdicts, expected.slice(0, flowVerdicts.length));
  if (early !== null) return finish({ batch: null, matrix: null, updateMs: null, verdicts: flowVerdicts, error: early });

  const scaled = evaluator === "reference";
  const n = engine.pods.length;
  const cells = sampleCells(n, seed + 2);
  // one mix alive at a time: a million flow objects are a few hundred MB of the peak
  const batch = {
    pods: ratesOf(engine, scaled ? samples[0] : syntheticFlows(world, BATCH_FLOWS, seed + 3)),
    flowLogs: ratesOf(engine, scaled ? samples[1] : flowLogFlows(world, BATCH_FLOWS, seed + 3)),
    scaled,
  };
  let cellVerdicts: string;
  let matrix: Measurement["matrix"];
  if (scaled) {
    const cellFlows: Flow[] = cells.map(([i, j]) => ({ from: engine.pods[i]!, to: engine.pods[j]!, ...MATRIX_PORT }));
    const [verdicts, ms] = timed(() => engine.decideBatch(cellFlows));
    cellVerdicts = verdicts.join("");
    matrix = { ms: (ms / cells.length) * n * n, intoMs: null, scaled };
  } else {
    const words = Math.ceil(n / 32);
    const streamed = n * words * 4 > STREAM_BYTES ? matrixStreamed(engine, MATRIX_PORT) : null;
    const countsMs = typeof engine.counts === "function" ? median(MATRIX_RUNS, () => engine.counts(MATRIX_PORT)) : null;
    if (streamed !== null) {
      // the sample cells, read from their strips on an untimed run
      const got = new Map<number, string>();
      const byRow = new Map<number, number[]>();
      cells.forEach(([i], k) => byRow.set(i, [...(byRow.get(i) ?? []), k]));
      const strips = streamed((strip) => {
        for (let i = strip.first; i < strip.first + strip.rows; i++) {
          for (const k of byRow.get(i) ?? []) {
            const j = cells[k]![1];
            got.set(k, (strip.bits[(i - strip.first) * words + (j >>> 5)]! >>> (j & 31)) & 1 ? "1" : "0");
          }
        }
      });
      cellVerdicts = cells.map((_, k) => got.get(k)!).join("");
      const ms = median(MATRIX_RUNS, () => streamed());
      const stripWords = engine.matrixStrips(MATRIX_PORT).next().value!.bits.length;
      const buffer = new Uint32Array(stripWords);
      const passMs = median(MATRIX_RUNS, () => {
        for (let k = 0; k < strips; k++) buffer.fill(k);
      });
      matrix = { ms, intoMs: null, scaled, streamed: true, passMs, countsMs };
    } else {
      let last: ReachabilityMatrix | null = null;
      const ms = median(MATRIX_RUNS, () => (last = engine.matrix(MATRIX_PORT)));
      const into = matrixInto(engine, MATRIX_PORT, last!);
      const intoMs = into === null ? null : median(MATRIX_RUNS, () => (last = into()));
      const result: ReachabilityMatrix = last!;
      cellVerdicts = cells.map(([i, j]) => (result.allowed(i, j) ? "1" : "0")).join("");
      let fills = 0;
      const passMs = median(MATRIX_RUNS, () => result.bits.fill(fills++));
      matrix = { ms, intoMs, scaled, passMs, countsMs };
    }
  }
  const verdicts = flowVerdicts + cellVerdicts;
  const update = policyUpdate(engine, world);
  const pod = podUpdate(engine, world);
  const namespace = namespaceUpdate(engine, world);
  const added = podAddition(engine, world);
  const removed = podRemoval(engine);
  const result = finish({
    batch,
    matrix,
    updateMs: update === null ? null : median(UPDATE_RUNS, update),
    podUpdateMs: pod === null ? null : median(UPDATE_RUNS, pod),
    namespaceUpdateMs: namespace === null ? null : median(UPDATE_RUNS, namespace),
    podAddMs: added === null ? null : median(UPDATE_RUNS, added),
    podRemoveMs: removed === null ? null : median(UPDATE_RUNS, removed),
    verdicts,
    error: expected === null ? null : compareVerdicts(verdicts, expected),
  });
  // after the peak memory is read: each build holds a second engine for a moment
  const warm: number[] = [];
  for (let k = 0; k < WARM_BUILDS; k++) {
    collect();
    const t0 = process.hrtime.bigint();
    await createEngine(input);
    warm.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ...result, warmCompileMs: warm.sort((a, b) => a - b)[WARM_BUILDS >> 1]! };
}
