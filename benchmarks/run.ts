/**
 * `npm run bench -- [--sizes S,M,L,XL] [--input-pods 25000,100000,200000] [--only engine|input|connections|threads|scale]
 * [--json] [--write] [--seed N] [--compare LABEL=DIR]`: times every evaluator this build
 * offers (`EVALUATORS`) side by side on synthetic clusters and prints one row per size
 * and evaluator, in two tables (batches; compile, matrix, update and memory), all on
 * one thread, then one thread against N on 10M flows and a 20k-pod matrix (`threads.ts`), then
 * one cluster of 1M pods and 100k policies within a memory budget (`scale.ts`). Each
 * measurement runs in a child process of its own (this file with `--worker`), the
 * reference first: its sample verdicts are what the others must reproduce before they
 * are timed (unchecked if the reference row failed). Then reads large `kubectl get -o
 * yaml|json` dumps (`large-input.ts`). `--compare LABEL=DIR` adds rows for the compiled
 * evaluators of another checkout of netpol at DIR (with its node_modules and built
 * core), measured in the same run on the same inputs: before and after a change, under
 * the same conditions. `--write` also writes the tables and the machine description to
 * docs/benchmarks.md (this tree's rows only: the document describes this build; with
 * `--only`, only that part of it). `--only connections` measures only the connections
 * table (`connections.ts`), by workload and by pod. Exit
 * status 1 when an evaluator disagrees with the reference or a measurement fails, 2 on
 * bad usage.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EVALUATORS } from "../src/engine/create.js";
import type { EvaluatorName } from "../src/api/engine.js";
import { BATCH_FLOWS, BATCH_RUNS, MATRIX_RUNS, WARM_BUILDS, SAMPLE_CELLS, SAMPLE_FLOWS, STREAM_BYTES, UPDATE_RUNS, failed, measure, type Measurement } from "./measure.js";
import { busyWarning, machine, tables, tierCost, withReference, type Row } from "./report.js";
import { SIZES, describeWorld, syntheticWorld, type Size } from "./synthetic.js";
import { INPUT_NOTES, INPUT_PODS, inputTable, measureInputs, type InputRow } from "./large-input.js";
import { GROUPINGS, connectionsRow, connectionsTable, type ConnectionsRow } from "./connections.js";
import { THREADS_FLOWS, THREADS_SIZE, threadsRow, threadsTable, type ThreadsRow } from "./threads.js";
import { BUDGET_MB, HEAP_MB, SCALE_SIZE, scaleRow, scaleTable, type ScaleRow } from "./scale.js";

const SELF = fileURLToPath(import.meta.url);
const DOC = fileURLToPath(new URL("../docs/benchmarks.md", import.meta.url));

/** Another checkout to measure beside this one (`--compare LABEL=DIR`). */
interface Build {
  readonly label: string;
  readonly root: string;
}

interface Args {
  readonly sizes: Size[];
  /** Pod counts of the dumps read by the large-input table. */
  readonly inputPods: number[];
  /** Which tables to produce. */
  readonly only: "engine" | "input" | "connections" | "threads" | "scale" | null;
  readonly json: boolean;
  readonly write: boolean;
  readonly seed: number;
  readonly compare: Build | null;
}

function parseArgs(argv: readonly string[]): Args | string {
  let sizes = [...SIZES];
  let inputPods = [...INPUT_PODS];
  let only: Args["only"] = null;
  let json = false;
  let write = false;
  let seed = 1;
  let compare: Build | null = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--compare") {
      const [label, root] = (argv[++i] ?? "").split("=");
      if (!label || !root) return "--compare takes LABEL=DIR, a checkout of netpol with node_modules and a built core";
      if (!existsSync(join(root, "src/engine/create.ts"))) return `--compare: no netpol checkout at ${root} (src/engine/create.ts is missing)`;
      compare = { label, root: resolve(root) };
    } else if (arg === "--json") json = true;
    else if (arg === "--write") write = true;
    else if (arg === "--seed") seed = Number(argv[++i]);
    else if (arg === "--input-pods") {
      inputPods = (argv[++i] ?? "").split(",").map(Number);
      if (inputPods.some((n) => !Number.isInteger(n) || n < 1)) return "--input-pods takes positive integers, e.g. 25000,100000";
    } else if (arg === "--only") {
      const value = argv[++i];
      if (value !== "engine" && value !== "input" && value !== "connections" && value !== "threads" && value !== "scale") return "--only takes engine, input, connections, threads or scale";
      only = value;
    }
    else if (arg === "--sizes") {
      const names = (argv[++i] ?? "").split(",");
      const unknown = names.filter((n) => !SIZES.some((s) => s.name === n));
      if (unknown.length > 0) return `unknown size ${unknown.join(", ")}: sizes are ${SIZES.map((s) => s.name).join(", ")}`;
      sizes = SIZES.filter((s) => names.includes(s.name));
    } else return `unknown argument \`${arg}\``;
  }
  if (!Number.isInteger(seed)) return "--seed takes an integer";
  return { sizes, inputPods, only, json, write, seed, compare };
}

/** Which `--only` values measure each part (the connections table comes with the engine tables). */
const PARTS: Record<"engine" | "connections" | "input" | "threads" | "scale", ReadonlyArray<Args["only"]>> = {
  engine: [null, "engine"],
  connections: [null, "engine", "connections"],
  input: [null, "input"],
  threads: [null, "threads"],
  scale: [null, "scale"],
};

/** Whether this run measures `part`. */
const measures = (args: Args, part: keyof typeof PARTS): boolean => PARTS[part].includes(args.only);

/**
 * Runs one measurement in a child process and reads its JSON line; a child that
 * fails (a crash, running out of memory) gives a row saying so, and its stderr.
 */
function inChild(size: Size, evaluator: EvaluatorName, seed: number, expectFile: string | null, build: Build | null = null): Measurement {
  const where = build === null ? [] : [build.label, build.root];
  const args = ["--expose-gc", "--max-old-space-size=16384", "--import", "tsx", SELF, "--worker", size.name, evaluator, String(seed), expectFile ?? "-", ...where];
  const run = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 26 });
  const line = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status === 0 && line.startsWith("{")) return JSON.parse(line) as Measurement;
  process.stderr.write(run.stderr);
  return failed(size, evaluator, build?.label ?? null, `measurement failed (exit status ${run.status ?? run.signal})`);
}

/** Child mode: `--worker SIZE EVALUATOR SEED EXPECTED_VERDICTS_FILE|- [LABEL ROOT]`, prints one JSON line. */
async function worker(argv: readonly string[]): Promise<void> {
  const size = SIZES.find((s) => s.name === argv[0])!;
  const expected = argv[3] === "-" ? null : readFileSync(argv[3]!, "utf8");
  const build = argv[4] === undefined ? null : { label: argv[4], root: argv[5]! };
  console.log(JSON.stringify(await measure(size, argv[1] as EvaluatorName, Number(argv[2]), expected, build)));
}

/** One line per size: what a caller of each batch form gets from the compiled engine, against the reference. */
function summary(rows: readonly Row[]): string[] {
  const M = (v: number | null | undefined): string => (v == null ? "—" : `${(v / 1e6).toFixed(1)} M`);
  const x = (a: number | null | undefined, b: number | null | undefined): string => (a == null || b == null ? "—" : `×${Math.round(a / b)}`);
  const pct = (a: number | null | undefined, b: number | null | undefined): string => (a == null || b == null ? "—" : `${Math.round((a / b) * 100)}%`);
  return rows
    .filter((r) => r.evaluator !== "reference" && r.build === null && r.batch !== null)
    .map((r) => {
      const { pods, flowLogs } = r.batch!;
      const ref = r.reference;
      return (
        `- ${r.size} (${r.pods.toLocaleString("en")} pods, ${r.policies.toLocaleString("en")} policies), ${r.evaluator}: flow objects ${M(pods.objects)} flows/s ` +
        `(${pct(pods.objects, pods.columns)} of columns, ${x(pods.objects, ref?.pods.objects)} the reference), columns ${M(pods.columns)}; ` +
        `a flow log (every end an IP): objects ${M(flowLogs.objects)} (${pct(flowLogs.objects, flowLogs.columns)}, ${x(flowLogs.objects, ref?.flowLogs.objects)}), columns ${M(flowLogs.columns)}; ` +
        `createEngine ${r.compileMs === null ? "—" : `${Math.round(r.compileMs)} ms`} cold, ${r.warmCompileMs === null ? "—" : `${Math.round(r.warmCompileMs)} ms`} warm`
      );
    });
}

/** The heading of the document's threads section. */
const THREADS_HEADING = "One thread against N";

/** The heading of the document's scale section. */
const SCALE_HEADING = "Ten times XL";

/** The document's scale section (\`--only scale --write\` replaces just this one). */
function scaleSection(row: ScaleRow | null): string {
  return `## ${SCALE_HEADING}

One cluster of ${SCALE_SIZE.pods.toLocaleString("en")} pods and ${SCALE_SIZE.policies.toLocaleString("en")} policies, generated as the sizes above (\`benchmarks/scale.ts\`), in a
process whose V8 heap is limited to ${HEAP_MB.toLocaleString("en")} MiB: \`createEngine\` on one thread, \`counts\` on one port, then
\`decideBatch\` on 1,000,000 flow objects of the "pods" mix, then on the same flows as columns (\`toColumns\` before timing). RSS is the whole process's, the caller's input
included ("input alone": the generated cluster and policies before \`createEngine\`); "within 4 GiB"
compares the peak with ${BUDGET_MB.toLocaleString("en")} MiB. Pod classes are counted as the issue defines them (distinct
namespace, labels, host-network flag and container ports); the tables split a class further
where ipBlock boundaries cut its pods' addresses apart.

${row === null ? "(not measured in this run)" : scaleTable(row)}
`;
}

/** The document's threads section (\`--only threads --write\` replaces just this one). */
function threadsSection(row: ThreadsRow | null): string {
  return `## ${THREADS_HEADING}

\`createEngine({ threads })\` on ${THREADS_SIZE.pods.toLocaleString("en")} pods and ${THREADS_SIZE.policies.toLocaleString("en")} policies (\`benchmarks/threads.ts\`): the same
${THREADS_FLOWS.toLocaleString("en")}-flow columnar batch and the same one-port matrix on an engine with 1 thread and one with N
(the host's cores), timed in turns in one process so that both see the same load, after eight
untimed turns (workers start with the first job and reach their speed over the next few); the speed-up
is the median of the per-turn ratios, and "CPU time" (all threads) says how much work the
split adds. Flow objects are read on the calling thread (their cost is reading, not the core);
both engines use the default split, which splits a matrix only \`{ into }\` a SharedArrayBuffer,
where every thread writes its rows in place, each making only the class-matrix rows its pods
need. \`{ into }\` an ordinary array stays on the calling thread, which alone can write there
(copying the workers' rows into it cost what they saved: ×0.9–1.1), and so does a fresh array,
whose cost is the kernel faulting in its new pages (over a fresh SharedArrayBuffer, threads
shared them, ×1.6, but V8 left such buffers uncollected: 2 GB after 40 matrices in a loop).
The two control lines time jobs that are
not the engine's, split the same way: integer arithmetic alone says how many idle cores this
run had, copies into a shared buffer as large as the matrix say whether memory lets N threads
write faster than one.

${row === null ? "(not measured in this run)" : threadsTable(row)}
`;
}

function document(all: readonly Row[], connections: readonly ConnectionsRow[], inputs: readonly InputRow[], threads: ThreadsRow | null, scale: ScaleRow | null, args: Args, host: string, busy: string | null): string {
  const worlds = args.sizes.map((s) => `- ${s.name}: ${describeWorld(syntheticWorld(s, args.seed))}`);
  const rows = all.filter((r) => r.build === null);
  return `# Benchmarks

Produced by \`npm run bench -- --sizes ${args.sizes.map((s) => s.name).join(",")}${args.only === "engine" ? " --only engine" : ""}${args.compare === null ? "" : ` --compare ${args.compare.label}=DIR`} --write\` on ${new Date().toISOString().slice(0, 10)}.${args.compare === null ? "" : ` Rows marked "(${args.compare.label})" are the same measurement of another checkout (DIR), in the same run.`}

Machine: ${host}.
${busy === null ? "" : `\n**${busy}**\n`}
What a caller of each form gets, in flows per second on one core (details below):

${summary(rows).join("\n")}

${tables(all)}

${connectionsSection(connections, null)}

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
- Batches: \`decideBatch\` on ${BATCH_FLOWS.toLocaleString("en")} flows of each mix, in each form. "pods": random flows
  as an application names them (mostly pod to pod by \`namespace/name\`, half within a namespace,
  some naming a pod by address, some from or to random outside IPv4/IPv6 addresses, each seen
  once). "flow log": the same traffic as a flow log records it, every end an IP literal (a
  pod's address, or one of a pool of 2,000 services and 20,000 clients outside).
  "objects": an array of \`Flow\` objects, as the caller has it (all reading and checking is
  timed); "columns": \`ColumnarFlows\` encoded before timing, each distinct address once in the
  address table. One untimed run, then the median of ${BATCH_RUNS}. The reference is timed on
  ${SAMPLE_FLOWS.toLocaleString("en")} flows of each mix and scaled; "/ reference" divides by its rate for the same form and mix.
- compile, cold: \`createEngine\` wall time (decode, validate, normalize, and compile where the
  evaluator compiles; the WebAssembly module's own compile included), the first in a fresh
  process, so with V8 still compiling netpol's own code (what a one-shot CLI run pays);
  compile, warm: the same build again once the process has built one (what a long-running
  process pays), median of ${WARM_BUILDS}, timed last so it is not in the peak RSS.
- matrix: \`matrix({ protocol: "TCP", port: 8080 })\` over all pods, median of ${MATRIX_RUNS} after an untimed
  one: into a fresh array, and into the bits of the previous matrix (\`{ into }\`, no
  allocation). A matrix over ${STREAM_BYTES / 2 ** 20} MiB (N² bits) is streamed instead, where the engine
  has \`matrixStrips\` ("in strips": every strip made and dropped, memory one strip); a build
  without strips holds it whole. One memory pass: a fill of a buffer of the matrix's size (of
  the strip buffer once per strip when streamed); "matrix / memory pass" divides the matrix
  a caller gets at best (into a reused buffer, else streamed) by it. counts: \`counts\` on
  the same port, median of ${MATRIX_RUNS}. The reference is timed on ${SAMPLE_CELLS.toLocaleString("en")} cells through \`decideBatch\` and scaled to N² cells.
- update: \`engine.update\` replacing one policy (a namespace's default deny gains an ingress
  rule on a port that changes each time), one pod (the first, relabelled each time: a new
  pod class each time), one namespace (a team's, its \`env\` label changed each time), adding
  a pod (a replica of the first, a new address each time) and removing the middle pod
  (later pods move down an index), after the timings above: one untimed update, then the
  median of ${UPDATE_RUNS} each; "each update / warm compile" divides each by the warm compile.
- memory, of the process measuring that one row (each row runs in its own process): RSS and
  V8 heap right after compiling, after a GC (the input, the engine and its tables); peak RSS
  over the whole measurement (the ${BATCH_FLOWS.toLocaleString("en")}-flow batches and the matrices timed included;
  a whole matrix of 100,000 pods is 1.2 GB by itself, hence the strips there).
- Before timing, every evaluator's verdicts on ${SAMPLE_FLOWS.toLocaleString("en")} flows of each mix (and after its matrix,
  ${SAMPLE_CELLS.toLocaleString("en")} matrix cells) are compared with the reference's; a disagreement is printed in bold.
- The machine is shared: compare figures within one run (one table), not across runs.

${threadsSection(threads)}
${scaleSection(scale)}
## Reading large manifests

${inputs.length > 0 ? inputTable(inputs) : "(not measured in this run)"}

${INPUT_NOTES}
`;
}

/**
 * The connections paragraph and table; `produced` says how and when, when the table is
 * written alone (\`--only connections --write\`) into a document measured otherwise.
 */
function connectionsSection(connections: readonly ConnectionsRow[], produced: string | null): string {
  return `${CONNECTIONS_HEADING} (\`engine.connections({ groups })\` on the WASM engine, every
port of TCP, UDP and SCTP, outside ranges included, after \`createEngine\`; each connection
serialized as \`netpol connections -o json\` writes it and dropped, as a stream to a pipe would
be, so that memory is the engine's, not the output's; CPU time is the process's over the same
span, what the run cost on a shared machine${produced === null ? "" : `; ${produced}`}):

${connectionsTable(connections)}`;
}

/** How the connections paragraph of docs/benchmarks.md starts (\`withConnectionsSection\` finds it by it). */
const CONNECTIONS_HEADING = "Connections by workload and by pod";

/** docs/benchmarks.md with its connections paragraph and table replaced by `section` (\`--only connections --write\`). */
function withConnectionsSection(doc: string, section: string): string {
  const start = doc.search(/^Connections by workload/m);
  if (start < 0) throw new Error("docs/benchmarks.md has no connections table to replace: run npm run bench -- --write");
  const lines = doc.slice(start).split("\n");
  // the paragraph, a blank line, then the table's lines
  let end = lines.findIndex((line) => line.startsWith("|"));
  while (end < lines.length && lines[end]!.startsWith("|")) end++;
  return doc.slice(0, start) + section + "\n" + lines.slice(end).join("\n");
}

/** docs/benchmarks.md with everything before its threads and large-input sections replaced by `fresh`'s (`--only engine --write`). */
function withEngineSection(doc: string, fresh: string): string {
  // the threads section, then the large-input one, are kept from the document
  const marker = ["\n## One thread against N\n", "\n## Reading large manifests\n"].find((m) => doc.includes(m) && fresh.includes(m));
  if (marker === undefined) return fresh;
  return `${fresh.split(marker)[0]!.trimEnd()}\n${doc.slice(doc.indexOf(marker))}`;
}

/**
 * docs/benchmarks.md with its section `heading` (from its \`## \` line to the next)
 * replaced by `section`, or added before the large-input one (`--only threads|scale --write`).
 */
function withSection(doc: string, heading: string, section: string): string {
  const marker = `\n## ${heading}\n`;
  const next = "\n## Reading large manifests\n";
  const fresh = `\n${section}`;
  if (doc.includes(marker)) {
    const start = doc.indexOf(marker);
    const end = doc.indexOf("\n## ", start + marker.length);
    return doc.slice(0, start) + fresh + (end < 0 ? "" : doc.slice(end));
  }
  return doc.includes(next) ? doc.replace(next, `${fresh}${next}`) : `${doc.trimEnd()}\n${fresh}`;
}

/** docs/benchmarks.md with only its large-input section replaced (`--only input --write`). */
function withInputSection(doc: string, inputs: readonly InputRow[], host: string): string {
  const head = doc.split("\n## Reading large manifests\n")[0]!.trimEnd();
  return `${head}\n\n## Reading large manifests\n\nProduced by \`npm run bench -- --only input --write\` on ${new Date().toISOString().slice(0, 10)}, on ${host}.\n\n${inputTable(inputs)}\n\n${INPUT_NOTES}\n`;
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
  const busy = busyWarning();
  const dir = mkdtempSync(join(tmpdir(), "netpol-bench-"));
  const rows: Measurement[] = [];
  try {
    for (const size of measures(args, "engine") ? args.sizes : []) {
      const reference = inChild(size, "reference", args.seed, null);
      const expectFile = reference.error === null ? join(dir, `${size.name}.verdicts`) : null;
      if (expectFile !== null) writeFileSync(expectFile, reference.verdicts);
      rows.push(reference);
      for (const evaluator of EVALUATORS.filter((e) => e !== "reference")) {
        if (args.compare !== null) rows.push(inChild(size, evaluator, args.seed, expectFile, args.compare));
        rows.push(inChild(size, evaluator, args.seed, expectFile));
      }
      if (!args.json) console.error(`bench: ${size.name} done`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const connections: ConnectionsRow[] = !measures(args, "connections") ? [] : args.sizes.flatMap((size) => GROUPINGS.map((by) => connectionsRow(size, by, args.seed)));
  const out = withReference(rows);
  const threads = measures(args, "threads") ? threadsRow(args.seed) : null;
  if (threads !== null && !args.json) console.error("bench: threads done");
  const scale = measures(args, "scale") ? scaleRow(args.seed) : null;
  if (scale !== null && !args.json) console.error("bench: scale done");
  const inputs = !measures(args, "input") ? [] : measureInputs(args.inputPods, (row) => !args.json && console.error(`bench: ${row.format} dump of ${row.pods} pods read`));
  if (args.json) console.log(JSON.stringify({ rows: out.map(({ verdicts: _, ...row }) => row), connections, threads, scale, input: inputs }, null, 2));
  else {
    console.log([host, ...(out.length > 0 ? [tables(out)] : []), ...(inputs.length > 0 ? [inputTable(inputs)] : [])].join("\n\n"));
    const tiers = tierCost(out);
    if (tiers !== null) console.log(`\nThe cost of the ClusterNetworkPolicy tiers (same pods and NetworkPolicies, with and without 200 ClusterNetworkPolicies):\n\n${tiers}`);
    if (connections.length > 0) console.log(`\nconnections by workload and by pod (wasm):\n\n${connectionsTable(connections)}`);
    if (threads !== null) console.log(`\none thread against ${threads.threads} (wasm, sync API):\n\n${threadsTable(threads)}`);
    if (scale !== null) console.log(`\n${SCALE_SIZE.pods.toLocaleString("en")} pods (wasm):\n\n${scaleTable(scale)}`);
  }
  const sizes = args.sizes.map((s) => s.name).join(",");
  const produced = `measured by \`npm run bench -- --only connections --sizes ${sizes} --write\` on ${new Date().toISOString().slice(0, 10)}, on ${host}`;
  if (args.write && args.only === "connections") writeFileSync(DOC, withConnectionsSection(readFileSync(DOC, "utf8"), connectionsSection(connections, produced)));
  else if (args.write && args.only === "input") writeFileSync(DOC, withInputSection(readFileSync(DOC, "utf8"), inputs, host));
  else if (args.write && args.only === "threads") writeFileSync(DOC, withSection(readFileSync(DOC, "utf8"), THREADS_HEADING, threadsSection(threads)));
  else if (args.write && args.only === "scale") writeFileSync(DOC, withSection(readFileSync(DOC, "utf8"), SCALE_HEADING, scaleSection(scale!)));
  else if (args.write && args.only === "engine") writeFileSync(DOC, withEngineSection(readFileSync(DOC, "utf8"), document(out, connections, inputs, null, null, args, host, busy)));
  else if (args.write) writeFileSync(DOC, document(out, connections, inputs, threads, scale, args, host, busy));
  const threadsFailed = threads !== null && (threads.error !== null || threads.lines.some((l) => !l.same));
  const scaleFailed = scale !== null && scale.error !== null;
  return out.some((r) => r.error !== null) || connections.some((r) => r.error !== null) || inputs.some((r) => r.error !== null) || threadsFailed || scaleFailed ? 1 : 0;
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
