/**
 * Reading large manifests: `parseManifests` over a `kubectl get namespaces,pods -A`
 * dump of 25k, 100k and 200k pods, as YAML and as JSON (`kubectl-dump.ts`). Each
 * reading runs in a child process of its own (this file with `--worker`), so that its
 * peak RSS is its own and a child that runs out of memory gives a row saying so.
 * Before timing, the child checks what it read: every pod and namespace of the dump,
 * and no error.
 *
 * Run alone: `tsx benchmarks/large-input.ts [--pods 25000,100000] [--json]`; `npm run
 * bench` runs it after the engine table.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseManifests } from "../src/manifests-entry.js";
import { writeDump } from "./kubectl-dump.js";

const SELF = fileURLToPath(import.meta.url);

/** Pod counts of the dumps read by default. */
export const INPUT_PODS = [25_000, 100_000, 200_000];
/** The syntaxes each dump is written in. */
export const FORMATS = ["yaml", "json"] as const;
/** A child still reading after this long is stopped and its row says so. */
const CHILD_TIMEOUT_MS = 20 * 60_000;

/** One row of the table: one dump read once. */
export interface InputRow {
  readonly format: (typeof FORMATS)[number];
  readonly pods: number;
  readonly bytes: number;
  /** Wall time of `parseManifests`, without reading the file; null when the reading failed. */
  readonly ms: number | null;
  /** CPU time (user and system) of the child during `parseManifests`: steadier than wall time on a busy machine. */
  readonly cpuMs: number | null;
  /** Peak resident set size of the child that read it. */
  readonly rssPeakMB: number | null;
  /** What went wrong, or null. */
  readonly error: string | null;
}

/** Child mode: reads `file`, checks and times `parseManifests`, prints one JSON line. */
function worker(file: string, pods: number, namespaces: number): void {
  const text = readFileSync(file, "utf8");
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const manifests = parseManifests(text, { file });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const errors = manifests.issues.filter((i) => i.severity === "error");
  const problem =
    errors.length > 0
      ? `${errors.length} errors, first: ${errors[0]!.path}: ${errors[0]!.message}`
      : manifests.pods.length !== pods || manifests.namespaces.length !== namespaces
        ? `read ${manifests.pods.length} pods and ${manifests.namespaces.length} namespaces, expected ${pods} and ${namespaces}`
        : null;
  console.log(JSON.stringify({ ms, cpuMs, rssPeakMB: Math.round(process.resourceUsage().maxRSS / 1024), error: problem }));
}

/** Writes one dump, reads it in a child, deletes it. */
function measureOne(dir: string, pods: number, format: InputRow["format"]): InputRow {
  const file = join(dir, `dump-${pods}.${format}`);
  const dump = writeDump(file, pods, format);
  try {
    const run = spawnSync(process.execPath, ["--import", "tsx", SELF, "--worker", file, String(dump.pods), String(dump.namespaces)], {
      encoding: "utf8",
      maxBuffer: 1 << 24,
      timeout: CHILD_TIMEOUT_MS,
    });
    const line = run.stdout.trim().split("\n").pop() ?? "";
    const bytes = statSync(file).size;
    if (run.status === 0 && line.startsWith("{")) {
      const out = JSON.parse(line) as { ms: number; cpuMs: number; rssPeakMB: number; error: string | null };
      return { format, pods, bytes, ms: out.ms, cpuMs: out.cpuMs, rssPeakMB: out.rssPeakMB, error: out.error };
    }
    const reason = /heap out of memory|Maximum call stack|RangeError[^\n]*|Error[^\n]*/.exec(run.stderr)?.[0];
    const how = run.error !== undefined ? `stopped after ${CHILD_TIMEOUT_MS / 60_000} min` : `exit status ${run.status ?? run.signal}`;
    return { format, pods, bytes, ms: null, cpuMs: null, rssPeakMB: null, error: `${how}${reason ? `: ${reason}` : ""}` };
  } finally {
    rmSync(file, { force: true });
  }
}

/** Reads every dump (`pods` × `FORMATS`), each in its own child. */
export function measureInputs(pods: readonly number[], progress: (row: InputRow) => void = () => {}): InputRow[] {
  const dir = mkdtempSync(join(tmpdir(), "netpol-input-"));
  const rows: InputRow[] = [];
  try {
    for (const n of pods) {
      for (const format of FORMATS) {
        const row = measureOne(dir, n, format);
        rows.push(row);
        progress(row);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const MB = 2 ** 20;

/** The rows as a Markdown table. */
export function inputTable(rows: readonly InputRow[]): string {
  const head = ["dump", "pods", "size", "parseManifests, wall", "CPU time", "MB per CPU second", "peak RSS"];
  const lines = rows.map((r) => {
    const cells = [
      r.format.toUpperCase(),
      `${r.pods / 1000}k`,
      `${(r.bytes / MB).toFixed(0)} MB`,
      r.ms === null ? "—" : `${(r.ms / 1000).toFixed(1)} s`,
      r.cpuMs === null ? "—" : `${(r.cpuMs / 1000).toFixed(1)} s`,
      r.cpuMs === null ? "—" : (r.bytes / MB / (r.cpuMs / 1000)).toFixed(1),
      r.rssPeakMB === null ? "—" : `${r.rssPeakMB} MB`,
    ];
    return `| ${cells.join(" | ")} |${r.error === null ? "" : ` **${r.error}**`}`;
  });
  return [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...lines].join("\n");
}

/** How to read the table, for docs/benchmarks.md. */
export const INPUT_NOTES = `- Each dump is what \`kubectl get namespaces,pods -A -o yaml\` (or \`-o json\`, indented by 4)
  prints for a cluster of that many pods and a namespace per 100 pods: one \`List\` whose
  items carry the fields a real dump has (owner references, uids, timestamps, images,
  node names), written by \`benchmarks/kubectl-dump.ts\`.
- parseManifests: wall time of \`parseManifests(text)\` on the file's text, already read;
  after it the child checks that every pod and namespace was read and no error reported.
  CPU time: the child's user and system time over the same call (garbage collection
  included), steadier than wall time on a shared machine; MB per CPU second is the
  dump's size over it.
- peak RSS of the child process that read that one dump (its Node runtime included).
- For comparison, the reader before issue 12 (commit ac188dd, the whole text parsed at once
  by the \`yaml\` library as YAML 1.2, JSON tried first then YAML): YAML 25k 14.3 s of CPU and
  1,280 MB; YAML 100k and 200k out of memory (heap exhausted); JSON 25k 0.9 s and 222 MB,
  100k 3.2 s and 577 MB; JSON 200k a \`RangeError\` (maximum call stack size exceeded).
  JSON now costs about 1.5 times the CPU it did: the scan for duplicate keys and positions.`;

function main(argv: readonly string[]): number {
  if (argv[0] === "--worker") {
    worker(argv[1]!, Number(argv[2]), Number(argv[3]));
    return 0;
  }
  let pods = INPUT_PODS;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") json = true;
    else if (argv[i] === "--pods") pods = (argv[++i] ?? "").split(",").map(Number);
    else {
      console.error(`bench: unknown argument \`${argv[i]}\``);
      return 2;
    }
  }
  if (pods.some((n) => !Number.isInteger(n) || n < 1)) {
    console.error("bench: --pods takes positive integers, e.g. 25000,100000");
    return 2;
  }
  const rows = measureInputs(pods, (row) => console.error(`bench: ${row.format} ${row.pods} pods done`));
  console.log(json ? JSON.stringify(rows, null, 2) : inputTable(rows));
  return rows.some((r) => r.error !== null) ? 1 : 0;
}

if (process.argv[1] === SELF) process.exitCode = main(process.argv.slice(2));
