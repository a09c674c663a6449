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
import type { Engine } from "../src/api/engine.js";
import type { PolicyJson, Scenario } from "./support/arbitraries.js";
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

/** A copy of the policies with `edit` applied to each (JSON round trip, so edits stay local). */
function mutate(policies: readonly PolicyJson[], edit: (p: PolicyJson) => void): PolicyJson[] {
  const copy = JSON.parse(JSON.stringify(policies)) as PolicyJson[];
  copy.forEach(edit);
  return copy;
}

/** Every rule of a policy, ingress and egress. */
const rules = (p: PolicyJson) => [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])];

/** Bugs an evaluator could plausibly have, planted by rewriting the policies it is given. */
const MUTANTS: Record<string, (policies: readonly PolicyJson[]) => PolicyJson[]> = {
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
      const mutant = createEngineFromJsonSync({ cluster: saved.cluster, policies: plant(saved.policies as PolicyJson[]), options: saved.options ?? {} });
      assert.ok(expectationFailures(mutant, saved).length > 0, "the saved case does not reproduce the bug");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test.run();
