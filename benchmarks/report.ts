/**
 * The benchmark table and the machine it ran on, as text: a Markdown table for the
 * terminal and for docs/benchmarks.md.
 */
import { cpus, loadavg, totalmem } from "node:os";
import { readFileSync } from "node:fs";
import { BATCH_RUNS, UPDATE_RUNS, WARM_BUILDS, type Measurement } from "./measure.js";

/** A row with its speed-ups over the reference row of the same size. */
export interface Row extends Measurement {
  /** Batch flows/s over the reference's; null on the reference itself or when not comparable. */
  readonly batchRatio: number | null;
  /** Reference matrix time over this one's. */
  readonly matrixRatio: number | null;
}

/** CPU model, cores, memory, Node version and current load of this machine, one line. */
export function machine(): string {
  let model = cpus()[0]?.model ?? "unknown CPU";
  try {
    model = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? model;
  } catch {
    // no /proc on this system: keep the model os.cpus() gives
  }
  const load = loadavg()[0]!.toFixed(1);
  return `${model}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB memory, Node ${process.version} (load average ${load} at the start)`;
}

/** Adds the speed-up columns: each row against the reference row of its size. */
export function withRatios(rows: readonly Measurement[]): Row[] {
  return rows.map((r) => {
    const ref = rows.find((x) => x.size === r.size && x.evaluator === "reference");
    const comparable = ref !== undefined && r.evaluator !== "reference";
    return {
      ...r,
      batchRatio: comparable && r.batch && ref.batch ? r.batch.flowsPerSecond / ref.batch.flowsPerSecond : null,
      matrixRatio: comparable && r.matrix && ref.matrix ? ref.matrix.ms / r.matrix.ms : null,
    };
  });
}

const SI = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));

/** A duration, in the unit that reads best. */
function duration(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(0)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

const ratio = (r: number | null): string => (r === null ? "—" : `×${r >= 100 ? r.toFixed(0) : r.toFixed(1)}`);

/** The rows as a Markdown table. */
export function table(rows: readonly Row[]): string {
  const head = [
    "size",
    "evaluator",
    "pods",
    "policies",
    "compile, cold",
    "of which tables",
    `compile, warm (median of ${WARM_BUILDS})`,
    `batch (flows/s, median of ${BATCH_RUNS})`,
    "batch pod→pod only",
    "matrix, 1 port",
    `update 1 policy (median of ${UPDATE_RUNS})`,
    "peak RSS",
    "heap",
    "wasm/reference batch",
    "wasm/reference matrix",
  ];
  const lines = rows.map((r) => {
    const batch = r.batch === null ? "—" : `${SI(r.batch.flowsPerSecond)}${r.batch.scaled ? " (scaled)" : ""}${r.batch.columnar ? " columnar" : ""}`;
    const podToPod = r.batch?.podToPodFlowsPerSecond == null ? "—" : `${SI(r.batch.podToPodFlowsPerSecond)}${r.batch.scaled ? " (scaled)" : ""}`;
    const matrix = r.matrix === null ? "—" : `${duration(r.matrix.ms)}${r.matrix.scaled ? " (scaled)" : ""}`;
    const mbOrDash = (v: number | null): string => (v === null ? "—" : `${v} MB`);
    const cells = [
      r.size,
      r.evaluator,
      SI(r.pods),
      SI(r.policies),
      r.compileMs === null ? "—" : duration(r.compileMs),
      r.tablesMs === null ? "—" : duration(r.tablesMs),
      r.warmCompileMs === null ? "—" : duration(r.warmCompileMs),
      batch,
      podToPod,
      matrix,
      r.updateMs === null ? "—" : duration(r.updateMs),
      mbOrDash(r.rssPeakMB),
      mbOrDash(r.heapMB),
      ratio(r.batchRatio),
      ratio(r.matrixRatio),
    ];
    return `| ${cells.join(" | ")} |${r.error === null ? "" : ` **${r.error}**`}`;
  });
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...lines].join("\n");
}

/**
 * What the cluster-scoped tiers cost: for each size with ClusterNetworkPolicies
 * (`<base>+CNP`) and each evaluator measured on it and on the size without (`<base>`),
 * the batch and matrix figures side by side and their ratio (how many times slower
 * with the tiers). Null when no such pair was measured.
 */
export function tierCost(rows: readonly Measurement[]): string | null {
  const lines: string[] = [];
  for (const withTiers of rows.filter((r) => r.size.endsWith("+CNP") && r.evaluator !== "reference")) {
    const base = rows.find((r) => r.size === withTiers.size.slice(0, -"+CNP".length) && r.evaluator === withTiers.evaluator);
    if (base === undefined || base.batch === null || withTiers.batch === null || base.matrix === null || withTiers.matrix === null) continue;
    const batchSlowdown = base.batch.flowsPerSecond / withTiers.batch.flowsPerSecond;
    const matrixSlowdown = withTiers.matrix.ms / base.matrix.ms;
    lines.push(
      `| ${base.size} → ${withTiers.size} | ${withTiers.evaluator} | ${SI(base.batch.flowsPerSecond)} → ${SI(withTiers.batch.flowsPerSecond)} | ×${batchSlowdown.toFixed(2)} | ${duration(base.matrix.ms)} → ${duration(withTiers.matrix.ms)} | ×${matrixSlowdown.toFixed(2)} |`,
    );
  }
  if (lines.length === 0) return null;
  return [
    "| sizes | evaluator | batch (flows/s) | batch slowdown | matrix, 1 port | matrix slowdown |",
    "|---|---|---|---|---|---|",
    ...lines,
  ].join("\n");
}
