/**
 * `netpol --help` and each command's description (`CommandSpec`): what it does,
 * its options, output formats and exit statuses, an example. Parsing and help
 * both read these, so they cannot disagree.
 */
import type { Io } from "./io.js";
import { inputOptions, inputSettings, type InputSettings } from "./input-options.js";
import { EXIT, type Outcome } from "./load.js";
import { commandHelp, parseCommand, type Args, type CommandSpec, type OptionSpec, type UsageError } from "./options.js";

/** The commands, in the order help lists them. */
export const COMMANDS = ["check", "matrix", "flows", "explain", "validate", "diff", "connections", "exposure", "lint"] as const;

/** A command name. */
export type Command = (typeof COMMANDS)[number];

/** `-o/--format` (`--output` too, as kubectl and netpol-analyzer spell it) over `formats`. */
function formatOption(formats: ReadonlyArray<readonly [string, string]>): OptionSpec {
  return { name: "format", aliases: ["output"], short: "o", value: "FORMAT", choices: formats.map(([f]) => f), help: `output format: ${formats.map(([f]) => f).join(", ")} (default ${formats[0]![0]})` };
}

const PORT_HELP = "a port number, or PORT/PROTOCOL (80/TCP, 53/udp); TCP by default";
const INPUT_EXIT: readonly [number, string] = [EXIT.invalid, "bad input (a file, a document, an endpoint) or usage"];

const CHECK_FORMATS = [
  ["text", "the verdict and, for each end, the policies isolating it and the rule that allowed the flow"],
  ["json", "the flow, the verdict and the engine's explanation"],
] as const;
const MATRIX_FORMATS = [
  ["table", "fits the terminal, split into column blocks"],
  ["csv", "RFC 4180, a header row of destinations"],
  ["json", "endpoints and the allowed pairs"],
  ["md", "a Markdown table"],
  ["dot", "a Graphviz graph"],
  ["html", "one self-contained page: heatmap, hover explanations, filter box"],
] as const;
const FLOW_FORMATS = [
  ["csv", "RFC 4180 with a header row: src,dst,protocol,port,verdict"],
  ["jsonl", "one JSON object per line"],
] as const;
const DIFF_FORMATS = [
  ["txt", "one line per added (+), removed (-) or changed (~) connection, then the counts (`text` is read as txt)"],
  ["json", "the changes and their counts"],
  ["csv", "RFC 4180: from,to,change,before,after,gained,lost"],
  ["md", "a Markdown table"],
] as const;
const CONNECTION_FORMATS = [
  ["txt", "one line per pair: `A => B : TCP 80,8000-8100`, or `All Connections`"],
  ["json", "the contract of docs/cli.md: from, to, allowed per protocol, allowedBy"],
  ["csv", "RFC 4180, one row per pair"],
  ["md", "a Markdown table"],
  ["dot", "a Graphviz graph"],
  ["svg", "the dot graph laid out"],
  ["html", "the graph and a table of the rules, one self-contained page"],
] as const;
const EXPOSURE_FORMATS = [
  ["txt", "per endpoint: outside ranges, pods by namespace and rule, outside ranges it reaches"],
  ["json", "the same as data"],
] as const;
const LINT_FORMATS = [
  ["txt", "one finding per line with its place and fix"],
  ["json", "the findings as data"],
  ["sarif", "SARIF 2.1.0, for code-scanning UIs"],
] as const;
const PORT_RANGE_HELP = "only these ports: 443, 8000-8100/TCP, 53/UDP";
const BY_OPTION: OptionSpec = { name: "by", value: "pod|workload", choices: ["pod", "workload"], help: "endpoints are pods (default) or the workloads owning them" };

/** Every command's description. */
export const SPECS: Record<Command, CommandSpec> = {
  check: {
    name: "check",
    summary: "whether one flow is allowed, and why",
    usage: "netpol check FILES --from SRC --to DST --port PORT[/PROTOCOL]",
    description: `SRC and DST are a pod (namespace/name), a workload (namespace/kind/name, e.g.
default/deployment/web; kubectl's short kinds too: deploy, sts, ds, rs, cj), a Service
(namespace/service/name or namespace/svc/name), a node (node:NAME, its host network) or
an IP address. Prints the verdict and, for each end, the chain that decided it: the
Admin tier's ClusterNetworkPolicies, the NetworkPolicies isolating it and the rule that
allowed the flow (or that none did), the Baseline tier. A workload whose pods are given, a StatefulSet and a Service stand for all their
pods: the flow is decided for each ("allowed for 2 of 2 pods"); to a Service, PORT is a
service port (number or name), mapped to its targetPort on each pod. PORT may be a
container port name (http, http/TCP), resolved on each destination pod; a pod without
that name is not served.`,
    options: [
      { name: "from", value: "SRC", help: "the source endpoint (required)" },
      { name: "to", value: "DST", help: "the destination endpoint (required)" },
      { name: "port", short: "p", value: "PORT", help: `${PORT_HELP}, or a port name: http, http/TCP (required)` },
      { name: "explain", help: "when an end stands for several pods (a workload, a Service): why, for each pod" },
      { name: "expect", value: "VERDICT", choices: ["allowed", "denied", "mixed"], help: "allowed, denied or mixed (allowed for some pods only): exit 0 when the verdict is this one, 1 otherwise" },
      formatOption(CHECK_FORMATS),
      ...inputOptions(),
    ],
    formats: CHECK_FORMATS,
    exits: [
      [EXIT.ok, "allowed, for every pod an end stands for (or the verdict --expect names)"],
      [EXIT.failed, "denied for some pod (or not the verdict --expect names)"],
      INPUT_EXIT,
    ],
    example: "netpol check -f cluster.yaml -f policies/ --from default/frontend --to default/db --port 6379/TCP",
  },
  matrix: {
    name: "matrix",
    summary: "who can reach whom on one port",
    usage: "netpol matrix FILES --port PORT[/PROTOCOL] [-o FORMAT] [-n NS]...",
    description: "Rows are sources, columns destinations, grouped by namespace.",
    options: [{ name: "port", short: "p", value: "PORT", help: `${PORT_HELP} (required)` }, formatOption(MATRIX_FORMATS), ...inputOptions("filter")],
    formats: MATRIX_FORMATS,
    exits: [[EXIT.ok, "the matrix was printed"], INPUT_EXIT],
    example: "netpol matrix examples/ --port 80/TCP -o html > matrix.html",
  },
  flows: {
    name: "flows",
    summary: "a verdict for every flow of a CSV or JSON Lines file",
    usage: "netpol flows FILES --flows FLOWS [-o csv|jsonl] [--summary-only]",
    description: `FLOWS is a file (or - for standard input) of flows, one per line: CSV per RFC 4180
\`src,dst,protocol,port\` (a header row naming the columns is optional; fields may be
quoted) or JSON Lines \`{"src":"default/a","dst":"10.0.0.1","protocol":"TCP","port":80}\`.
Flows are read and decided in batches, so any number of them fits in bounded memory.
Prints each flow with its verdict, then a summary (allowed, denied, by policy) on
standard error.`,
    options: [
      { name: "flows", value: "FLOWS", help: "the flow file, or - for standard input (required)" },
      { ...formatOption(FLOW_FORMATS), help: "output format: csv or jsonl (default: the input's)" },
      { name: "summary-only", help: "print only the summary" },
      ...inputOptions(),
    ],
    formats: FLOW_FORMATS,
    exits: [[EXIT.ok, "every flow was read"], [EXIT.invalid, "some line was invalid (it is reported and skipped), or bad input or usage"]],
    example: "netpol flows -f cluster.yaml -f policies/ --flows flows.csv > verdicts.csv",
  },
  explain: {
    name: "explain",
    summary: "every policy in plain English",
    usage: "netpol explain FILES",
    description: `Every policy in the order of evaluation: Admin-tier ClusterNetworkPolicies (and
AdminNetworkPolicies) by priority, then NetworkPolicies, then the Baseline tier. For
each: whom it applies to (the pods it isolates, and for which direction), the
endpoints of the cluster it selects, and each rule (what it allows, or for a tier
rule whether it accepts, denies or passes).`,
    options: inputOptions(),
    exits: [[EXIT.ok, "the policies were explained"], INPUT_EXIT],
    example: "netpol explain policies/",
  },
  validate: {
    name: "validate",
    summary: "every problem of the input, with file, document, line and field path",
    usage: "netpol validate FILES",
    description: `Reads everything (one bad document does not stop the rest) and prints every
error and warning, with the checks of the API server for each kind (NetworkPolicy,
ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy). When there is
no error, also warns of cluster-scoped policies of one tier and priority that apply
to one pod (an implementation may order them either way).`,
    options: inputOptions().filter((o) => o.name !== "skip-invalid" && o.name !== "evaluator" && !["self-traffic", "ipblock-matches-pods", "host-network", "node-local"].includes(o.name)),
    exits: [
      [EXIT.ok, "valid (warnings allowed)"],
      [EXIT.failed, "errors found"],
      [EXIT.invalid, "usage or unreadable files"],
    ],
    example: "netpol validate manifests/",
  },
  diff: {
    name: "diff",
    summary: "connections a policy change adds, removes or changes, on every port",
    usage: "netpol diff BEFORE AFTER [--cluster FILES]... [--port PORT[-END][/PROTOCOL]]... [-o txt|json|csv|md] [--by pod|workload] [--exit-code]",
    description: `BEFORE and AFTER are files or folders of policies. Each is evaluated on its own
cluster (namespaces, pods, nodes, workloads) when it carries one, else on --cluster, else on
the other's. Every pair of endpoints, and endpoints and outside ranges, are compared
on every port (--port narrows); no endpoint at all is an error (exit 2).`,
    options: [
      { name: "cluster", value: "PATH", multiple: true, help: "the cluster's manifests" },
      { name: "port", short: "p", value: "PORT", multiple: true, help: PORT_RANGE_HELP },
      formatOption(DIFF_FORMATS),
      BY_OPTION,
      { name: "no-external", help: "leave out the outside ranges" },
      { name: "exit-code", help: "exit 1 when something changes" },
      ...inputOptions().filter((o) => o.name !== "filename"),
    ],
    formats: DIFF_FORMATS,
    exits: [[EXIT.ok, "compared (and, with --exit-code, nothing changed)"], [EXIT.failed, "with --exit-code: some connection changes"], INPUT_EXIT],
    example: "netpol diff policies-old/ policies-new/ --cluster cluster.yaml --exit-code",
  },
  connections: {
    name: "connections",
    summary: "every connection the policies allow, on every port, with the rules behind it",
    usage: "netpol connections FILES [-o FORMAT] [--by pod|workload] [--explain] [--port PORT[-END][/PROTOCOL]]... [--no-external]",
    description: `For every ordered pair of endpoints (pods, or workloads with --by workload), and
between endpoints and the address ranges outside the cluster that the policies'
ipBlocks cut (named FIRST-LAST), the ports allowed over TCP, UDP and SCTP. Pairs
with nothing allowed are left out.`,
    options: [
      formatOption(CONNECTION_FORMATS),
      BY_OPTION,
      { name: "explain", help: "the rules that allow each part" },
      { name: "port", short: "p", value: "PORT", multiple: true, help: PORT_RANGE_HELP },
      { name: "no-external", help: "leave out the outside ranges" },
      ...inputOptions(),
    ],
    formats: CONNECTION_FORMATS,
    exits: [[EXIT.ok, "the connections were printed"], INPUT_EXIT],
    example: "netpol connections cluster.yaml policies/ --by workload -o svg > connections.svg",
  },
  exposure: {
    name: "exposure",
    summary: "who may reach each endpoint, from outside and from which namespaces",
    usage: "netpol exposure FILES [-o txt|json] [--by pod|workload]",
    description: `For each endpoint: the outside address ranges that may reach it and on which
ports, the pods that may (by namespace and labels, with the policy rule that admits
them), and the outside ranges it may reach. Endpoints any outside address may reach
come first, flagged.`,
    options: [formatOption(EXPOSURE_FORMATS), BY_OPTION, ...inputOptions()],
    formats: EXPOSURE_FORMATS,
    exits: [[EXIT.ok, "the exposure was printed"], INPUT_EXIT],
    example: "netpol exposure cluster.yaml policies/ --by workload",
  },
  lint: {
    name: "lint",
    summary: "what is probably wrong with the policies, with a fix for each finding",
    usage: "netpol lint FILES [-o txt|json|sarif] [--fail-on warning|error|never]",
    description: `Findings computed with the engine, each with a rule id, severity, message, file,
document, line, field path and fix: policies that select no pod (NP001), peers that
select no pod (NP002), rules that never decide a connection (NP003), named ports no
pod declares (NP004), egress-isolated pods with no DNS (NP005), namespaces with pods
no policy isolates (NP006, info), ipBlocks that cover pod addresses (NP007).`,
    options: [
      formatOption(LINT_FORMATS),
      { name: "fail-on", value: "LEVEL", choices: ["warning", "error", "never"], help: "exit 1 on a finding of this severity or worse (default error)" },
      ...inputOptions(),
    ],
    formats: LINT_FORMATS,
    exits: [[EXIT.ok, "no finding reached --fail-on"], [EXIT.failed, "a finding reached --fail-on"], INPUT_EXIT],
    example: "netpol lint cluster.yaml policies/ -o sarif > netpol.sarif",
  },
};

/** The help of `netpol` (no command) or of one command. */
export function helpText(command: Command | null): string {
  if (command !== null) return commandHelp(SPECS[command]);
  const width = Math.max(...COMMANDS.map((c) => c.length));
  return `netpol: decide offline whether Kubernetes network policies allow a flow

usage: netpol COMMAND FILES [options]

FILES are YAML or JSON files or folders (searched recursively for .yaml, .yml and
.json), given as arguments or with -f, holding NetworkPolicies, ClusterNetworkPolicies
(policy.networking.k8s.io v1alpha2), AdminNetworkPolicies and BaselineAdminNetworkPolicies
(v1alpha1), Namespaces, Pods, Nodes, Services and workloads (Deployments, StatefulSets,
DaemonSets, ReplicaSets, Jobs, CronJobs), multi-document or as Lists, e.g. the output of
\`kubectl get ns,nodes,pods,deploy,sts,svc,networkpolicies,clusternetworkpolicies -A -o yaml\`;
\`-\` reads standard input.

commands:
${COMMANDS.map((c) => `  ${c.padEnd(width)}  ${SPECS[c].summary}\n  ${" ".repeat(width)}  e.g. ${SPECS[c].example}`).join("\n")}

Run \`netpol COMMAND --help\` for a command's options, output formats and exit statuses.
  --version  print netpol's version
Settings of .netpol.yaml in the working directory (self-traffic, ipblock-matches-pods,
host-network, node-local, validate, evaluator) apply unless a flag says otherwise.
Exit status: 0 success, 1 a check failed, 2 bad input or usage.
Colour only on a terminal; NO_COLOR turns it off.
`;
}

/**
 * Ends a command on a usage question: with `error` null, the help on standard output
 * (exit 0); otherwise the problem and the usage line on standard error (exit 2).
 */
export async function usageError(io: Io, command: Command | null, error: UsageError | null): Promise<number> {
  if (error === null) {
    await io.write(helpText(command));
    return EXIT.ok;
  }
  io.error(`${io.err.red("error")}: ${error.usage}`);
  io.error(command === null ? "usage: netpol COMMAND FILES [options] (see netpol --help)" : `usage: ${SPECS[command].usage} (see netpol ${command} --help)`);
  return EXIT.invalid;
}

/** A command's parsed arguments and the shared input settings. */
export interface CommandInput {
  readonly args: Args;
  readonly settings: InputSettings;
}

/**
 * Parses a command's arguments by its spec and reads the shared settings (with
 * `.netpol.yaml`): both, or the exit status once a usage error or the help has been
 * printed.
 */
export async function commandInput(io: Io, command: Command, argv: readonly string[]): Promise<Outcome<CommandInput>> {
  const parsed = parseCommand(SPECS[command], argv);
  if (!parsed.ok) return { ok: false, status: await usageError(io, command, parsed.error) };
  if (parsed.value.has("help")) return { ok: false, status: await usageError(io, command, null) };
  const settings = await inputSettings(parsed.value, process.cwd());
  if (!settings.ok) return { ok: false, status: await usageError(io, command, settings.error) };
  return { ok: true, value: { args: parsed.value, settings: settings.value } };
}
