// Properties the reference evaluator must have whatever the input, checked with
// fast-check on the same random clusters and policies as the differential test:
// its entry points agree (decide, decideBatch as objects, columns and ids, matrix, side matrices,
// counts), an update equals a rebuild, allow-all policies allow, self traffic is the
// only thing `selfTraffic` changes, policy order does not matter, and adding a rule
// never takes anything away. NETPOL_DIFF_RUNS=<n> runs longer (default 100),
// NETPOL_DIFF_SEED=<n> replays a run. A disagreement of the reference with itself is
// saved under test/regressions/ too.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Engine, Flow } from "../src/api/engine.js";
import type { Direction } from "../src/primitives/kubernetes.js";
import { ingressRule, scenario, type PolicyJson, type Scenario } from "./support/arbitraries.js";
import { checkAgreement, engineOn, referenceEngine } from "./support/differential.js";
import { podOwner } from "./support/endpoints.js";
import { toColumns } from "../src/api/flow-columns.js";
import { toIdColumns } from "./support/id-columns.js";
import { recordCounterexample } from "./support/regressions.js";
import { deriveFlows, matrixQueries } from "./support/flows.js";
import { Random } from "./support/random.js";

const RUNS = Number(process.env.NETPOL_DIFF_RUNS ?? 100);
const SEED = process.env.NETPOL_DIFF_SEED === undefined ? undefined : Number(process.env.NETPOL_DIFF_SEED);
const FLOWS = 500;

/** Runs a property over random scenarios and flow seeds; fast-check reports the shrunk counterexample. */
function holds(property: (s: Scenario, seed: number) => void): void {
  fc.assert(fc.property(scenario(), fc.integer(), property), { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) });
}

/** Every verdict of `engine` on `flows` and on the matrices of the scenario's ports, as one string. */
function verdicts(engine: Engine, s: Scenario, seed: number, flows: readonly Flow[]): string {
  const matrices = matrixQueries(s, seed, 3).map((q) => Object.values(engine.matrix(q).toJSON().matrix).join(","));
  return `${engine.decideBatch(flows).join("")}|${matrices.join("|")}`;
}

/** A policy in `namespace` that selects every pod there and allows everything in `direction`. */
function allowAll(namespace: string, direction: Direction): PolicyJson {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: `allow-all-${direction.toLowerCase()}`, namespace },
    spec: { podSelector: {}, policyTypes: [direction], ...(direction === "Ingress" ? { ingress: [{}] } : { egress: [{}] }) },
  };
}

test("decide, decideBatch and matrix give the same verdicts", () => {
  holds((s, seed) => {
    const engine = referenceEngine(s);
    const flows = deriveFlows(s, seed, FLOWS);
    const batch = engine.decideBatch(flows);
    assert.equal([...engine.decideBatch(toColumns(engine.pods, flows))], [...batch], "columns and objects differ");
    assert.equal([...engine.decideBatch(toIdColumns(engine, flows))], [...batch], "columns from endpointIds and objects differ");
    flows.slice(0, 100).forEach((f, i) => {
      const d = engine.decide(f);
      assert.is(d.allowed ? 1 : 0, batch[i], `decide and decideBatch differ on ${JSON.stringify(f)}`);
      assert.is(d.allowed, d.explanation.egress.allowed && d.explanation.ingress.allowed, "a verdict is not the conjunction of its sides");
    });
    for (const q of matrixQueries(s, seed, 3)) {
      const matrix = engine.matrix(q);
      const pairs = engine.pods.flatMap((from) => engine.pods.map((to) => ({ from, to, ...q })));
      const cells = engine.decideBatch(pairs);
      pairs.forEach((_, k) => assert.is(matrix.allowed(Math.floor(k / engine.pods.length), k % engine.pods.length) ? 1 : 0, cells[k]));
    }
  });
});

test("an allow-all policy for one direction opens that side of every pod it selects", () => {
  holds((s, seed) => {
    const random = new Random(seed);
    const namespace = s.cluster.pods.length > 0 ? random.pick(s.cluster.pods).namespace : "x";
    const direction: Direction = random.chance(0.5) ? "Ingress" : "Egress";
    const before = referenceEngine(s);
    const after = referenceEngine({ ...s, policies: [...s.policies, allowAll(namespace, direction)] });
    const podOf = podOwner(s);
    for (const f of deriveFlows(s, seed, FLOWS)) {
      const end = podOf(direction === "Ingress" ? f.to : f.from);
      const old = before.decide(f);
      const now = after.decide(f);
      if (end === null || !end.startsWith(`${namespace}/`)) assert.is(now.allowed, old.allowed, `${JSON.stringify(f)} changed`);
      else {
        const other = direction === "Ingress" ? old.explanation.egress : old.explanation.ingress;
        assert.is(now.allowed, old.allowed || other.allowed, `${JSON.stringify(f)}: only the ${direction} side may open`);
        assert.ok((direction === "Ingress" ? now.explanation.ingress : now.explanation.egress).allowed);
      }
    }
  });
});

test("allow-all policies in both directions in every namespace allow every flow", () => {
  holds((s, seed) => {
    const namespaces = [...new Set(s.cluster.pods.map((p) => p.namespace))];
    const open = [...s.policies, ...namespaces.flatMap((ns) => [allowAll(ns, "Ingress"), allowAll(ns, "Egress")])];
    const engine = referenceEngine({ ...s, policies: open });
    assert.ok(engine.decideBatch(deriveFlows(s, seed, FLOWS)).every((v) => v === 1));
  });
});

test("selfTraffic allow makes the diagonal 1 and changes nothing else", () => {
  holds((s, seed) => {
    const allow = referenceEngine({ ...s, options: { ...s.options, selfTraffic: "allow" } });
    const policy = referenceEngine({ ...s, options: { ...s.options, selfTraffic: "policy" } });
    for (const q of matrixQueries(s, seed, 3)) {
      const a = allow.matrix(q);
      const p = policy.matrix(q);
      allow.pods.forEach((_, i) =>
        allow.pods.forEach((_, j) => {
          if (i === j) assert.ok(a.allowed(i, i), `${allow.pods[i]} cannot reach itself`);
          else assert.is(a.allowed(i, j), p.allowed(i, j));
        }),
      );
    }
  });
});

test("verdicts do not depend on the order of the policies", () => {
  holds((s, seed) => {
    const flows = deriveFlows(s, seed, FLOWS);
    const shuffled = { ...s, policies: new Random(seed).shuffle(s.policies) };
    assert.is(verdicts(referenceEngine(shuffled), s, seed, flows), verdicts(referenceEngine(s), s, seed, flows));
  });
});

test("adding an ingress rule to a policy never denies a flow that was allowed", () => {
  fc.assert(
    fc.property(scenario(), fc.integer(), ingressRule, fc.nat(), (s, seed, rule, k) => {
      fc.pre(s.policies.length > 0);
      const policies = s.policies.map((p, i) =>
        i === k % s.policies.length ? { ...p, spec: { ...p.spec, ingress: [...(p.spec.ingress ?? []), rule] } } : p,
      );
      const flows = deriveFlows(s, seed, FLOWS);
      const before = referenceEngine(s).decideBatch(flows);
      const after = referenceEngine({ ...s, policies }).decideBatch(flows);
      before.forEach((v, i) => assert.ok(after[i]! >= v, `${JSON.stringify(flows[i])} was allowed, now denied`));
    }),
    { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
  );
});

test("a matrix cell is the conjunction of its side matrices, and counts are its row and column sums", () => {
  holds((s, seed) => {
    const engine = referenceEngine(s);
    for (const q of matrixQueries(s, seed, 2)) {
      const m = engine.matrix(q);
      const egress = engine.sideMatrix(q, "Egress");
      const ingress = engine.sideMatrix(q, "Ingress");
      const { reach, reachedBy } = engine.counts(q);
      engine.pods.forEach((_, i) => {
        engine.pods.forEach((_, j) => assert.is(m.allowed(i, j), egress.allowed(i, j) && ingress.allowed(i, j)));
        assert.is(reach[i], [...m.row(i)].length);
        assert.is(reachedBy[i], [...m.column(i)].length);
      });
    }
  });
});

test("the reference agrees with itself through every entry point, and an update equals a rebuild", async () => {
  const budget = { flows: FLOWS, decides: 50, matrices: 2 };
  const result = await checkAgreement(engineOn("reference"), RUNS, budget, budget, SEED);
  if (result.counterexample !== null) assert.unreachable(await recordCounterexample(result.counterexample, "reference"));
  assert.ok(result.flows >= RUNS * budget.flows, `only ${result.flows} flows were checked`);
});

test.run();
