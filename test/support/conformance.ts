/**
 * The conformance runner's logic: reads cases in the format of
 * shared/conformance/FORMAT.md and checks every verdict on one evaluation path.
 * The command around it is `scripts/conformance.ts`; tests call `checkCase` directly.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createEngineFromJson } from "../../src/engine/create.js";
import type { EvaluatorName, Flow } from "../../src/api/engine.js";
import { formatIssue, NetpolValidationError } from "../../src/primitives/issues.js";
import { parseManifests } from "../../src/manifests/manifests.js";

/** A case as FORMAT.md describes it (only the fields the runner reads). */
export interface ConformanceCase {
  readonly name: string;
  readonly cluster?: unknown;
  readonly policies?: readonly unknown[];
  /**
   * netpol's extension (test/conformance/netpol-extra/README.md): YAML or JSON
   * manifests (Pods, Namespaces, workloads, NetworkPolicies) read as the CLI reads
   * them, instead of `cluster` and `policies`.
   */
  readonly manifests?: string;
  /** netpol's extension: each entry must be a substring of some warning from reading `manifests`. */
  readonly warnings?: readonly string[];
  readonly options?: Record<string, unknown>;
  readonly invalid?: boolean;
  readonly error?: string;
  readonly expect?: ReadonlyArray<{ protocol: "TCP" | "UDP" | "SCTP"; port: number; matrix: Record<string, string> }>;
  readonly flows?: ReadonlyArray<Flow & { allowed: boolean }>;
}

/** One wrong verdict (or a case that failed to load as expected). */
export interface Failure {
  readonly case: string;
  readonly evaluator: EvaluatorName;
  readonly message: string;
}

/** What checking one case on one path found: verdicts counted, failures listed. */
export interface CaseResult {
  readonly passed: number;
  readonly failures: Failure[];
}

/**
 * The runner's default folders: the project's copy of the shared NetworkPolicy cases,
 * then of the ClusterNetworkPolicy cases (test/conformance/cases and cnp), then
 * netpol's own (test/conformance/netpol-extra).
 */
export const CONFORMANCE_FOLDERS: readonly string[] = ["cases", "cnp", "netpol-extra"].map((dir) => new URL(`../conformance/${dir}`, import.meta.url).pathname);

/**
 * A case's flow endpoint as an engine reads it: FORMAT.md writes an outside address
 * `ip:<address>`; a pod (`namespace/name`) and a node (`node:<name>`) are as the engine reads them.
 */
export const caseEndpoint = (end: string): string => (end.startsWith("ip:") ? end.slice(3) : end);

/** Every `*.json` file under the given folders (recursively), sorted. */
export function findCaseFiles(dirs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith(".json")) out.push(path);
    }
  };
  dirs.forEach(walk);
  return out;
}

/** Reads one case file. */
export function readCase(path: string): ConformanceCase {
  return JSON.parse(readFileSync(path, "utf8")) as ConformanceCase;
}

/**
 * Reads a case's `manifests` as the CLI does: the cluster and policies, or `null`
 * when reading found errors (then an `invalid` case passes if one names its `error`,
 * and any other case fails). Checks the `warnings` the case expects.
 */
function readManifests(c: ConformanceCase, fail: (message: string) => void): { cluster: unknown; policies: readonly unknown[] } | null {
  const m = parseManifests(c.manifests!);
  const errors = m.issues.filter((i) => i.severity === "error").map(formatIssue);
  const warnings = m.issues.filter((i) => i.severity === "warning").map(formatIssue);
  for (const want of c.warnings ?? []) if (!warnings.some((w) => w.includes(want))) fail(`no warning contains \`${want}\`; warnings: ${warnings.join(" | ") || "none"}`);
  if (errors.length === 0) return { cluster: { namespaces: m.namespaces, pods: m.pods }, policies: m.policies };
  if (!c.invalid) fail(`the manifests have errors: ${errors.join(" | ")}`);
  else if (!errors.some((e) => e.includes(c.error ?? ""))) fail(`rejected, but no error contains \`${c.error}\`: ${errors.join(" | ")}`);
  return null;
}

/**
 * Checks one case on one evaluation path: every matrix cell through both `matrix()`
 * and `decideBatch()`, every flow through `decide()` and `decideBatch()`. An invalid
 * case counts as one verdict: loading must fail with its `error` text.
 */
export async function checkCase(c: ConformanceCase, evaluator: EvaluatorName): Promise<CaseResult> {
  const failures: Failure[] = [];
  const fail = (message: string): void => {
    failures.push({ case: c.name, evaluator, message });
  };
  let input: { cluster: unknown; policies: readonly unknown[] } = { cluster: c.cluster, policies: c.policies ?? [] };
  if (c.manifests !== undefined) {
    const read = readManifests(c, fail);
    if (read === null) return { passed: c.invalid && failures.length === 0 ? 1 : 0, failures };
    input = read;
  }
  let engine;
  try {
    engine = await createEngineFromJson({ ...input, options: c.options ?? {}, evaluator });
  } catch (error) {
    if (c.invalid && error instanceof NetpolValidationError) {
      if (error.message.includes(c.error ?? "")) return { passed: 1, failures };
      fail(`rejected, but the error does not contain \`${c.error}\`: ${error.message}`);
    } else fail(`failed to load: ${error instanceof Error ? error.message : String(error)}`);
    return { passed: 0, failures };
  }
  if (c.invalid) {
    fail(`loaded, but the case is invalid (expected an error containing \`${c.error}\`)`);
    return { passed: 0, failures };
  }
  let passed = 0;
  const pods = engine.pods;
  for (const e of c.expect ?? []) {
    const matrix = engine.matrix({ protocol: e.protocol, port: e.port });
    const flows: Flow[] = [];
    for (const from of pods) for (const to of pods) flows.push({ from, to, protocol: e.protocol, port: e.port });
    const batch = engine.decideBatch(flows);
    for (const [from, row] of Object.entries(e.matrix)) {
      const i = pods.indexOf(from);
      if (i < 0 || row.length !== pods.length) {
        fail(`matrix row \`${from}\` does not fit the cluster`);
        continue;
      }
      for (let j = 0; j < pods.length; j++) {
        const want = row[j] === "1";
        const viaMatrix = matrix.allowed(i, j);
        const viaBatch = batch[i * pods.length + j] === 1;
        if (viaMatrix === want && viaBatch === want) passed++;
        else fail(`${from} -> ${pods[j]} ${e.protocol}/${e.port}: expected ${want ? 1 : 0}, got matrix ${viaMatrix ? 1 : 0} batch ${viaBatch ? 1 : 0}`);
      }
    }
  }
  const flows = (c.flows ?? []).map((f) => ({ ...f, from: caseEndpoint(f.from), to: caseEndpoint(f.to) }));
  const batch = engine.decideBatch(flows);
  flows.forEach((f, k) => {
    const one = engine.decide(f).allowed;
    if (one === f.allowed && (batch[k] === 1) === f.allowed) passed++;
    else fail(`${f.from} -> ${f.to} ${f.protocol ?? "TCP"}/${f.port}: expected ${f.allowed ? 1 : 0}, got decide ${one ? 1 : 0} batch ${batch[k]}`);
  });
  if ((c.expect ?? []).length === 0 && flows.length === 0) passed++; // a load-only case: loading is its verdict
  return { passed, failures };
}
