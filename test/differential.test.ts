// Every evaluator other than the reference must agree with it on every answer:
// fast-check draws clusters, policies, options and updates; each run batches 10,000
// flows through both (as objects, as columns, and as columns built from
// `endpointIds`), compares matrices, side matrices and counts on ports the policies
// mention, then updates the engine and compares it with a reference built on the
// changed input. A disagreement is shrunk, saved under
// test/regressions/ as a conformance case, and fails the test.
// NETPOL_DIFF_RUNS=<n> runs longer (default 100), NETPOL_DIFF_SEED=<n> replays a run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EVALUATORS } from "../src/engine/create.js";
import { checkAgreement, engineOn, type Budget } from "./support/differential.js";
import { recordCounterexample } from "./support/regressions.js";

const RUNS = Number(process.env.NETPOL_DIFF_RUNS ?? 100);
const SEED = process.env.NETPOL_DIFF_SEED === undefined ? undefined : Number(process.env.NETPOL_DIFF_SEED);
const BUDGET: Budget = { flows: 10_000, decides: 200, matrices: 4 };
const AFTER_UPDATES: Budget = { flows: 2_000, decides: 50, matrices: 2 };

for (const evaluator of EVALUATORS.filter((e) => e !== "reference")) {
  test(`[${evaluator}] agrees with the reference on ${RUNS} runs of ${BUDGET.flows} flows`, async () => {
    const result = await checkAgreement(engineOn(evaluator), RUNS, BUDGET, AFTER_UPDATES, SEED);
    if (result.counterexample !== null) assert.unreachable(await recordCounterexample(result.counterexample, evaluator));
    console.log(`  ${evaluator}: ${result.flows} flows (each in all three batch forms), ${result.verdicts} answers compared`);
    assert.ok(result.flows >= RUNS * BUDGET.flows, `only ${result.flows} flows were checked`);
  });
}

test.run();
