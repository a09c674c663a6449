/**
 * `netpol validate FILES`: every problem of the input, and when it reads without
 * error, what the engine warns about it (equal-priority cluster-scoped policies that
 * overlap). Exit 0 when there is no error (warnings allowed), 1 when errors were
 * found, 2 for usage or unreadable files.
 */
import { parseSources } from "../../manifests/manifests.js";
import type { Io } from "../io.js";
import { buildEngine, EXIT, printIssues, printReadProblems } from "../load.js";
import { readPaths } from "../read-files.js";
import { commandInput, usageError } from "../usage.js";

/** Runs `validate`. */
export async function validate(argv: readonly string[], io: Io): Promise<number> {
  const input = await commandInput(io, "validate", argv);
  if (!input.ok) return input.status;
  const { skipInvalid: _, warnings: shown, ...sourceOptions } = input.value.settings.read;
  const paths = input.value.settings.files;
  if (paths.length === 0) return usageError(io, "validate", { usage: "no input: give manifest files or folders, or `-` for standard input" });
  const read = await readPaths(paths, io.stdin);
  printReadProblems(io, read, shown);
  const manifests = parseSources(read.sources, sourceOptions);
  printIssues(io, manifests.issues, shown);
  let errors = manifests.issues.filter((i) => i.severity === "error").length;
  let warnings = manifests.issues.length - errors;
  // what only the whole input shows: policies named twice, equal-priority cluster-scoped policies that overlap
  if (errors === 0 && read.problems.length === 0) {
    const built = await buildEngine(manifests, manifests, { evaluator: "reference", options: input.value.settings.options }, io);
    if (built.ok) warnings += built.value.warnings;
    else errors++;
  }
  // a workload's stand-in has no name; a StatefulSet stands in as its ordinal pods
  const standIns = manifests.pods.filter((p) => p.workload !== undefined && (p.name === undefined || p.workload.ordinal !== undefined));
  // a StatefulSet stands in as several ordinal pods: count workloads, not endpoints
  const workloads = new Set(standIns.map((p) => `${p.namespace}/${p.workload!.kind}/${p.workload!.name}`)).size;
  // policies by kind, when there is more than NetworkPolicies: `3 policies (2 NetworkPolicies, 1 ClusterNetworkPolicy)`
  const kinds = new Map<string, number>();
  for (const p of manifests.policies) kinds.set(String(p.kind), (kinds.get(String(p.kind)) ?? 0) + 1);
  const byKind = [...kinds].map(([kind, n]) => `${n} ${n === 1 ? kind : kind.replace(/Policy$/, "Policies")}`);
  const policies = `${manifests.policies.length} policies${[...kinds.keys()].some((k) => k !== "NetworkPolicy") ? ` (${byKind.join(", ")})` : ""}`;
  const unread = read.problems.length;
  const summary =
    `${read.sources.length} file${read.sources.length === 1 ? "" : "s"}${unread > 0 ? ` (${unread} path${unread === 1 ? "" : "s"} could not be read)` : ""}: ${policies}, ` +
    `${manifests.namespaces.length} namespaces, ${manifests.pods.length - standIns.length} pods, ${workloads} workloads` +
    `${manifests.nodes.length > 0 ? `, ${manifests.nodes.length} node${manifests.nodes.length === 1 ? "" : "s"}` : ""}; ` +
    `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  // input that could not be read is not valid input
  await io.write(`${errors > 0 || unread > 0 ? io.out.red("invalid") : io.out.green("valid")}: ${summary}\n`);
  if (read.problems.length > 0) return EXIT.invalid;
  return errors > 0 ? EXIT.failed : EXIT.ok;
}
