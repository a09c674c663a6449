/**
 * The benchmark tables and the machine they ran on, as text: Markdown tables for the
 * terminal and for docs/benchmarks.md. One table for batches (what a caller of each
 * form gets, on each mix, against the reference), one for compiling, matrices,
 * updates and memory.
 */
import { cpus, loadavg, totalmem } from "node:os";
import { readFileSync } from "node:fs";
import { BATCH_RUNS, MATRIX_RUNS, UPDATE_RUNS, WARM_BUILDS, type Measurement, type Rates } from "./measure.js";

/** A row with its speed-ups over the reference row of the same size (this tree's). */
export interface Row extends Measurement {
  /** The reference's batch rates at this size; null on the reference itself or when it failed. */
  readonly reference: { readonly pods: Rates; readonly flowLogs: Rates; readonly matrixMs: number | null } | null;
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

/**
 * A warning for the document when the machine was busy at the start (load average
 * above its core count): absolute figures then fall several times short of an idle
 * machine's, while ratios within a row still hold. Null on an idle machine.
 */
export function busyWarning(): string | null {
  const load = loadavg()[0]!;
  const cores = cpus().length;
  if (load <= cores) return null;
  return `The machine was busy (load average ${load.toFixed(1)} on ${cores} cores): the absolute figures below fall several times short of an idle machine's, and vary from row to row; the ratios within a row (objects / columns) hold best. Run \`npm run bench -- --write\` on an idle machine for figures to quote.`;
}

/** Adds to each row the reference row of its size. */
export function withReference(rows: readonly Measurement[]): Row[] {
  return rows.map((r) => {
    const ref = rows.find((x) => x.size === r.size && x.evaluator === "reference" && x.build === null);
    const comparable = ref !== undefined && r !== ref && ref.batch !== null;
    return { ...r, reference: comparable ? { pods: ref.batch!.pods, flowLogs: ref.batch!.flowLogs, matrixMs: ref.matrix?.ms ?? null } : null };
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

const times = (r: number): string => `×${r >= 100 ? r.toFixed(0) : r.toFixed(1)}`;
const percent = (a: number | null, b: number | null): string => (a === null || b === null ? "—" : `${((a / b) * 100).toFixed(0)}%`);
const over = (a: number | null, b: number | null | undefined): string => (a === null || b === null || b === undefined ? "—" : times(a / b));

/** A row's evaluator, with the build it came from when not this tree. */
const who = (r: Measurement): string => (r.build === null ? r.evaluator : `${r.evaluator} (${r.build})`);

/** The rows as a Markdown table under `head`. */
function markdown(head: readonly string[], lines: ReadonlyArray<{ cells: readonly string[]; error: string | null }>): string {
  const body = lines.map(({ cells, error }) => `| ${cells.join(" | ")} |${error === null ? "" : ` **${error}**`}`);
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...body].join("\n");
}

/** Batches: flows/s of each form on each mix, objects against columns, each against the reference. */
export function batchTable(rows: readonly Row[]): string {
  const head = [
    "size",
    "evaluator",
    "objects, pods",
    "columns, pods",
    "objects / columns",
    "objects, flow log",
    "columns, flow log",
    "objects / columns",
    "objects / reference (pods, flow log)",
    "columns / reference (pods, flow log)",
  ];
  return markdown(
    head,
    rows.map((r) => {
      const b = r.batch;
      const rate = (v: number | null | undefined): string => (v === null || v === undefined ? "—" : `${SI(v)}${b?.scaled ? " (scaled)" : ""}`);
      const ref = r.reference;
      return {
        cells: [
          r.size,
          who(r),
          rate(b?.pods.objects),
          rate(b?.pods.columns),
          percent(b?.pods.objects ?? null, b?.pods.columns ?? null),
          rate(b?.flowLogs.objects),
          rate(b?.flowLogs.columns),
          percent(b?.flowLogs.objects ?? null, b?.flowLogs.columns ?? null),
          ref === null || b === null ? "—" : `${over(b.pods.objects, ref.pods.objects)}, ${over(b.flowLogs.objects, ref.flowLogs.objects)}`,
          ref === null || b === null ? "—" : `${over(b.pods.columns, ref.pods.columns)}, ${over(b.flowLogs.columns, ref.flowLogs.columns)}`,
        ],
        error: r.error,
      };
    }),
  );
}

/** Compiling, matrices, updates and memory. */
export function buildTable(rows: readonly Row[]): string {
  const head = [
    "size",
    "evaluator",
    "pods",
    "policies",
    "compile, cold",
    `compile, warm (median of ${WARM_BUILDS})`,
    `matrix, 1 port (median of ${MATRIX_RUNS})`,
    "matrix into a reused buffer",
    "one memory pass",
    "matrix / memory pass",
    "counts",
    "matrix / reference",
    `update: policy, pod, namespace, pod added, pod removed (median of ${UPDATE_RUNS})`,
    "each update / warm compile",
    "RSS after compile",
    "heap",
    "peak RSS",
  ];
  const mbOrDash = (v: number | null): string => (v === null ? "—" : `${v} MB`);
  const orDash = (v: number | null | undefined): string => (v == null ? "—" : duration(v));
  return markdown(
    head,
    rows.map((r) => {
      const m = r.matrix;
      // the matrix a caller gets at its best: into a reused buffer, else streamed or fresh
      const best = m === null ? null : (m.intoMs ?? m.ms);
      const updates = [r.updateMs, r.podUpdateMs ?? null, r.namespaceUpdateMs ?? null, r.podAddMs ?? null, r.podRemoveMs ?? null];
      const share = (u: number | null): string => (u === null || r.warmCompileMs === null ? "—" : `${((100 * u) / r.warmCompileMs).toFixed(1)}%`);
      return {
        cells: [
          r.size,
          who(r),
          SI(r.pods),
          SI(r.policies),
          r.compileMs === null ? "—" : duration(r.compileMs),
          r.warmCompileMs === null ? "—" : duration(r.warmCompileMs),
          m === null ? "—" : `${duration(m.ms)}${m.scaled ? " (scaled)" : m.streamed ? " (in strips)" : ""}`,
          orDash(m?.intoMs),
          orDash(m?.passMs),
          best === null || m?.passMs == null ? "—" : times(best / m.passMs),
          orDash(m?.countsMs),
          m === null || r.reference?.matrixMs == null ? "—" : times(r.reference.matrixMs / m.ms),
          updates.map(orDash).join(", "),
          updates.map(share).join(", "),
          mbOrDash(r.rssMB),
          mbOrDash(r.heapMB),
          mbOrDash(r.rssPeakMB),
        ],
        error: r.error,
      };
    }),
  );
}

/** Both tables, titled. */
export function tables(rows: readonly Row[]): string {
  return `### Batches (flows/s, median of ${BATCH_RUNS})\n\n${batchTable(rows)}\n\n### Compile, matrix, update, memory\n\n${buildTable(rows)}`;
}

/**
 * What the cluster-scoped tiers cost: for each size with ClusterNetworkPolicies
 * (`<base>+CNP`) and each evaluator of this tree measured on it and on the size
 * without (`<base>`), the batch (columns, pod mix) and matrix figures side by side
 * and their ratio (how many times slower with the tiers). Null when no such pair was
 * measured.
 */
export function tierCost(rows: readonly Measurement[]): string | null {
  const lines: string[] = [];
  for (const withTiers of rows.filter((r) => r.size.endsWith("+CNP") && r.evaluator !== "reference" && r.build === null)) {
    const base = rows.find((r) => r.size === withTiers.size.slice(0, -"+CNP".length) && r.evaluator === withTiers.evaluator && r.build === null);
    const before = base?.batch?.pods.columns;
    const after = withTiers.batch?.pods.columns;
    if (base === undefined || before == null || after == null || base.matrix === null || withTiers.matrix === null) continue;
    const batchSlowdown = before / after;
    const matrixSlowdown = withTiers.matrix.ms / base.matrix.ms;
    lines.push(
      `| ${base.size} → ${withTiers.size} | ${withTiers.evaluator} | ${SI(before)} → ${SI(after)} | ×${batchSlowdown.toFixed(2)} | ${duration(base.matrix.ms)} → ${duration(withTiers.matrix.ms)} | ×${matrixSlowdown.toFixed(2)} |`,
    );
  }
  if (lines.length === 0) return null;
  return [
    "| sizes | evaluator | batch, columns (flows/s) | batch slowdown | matrix, 1 port | matrix slowdown |",
    "|---|---|---|---|---|---|",
    ...lines,
  ].join("\n");
}
