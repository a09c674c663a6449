/**
 * Runs one scenario on an engine and on the reference and lists every verdict on
 * which they disagree: `decideBatch` over many flows (object and columnar forms),
 * `decide` over the first of them, `matrix` over ports the policies mention, and
 * `sideMatrix` and `counts` on one of those ports. Then, when changes are given, the
 * engine is updated and compared again with a reference built from scratch on the
 * changed input.
 */
import fc from "fast-check";
import { createEngine, createEngineSync } from "../../src/engine/create.js";
import type { Engine, EvaluatorName, Flow, PortQuery, EngineUpdate } from "../../src/api/engine.js";
import type { Scenario } from "./arbitraries.js";
import { mixedScenario } from "./tier-arbitraries.js";
import { toColumns } from "../../src/api/flow-columns.js";
import { toIdColumns } from "./id-columns.js";
import { deriveFlows, matrixQueries } from "./flows.js";
import { applySpecs, updateSpec, type UpdateSpec } from "./updates.js";

/** One answer on which an engine and the reference disagree (or that the engine failed to give). */
export type Mismatch =
  | { readonly kind: "pods"; readonly reference: readonly string[] }
  | {
      readonly kind: "flow";
      readonly via: "decide" | "decideBatch" | "columnar" | "endpointIds";
      readonly flow: Flow;
      readonly reference: boolean;
      /** What the engine threw instead of answering. */
      readonly error?: string;
    }
  | { readonly kind: "error"; readonly via: string; readonly query: Required<PortQuery> | null; readonly error: string }
  | {
      readonly kind: "matrix";
      readonly via: "matrix" | "sideMatrix Egress" | "sideMatrix Ingress";
      readonly query: Required<PortQuery>;
      readonly from: string;
      readonly to: string;
      readonly reference: boolean;
    }
  | { readonly kind: "counts"; readonly query: Required<PortQuery>; readonly pod: string; readonly side: "reach" | "reachedBy"; readonly reference: number };

/** How much of a scenario to check. */
export interface Budget {
  /** Flows through `decideBatch`, in each form (objects, columns, columns from `endpointIds`). */
  readonly flows: number;
  /** Of those, how many also go through `decide`. */
  readonly decides: number;
  /** Port queries for `matrix`. */
  readonly matrices: number;
}

/** What comparing one scenario found. */
export interface Comparison {
  readonly mismatches: Mismatch[];
  /** Answers compared: flows (each batch form counted), matrix cells and counts. */
  readonly verdicts: number;
  /** Distinct flows checked (each through every batch form). */
  readonly flows: number;
  /** The input the mismatches are about (the changed one when they showed after updates). */
  readonly scenario: Scenario;
  /** The input the engine was built from, when that differs from `scenario`. */
  readonly before: Scenario | null;
  /** The updates that led from `before` to `scenario`. */
  readonly changes: readonly EngineUpdate[];
}

/** Builds the reference engine of a scenario. */
export function referenceEngine(scenario: Scenario): Engine {
  return createEngineSync({ cluster: scenario.cluster, policies: scenario.policies, options: scenario.options, evaluator: "reference" });
}

/** Builds the engine of a scenario on one evaluation path. */
export function engineOn(evaluator: EvaluatorName): (scenario: Scenario) => Promise<Engine> {
  return (scenario) => createEngine({ cluster: scenario.cluster, policies: scenario.policies, options: scenario.options, evaluator });
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** `f()`, or what it threw as a string (an engine throwing is a disagreement too). */
function attempt<T>(f: () => T): T | { readonly thrown: string } {
  try {
    return f();
  } catch (error) {
    return { thrown: message(error) };
  }
}

const threw = (v: unknown): v is { readonly thrown: string } => typeof v === "object" && v !== null && "thrown" in v;

/**
 * The engine's verdicts on `flows` through one batch form. When the whole batch
 * throws, each flow is retried alone to find the ones that make it throw.
 */
function batchAnswers(engine: Engine, flows: readonly Flow[], via: "decideBatch" | "columnar" | "endpointIds", want: Uint8Array): Mismatch[] {
  const run = (list: readonly Flow[]): Uint8Array =>
    engine.decideBatch(via === "columnar" ? toColumns(engine.pods, list) : via === "endpointIds" ? toIdColumns(engine, list) : list);
  const got = attempt(() => run(flows));
  const out: Mismatch[] = [];
  flows.forEach((flow, i) => {
    const one = threw(got) ? attempt(() => run([flow])[0]) : got[i];
    if (threw(one)) out.push({ kind: "flow", via, flow, reference: want[i] === 1, error: one.thrown });
    else if (one !== want[i]) out.push({ kind: "flow", via, flow, reference: want[i] === 1 });
  });
  return out;
}

/** Every answer of `engine` on `scenario` against `reference`'s (flows, decides and matrices over `budget`), on the flows and ports `seed` draws from `scenario`. */
export function compareEngines(engine: Engine, reference: Engine, scenario: Scenario, seed: number, budget: Budget): { mismatches: Mismatch[]; verdicts: number } {
  const pods = reference.pods;
  if (engine.pods.join("\n") !== pods.join("\n")) return { mismatches: [{ kind: "pods", reference: pods }], verdicts: 1 };
  const flows = deriveFlows(scenario, seed, budget.flows);
  const want = reference.decideBatch(flows);
  const mismatches = [
    ...batchAnswers(engine, flows, "decideBatch", want),
    ...batchAnswers(engine, flows, "columnar", want),
    ...batchAnswers(engine, flows, "endpointIds", want),
  ];
  let verdicts = 3 * flows.length;
  for (let i = 0; i < Math.min(budget.decides, flows.length); i++) {
    verdicts++;
    const got = attempt(() => engine.decide(flows[i]!).allowed);
    if (threw(got)) mismatches.push({ kind: "flow", via: "decide", flow: flows[i]!, reference: want[i] === 1, error: got.thrown });
    else if (got !== (want[i] === 1)) mismatches.push({ kind: "flow", via: "decide", flow: flows[i]!, reference: want[i] === 1 });
  }
  type Matrix = ReturnType<Engine["matrix"]>;
  const matrices: Array<[Extract<Mismatch, { kind: "matrix" }>["via"], Required<PortQuery>, Matrix, () => Matrix]> = [];
  matrixQueries(scenario, seed, budget.matrices).forEach((query, q) => {
    matrices.push(["matrix", query, reference.matrix(query), () => engine.matrix(query)]);
    if (q > 0) return;
    matrices.push(["sideMatrix Egress", query, reference.sideMatrix(query, "Egress"), () => engine.sideMatrix(query, "Egress")]);
    matrices.push(["sideMatrix Ingress", query, reference.sideMatrix(query, "Ingress"), () => engine.sideMatrix(query, "Ingress")]);
    const a = reference.counts(query);
    const b = attempt(() => engine.counts(query));
    verdicts += 2 * pods.length;
    if (threw(b)) mismatches.push({ kind: "error", via: "counts", query, error: b.thrown });
    else {
      pods.forEach((pod, i) => {
        if (a.reach[i] !== b.reach[i]) mismatches.push({ kind: "counts", query, pod, side: "reach", reference: a.reach[i]! });
        if (a.reachedBy[i] !== b.reachedBy[i]) mismatches.push({ kind: "counts", query, pod, side: "reachedBy", reference: a.reachedBy[i]! });
      });
    }
  });
  for (const [via, query, a, compute] of matrices) {
    verdicts += pods.length * pods.length;
    const b = attempt(compute);
    if (threw(b)) {
      mismatches.push({ kind: "error", via, query, error: b.thrown });
      continue;
    }
    for (let i = 0; i < pods.length; i++) {
      for (let j = 0; j < pods.length; j++) {
        if (a.allowed(i, j) !== b.allowed(i, j)) mismatches.push({ kind: "matrix", via, query, from: pods[i]!, to: pods[j]!, reference: a.allowed(i, j) });
      }
    }
  }
  return { mismatches, verdicts };
}

/**
 * Compares the engine `build` makes with the reference on `scenario`; then, unless
 * that already disagreed, applies `updates` to it and compares it with a reference
 * built from scratch on the changed scenario (over `after`).
 */
async function compareWithReference(
  scenario: Scenario,
  build: (scenario: Scenario) => Promise<Engine>,
  seed: number,
  budget: Budget,
  updates: readonly UpdateSpec[] = [],
  after: Budget = budget,
): Promise<Comparison> {
  const failed = (via: string, error: string, changed: { next: Scenario; changes: EngineUpdate[] } | null): Comparison => ({
    mismatches: [{ kind: "error", via, query: null, error }],
    verdicts: 1,
    flows: 0,
    scenario: changed?.next ?? scenario,
    before: changed && scenario,
    changes: changed?.changes ?? [],
  });
  const engine = await build(scenario).catch((error: unknown) => ({ thrown: message(error) }));
  if (threw(engine)) return failed("createEngine", engine.thrown, null);
  const first = compareEngines(engine, referenceEngine(scenario), scenario, seed, budget);
  const flows = budget.flows;
  if (first.mismatches.length > 0 || updates.length === 0) return { ...first, flows, scenario, before: null, changes: [] };
  const changed = applySpecs(scenario, updates);
  const { changes, next } = changed;
  const updated = attempt(() => engine.update(changes));
  if (threw(updated)) return failed("update", updated.thrown, changed);
  const second = compareEngines(engine, referenceEngine(next), next, seed + 1, after);
  return { mismatches: second.mismatches, verdicts: first.verdicts + second.verdicts, flows: flows + after.flows, scenario: next, before: scenario, changes };
}

/** The smallest disagreement fast-check found, with how it was found. */
export interface Counterexample {
  readonly comparison: Comparison;
  /** fast-check's seed and path, and the flow seed, to replay the run. */
  readonly found: string;
}

/** What a property run over many scenarios found. */
export interface Agreement {
  /** Answers compared over every run, shrinking included. */
  readonly verdicts: number;
  /** Distinct flows checked over every run, shrinking included. */
  readonly flows: number;
  /** The shrunk counterexample, when the engine disagreed somewhere. */
  readonly counterexample: Counterexample | null;
}

/**
 * Checks with fast-check that the engines `build` makes agree with the reference on
 * `runs` random mixed scenarios (NetworkPolicies and cluster-scoped policies, nodes),
 * before and after up to three random updates (checked over `after`); a
 * disagreement is shrunk to a small scenario.
 */
export async function checkAgreement(
  build: (scenario: Scenario) => Promise<Engine>,
  runs: number,
  budget: Budget,
  after: Budget,
  fcSeed?: number,
): Promise<Agreement> {
  let verdicts = 0;
  let flows = 0;
  const details = await fc.check(
    fc.asyncProperty(mixedScenario(), fc.integer(), fc.array(updateSpec, { maxLength: 3 }), async (s, seed, updates) => {
      const result = await compareWithReference(s, build, seed, budget, updates, after);
      flows += result.flows;
      verdicts += result.verdicts;
      return result.mismatches.length === 0;
    }),
    { numRuns: runs, ...(fcSeed === undefined ? {} : { seed: fcSeed }) },
  );
  if (!details.failed) return { verdicts, flows, counterexample: null };
  if (details.counterexample === null) throw details.errorInstance;
  const [scenario, seed, updates] = details.counterexample;
  const comparison = await compareWithReference(scenario, build, seed, budget, updates, after);
  const found = `fast-check seed ${details.seed}, path ${details.counterexamplePath}, flow seed ${seed}`;
  return { verdicts, flows, counterexample: { comparison, found } };
}
