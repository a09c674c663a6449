/**
 * From command-line paths to a ready engine: read the files, parse them as one
 * input, report every problem on standard error, build the engine. Commands get a
 * `Loaded` or the exit status to end with.
 */
import { formatIssue, NetpolValidationError, type Issue } from "../primitives/issues.js";
import { parseSources, type Location, type Manifests, type SourceOptions } from "../manifests/manifests.js";
import { createEngine } from "../engine/create.js";
import type { Options } from "../ir/types.js";
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

/** How the input is read: `SourceOptions` (`--validate`, `-n`), whether errors end the command, which warnings show. */
export interface ReadOptions extends SourceOptions {
  readonly skipInvalid: boolean;
  /** `none` (`-q`), `all` (`--verbose`), or `summary` (default): skipped kinds summed up in one line. */
  readonly warnings?: "none" | "summary" | "all";
}

/** The kind in a skipped-object warning, or null for any other message. */
const skippedKind = (message: string): string | null => /^skipped object of unsupported kind `(.*)`$/.exec(message)?.[1] ?? null;

/** Prints the input's issues: errors always, warnings as `warnings` says. */
export function printIssues(io: Io, issues: Manifests["issues"], warnings: ReadOptions["warnings"] = "summary"): void {
  const skipped = new Map<string, number>();
  for (const { severity, ...issue } of issues) {
    if (severity === "warning") {
      if (warnings === "none") continue;
      const kind = warnings === "summary" ? skippedKind(issue.message) : null;
      if (kind !== null) {
        skipped.set(kind, (skipped.get(kind) ?? 0) + 1);
        continue;
      }
    }
    printIssue(io, issue, severity);
  }
  if (skipped.size === 0) return;
  const total = [...skipped.values()].reduce((a, b) => a + b, 0);
  const kinds = [...skipped].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([kind, n]) => `${kind} ×${n}`);
  io.error(`${io.err.yellow("warning")}: skipped ${total} object${total === 1 ? "" : "s"} of kinds netpol does not read: ${kinds.join(", ")} (--verbose lists them)`);
}

/** Prints the problems of reading the files, and their warnings unless `warnings` is `none` (`-q`). */
export function printReadProblems(io: Io, read: ReadResult, warnings: ReadOptions["warnings"] = "summary"): void {
  for (const p of read.problems) io.error(`${io.err.red("error")}: ${p}`);
  if (warnings === "none") return;
  for (const w of read.warnings) io.error(`${io.err.yellow("warning")}: ${w}`);
}

/** Reads and parses the paths as one input; errors end the command unless `skipInvalid`. */
export async function readInput(paths: readonly string[], io: Io, options: ReadOptions): Promise<Outcome<Manifests>> {
  const { skipInvalid, warnings, ...sourceOptions } = options;
  if (paths.length === 0) {
    io.error(`${io.err.red("error")}: no input: give manifest files or folders, or \`-\` for standard input`);
    return { ok: false, status: EXIT.invalid };
  }
  const read = await readPaths(paths, io.stdin);
  printReadProblems(io, read, warnings);
  const manifests = parseSources(read.sources, sourceOptions);
  printIssues(io, manifests.issues, warnings);
  const errors = manifests.issues.filter((i) => i.severity === "error").length;
  if (read.problems.length > 0 || (errors > 0 && !skipInvalid)) {
    if (errors > 0) io.error(`${errors} error${errors === 1 ? "" : "s"} in the input${skipInvalid ? "" : " (--skip-invalid goes on with what could be read)"}`);
    return { ok: false, status: EXIT.invalid };
  }
  return { ok: true, value: manifests };
}

/** How the engine is built: the evaluator and the plugin behaviour (`InputSettings` has both). */
export interface EngineSettings {
  readonly evaluator: EvaluatorName | undefined;
  readonly options: Partial<Options>;
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
export async function buildEngine(cluster: Manifests, policies: Manifests, settings: EngineSettings, io: Io): Promise<Outcome<Loaded>> {
  const locations = policyLocations(policies);
  try {
    const engine = await createEngine({
      cluster: { namespaces: cluster.namespaces, pods: cluster.pods, nodes: cluster.nodes, services: cluster.services, dns: cluster.dns },
      policies: policies.policies,
      options: settings.options,
      // unknown fields were judged when the manifests were read (`--validate`)
      validate: "ignore",
      ...(settings.evaluator !== undefined ? { evaluator: settings.evaluator } : {}),
    });
    const warnings = printEngineWarnings(io, engine, policies, locations.clusterPolicies);
    const manifests = { ...cluster, policies: policies.policies, policyLocations: policies.policyLocations };
    const endpoints = new Endpoints(engine.pods, cluster.nodes);
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
export async function load(io: Io, settings: EngineSettings & { readonly files: readonly string[]; readonly read: ReadOptions }): Promise<Outcome<Loaded>> {
  const manifests = await readInput(settings.files, io, settings.read);
  if (!manifests.ok) return manifests;
  return buildEngine(manifests.value, manifests.value, settings, io);
}
