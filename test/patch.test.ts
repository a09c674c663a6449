// Patched tables (src/compile/patch.ts) must answer as tables compiled from scratch:
// fast-check draws mixed scenarios (NetworkPolicies, cluster-scoped policies, nodes)
// and long runs of pod and namespace updates, sent one call at a time so that class
// ids are reused, sections move and patches pile up; after the run the WASM engine is
// compared with a reference built on the changed scenario. Most runs must patch.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { createEngineSync } from "../src/engine/create.js";
import type { WasmEngine } from "../src/engine/wasm/engine.js";
import { compareEngines, referenceEngine, type Budget } from "./support/differential.js";
import { applySpecs, clusterUpdateSpec } from "./support/updates.js";
import { mixedScenario } from "./support/tier-arbitraries.js";
import type { Scenario } from "./support/arbitraries.js";
import type { EngineInput } from "../src/api/engine.js";

const RUNS = Number(process.env.NETPOL_DIFF_RUNS ?? 60);
const BUDGET: Budget = { flows: 4_000, decides: 40, matrices: 3 };

const input = (s: Scenario): EngineInput => ({ cluster: s.cluster, policies: s.policies, options: s.options, evaluator: "wasm" });

test(`patched tables agree with the reference after runs of pod and namespace updates (${RUNS} runs)`, () => {
  let patches = 0;
  let compiles = 0;
  fc.assert(
    fc.property(mixedScenario(), fc.array(clusterUpdateSpec, { minLength: 4, maxLength: 16 }), fc.integer(), (s, specs, seed) => {
      const engine = createEngineSync(input(s)) as WasmEngine;
      let current = s;
      for (const spec of specs) {
        const { changes, next } = applySpecs(current, [spec]);
        if (changes.length === 0) continue;
        engine.update(changes);
        current = next;
      }
      patches += engine.made.patches;
      compiles += engine.made.compiles - 1;
      const { mismatches } = compareEngines(engine, referenceEngine(current), current, seed, BUDGET);
      assert.equal(mismatches.slice(0, 3), [], JSON.stringify({ scenario: current }).slice(0, 2000));
    }),
    { numRuns: RUNS },
  );
  console.log(`  ${patches} updates patched the tables, ${compiles} compiled them again`);
  assert.ok(patches > compiles, `only ${patches} of ${patches + compiles} updates patched`);
});

test.run();
