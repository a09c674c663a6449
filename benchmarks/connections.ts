/**
 * `engine.connections` by workload on the synthetic clusters (WASM engine): one row
 * per size, each measured in a child process of its own (this file with `--worker`)
 * so that its peak RSS is its own. The connections are serialized as `netpol
 * connections -o json` writes them and thrown away, as a stream to a pipe would be:
 * memory stays bounded by the engine's tables, not by the output.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createEngine } from "../src/engine/create.js";
import { syntheticWorld, type Size } from "./synthetic.js";

const SELF = fileURLToPath(import.meta.url);

/** One row of the connections table. */
export interface ConnectionsRow {
  readonly size: string;
  readonly pods: number;
  readonly workloads: number;
  readonly policies: number;
  readonly connections: number;
  readonly outputBytes: number;
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly error: string | null;
}

/** A synthetic pod's workload: its deployment (`name-hash-index` less the index). */
const workloadOf = (namespace: string, name: string): string => `${namespace}/deployment/${name.slice(0, name.lastIndexOf("-"))}`;

async function measureOne(size: Size, seed: number): Promise<ConnectionsRow> {
  const world = syntheticWorld(size, seed);
  const engine = await createEngine({ cluster: world.cluster, policies: world.policies as never, evaluator: "wasm" });
  const groups = world.cluster.pods.map((p) => workloadOf(p.namespace, p.name!));
  const started = performance.now();
  let connections = 0;
  let outputBytes = 0;
  for (const c of engine.connections({ groups })) {
    connections++;
    outputBytes += JSON.stringify(c).length + 2;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    size: size.name,
    pods: size.pods,
    workloads: new Set(groups).size,
    policies: size.policies,
    connections,
    outputBytes,
    seconds,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    error: null,
  };
}

/**
 * The largest cluster measured: `connections` holds one pod-pair matrix per distinct
 * port class (N² bits each: 12 MB at 10k pods, 1.2 GB at 100k), so L and XL are
 * reported as not measured until it works in blocks of rows.
 */
export const CONNECTIONS_MAX_PODS = 10_000;

/** Measures `size` in a child process; a failed child gives a row saying so. */
export function connectionsRow(size: Size, seed: number): ConnectionsRow {
  if (size.pods > CONNECTIONS_MAX_PODS) {
    return { size: size.name, pods: size.pods, workloads: 0, policies: size.policies, connections: 0, outputBytes: 0, seconds: 0, peakRssMiB: 0, error: "not measured: one N² matrix per port class does not fit" };
  }
  const run = spawnSync(process.execPath, ["--max-old-space-size=16384", "--import", "tsx", SELF, "--worker", JSON.stringify(size), String(seed)], { encoding: "utf8", maxBuffer: 1 << 24 });
  const line = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status === 0 && line.startsWith("{")) return JSON.parse(line) as ConnectionsRow;
  process.stderr.write(run.stderr);
  return { size: size.name, pods: size.pods, workloads: 0, policies: size.policies, connections: 0, outputBytes: 0, seconds: 0, peakRssMiB: 0, error: `failed (exit status ${run.status ?? run.signal})` };
}

/** The rows as a Markdown table. */
export function connectionsTable(rows: readonly ConnectionsRow[]): string {
  const lines = ["| size | pods | workloads | policies | connections | JSON output | time | peak RSS |", "|---|--:|--:|--:|--:|--:|--:|--:|"];
  for (const r of rows) {
    if (r.error !== null) lines.push(`| ${r.size} | ${r.pods} | | ${r.policies} | **${r.error}** | | | |`);
    else lines.push(`| ${r.size} | ${r.pods.toLocaleString("en")} | ${r.workloads.toLocaleString("en")} | ${r.policies.toLocaleString("en")} | ${r.connections.toLocaleString("en")} | ${(r.outputBytes / 2 ** 20).toFixed(1)} MiB | ${r.seconds.toFixed(2)} s | ${r.peakRssMiB.toLocaleString("en")} MiB |`);
  }
  return lines.join("\n");
}

// child mode, only when this file is the script run (run.ts, which imports it, has a `--worker` mode of its own)
if (process.argv[1] === SELF && process.argv[2] === "--worker") {
  measureOne(JSON.parse(process.argv[3]!) as Size, Number(process.argv[4])).then(
    (row) => console.log(JSON.stringify(row)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : String(error));
      process.exitCode = 1;
    },
  );
}
