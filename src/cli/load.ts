/**
 * From command-line paths to a ready engine: read the files, parse them as one
 * input, report every problem on standard error, build the engine. Commands get a
 * `Loaded` or the exit status to end with.
 */
import { formatIssue, NetpolValidationError, type Issue } from "../primitives/issues.js";
import { parseSources, type Location, type Manifests } from "../manifests/manifests.js";
import { createEngine, EVALUATORS } from "../engine/create.js";
import type { Engine, EvaluatorName } from "../api/engine.js";
import { Endpoints } from "../manifests/endpoints.js";
import { policyLocations } from "../manifests/policy-locations.js";
import type { Io } from "./io.js";
import { readPaths, type ReadResult } from "./read-files.js";

/** Exit statuses: success, a failed check, bad input or usage. */
export const EXIT = { ok: 0, failed: 1, invalid: 2 } as const;

/** A value, or the exit status to end with (the reason is already on standard error). */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number };

/** An engine over the input, and what the commands need to talk about it. */
export interface Loaded {
  readonly manifests: Manifests;
  readonly engine: Engine;
  readonly endpoints: Endpoints;
  /** Where each of `engine.rules.policies` (the NetworkPolicies) was read. */
  readonly networkPolicyLocations: readonly (Location | undefined)[];
  /** Where each cluster-scoped policy was read, by `Kind/name`. */
  readonly clusterPolicyLocations: ReadonlyMap<string, Location>;
  /** How many warnings the engine printed beyond the input's reading. */
  readonly warnings: number;
}

/** Prints an issue as `error: file:line document N: path: message`. */
export function printIssue(io: Io, issue: Issue, severity: "error" | "warning"): void {
  const label = severity === "error" ? io.err.red("error") : io.err.yellow("warning");
  io.error(`${label}: ${formatIssue(issue)}`);
}

/** Prints the problems and warnings of reading the files. */
export function printReadProblems(io: Io, read: ReadResult): void {
  for (const p of read.problems) io.error(`${io.err.red("error")}: ${p}`);
  for (const w of read.warnings) io.error(`${io.err.yellow("warning")}: ${w}`);
}

/** Reads and parses the paths as one input; errors end the command unless `skipInvalid`. */
export async function readInput(paths: readonly string[], io: Io, skipInvalid: boolean): Promise<Outcome<Manifests>> {
  if (paths.length === 0) {
    io.error(`${io.err.red("error")}: no input: give manifest files or folders, or \`-\` for standard input`);
    return { ok: false, status: EXIT.invalid };
  }
  const read = await readPaths(paths, io.stdin);
  printReadProblems(io, read);
  const manifests = parseSources(read.sources);
  for (const issue of manifests.issues) {
    const { severity, ...rest } = issue;
    printIssue(io, rest, severity);
  }
  const errors = manifests.issues.filter((i) => i.severity === "error").length;
  if (read.problems.length > 0 || (errors > 0 && !skipInvalid)) {
    if (errors > 0) io.error(`${errors} error${errors === 1 ? "" : "s"} in the input${skipInvalid ? "" : " (--skip-invalid goes on with what could be read)"}`);
    return { ok: false, status: EXIT.invalid };
  }
  return { ok: true, value: manifests };
}

/** Checks an `--evaluator` value. */
export function evaluatorOption(value: string | undefined, io: Io): Outcome<EvaluatorName | undefined> {
  if (value === undefined || EVALUATORS.includes(value as EvaluatorName)) return { ok: true, value: value as EvaluatorName | undefined };
  io.error(`${io.err.red("error")}: invalid --evaluator \`${value}\`: expected one of ${EVALUATORS.join(", ")}`);
  return { ok: false, status: EXIT.invalid };
}

/** An engine issue about a cluster-scoped policy (`object` is `Kind name`), placed where that policy was read. */
function placed(issue: Issue, clusterPolicies: ReadonlyMap<string, Location>): Issue {
  const location = issue.object === undefined || issue.file !== undefined ? undefined : clusterPolicies.get(issue.object.replace(" ", "/"));
  if (location === undefined) return issue;
  return { ...issue, document: location.document, ...(location.file !== undefined ? { file: location.file } : {}), ...(location.line !== undefined ? { line: location.line } : {}) };
}

/**
 * Warnings the engine finds beyond those the input's reading printed (equal-priority
 * cluster-scoped policies that overlap): printed once each, where the policy was read.
 */
function printEngineWarnings(io: Io, engine: Engine, read: Manifests, clusterPolicies: ReadonlyMap<string, Location>): number {
  const printed = new Set(read.issues.map((i) => `${i.object ?? ""}\u0000${i.message}`));
  const fresh = engine.warnings.filter((w) => !printed.has(`${w.object ?? ""}\u0000${w.message}`));
  for (const w of fresh) printIssue(io, placed(w, clusterPolicies), "warning");
  return fresh.length;
}

/**
 * Builds the engine over `cluster`'s namespaces, pods, nodes and DNS records and `policies`'
 * policies of every kind, and prints the warnings it finds.
 */
export async function buildEngine(cluster: Manifests, policies: Manifests, evaluator: EvaluatorName | undefined, io: Io): Promise<Outcome<Loaded>> {
  const locations = policyLocations(policies);
  try {
    const engine = await createEngine({
      cluster: { namespaces: cluster.namespaces, pods: cluster.pods, nodes: cluster.nodes, dns: cluster.dns },
      policies: policies.policies,
      ...(evaluator !== undefined ? { evaluator } : {}),
    });
    const warnings = printEngineWarnings(io, engine, policies, locations.clusterPolicies);
    const manifests = { ...cluster, policies: policies.policies, policyLocations: policies.policyLocations };
    const endpoints = new Endpoints(engine.pods, cluster.pods, cluster.nodes);
    return {
      ok: true,
      value: { manifests, engine, endpoints, networkPolicyLocations: locations.networkPolicies, clusterPolicyLocations: locations.clusterPolicies, warnings },
    };
  } catch (error) {
    if (!(error instanceof NetpolValidationError)) throw error;
    for (const issue of error.issues) printIssue(io, placed(issue, locations.clusterPolicies), "error");
    return { ok: false, status: EXIT.invalid };
  }
}

/** `readInput` then `buildEngine` over the one input. */
export async function load(paths: readonly string[], io: Io, options: { skipInvalid: boolean; evaluator: string | undefined }): Promise<Outcome<Loaded>> {
  const evaluator = evaluatorOption(options.evaluator, io);
  if (!evaluator.ok) return evaluator;
  const manifests = await readInput(paths, io, options.skipInvalid);
  if (!manifests.ok) return manifests;
  return buildEngine(manifests.value, manifests.value, evaluator.value, io);
}
