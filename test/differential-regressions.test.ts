// Saved counterexamples (test/regressions/*.json, conformance format) on every
// evaluator, through the conformance runner and, for those found after updates, by
// replaying the updates; and a check of the differential machinery itself: engines
// with planted bugs must be caught, shrunk and saved as cases that the reference
// passes and the buggy engine fails.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { checkCase, findCaseFiles } from "./support/conformance.js";
import { createEngineFromJsonSync, createEngineSync } from "../src/engine/create.js";
import { onEveryEvaluator } from "./support/evaluators.js";
import type { ColumnarFlows, Engine, Flow } from "../src/api/engine.js";
import { isNetworkPolicy, type AnyPolicyJson, type ClusterPolicyJson, type PolicyJson, type Scenario } from "./support/arbitraries.js";
import { checkAgreement } from "./support/differential.js";
import { REGRESSIONS_DIR, expectationFailures, readRegression, regressionCase, regressionChecks, saveRegression } from "./support/regressions.js";

for (const file of findCaseFiles([REGRESSIONS_DIR])) {
  const c = readRegression(file);
  for (const check of regressionChecks(c)) {
    onEveryEvaluator(`regression ${c.name}${check.label === "" ? "" : `, ${check.label}`}`, async (create) => {
      assert.equal(await check.run(create.evaluator), []);
    });
  }
}

/** A copy of the policies with `edit` applied to each NetworkPolicy (JSON round trip, so edits stay local). */
function mutate(policies: readonly AnyPolicyJson[], edit: (p: PolicyJson) => void): AnyPolicyJson[] {
  const copy = JSON.parse(JSON.stringify(policies)) as AnyPolicyJson[];
  copy.filter(isNetworkPolicy).forEach(edit);
  return copy;
}

/** A copy of the policies with `edit` applied to each cluster-scoped one. */
function mutateTiers(policies: readonly AnyPolicyJson[], edit: (p: ClusterPolicyJson) => void): AnyPolicyJson[] {
  const copy = JSON.parse(JSON.stringify(policies)) as AnyPolicyJson[];
  copy.forEach((p) => isNetworkPolicy(p) || edit(p));
  return copy;
}

/** A cluster-scoped policy's ingress and egress rules, as JSON records. */
const tierRules = (p: ClusterPolicyJson): Array<Record<string, unknown>> =>
  [...((p.spec.ingress ?? []) as Array<Record<string, unknown>>), ...((p.spec.egress ?? []) as Array<Record<string, unknown>>)];

/** Every rule of a policy, ingress and egress. */
const rules = (p: PolicyJson) => [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])];

/** Bugs an evaluator could plausibly have, planted by rewriting the policies it is given. */
const MUTANTS: Record<string, (policies: readonly AnyPolicyJson[]) => AnyPolicyJson[]> = {
  "ignores ipBlock except": (ps) =>
    mutate(ps, (p) => rules(p).forEach((r) => [...(r.from ?? []), ...(r.to ?? [])].forEach((peer) => delete peer.ipBlock?.except))),
  "reads endPort as exclusive": (ps) =>
    mutate(ps, (p) => rules(p).forEach((r) => (r.ports ?? []).forEach((port) => {
      if (typeof port.port === "number" && port.endPort !== undefined && port.endPort > port.port) port.endPort--;
    }))),
  "reads an empty namespaceSelector as the policy's namespace": (ps) =>
    mutate(ps, (p) => rules(p).forEach((r) => [...(r.from ?? []), ...(r.to ?? [])].forEach((peer) => {
      const ns = peer.namespaceSelector;
      if (ns !== undefined && Object.keys(ns).length === 0) {
        delete peer.namespaceSelector;
        peer.podSelector ??= {};
      }
    }))),
  "lets a Pass rule end its tier like an Accept": (ps) =>
    mutateTiers(ps, (p) => tierRules(p).forEach((r) => {
      if (r.action === "Pass") r.action = p.kind === "ClusterNetworkPolicy" ? "Accept" : "Allow";
    })),
  "scans a policy's rules last to first": (ps) =>
    mutateTiers(ps, (p) => {
      for (const direction of ["ingress", "egress"]) if (Array.isArray(p.spec[direction])) (p.spec[direction] as unknown[]).reverse();
    }),
  "orders a tier by descending priority": (ps) =>
    mutateTiers(ps, (p) => {
      if (typeof p.spec.priority === "number") p.spec.priority = 1000 - p.spec.priority;
    }),
};

for (const [bug, plant] of Object.entries(MUTANTS)) {
  test(`the differential test catches an engine that ${bug}`, async () => {
    const build = async (s: Scenario): Promise<Engine> => createEngineSync({ ...s, policies: plant(s.policies), evaluator: "reference" });
    const budget = { flows: 300, decides: 20, matrices: 1 };
    const result = await checkAgreement(build, 200, budget, budget, 20261124);
    const found = result.counterexample;
    if (found === null) return assert.unreachable(`not caught in 200 runs (${result.verdicts} verdicts)`);
    const dir = mkdtempSync(join(tmpdir(), "netpol-regression-"));
    try {
      const c = regressionCase(found.comparison, "mutant", found.found);
      const saved = readRegression(saveRegression(c, dir));
      const onReference = await checkCase(saved, "reference");
      assert.equal(onReference.failures.map((f) => f.message), []);
      const mutant = createEngineFromJsonSync({ cluster: saved.cluster, policies: plant(saved.policies as AnyPolicyJson[]), options: saved.options ?? {} });
      assert.ok(expectationFailures(mutant, saved).length > 0, "the saved case does not reproduce the bug");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Bugs in reading an option, planted by rewriting the options an evaluator is given. */
const OPTION_MUTANTS: Record<string, (options: Scenario["options"]) => Scenario["options"]> = {
  "ignores the node-local clause": (o) => ({ ...o, nodeLocal: "policy" }),
  "applies the node-local clause when told not to": (o) => ({ ...o, nodeLocal: "allow" }),
};

for (const [bug, plant] of Object.entries(OPTION_MUTANTS)) {
  test(`the differential test catches an engine that ${bug}`, async () => {
    const build = async (s: Scenario): Promise<Engine> => createEngineSync({ ...s, options: plant(s.options), evaluator: "reference" });
    const budget = { flows: 300, decides: 20, matrices: 1 };
    const result = await checkAgreement(build, 200, budget, budget, 20261201);
    const found = result.counterexample;
    if (found === null) return assert.unreachable(`not caught in 200 runs (${result.verdicts} verdicts)`);
    const dir = mkdtempSync(join(tmpdir(), "netpol-regression-"));
    try {
      const saved = readRegression(saveRegression(regressionCase(found.comparison, "mutant", found.found), dir));
      assert.equal((await checkCase(saved, "reference")).failures.map((f) => f.message), []);
      const mutant = createEngineFromJsonSync({ cluster: saved.cluster, policies: saved.policies, options: plant({ ...saved.options } as unknown as Scenario["options"]) });
      assert.ok(expectationFailures(mutant, saved).length > 0, "the saved case does not reproduce the bug");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Bugs a batch encoder could plausibly have, planted in front of the WASM engine's `decideBatch`. */
const ENCODER_BUGS: Record<string, (engine: Engine, flows: readonly Flow[]) => Uint8Array> = {
  "reads every protocol of an object batch as TCP": (engine, flows) => engine.decideBatch(flows.map((f) => ({ ...f, protocol: "TCP" }))),
  "reads an address of a pod in an object batch as a host outside": (engine, flows) => {
    const outside = (end: string): string => (end.includes("/") || engine.endpointIds([end]).ids[0]! >= engine.pods.length ? end : "203.0.113.1");
    return engine.decideBatch(flows.map((f) => ({ ...f, from: outside(f.from), to: outside(f.to) })));
  },
};

for (const [bug, plant] of Object.entries(ENCODER_BUGS)) {
  test(`the differential test catches an engine that ${bug}`, async () => {
    const build = async (s: Scenario): Promise<Engine> => {
      const engine = createEngineSync({ ...s, evaluator: "wasm" });
      const decideBatch = engine.decideBatch.bind(engine);
      return Object.assign(Object.create(engine) as Engine, {
        decideBatch: (flows: readonly Flow[] | ColumnarFlows) => (Array.isArray(flows) ? plant(engine, flows) : decideBatch(flows)),
      });
    };
    const budget = { flows: 300, decides: 0, matrices: 1 };
    const result = await checkAgreement(build, 200, budget, budget, 20261124);
    assert.ok(result.counterexample !== null, `not caught in 200 runs (${result.verdicts} verdicts)`);
    assert.ok(result.counterexample!.comparison.mismatches.some((m) => m.kind === "flow" && m.via === "decideBatch"));
  });
}

test.run();
