// The random scenarios of the differential tests must exercise what issue 14 found
// untested: policyTypes `[]`/`null` and `null` lists, finished pods (also holding a
// live pod's IP), pods without IPs, host-network pods under every option, addresses
// and ipBlocks in every spelling Go reads alike, and workloads whose pods are given or
// stood in for. Each feature must show up in a share of 300 sampled scenarios, so a
// change to the arbitraries cannot silently drop it.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseAddress } from "../src/primitives/address.js";
import { finished, scenario, type PodJson, type RuleJson } from "./support/arbitraries.js";
import { deriveFlows } from "./support/flows.js";
import { mixedScenario } from "./support/tier-arbitraries.js";
import { createEngineSync } from "../src/index.js";

const RUNS = 300;
const samples = fc.sample(scenario(), { numRuns: RUNS, seed: 14 });

/** How many sampled scenarios have the feature. */
const count = (has: (s: (typeof samples)[number]) => boolean): number => samples.filter(has).length;
const canonical = (text: string): string => parseAddress(text)!.text;
const rules = (s: (typeof samples)[number]): RuleJson[] => s.policies.flatMap((p) => [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]);
const live = (pods: readonly PodJson[]): PodJson[] => pods.filter((p) => !finished(p.phase));

const features: Record<string, (s: (typeof samples)[number]) => boolean> = {
  "policyTypes [] or null": (s) => s.policies.some((p) => p.spec.policyTypes === null || p.spec.policyTypes?.length === 0),
  "a null rule list": (s) => s.policies.some((p) => p.spec.ingress === null || p.spec.egress === null) || rules(s).some((r) => r.from === null || r.to === null || r.ports === null),
  "a finished pod": (s) => s.cluster.pods.some((p) => finished(p.phase)),
  "a finished pod holding a live pod's IP": (s) => {
    const taken = new Set(live(s.cluster.pods).flatMap((p) => p.ips.map(canonical)));
    return s.cluster.pods.some((p) => finished(p.phase) && p.ips.some((ip) => taken.has(canonical(ip))));
  },
  "a live pod without IPs": (s) => live(s.cluster.pods).some((p) => p.ips.length === 0),
  "a host-network pod with ipBlockMatchesPods false": (s) => !s.options.ipBlockMatchesPods && live(s.cluster.pods).some((p) => p.hostNetwork === true),
  "a pod IP spelled another way": (s) => s.cluster.pods.some((p) => p.ips.some((ip) => canonical(ip) !== ip)),
  "an ipBlock spelled another way": (s) => /"cidr":"(::ffff|::FFFF|0[0-9]|[0-9A-F]{4}:|[^"]*\/00)/.test(JSON.stringify(s.policies)),
  "a flow address spelled another way": (s) =>
    deriveFlows(s, 1, 300).some((f) => [f.from, f.to].some((end) => parseAddress(end) !== null && canonical(end) !== end)),
  "a workload standing for its pods": (s) => s.cluster.pods.some((p) => p.name === undefined && /^(Deployment|DaemonSet|Job|CronJob)$/.test(p.workload?.kind ?? "")),
  "a StatefulSet's ordinal pods": (s) => s.cluster.pods.some((p) => /^w\d-\d$/.test(p.name ?? "")),
  "a workload's pod given": (s) => s.cluster.pods.some((p) => /^w\d-pod$/.test(p.name ?? "")),
};

for (const [name, has] of Object.entries(features)) {
  test(`scenarios exercise ${name}`, () => {
    const n = count(has);
    assert.ok(n >= RUNS / 50, `only ${n} of ${RUNS} scenarios have ${name}`);
  });
}

test("scenarios exercise every combination of the host-network and ipBlock options", () => {
  for (const hostNetwork of ["host", "pod"]) {
    for (const ipBlockMatchesPods of [true, false]) {
      const n = count((s) => s.options.hostNetwork === hostNetwork && s.options.ipBlockMatchesPods === ipBlockMatchesPods && live(s.cluster.pods).some((p) => p.hostNetwork === true));
      assert.ok(n >= RUNS / 50, `only ${n} scenarios with hostNetwork=${hostNetwork}, ipBlockMatchesPods=${ipBlockMatchesPods} and a host-network pod`);
    }
  }
});

test("mixed scenarios exercise the node-local clause in both modes", () => {
  // per mode, the scenarios with a flow the clause decides: under "allow" a side whose
  // reason is node-local, under "policy" a flow the clause would have let through
  const decided = { allow: 0, policy: 0 };
  for (const s of fc.sample(mixedScenario(), { numRuns: 150, seed: 7 })) {
    const engine = (nodeLocal: "allow" | "policy") => createEngineSync({ cluster: s.cluster, policies: s.policies, options: { ...s.options, nodeLocal }, evaluator: "reference" });
    const [own, other] = [engine(s.options.nodeLocal), engine(s.options.nodeLocal === "allow" ? "policy" : "allow")];
    const flows = deriveFlows(s, 3, 400);
    const hit =
      s.options.nodeLocal === "allow"
        ? flows.some((f) => {
            const { egress, ingress } = own.decide(f).explanation;
            return egress.reason === "node-local" || ingress.reason === "node-local";
          })
        : flows.some((f) => !own.decide(f).allowed && other.decide(f).allowed);
    if (hit) decided[s.options.nodeLocal]++;
  }
  assert.ok(decided.allow >= 3, `only ${decided.allow} scenarios under nodeLocal "allow" have a flow the clause decides`);
  assert.ok(decided.policy >= 3, `only ${decided.policy} scenarios under nodeLocal "policy" have a flow the clause would change`);
});

test("mixed scenarios have domainNames peers that DNS records resolve, and flows they decide", () => {
  let decided = 0;
  for (const s of fc.sample(mixedScenario(), { numRuns: 150, seed: 8 })) {
    if (s.cluster.dns === undefined) continue;
    const engine = createEngineSync({ ...s, evaluator: "reference" });
    const byDomain = (step: { matched: { policy: { index: number }; rule: number; peer: number } | null } | null): boolean => {
      const m = step?.matched;
      if (!m) return false;
      const rule = engine.rules.clusterPolicies[m.policy.index]!.egress[m.rule];
      return rule?.peers.find((p) => p.index === m.peer)?.kind === "domainNames";
    };
    if (deriveFlows(s, 5, 400).some((f) => {
      const { egress } = engine.decide(f).explanation;
      return byDomain(egress.admin) || byDomain(egress.baseline);
    })) decided++;
  }
  assert.ok(decided >= 3, `only ${decided} scenarios have a flow a domainNames peer decides`);
});

test.run();
