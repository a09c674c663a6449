/**
 * `netpol explain FILES`: every policy in plain English, in the order a connection
 * meets them (Admin-tier cluster-scoped policies, NetworkPolicies, Baseline-tier
 * ones), with the endpoints of the given cluster each selects or holds.
 */
import { clusterPolicyLines, policyLines } from "../../explain/policy.js";
import type { Location } from "../../manifests/manifests.js";
import type { Io } from "../io.js";
import { EXIT, load } from "../load.js";
import { commandInput } from "../usage.js";
import { namespacedName } from "../../primitives/kubernetes.js";

/** Runs `explain`. */
export async function explain(argv: readonly string[], io: Io): Promise<number> {
  const input = await commandInput(io, "explain", argv);
  if (!input.ok) return input.status;
  const loaded = await load(io, input.value.settings);
  if (!loaded.ok) return loaded.status;
  const { endpoints, engine, networkPolicyLocations, clusterPolicyLocations } = loaded.value;
  const order = endpoints.order();
  const position = new Map(order.map((engineIndex, shown) => [engineIndex, shown]));
  // the engine's answers, in display order
  const shown = (pods: readonly number[]): string[] => [...pods].sort((a, b) => position.get(a)! - position.get(b)!).map((i) => endpoints.ids[i]!);
  const source = (at: Location | undefined): string => (at?.file !== undefined ? io.out.dim(` (${at.file}${at.line !== undefined ? `:${at.line}` : ""})`) : "");
  const block = async (title: string, lines: readonly string[]): Promise<void> => {
    const [first, ...rest] = lines;
    await io.write(`${title}\n  ${first}\n${rest.map((l) => `  ${l}\n`).join("")}\n`);
  };
  const { policies, clusterPolicies } = engine.rules;
  if (policies.length === 0 && clusterPolicies.length === 0) {
    await io.write("no policies: every endpoint may reach every other on every port\n");
    return EXIT.ok;
  }
  // the tiers in the order a connection meets them: Admin, NetworkPolicy, Baseline
  const tier = async (name: "Admin" | "Baseline"): Promise<void> => {
    for (const policy of clusterPolicies.filter((p) => p.tier === name)) {
      const title = `${io.out.bold(`${policy.kind} ${policy.name}`)}${source(clusterPolicyLocations.get(`${policy.kind}/${policy.name}`))}`;
      await block(title, clusterPolicyLines(policy, shown(engine.subjectPods(policy.index))));
    }
  };
  await tier("Admin");
  for (const policy of policies) {
    const title = `${io.out.bold(namespacedName(policy))}${source(networkPolicyLocations[policy.index])}`;
    await block(title, policyLines(policy, shown(engine.selectedPods(policy.index))));
  }
  await tier("Baseline");
  return EXIT.ok;
}
