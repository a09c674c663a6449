/**
 * `netpol --help` and each command's help: what it does, its options, an example.
 */
import type { UsageError } from "./args.js";
import type { Io } from "./io.js";
import { EXIT } from "./load.js";

/** The commands, in the order help lists them. */
export const COMMANDS = ["check", "matrix", "flows", "explain", "validate", "diff", "connections", "exposure", "lint"] as const;

/** A command name. */
export type Command = (typeof COMMANDS)[number];

const COMMON = `  --evaluator NAME   reference or wasm (default: the library's default)
  --skip-invalid     go on with what could be read when some documents are invalid
  -h, --help         show this help`;

const HELP: Record<Command, { summary: string; usage: string; body: string; example: string }> = {
  check: {
    summary: "whether one flow is allowed, and why",
    usage: "netpol check FILES --from SRC --to DST --port PORT[/PROTOCOL]",
    body: `SRC and DST are a pod (namespace/name), a workload (namespace/kind/name, e.g.
default/deployment/web), a node (node:NAME, its host network) or an IP address.
Prints the verdict and, for each end, the chain that decided it: the Admin tier's
ClusterNetworkPolicies, the NetworkPolicies isolating it and the rule that allowed
the flow (or that none did), the Baseline tier.

  --format text|json   output format (default text)
  --expect allowed|denied
                       exit 0 when the verdict is this one, 1 otherwise
Exit status: 0 allowed, 1 denied (or the expectation failed), 2 bad input or usage.`,
    example: "netpol check cluster.yaml policies/ --from default/frontend --to default/db --port 6379/TCP",
  },
  matrix: {
    summary: "who can reach whom on one port",
    usage: "netpol matrix FILES --port PORT[/PROTOCOL] [--format table|csv|json|md|dot|html] [--namespace NS]...",
    body: `Rows are sources, columns destinations, grouped by namespace.

  --format FORMAT    table (default; fits the terminal, split into column blocks),
                     csv, json, md (Markdown), dot (Graphviz), html (one self-contained
                     page: heatmap, hover explanations, filter box)
  --namespace NS     only endpoints of this namespace (repeatable)`,
    example: "netpol matrix examples/ --port 80/TCP --format html > matrix.html",
  },
  flows: {
    summary: "a verdict for every flow of a CSV or JSON Lines file",
    usage: "netpol flows FILES --flows FLOWS [--format csv|jsonl] [--summary-only]",
    body: `FLOWS is a file (or - for standard input) of flows, one per line: CSV
\`src,dst,protocol,port\` (a header line is optional) or JSON Lines
\`{"src":"default/a","dst":"10.0.0.1","protocol":"TCP","port":80}\`. Flows are read
and decided in batches, so any number of them fits in bounded memory. Prints each
flow with its verdict, then a summary (allowed, denied, by policy) on standard error.

  --format csv|jsonl   output format (default: the input's)
  --summary-only       print only the summary
Exit status: 0 when every flow was read, 2 when some line was invalid (it is
reported and skipped).`,
    example: "netpol flows cluster.yaml policies/ --flows flows.csv > verdicts.csv",
  },
  explain: {
    summary: "every policy in plain English",
    usage: "netpol explain FILES",
    body: `Every policy in the order of evaluation: Admin-tier ClusterNetworkPolicies (and
AdminNetworkPolicies) by priority, then NetworkPolicies, then the Baseline tier. For
each: whom it applies to (the pods it isolates, and for which direction), the
endpoints of the cluster it selects, and each rule (what it allows, or for a tier
rule whether it accepts, denies or passes).`,
    example: "netpol explain policies/",
  },
  validate: {
    summary: "every problem of the input, with file, document, line and field path",
    usage: "netpol validate FILES",
    body: `Reads everything (one bad document does not stop the rest) and prints every
error and warning, with the checks of the API server for each kind (NetworkPolicy,
ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy). When there is
no error, also warns of cluster-scoped policies of one tier and priority that apply
to one pod (an implementation may order them either way).
Exit status: 0 valid (warnings allowed), 1 errors found, 2 usage or unreadable files.`,
    example: "netpol validate manifests/",
  },
  diff: {
    summary: "connections a policy change adds, removes or changes, on every port",
    usage: "netpol diff BEFORE AFTER [--cluster FILES]... [--port PORT[-END][/PROTOCOL]]... [-o txt|json|csv|md] [--by pod|workload] [--exit-code]",
    body: `BEFORE and AFTER are files or folders of policies. Each is evaluated on its own
cluster (namespaces, pods, nodes, workloads) when it carries one, else on --cluster, else on
the other's. Every pair of endpoints, and endpoints and outside ranges, are compared
on every port (--port narrows); no endpoint at all is an error (exit 2).

  --cluster PATH       the cluster's manifests (repeatable)
  --port PORT          only these ports, e.g. 443, 8000-8100/TCP, 53/UDP (repeatable)
  -o, --format FORMAT  txt (default), json, csv, md
  --by pod|workload    endpoints are pods (default) or the workloads owning them
  --no-external        leave out the outside ranges
  --exit-code          exit 1 when something changes`,
    example: "netpol diff policies-old/ policies-new/ --cluster cluster.yaml --exit-code",
  },
  connections: {
    summary: "every connection the policies allow, on every port, with the rules behind it",
    usage: "netpol connections FILES [-o txt|json|csv|md|dot|svg|html] [--by pod|workload] [--explain] [--port PORT[-END][/PROTOCOL]]... [--no-external]",
    body: `For every ordered pair of endpoints (pods, or workloads with --by workload), and
between endpoints and the address ranges outside the cluster that the policies'
ipBlocks cut (named FIRST-LAST), the ports allowed over TCP, UDP and SCTP. Pairs
with nothing allowed are left out. txt reads \`TCP 80,8000-8100\`, or \`All Connections\`.

  -o, --format FORMAT  txt (default), json (see docs/cli.md), csv, md (Markdown),
                       dot (Graphviz), svg (the dot graph laid out), html (graph and table)
  --by pod|workload    endpoints are pods (default) or the workloads owning them
  --explain            the rules that allow each part
  --port PORT          only these ports, e.g. 443, 8000-8100/TCP, 53/UDP (repeatable)
  --no-external        leave out the outside ranges`,
    example: "netpol connections cluster.yaml policies/ --by workload -o svg > connections.svg",
  },
  exposure: {
    summary: "who may reach each endpoint, from outside and from which namespaces",
    usage: "netpol exposure FILES [-o txt|json] [--by pod|workload]",
    body: `For each endpoint: the outside address ranges that may reach it and on which
ports, the pods that may (by namespace and labels, with the policy rule that admits
them), and the outside ranges it may reach. Endpoints any outside address may reach
come first, flagged.

  -o, --format FORMAT  txt (default) or json
  --by pod|workload    endpoints are pods (default) or the workloads owning them`,
    example: "netpol exposure cluster.yaml policies/ --by workload",
  },
  lint: {
    summary: "what is probably wrong with the policies, with a fix for each finding",
    usage: "netpol lint FILES [-o txt|json|sarif] [--fail-on warning|error|never]",
    body: `Findings computed with the engine, each with a rule id, severity, message, file,
document, line, field path and fix: policies that select no pod (NP001), peers that
select no pod (NP002), rules that never decide a connection (NP003), named ports no
pod declares (NP004), egress-isolated pods with no DNS (NP005), namespaces with pods
no policy isolates (NP006, info), ipBlocks that cover pod addresses (NP007).

  -o, --format FORMAT  txt (default), json, sarif (SARIF 2.1.0, for code scanning)
  --fail-on LEVEL      exit 1 on a finding of this severity or worse (default error)
Exit status: 0, 1 when a finding reaches --fail-on, 2 bad input or usage.`,
    example: "netpol lint cluster.yaml policies/ -o sarif > netpol.sarif",
  },
};

/** The help of `netpol` (no command) or of one command. */
export function helpText(command: Command | null): string {
  if (command === null) {
    const width = Math.max(...COMMANDS.map((c) => c.length));
    return `netpol: decide offline whether Kubernetes network policies allow a flow

usage: netpol COMMAND FILES [options]

FILES are YAML or JSON files or folders (searched recursively for .yaml, .yml and
.json) holding NetworkPolicies, ClusterNetworkPolicies (policy.networking.k8s.io
v1alpha2), AdminNetworkPolicies and BaselineAdminNetworkPolicies (v1alpha1), Namespaces,
Pods, Nodes and workloads (Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs,
CronJobs), multi-document or as Lists, e.g. the output of
\`kubectl get ns,nodes,pods,deploy,networkpolicies,clusternetworkpolicies -A -o yaml\`;
\`-\` reads standard input.

commands:
${COMMANDS.map((c) => `  ${c.padEnd(width)}  ${HELP[c].summary}\n  ${" ".repeat(width)}  e.g. ${HELP[c].example}`).join("\n")}

Run \`netpol COMMAND --help\` for a command's options.
Exit status: 0 success, 1 a check failed, 2 bad input or usage.
Colour only on a terminal; NO_COLOR turns it off.
`;
  }
  const h = HELP[command];
  return `netpol ${command}: ${h.summary}

usage: ${h.usage}

${h.body}
${COMMON}

example:
  ${h.example}
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
  io.error(command === null ? "usage: netpol COMMAND FILES [options] (see netpol --help)" : `usage: ${HELP[command].usage} (see netpol ${command} --help)`);
  return EXIT.invalid;
}
