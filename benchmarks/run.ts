/**
 * `npm run bench -- [--sizes S,M,L,XL] [--json] [--write] [--seed N]`: times every
 * evaluator this build offers (`EVALUATORS`) side by side on synthetic clusters and
 * prints one row per size and evaluator. Each measurement runs in a child process of
 * its own (this file with `--worker`), the reference first: its sample verdicts are
 * what the others must reproduce before they are timed (unchecked if the reference
 * row failed). `--write` also writes the table and the machine description to
 * docs/benchmarks.md. Exit status 1 when an evaluator disagrees with the reference
 * or a measurement fails, 2 on bad usage.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EVALUATORS } from "../src/engine/create.js";
import type { EvaluatorName } from "../src/api/engine.js";
import { BATCH_FLOWS, BATCH_RUNS, WARM_BUILDS, SAMPLE_CELLS, SAMPLE_FLOWS, UPDATE_RUNS, failed, measure, type Measurement } from "./measure.js";
import { machine, table, tierCost, withRatios, type Row } from "./report.js";
import { SIZES, describeWorld, syntheticWorld, type Size } from "./synthetic.js";

const SELF = fileURLToPath(import.meta.url);
const DOC = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));

interface Args {
  readonly sizes: Size[];
  readonly json: boolean;
  readonly write: boolean;
  readonly seed: number;
}

function parseArgs(argv: readonly string[]): Args | string {
  let sizes = [...SIZES];
  let json = false;
  let write = false;
  let seed = 1;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") json = true;
    else if (arg === "--write") write = true;
    else if (arg === "--seed") seed = Number(argv[++i]);
    else if (arg === "--sizes") {
      const names = (argv[++i] ?? "").split(",");
      const unknown = names.filter((n) => !SIZES.some((s) => s.name === n));
      if (unknown.length > 0) return `unknown size ${unknown.join(", ")}: sizes are ${SIZES.map((s) => s.name).join(", ")}`;
      sizes = SIZES.filter((s) => names.includes(s.name));
    } else return `unknown argument \`${arg}\``;
  }
  if (!Number.isInteger(seed)) return "--seed takes an integer";
  return { sizes, json, write, seed };
}

/**
 * Runs one measurement in a child process and reads its JSON line; a child that
 * fails (a crash, running out of memory) gives a row saying so, and its stderr.
 */
function inChild(size: Size, evaluator: EvaluatorName, seed: number, expectFile: string | null): Measurement {
  const args = ["--expose-gc", "--max-old-space-size=16384", "--import", "tsx", SELF, "--worker", size.name, evaluator, String(seed), ...(expectFile ? [expectFile] : [])];
  const run = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  const line = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status === 0 && line.startsWith("{")) return JSON.parse(line) as Measurement;
  process.stderr.write(run.stderr);
  return failed(size, evaluator, `measurement failed (exit status ${run.status ?? run.signal})`);
}

/** Child mode: `--worker SIZE EVALUATOR SEED [EXPECTED_VERDICTS_FILE]`, prints one JSON line. */
async function worker(argv: readonly string[]): Promise<void> {
  const size = SIZES.find((s) => s.name === argv[0])!;
  const expected = argv[3] === undefined ? null : readFileSync(argv[3], "utf8");
  console.log(JSON.stringify(await measure(size, argv[1] as EvaluatorName, Number(argv[2]), expected)));
}

function document(rows: readonly Row[], args: Args, host: string): string {
  const worlds = args.sizes.map((s) => `- ${s.name}: ${describeWorld(syntheticWorld(s, args.seed))}`);
  return `# Benchmarks

Produced by \`npm run bench -- --sizes ${args.sizes.map((s) => s.name).join(",")} --write\` on ${new Date().toISOString().slice(0, 10)}.

Machine: ${host}.

${table(rows)}
${tierCost(rows) === null ? "" : `\nThe cost of the ClusterNetworkPolicy tiers (the same pods and NetworkPolicies, with and without the ClusterNetworkPolicies):\n\n${tierCost(rows)}\n`}
How to read it:
- Synthetic clusters, seed ${args.seed} (\`benchmarks/synthetic.ts\`): one namespace per team of
  100 pods (deployments labelled app, tier, version, pod-template-hash; named container ports;
  a third dual-stack; host-network node exporters), per namespace a default deny, DNS egress,
  egress within the namespace, then allow rules by app, tier, namespace and CIDR (ipBlocks
  with excepts, endPort ranges, matchExpressions). A \`+CNP\` size adds, to the same pods and
  NetworkPolicies, a node per host-network pod address and ClusterNetworkPolicies
  (\`benchmarks/synthetic-tiers.ts\`): half Admin (guard rails: DNS, the metadata endpoint, the
  kubelet, monitoring, ingress, environments kept apart, Pass to delegate), half Baseline
  (the same, ending in a default deny), one to ten rules each, subjects from one team to
  every team of a list.
${worlds.join("\n")}
- compile, cold: \`createEngine\` wall time (decode, validate, normalize, and compile where the
  evaluator compiles), the first in the process, so with V8 still compiling netpol's own
  code (what a one-shot CLI run pays); "of which tables": the part after the input is
  loaded, building the evaluator from the model (for WASM the table compile and the
  instance); compile, warm: the same build again once the process has built one (what a
  long-running process pays), median of ${WARM_BUILDS}, timed last so it is not in the peak RSS.
- batch: \`decideBatch\` on ${BATCH_FLOWS.toLocaleString("en")} random flows (mostly pod to pod, half within a
  namespace, some naming a pod by address, some from or to outside IPv4/IPv6 addresses);
  "columnar" when the typed-array form (\`ColumnarFlows\`, encoded before timing) was timed.
  Only \`decideBatch\` is timed: one untimed run, then the median of ${BATCH_RUNS} runs. "pod→pod
  only": the same, on the mix's flows that name no address (the same columns, filtered).
  The reference is timed on ${SAMPLE_FLOWS.toLocaleString("en")} of those flows and scaled.
- matrix: \`matrix({ protocol: "TCP", port: 8080 })\` over all pods. The reference is timed on
  ${SAMPLE_CELLS.toLocaleString("en")} cells through \`decideBatch\` and scaled to N² cells.
- update: \`engine.update\` replacing one policy (a namespace's default deny gains an ingress
  rule on a port that changes each time), after the timings above, where the engine has
  \`update\`: one untimed update, then the median of ${UPDATE_RUNS}.
- peak RSS of the process measuring that one row (each row runs in its own process, including
  generating the cluster and the flows); heap: V8 heap in use after compiling, after a GC.
- Before timing, every evaluator's verdicts on ${SAMPLE_FLOWS.toLocaleString("en")} flows (and after its matrix,
  ${SAMPLE_CELLS.toLocaleString("en")} matrix cells) are compared with the reference's; a disagreement is printed in bold.
`;
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === "--worker") {
    await worker(argv.slice(1));
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(`bench: ${args}`);
    return 2;
  }
  const host = machine();
  const dir = mkdtempSync(join(tmpdir(), "netpol-bench-"));
  const rows: Measurement[] = [];
  try {
    for (const size of args.sizes) {
      const reference = inChild(size, "reference", args.seed, null);
      const expectFile = reference.error === null ? join(dir, `${size.name}.verdicts`) : null;
      if (expectFile !== null) writeFileSync(expectFile, reference.verdicts);
      rows.push(reference);
      for (const evaluator of EVALUATORS.filter((e) => e !== "reference")) rows.push(inChild(size, evaluator, args.seed, expectFile));
      if (!args.json) console.error(`bench: ${size.name} done`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const out = withRatios(rows);
  if (args.json) console.log(JSON.stringify(out.map(({ verdicts: _, ...row }) => row), null, 2));
  else {
    console.log(`${host}\n\n${table(out)}`);
    const tiers = tierCost(out);
    if (tiers !== null) console.log(`\nThe cost of the ClusterNetworkPolicy tiers (same pods and NetworkPolicies, with and without 200 ClusterNetworkPolicies):\n\n${tiers}`);
  }
  if (args.write) writeFileSync(DOC, document(out, args, host));
  return out.some((r) => r.error !== null) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
