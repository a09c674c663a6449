/**
 * `engine.connections` by workload and by pod on the synthetic clusters (WASM
 * engine): one row per size and grouping, each measured in a child process of its own
 * (this file with `--worker`) so that its peak RSS is its own. The connections are
 * serialized as `netpol connections -o json` writes them (its streamed JSON format)
 * and thrown away, as a stream to a pipe would be: memory stays bounded by the
 * engine's tables, not by the output. The time is that of `connections` and the
 * serialization, after `createEngine`.
 */
import { fileURLToPath } from "node:url";
import { createEngine } from "../src/engine/create.js";
import { jsonConnections } from "../src/cli/format/connections.js";
import { childMode, rowFromChild } from "./child.js";
import { syntheticWorld, type Size } from "./synthetic.js";

const SELF = fileURLToPath(import.meta.url);

/** How endpoints are named: `--by workload` or `--by pod`. */
export type Grouping = "workload" | "pod";

/** The groupings measured, per size. */
export const GROUPINGS: readonly Grouping[] = ["workload", "pod"];

/** One row of the connections table. */
export interface ConnectionsRow {
  readonly size: string;
  readonly by: Grouping;
  readonly pods: number;
  /** Endpoints made of pods (workloads, or pods). */
  readonly endpoints: number;
  readonly policies: number;
  readonly connections: number;
  readonly outputBytes: number;
  /** Wall time. */
  readonly seconds: number;
  /** CPU time (user and system) over the same span: on a shared machine, what the run itself cost. */
  readonly cpuSeconds: number;
  readonly peakRssMiB: number;
  readonly error: string | null;
}

/** A synthetic pod's workload: its deployment (`name-hash-index` less the index). */
const workloadOf = (namespace: string, name: string): string => `${namespace}/deployment/${name.slice(0, name.lastIndexOf("-"))}`;

async function measureOne(size: Size, by: Grouping, seed: number): Promise<ConnectionsRow> {
  const world = syntheticWorld(size, seed);
  const engine = await createEngine({ cluster: world.cluster, policies: [...world.policies, ...world.clusterPolicies] as never, evaluator: "wasm" });
  const groups = by === "workload" ? world.cluster.pods.map((p) => workloadOf(p.namespace, p.name!)) : engine.pods;
  const started = performance.now();
  const cpu = process.cpuUsage();
  let connections = 0;
  let outputBytes = jsonConnections.head.length;
  for (const c of engine.connections({ groups })) outputBytes += jsonConnections.item(c, connections++).length;
  outputBytes += jsonConnections.tail(connections).length;
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return {
    size: size.name,
    by,
    pods: size.pods,
    endpoints: new Set(groups).size,
    policies: size.policies,
    connections,
    outputBytes,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    error: null,
  };
}

/** Measures `size` grouped `by` in a child process; a failed child gives a row saying so. */
export function connectionsRow(size: Size, by: Grouping, seed: number): ConnectionsRow {
  const row = rowFromChild<ConnectionsRow>(SELF, ["--max-old-space-size=16384"], [JSON.stringify(size), by, String(seed)]);
  if (typeof row !== "string") return row;
  return { size: size.name, by, pods: size.pods, endpoints: 0, policies: size.policies, connections: 0, outputBytes: 0, seconds: 0, cpuSeconds: 0, peakRssMiB: 0, error: row };
}

/** The rows as a Markdown table. */
export function connectionsTable(rows: readonly ConnectionsRow[]): string {
  const lines = ["| size | by | pods | endpoints | policies | connections | JSON output | time | CPU time | peak RSS |", "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"];
  for (const r of rows) {
    if (r.error !== null) lines.push(`| ${r.size} | ${r.by} | ${r.pods.toLocaleString("en")} | | ${r.policies.toLocaleString("en")} | **${r.error}** | | | | |`);
    else {
      const output = r.outputBytes >= 2 ** 30 ? `${(r.outputBytes / 2 ** 30).toFixed(2)} GiB` : `${(r.outputBytes / 2 ** 20).toFixed(1)} MiB`;
      lines.push(`| ${r.size} | ${r.by} | ${r.pods.toLocaleString("en")} | ${r.endpoints.toLocaleString("en")} | ${r.policies.toLocaleString("en")} | ${r.connections.toLocaleString("en")} | ${output} | ${r.seconds.toFixed(2)} s | ${r.cpuSeconds.toFixed(2)} s | ${r.peakRssMiB.toLocaleString("en")} MiB |`);
    }
  }
  return lines.join("\n");
}

// child mode, only when this file is the script run (run.ts, which imports it, has a `--worker` mode of its own)
childMode(SELF, ([size, by, seed]) => measureOne(JSON.parse(size!) as Size, by as Grouping, Number(seed)));
