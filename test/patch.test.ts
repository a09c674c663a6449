// Patched tables (src/compile/patch.ts) must answer as tables compiled from scratch:
// fast-check draws scenarios (NetworkPolicies alone, or with cluster-scoped policies and nodes)
// and long runs of pod, namespace, NetworkPolicy and ClusterNetworkPolicy updates, sent one call at a time so that class
// ids are reused, sections move and patches pile up; after the run the WASM engine is
// compared with a reference built on the changed scenario (and, in a quarter of the
// runs, its connections with a fresh engine's). Most updates must patch.
import { test } from "uvu";
import * as assert from "uvu/assert";
import fc from "fast-check";
import { createEngineSync } from "../src/engine/create.js";
import type { WasmEngine } from "../src/engine/wasm/engine.js";
import { compareEngines, referenceEngine, type Budget } from "./support/differential.js";
import { applySpecs, patchableUpdateSpec } from "./support/updates.js";
import { mixedScenario } from "./support/tier-arbitraries.js";
import { scenario, type Scenario } from "./support/arbitraries.js";
import type { EngineInput } from "../src/api/engine.js";

const RUNS = Number(process.env.NETPOL_DIFF_RUNS ?? 60);
const BUDGET: Budget = { flows: 4_000, decides: 40, matrices: 3 };

const input = (s: Scenario): EngineInput => ({ cluster: s.cluster, policies: s.policies, options: s.options, evaluator: "wasm" });

test(`patched tables agree with the reference after runs of pod, namespace and policy updates (${RUNS} runs)`, () => {
  let patches = 0;
  let compiles = 0;
  let policyPatches = 0;
  // NetworkPolicy updates patched in a cluster with cluster-scoped policies (into the room kept before the tiers' peer sets)
  let tierPolicyPatches = 0;
  // updates of a cluster-scoped policy patched
  let clusterPolicyPatches = 0;
  fc.assert(
    fc.property(fc.oneof(mixedScenario(), scenario() as fc.Arbitrary<Scenario>), fc.array(patchableUpdateSpec, { minLength: 4, maxLength: 16 }), fc.integer(), (s, specs, seed) => {
      const engine = createEngineSync(input(s)) as WasmEngine;
      const tiers = s.policies.some((p) => p.kind !== "NetworkPolicy");
      let current = s;
      for (const spec of specs) {
        const { changes, next } = applySpecs(current, [spec]);
        if (changes.length === 0) continue;
        const patched = engine.made.patches;
        engine.update(changes);
        if (spec.op === "upsertClusterPolicy" && engine.made.patches > patched) clusterPolicyPatches++;
        else if (spec.op.endsWith("Policy") && engine.made.patches > patched) {
          policyPatches++;
          if (tiers) tierPolicyPatches++;
        }
        current = next;
      }
      patches += engine.made.patches;
      compiles += engine.made.compiles - 1;
      const { mismatches } = compareEngines(engine, referenceEngine(current), current, seed, BUDGET);
      assert.equal(mismatches.slice(0, 3), [], JSON.stringify({ scenario: current }).slice(0, 2000));
      // connections read the patched classes and profiles too
      if ((seed & 3) === 0) assert.equal(JSON.stringify([...engine.connections()]), JSON.stringify([...createEngineSync(input(current)).connections()]));
    }),
    { numRuns: RUNS },
  );
  console.log(`  ${patches} updates patched the tables (${policyPatches} of a NetworkPolicy, ${tierPolicyPatches} of them beside cluster-scoped policies; ${clusterPolicyPatches} of a cluster-scoped policy), ${compiles} compiled them again`);
  assert.ok(patches > compiles, `only ${patches} of ${patches + compiles} updates patched`);
  assert.ok(policyPatches > 0, "no NetworkPolicy update patched the tables");
  assert.ok(tierPolicyPatches > 0, "no NetworkPolicy update patched the tables of a cluster with cluster-scoped policies");
  assert.ok(clusterPolicyPatches > 0, "no cluster-scoped policy update patched the tables");
});

test.run();
