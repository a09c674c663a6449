/**
 * One cluster ten times XL: 1,000,000 pods and 100,000 policies (the "1M-pod,
 * 100k-policy cluster"), built by `syntheticWorld` with the same mix of teams,
 * deployments and policies as the other sizes. A child process (this file with
 * `--worker`) with a V8 heap limit of `HEAP_MB` builds the world, then times
 * `createEngine`, `counts` on one port and `decideBatch` on 1,000,000 flow objects and
 * on the same flows as columns (encoded before timing), and reports the process's RSS after each, its peak so far after each
 * phase (which phase sets the peak) and its peak: whether the engine answers
 * within a memory budget, the caller's input (the world's JSON objects, the flows)
 * included. Pod classes are counted as the issue defines them: distinct namespace,
 * labels, host-network flag and container ports.
 */
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { createEngine } from "../src/engine/create.js";
import type { EngineInput } from "../src/api/engine.js";
import { toColumns } from "../src/api/flow-columns.js";
import { childMode, rowFromChild } from "./child.js";
import { MATRIX_PORT, syntheticFlows, syntheticWorld, type Size, type World } from "./synthetic.js";

const SELF = fileURLToPath(import.meta.url);

/** The cluster of the scale table. */
export const SCALE_SIZE: Size = { name: "1M", pods: 1_000_000, policies: 100_000 };
/** Flow objects in the batch. */
const FLOWS = 1_000_000;
/** The V8 heap limit of the measuring process, MiB: the budget is the process's, not the heap's. */
export const HEAP_MB = 3072;
/** The memory budget the table checks peak RSS against, MiB. */
export const BUDGET_MB = 4096;

/** The scale table's measurement; times in ms, memory in MiB. */
export interface ScaleRow {
  readonly pods: number;
  readonly policies: number;
  readonly classes: number;
  readonly worldRssMB: number;
  readonly compileMs: number;
  readonly compiledRssMB: number;
  readonly countsMs: number;
  readonly batchMs: number;
  readonly columnsMs: number;
  readonly allowed: number;
  /** Peak RSS so far after createEngine, counts, and the object batch (the columnar one ends at `peakRssMB`). */
  readonly phasePeaksMB: readonly [number, number, number];
  readonly peakRssMB: number;
  readonly load: readonly [number, number];
  readonly error: string | null;
}

const mib = (bytes: number): number => Math.round(bytes / 2 ** 20);
/** The process's peak RSS so far, MiB. */
const peakMB = (): number => Math.round(process.resourceUsage().maxRSS / 1024);

/** Pod classes as the issue counts them: distinct namespace, labels, host-network flag and container ports. */
function classCount(world: World): number {
  const keys = new Set<string>();
  for (const pod of world.cluster.pods) {
    const labels = Object.entries(pod.labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    keys.add(JSON.stringify([pod.namespace, labels, pod.hostNetwork ?? false, pod.ports ?? []]));
  }
  return keys.size;
}

/** Wall time (ms) of `f`, and what it returned. */
async function timed<T>(f: () => T | Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const value = await f();
  return [value, performance.now() - t0];
}

async function measureScale(seed: number): Promise<ScaleRow> {
  const load0 = loadavg()[0]!;
  const world = syntheticWorld(SCALE_SIZE, seed);
  const classes = classCount(world);
  globalThis.gc?.();
  const worldRssMB = mib(process.memoryUsage().rss);
  const input: EngineInput = { cluster: world.cluster, policies: world.policies as EngineInput["policies"], threads: 1 };
  const [engine, compileMs] = await timed(() => createEngine(input));
  const compilePeakMB = peakMB();
  globalThis.gc?.();
  const compiledRssMB = mib(process.memoryUsage().rss);
  const [, countsMs] = await timed(() => engine.counts(MATRIX_PORT));
  const countsPeakMB = peakMB();
  const flows = syntheticFlows(world, FLOWS, seed + 3);
  const [verdicts, batchMs] = await timed(() => engine.decideBatch(flows));
  const batchPeakMB = peakMB();
  const columns = toColumns(engine.pods, flows);
  const [same, columnsMs] = await timed(() => engine.decideBatch(columns));
  let allowed = 0;
  for (let i = 0; i < verdicts.length; i++) {
    if (same[i] !== verdicts[i]) throw new Error(`flow ${i}: columns and objects disagree`);
    allowed += verdicts[i]!;
  }
  engine.close();
  return {
    pods: world.cluster.pods.length,
    policies: world.policies.length,
    classes,
    worldRssMB,
    compileMs,
    compiledRssMB,
    countsMs,
    batchMs,
    columnsMs,
    allowed,
    phasePeaksMB: [compilePeakMB, countsPeakMB, batchPeakMB],
    peakRssMB: peakMB(),
    load: [load0, loadavg()[0]!],
    error: null,
  };
}

/** Measures the scale table in a child process; a failed child (out of memory included) gives a row saying so. */
export function scaleRow(seed: number): ScaleRow {
  const row = rowFromChild<ScaleRow>(SELF, ["--expose-gc", `--max-old-space-size=${HEAP_MB}`], [String(seed)]);
  if (typeof row !== "string") return row;
  const { pods, policies } = SCALE_SIZE;
  return { pods, policies, classes: 0, worldRssMB: 0, compileMs: 0, compiledRssMB: 0, countsMs: 0, batchMs: 0, columnsMs: 0, allowed: 0, phasePeaksMB: [0, 0, 0], peakRssMB: 0, load: [0, 0], error: row };
}

/** The scale table, Markdown. */
export function scaleTable(row: ScaleRow): string {
  if (row.error !== null) return `scale: ${row.error}`;
  const n = (v: number): string => v.toLocaleString("en");
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const head = "| pods | policies | pod classes | input alone, RSS | createEngine | RSS after | counts, one port | decideBatch, 1M flow objects | the same as columns | peak RSS | within 4 GiB |\n| --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --- |";
  const line = `| ${n(row.pods)} | ${n(row.policies)} | ${n(row.classes)} | ${n(row.worldRssMB)} MiB | ${s(row.compileMs)} | ${n(row.compiledRssMB)} MiB | ${s(row.countsMs)} | ${s(row.batchMs)} | ${s(row.columnsMs)} | ${n(row.peakRssMB)} MiB | ${row.peakRssMB <= BUDGET_MB ? "yes" : "**no**"} |`;
  const [compiled, counted, batched] = row.phasePeaksMB.map(n);
  const phases = `Peak RSS so far after createEngine ${compiled} MiB, after counts ${counted} MiB, after the object batch ${batched} MiB (its flow objects made before it).`;
  return `${head}\n${line}\n\n${phases} V8 heap limit ${n(HEAP_MB)} MiB; load average ${row.load[0].toFixed(1)} before, ${row.load[1].toFixed(1)} after.`;
}

if (!childMode(SELF, ([seed]) => measureScale(Number(seed))) && process.argv[1] === SELF) {
  console.log(scaleTable(scaleRow(Number(process.argv[2] ?? 1))));
}
