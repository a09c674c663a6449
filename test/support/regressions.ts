/**
 * Counterexamples as conformance cases (shared/conformance/FORMAT.md), saved under
 * test/regressions/ so that every disagreement ever found stays checked on every
 * evaluator. Expectations always come from the reference evaluator.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { caseEndpoint, checkCase, findCaseFiles, readCase, type ConformanceCase } from "./conformance.js";
import { createEngineFromJson } from "../../src/engine/create.js";
import type { Engine, EvaluatorName, Flow, PortQuery, EngineUpdate } from "../../src/api/engine.js";
import { referenceEngine, type Comparison, type Counterexample } from "./differential.js";
import { podOwner } from "./endpoints.js";

/** The folder of saved counterexamples. */
export const REGRESSIONS_DIR = new URL("../regressions", import.meta.url).pathname;

/** At most this many flows are kept in a case; the matrices and the scenario stay whole. */
const MAX_FLOWS = 16;

/**
 * A conformance case with the descriptive fields FORMAT.md asks for. A disagreement
 * that showed only after `engine.update` also carries the input the engine was built
 * from (`before`) and the updates that led to the case's input (`updates`): fields
 * FORMAT.md does not have, which the conformance runner ignores and
 * `replayFailures` reads.
 */
export interface RegressionCase extends ConformanceCase {
  readonly description: string;
  readonly source: string;
  readonly before?: { readonly cluster: unknown; readonly policies: readonly unknown[] };
  readonly updates?: readonly EngineUpdate[];
  /**
   * Flows that named a pod by one of its addresses, as the engine was asked them
   * (`flows` has them by pod id, as FORMAT.md wants): they keep address resolution
   * under test. Another field the conformance runner ignores.
   */
  readonly byAddress?: ReadonlyArray<Flow & { allowed: boolean }>;
}

/**
 * The case that reproduces a comparison's mismatches: its scenario's whole cluster,
 * policies and options, a full reference matrix for every port where a matrix, side
 * matrix or count disagreed, and the first MAX_FLOWS disagreeing flows with the
 * reference's verdict. Named after a hash of its content, so the same counterexample
 * is saved once. Mismatches that showed after updates are saved on the updated input,
 * with `before` and `updates` to replay them.
 */
export function regressionCase(comparison: Comparison, evaluator: string, found: string): RegressionCase {
  const { scenario, mismatches, changes, before } = comparison;
  const reference = referenceEngine(scenario);
  const owner = podOwner(scenario);
  // FORMAT.md names a pod by `namespace/name` and a node by `node:<name>` (also one the flow named by address), any other address `ip:<address>`
  const caseEndpoint = (end: string): string => owner(end) ?? `ip:${end}`;
  const queries = new Map<string, Required<PortQuery>>();
  const flows = new Map<string, Flow & { allowed: boolean }>();
  const byAddress = new Map<string, Flow & { allowed: boolean }>();
  const namedByAddress = (end: string): boolean => !end.includes("/") && !end.startsWith("node:") && owner(end) !== null;
  for (const m of mismatches) {
    if (m.kind === "flow") {
      const flow = { from: caseEndpoint(m.flow.from), to: caseEndpoint(m.flow.to), protocol: m.flow.protocol ?? "TCP", port: m.flow.port };
      flows.set(JSON.stringify(flow), { ...flow, allowed: m.reference });
      if (namedByAddress(m.flow.from) || namedByAddress(m.flow.to)) {
        const asked = { from: m.flow.from, to: m.flow.to, protocol: m.flow.protocol ?? "TCP", port: m.flow.port };
        byAddress.set(JSON.stringify(asked), { ...asked, allowed: m.reference });
      }
    } else {
      // a wrong pod list, or a failed call that had no port: the runner's matrix on TCP/80 shows it
      const query = "query" in m && m.query !== null ? m.query : ({ protocol: "TCP", port: 80 } as const);
      queries.set(`${query.protocol}/${query.port}`, query);
    }
  }
  const expect = [...queries.values()].map((q) => ({ protocol: q.protocol, port: q.port, matrix: reference.matrix(q).toJSON().matrix }));
  const body = { cluster: scenario.cluster, policies: scenario.policies, options: { ...scenario.options }, expect, flows: [...flows.values()].slice(0, MAX_FLOWS) };
  const replay = {
    ...(before === null ? {} : { before: { cluster: before.cluster, policies: before.policies }, updates: changes }),
    ...(byAddress.size === 0 ? {} : { byAddress: [...byAddress.values()].slice(0, MAX_FLOWS) }),
  };
  const hash = createHash("sha256").update(JSON.stringify({ ...body, ...replay })).digest("hex").slice(0, 12);
  const kinds = [...new Set(mismatches.map((m) => ("via" in m ? m.via : m.kind)))].join(", ");
  const error = mismatches.find((m) => "error" in m && m.error !== undefined);
  const thrown = error !== undefined && "error" in error ? `, threw \`${error.error}\`` : "";
  const updated = changes.length === 0 ? "" : `, after ${changes.length} updates`;
  return {
    name: `diff-${evaluator}-${hash}`,
    description: `the ${evaluator} evaluator disagreed with the reference on ${mismatches.length} answers (${kinds}${thrown}${updated}; ${found})`,
    source: "test/differential.test.ts: expectation from the reference evaluator",
    ...body,
    ...replay,
  };
}

/**
 * Every expectation of a case that `engine` gets wrong, as messages: each matrix cell
 * through `matrix` and `decideBatch`, each flow (`flows` and `byAddress`) through
 * `decide` and `decideBatch` (as the conformance runner checks them), and anything
 * the engine throws.
 */
export function expectationFailures(engine: Engine, c: ConformanceCase): string[] {
  const failures: string[] = [];
  const check = (what: string, f: () => void): void => {
    try {
      f();
    } catch (error) {
      failures.push(`${what}: threw ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const pods = engine.pods;
  for (const e of c.expect ?? []) {
    check(`matrix ${e.protocol}/${e.port}`, () => {
      const matrix = engine.matrix(e);
      const batch = engine.decideBatch(pods.flatMap((from) => pods.map((to) => ({ from, to, protocol: e.protocol, port: e.port }))));
      for (const [from, row] of Object.entries(e.matrix)) {
        const i = pods.indexOf(from);
        for (let j = 0; j < row.length; j++) {
          const want = row[j] === "1";
          if (i < 0 || matrix.allowed(i, j) !== want || (batch[i * pods.length + j] === 1) !== want) failures.push(`${from} -> ${pods[j]} ${e.protocol}/${e.port}: expected ${row[j]}`);
        }
      }
    });
  }
  const flows = [...(c.flows ?? []), ...((c as RegressionCase).byAddress ?? [])];
  check("flows", () => {
    const batch = engine.decideBatch(flows);
    flows.forEach((f, k) => {
      check(`${f.from} -> ${f.to}`, () => {
        if (engine.decide(f).allowed !== f.allowed || (batch[k] === 1) !== f.allowed) failures.push(`${f.from} -> ${f.to} ${f.protocol ?? "TCP"}/${f.port}: expected ${f.allowed ? 1 : 0}`);
      });
    });
  });
  return failures;
}

/**
 * For a case with `updates`: builds `before` on `evaluator`, asks it the case's
 * questions once (its matrices, and the flows between endpoints it knows) so that an
 * engine that caches answers has cached some, applies the updates, and checks every
 * expectation.
 */
async function replayFailures(c: RegressionCase, evaluator: EvaluatorName): Promise<string[]> {
  const engine = await createEngineFromJson({ cluster: c.before!.cluster, policies: c.before!.policies, options: c.options ?? {}, evaluator });
  const known = (end: string): boolean => !end.includes("/") || engine.pods.includes(end);
  for (const e of c.expect ?? []) engine.matrix(e);
  engine.decideBatch([...(c.flows ?? []), ...(c.byAddress ?? [])].filter((f) => known(f.from) && known(f.to)));
  engine.update(c.updates!);
  return expectationFailures(engine, c);
}

/** One way of checking a saved case on an evaluator; resolves to the failures. */
export interface RegressionCheck {
  /** What it checks, for the test name ("" for the conformance runner's check). */
  readonly label: string;
  readonly run: (evaluator: EvaluatorName) => Promise<string[]>;
}

/**
 * The checks of a saved case: the conformance runner's (`checkCase`), the flows that
 * named pods by address, and the replay of its updates, as far as it has them.
 */
export function regressionChecks(c: RegressionCase): RegressionCheck[] {
  const checks: RegressionCheck[] = [
    {
      label: "",
      run: async (evaluator) => {
        const result = await checkCase(c, evaluator);
        return result.passed > 0 ? result.failures.map((f) => f.message) : [...result.failures.map((f) => f.message), "the case checked no verdict"];
      },
    },
  ];
  if (c.byAddress !== undefined) {
    const byAddress = c.byAddress;
    checks.push({
      label: "pods named by address",
      run: async (evaluator) => {
        const engine = await createEngineFromJson({ cluster: c.cluster, policies: c.policies ?? [], options: c.options ?? {}, evaluator });
        return expectationFailures(engine, { name: c.name, cluster: c.cluster, policies: c.policies, flows: byAddress });
      },
    });
  }
  if (c.updates !== undefined) checks.push({ label: "reached by updates", run: (evaluator) => replayFailures(c, evaluator) });
  return checks;
}

/** Reads a saved case, ready for `checkCase` (see `runnerCase`). */
export function readRegression(file: string): RegressionCase {
  return runnerCase(readCase(file) as RegressionCase);
}

/**
 * The saved cases that `evaluator` fails now: a disagreement is only saved when
 * there are none, so that one open bug does not fill the folder with cases (every
 * run of the suite would find it again).
 */
async function openRegressions(evaluator: EvaluatorName, dir = REGRESSIONS_DIR): Promise<string[]> {
  const open: string[] = [];
  for (const file of findCaseFiles([dir])) {
    const c = readRegression(file);
    for (const check of regressionChecks(c)) {
      const failures = await check.run(evaluator).catch((error: unknown) => [String(error)]);
      if (failures.length > 0) {
        open.push(c.name);
        break;
      }
    }
  }
  return open;
}

/** Saves a case as `<dir>/<name>.json` and returns the path. */
export function saveRegression(c: RegressionCase, dir = REGRESSIONS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${c.name}.json`);
  writeFileSync(path, `${JSON.stringify(c, null, 2)}\n`);
  return path;
}

/**
 * Saves a counterexample of `evaluator` as a case (unless saved cases fail on it
 * already, see `openRegressions`) and returns the test failure message for it.
 */
export async function recordCounterexample(c: Counterexample, evaluator: EvaluatorName): Promise<string> {
  const open = await openRegressions(evaluator);
  const where = open.length > 0 ? `not saved: ${open.join(", ")} fail already` : `saved as ${saveRegression(regressionCase(c.comparison, evaluator, c.found))}`;
  const first = c.comparison.mismatches.slice(0, 5).map((m) => JSON.stringify(m));
  return `${c.comparison.mismatches.length} disagreements (${c.found}), ${where}:\n${first.join("\n")}`;
}

/**
 * The case with flow endpoints as an engine reads them (`caseEndpoint`): its flows
 * also go to engines directly, not only through `checkCase`.
 */
function runnerCase<C extends ConformanceCase>(c: C): C {
  return c.flows === undefined ? c : { ...c, flows: c.flows.map((f) => ({ ...f, from: caseEndpoint(f.from), to: caseEndpoint(f.to) })) };
}
