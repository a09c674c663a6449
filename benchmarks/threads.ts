/**
 * One thread against N (`createEngine({ threads })`, N the host's cores, at least 2,
 * at most 8) on the issue's workloads: 10,000,000 flows as columns and a one-port
 * matrix, on a cluster of 20,000 pods and 4,000 policies. Both engines live in one
 * child process (this file with `--worker`) and are timed in turns, 1 then N, run
 * after run, so that both see the same load on a shared machine; the speed-up is the
 * median of the per-turn ratios. CPU time (every thread of the process) says how much
 * work the split adds: on an idle machine wall time falls with N while CPU time stays.
 */
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { createEngine } from "../src/engine/create.js";
import type { ColumnarFlows, Engine, EngineInput } from "../src/api/engine.js";
import { toColumns } from "../src/api/flow-columns.js";
import { childMode, rowFromChild } from "./child.js";
import { MATRIX_PORT, syntheticFlows, syntheticWorld, type Size } from "./synthetic.js";

const SELF = fileURLToPath(import.meta.url);

/** The cluster of the threads table: the issue's "20k-pod matrix". */
export const THREADS_SIZE: Size = { name: "20k", pods: 20_000, policies: 4_000 };
/** Flows per batch. */
export const THREADS_FLOWS = 10_000_000;
/** Turns (1 thread, then N) per workload, after `WARM` untimed ones. */
const TURNS = 5;
/**
 * Untimed turns first: a worker's first chunk of a kind of job is slow (its memory grows
 * and is faulted in, its code is cold: 7 ms for a matrix chunk of 0.3 ms), and its chunks
 * reach their speed only over the next jobs (a 20k-pod matrix split ×1.2–1.3 after 1–3
 * untimed turns, ×1.6–1.9 after 8).
 */
const WARM = 8;

/** One workload timed on 1 and N threads. */
export interface ThreadsLine {
  readonly workload: string;
  /** Median wall time, ms, on 1 and on N threads. */
  readonly oneMs: number;
  readonly manyMs: number;
  /** Median of the per-turn wall-time ratios (1 thread / N threads). */
  readonly speedup: number;
  /** Median CPU time of N threads over that of 1 (the work the split adds). */
  readonly cpuRatio: number;
  /** Whether N threads gave exactly the bytes of 1 thread. */
  readonly same: boolean;
  /** For a matrix `{ into }`: one memory pass over its bits (a fill of `into`, timed in the same turns), ms; else null. */
  readonly passMs: number | null;
}

/** The threads table's measurement. */
export interface ThreadsRow {
  readonly pods: number;
  readonly policies: number;
  readonly threads: number;
  readonly lines: readonly ThreadsLine[];
  /** 1-minute load average before and after. */
  readonly load: readonly [number, number];
  readonly error: string | null;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

function equalBytes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Wall and CPU time (ms) of `f`, and what it returned. */
function timed<T>(f: () => T): { ms: number; cpu: number; value: T } {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(cpu0);
  return { ms, cpu: (c.user + c.system) / 1000, value };
}

/**
 * Times `run` on both engines in turns; `bytes` reads the answer to compare. `pass`,
 * when given, is timed in the same turns too (one memory pass over the output).
 */
function line<T>(workload: string, one: Engine, many: Engine, run: (e: Engine) => T, bytes: (v: T) => ArrayLike<number>, pass?: (turn: number) => void): ThreadsLine {
  return turns(workload, () => run(one), () => run(many), bytes, pass);
}

/** `line` over two thunks: 1 thread, then N. */
function turns<T>(workload: string, runOne: () => T, runMany: () => T, bytes: (v: T) => ArrayLike<number>, pass?: (turn: number) => void): ThreadsLine {
  let same = equalBytes(bytes(runOne()), bytes(runMany()));
  for (let k = 1; k < WARM; k++) {
    // both run every warm turn, whatever the comparison said before
    const equal = equalBytes(bytes(runOne()), bytes(runMany()));
    same = same && equal;
  }
  pass?.(-1);
  const a: number[] = [];
  const b: number[] = [];
  const p: number[] = [];
  const ratios: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < TURNS; k++) {
    const x = timed(runOne);
    const y = timed(runMany);
    if (pass !== undefined) p.push(timed(() => pass(k)).ms);
    same &&= equalBytes(bytes(x.value), bytes(y.value));
    a.push(x.ms);
    b.push(y.ms);
    ratios.push(x.ms / y.ms);
    cpu.push(y.cpu / x.cpu);
  }
  return { workload, oneMs: median(a), manyMs: median(b), speedup: median(ratios), cpuRatio: median(cpu), same, passMs: pass === undefined ? null : median(p) };
}

/**
 * The control jobs' worker: waits for a generation in `ctl[0]` (negative: stop), runs
 * its part of the job `ctl[1]` names, adds to `ctl[2]` and stores its checksum at
 * `ctl[4 + part]`. Job 0: a loop of integer arithmetic (no memory); job 1: copies of a
 * 1 MiB band into its share of a shared buffer as large as the matrix (memory only).
 */
const CONTROL_WORKER = `
const { workerData } = require("node:worker_threads");
const ctl = new Int32Array(workerData.ctl);
const run = new Function("return " + workerData.run)();
for (let gen = 0; ; ) {
  Atomics.wait(ctl, 0, gen);
  gen = Atomics.load(ctl, 0);
  if (gen < 0) break;
  ctl[4 + workerData.part] = run(ctl[1], workerData.part, workerData.parts, workerData.out);
  Atomics.add(ctl, 2, 1);
  Atomics.notify(ctl, 2);
}`;

/** Part `part` of `parts` of control job `job` (see CONTROL_WORKER); its checksum. Self-contained: workers get its source. */
function controlPart(job: number, part: number, parts: number, out: SharedArrayBuffer): number {
  if (job === 0) {
    const steps = 40_000_000 / parts;
    let x = part + 1;
    for (let i = 0; i < steps; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
    return x;
  }
  const words = out.byteLength >>> 2;
  const band = new Uint32Array(1 << 18).fill(part + 1);
  const bits = new Uint32Array(out);
  // whole bands, so that every copy starts 8-byte aligned
  const per = Math.ceil(words / parts / band.length) * band.length;
  const end = Math.min(words, (part + 1) * per);
  for (let at = part * per; at < end; at += band.length) bits.set(end - at >= band.length ? band : band.subarray(0, end - at), at);
  return bits[end - 1] ?? 0;
}

/**
 * What N threads give on this machine, whatever the engine does: a compute-only job
 * and a memory-only job (`controlPart`), each on 1 thread and split over N (the
 * calling thread and N-1 workers).
 */
async function controlLines(threads: number, matrixWords: number): Promise<ThreadsLine[]> {
  const { Worker } = await import("node:worker_threads");
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (4 + threads)));
  const out = new SharedArrayBuffer(matrixWords * 4);
  const workers = Array.from({ length: threads - 1 }, (_, k) => new Worker(CONTROL_WORKER, { eval: true, workerData: { ctl: ctl.buffer, run: controlPart.toString(), part: k + 1, parts: threads, out } }));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const alone = (job: number) => (): number[] => Array.from({ length: threads }, (_, part) => controlPart(job, part, threads, out));
  const split = (job: number) => (): number[] => {
    ctl[1] = job;
    Atomics.store(ctl, 2, 0);
    Atomics.add(ctl, 0, 1);
    Atomics.notify(ctl, 0);
    const mine = controlPart(job, 0, threads, out);
    for (let d = Atomics.load(ctl, 2); d < threads - 1; d = Atomics.load(ctl, 2)) Atomics.wait(ctl, 2, d);
    return [mine, ...Array.from(ctl.subarray(5, 4 + threads))];
  };
  try {
    return [
      turns("control: integer arithmetic alone, no memory", alone(0), split(0), (v) => v),
      turns(`control: copying a 1 MiB band over a ${Math.round((matrixWords * 4) / 2 ** 20)} MiB shared buffer, memory alone`, alone(1), split(1), (v) => v),
    ];
  } finally {
    Atomics.store(ctl, 0, -1);
    Atomics.notify(ctl, 0);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** `count` flows as columns: a million synthetic ones (pods by index, outside addresses in the table), repeated. */
function columns(engine: Engine, world: ReturnType<typeof syntheticWorld>, count: number, seed: number): ColumnarFlows {
  const base = toColumns(engine.pods, syntheticFlows(world, 1_000_000, seed));
  if (base.ports !== undefined) throw new Error("toColumns gives split ports");
  const tile = <A extends Uint8Array | Uint16Array | Uint32Array>(a: A): A => {
    const out = new (a.constructor as new (n: number) => A)(count);
    for (let i = 0; i < count; i += a.length) out.set(a.subarray(0, Math.min(a.length, count - i)), i);
    return out;
  };
  return { ...base, from: tile(base.from), to: tile(base.to), protocol: tile(base.protocol), port: tile(base.port) };
}

async function measureThreads(seed: number): Promise<ThreadsRow> {
  const load0 = loadavg()[0]!;
  const world = syntheticWorld(THREADS_SIZE, seed);
  const input: EngineInput = { cluster: world.cluster, policies: world.policies as EngineInput["policies"] };
  const one = await createEngine({ ...input, threads: 1 });
  const probe = await createEngine({ ...input, cluster: { namespaces: [], pods: [] }, policies: [] });
  const threads = Math.max(2, probe.threads);
  const many = await createEngine({ ...input, threads });
  const flows = columns(one, world, THREADS_FLOWS, seed + 1);
  const into = new Uint32Array(one.pods.length * Math.ceil(one.pods.length / 32));
  const pass = new Uint32Array(into.length);
  const sharedInto = new Uint32Array(new SharedArrayBuffer(into.byteLength));
  const lines = [
    line(`decideBatch, ${THREADS_FLOWS.toLocaleString("en")} flows as columns`, one, many, (e) => e.decideBatch(flows), (v) => v),
    line("matrix, one port, fresh array (one thread)", one, many, (e) => e.matrix(MATRIX_PORT), (m) => m.bits),
    // the pass fills a buffer of its own: `into` holds the answer compared next
    line("matrix, one port, `{ into }` an ordinary array (one thread)", one, many, (e) => e.matrix(MATRIX_PORT, { into }), (m) => m.bits, (turn) => pass.fill(turn)),
    // workers write their rows in place: the calling thread copies none of them
    line("matrix, one port, `{ into }` over a SharedArrayBuffer", one, many, (e) => e.matrix(MATRIX_PORT, { into: sharedInto }), (m) => m.bits),
    ...(await controlLines(threads, into.length)),
  ];
  many.close();
  return { pods: world.cluster.pods.length, policies: world.policies.length, threads, lines, load: [load0, loadavg()[0]!], error: null };
}

/** Measures the threads table in a child process; a failed child gives a row saying so. */
export function threadsRow(seed: number): ThreadsRow {
  const row = rowFromChild<ThreadsRow>(SELF, ["--max-old-space-size=16384"], [String(seed)]);
  if (typeof row !== "string") return row;
  return { pods: THREADS_SIZE.pods, policies: THREADS_SIZE.policies, threads: 0, lines: [], load: [0, 0], error: row };
}

/** The threads table, Markdown, with the load it ran under. */
export function threadsTable(row: ThreadsRow): string {
  if (row.error !== null) return `threads: ${row.error}`;
  const head = `| ${row.pods.toLocaleString("en")} pods, ${row.policies.toLocaleString("en")} policies | 1 thread | ${row.threads} threads | speed-up | CPU time, ${row.threads} / 1 | same bytes |\n| --- | ---: | ---: | ---: | ---: | --- |`;
  const body = row.lines.map((l) => `| ${l.workload} | ${Math.round(l.oneMs).toLocaleString("en")} ms | ${Math.round(l.manyMs).toLocaleString("en")} ms | ×${l.speedup.toFixed(2)} | ${l.cpuRatio.toFixed(2)} | ${l.same ? "yes" : "**no**"} |`);
  // older rows (a `--compare` document's) have no pass
  const passes = row.lines.filter((l) => l.passMs !== undefined && l.passMs !== null);
  const pass = passes.map(
    (l) =>
      `${l.workload}: one memory pass over its ${(row.pods * Math.ceil(row.pods / 32) * 4 / 2 ** 20).toFixed(0)} MiB of bits (a fill of a buffer as large, in the same turns) ${l.passMs!.toFixed(1)} ms; ` +
      `the matrix is ×${(l.oneMs / l.passMs!).toFixed(1)} of it on 1 thread, ×${(l.manyMs / l.passMs!).toFixed(1)} on ${row.threads}.`,
  );
  return (
    `${head}\n${body.join("\n")}\n\n${pass.map((p) => `${p}\n\n`).join("")}Load average ${row.load[0].toFixed(1)} before, ${row.load[1].toFixed(1)} after. ${row.threads} threads need ${row.threads} idle cores ` +
    "to show their speed-up: on a machine other sessions keep busy, Linux gives each session (autogroup) its share of the cores however many threads " +
    "it runs, so the speed-up shows only the idle part; the CPU-time column says what the split itself costs."
  );
}

if (!childMode(SELF, ([seed]) => measureThreads(Number(seed))) && process.argv[1] === SELF) {
  console.log(threadsTable(threadsRow(Number(process.argv[2] ?? 1))));
}
