/**
 * From command-line paths to a ready engine: read the files, parse them as one
 * input, report every problem on standard error, build the engine. Commands get a
 * `Loaded` or the exit status to end with.
 */
import { formatIssue, NetpolValidationError, type Issue } from "../primitives/issues.js";
import { parseSources, type Manifests, type SourceOptions } from "../manifests/manifests.js";
import { createEngine, EVALUATORS } from "../engine/create.js";
import type { Engine, EvaluatorName } from "../api/engine.js";
import { Endpoints } from "../manifests/endpoints.js";
import type { Io } from "./io.js";
import { readPaths } from "./read-files.js";

/** Exit statuses: success, a failed check, bad input or usage. */
export const EXIT = { ok: 0, failed: 1, invalid: 2 } as const;

/** A value, or the exit status to end with (the reason is already on standard error). */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number };

/** An engine over the input, and what the commands need to talk about it. */
export interface Loaded {
  readonly manifests: Manifests;
  readonly engine: Engine;
  readonly endpoints: Endpoints;
}

/** Prints an issue as `error: file:line document N: path: message`. */
export function printIssue(io: Io, issue: Issue, severity: "error" | "warning"): void {
  const label = severity === "error" ? io.err.red("error") : io.err.yellow("warning");
  io.error(`${label}: ${formatIssue(issue)}`);
}

/** How the input is read: `SourceOptions` (`--validate`, `-n`) and whether errors end the command. */
export interface ReadOptions extends SourceOptions {
  readonly skipInvalid: boolean;
}

/** Reads and parses the paths as one input; errors end the command unless `skipInvalid`. */
export async function readInput(paths: readonly string[], io: Io, options: ReadOptions): Promise<Outcome<Manifests>> {
  const { skipInvalid, ...sourceOptions } = options;
  if (paths.length === 0) {
    io.error(`${io.err.red("error")}: no input: give manifest files or folders, or \`-\` for standard input`);
    return { ok: false, status: EXIT.invalid };
  }
  const read = await readPaths(paths, io.stdin);
  for (const p of read.problems) io.error(`${io.err.red("error")}: ${p}`);
  const manifests = parseSources(read.sources, sourceOptions);
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

/** Builds the engine over `cluster`'s namespaces and pods and `policies`' NetworkPolicies. */
export async function buildEngine(cluster: Manifests, policies: Manifests, evaluator: EvaluatorName | undefined, io: Io): Promise<Outcome<Loaded>> {
  try {
    const engine = await createEngine({
      cluster: { namespaces: cluster.namespaces, pods: cluster.pods },
      policies: policies.policies,
      ...(evaluator !== undefined ? { evaluator } : {}),
    });
    const manifests = { ...cluster, policies: policies.policies, policyLocations: policies.policyLocations };
    return { ok: true, value: { manifests, engine, endpoints: new Endpoints(engine.pods, cluster.pods) } };
  } catch (error) {
    if (!(error instanceof NetpolValidationError)) throw error;
    for (const issue of error.issues) printIssue(io, issue, "error");
    return { ok: false, status: EXIT.invalid };
  }
}

/** `readInput` then `buildEngine` over the one input. */
export async function load(paths: readonly string[], io: Io, options: ReadOptions & { evaluator: string | undefined }): Promise<Outcome<Loaded>> {
  const evaluator = evaluatorOption(options.evaluator, io);
  if (!evaluator.ok) return evaluator;
  const { evaluator: _, ...read } = options;
  const manifests = await readInput(paths, io, read);
  if (!manifests.ok) return manifests;
  return buildEngine(manifests.value, manifests.value, evaluator.value, io);
}
