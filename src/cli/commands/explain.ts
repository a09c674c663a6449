/**
 * `netpol explain FILES`: every policy in plain English, with the endpoints of the
 * given cluster it selects.
 */
import { policyLines } from "../../explain/policy.js";
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
  const { manifests, endpoints, engine } = loaded.value;
  const order = endpoints.order();
  const position = new Map(order.map((engineIndex, shown) => [engineIndex, shown]));
  if (engine.rules.policies.length === 0) {
    await io.write("no NetworkPolicies: every endpoint may reach every other on every port\n");
    return EXIT.ok;
  }
  for (const policy of engine.rules.policies) {
    // the engine's answer, in display order
    const selected = [...engine.selectedPods(policy.index)].sort((a, b) => position.get(a)! - position.get(b)!).map((i) => endpoints.ids[i]!);
    const at = manifests.policyLocations[policy.index];
    const source = at?.file !== undefined ? io.out.dim(` (${at.file}${at.line !== undefined ? `:${at.line}` : ""})`) : "";
    const [first, ...rest] = policyLines(policy, selected);
    await io.write(`${io.out.bold(namespacedName(policy))}${source}\n  ${first}\n${rest.map((l) => `  ${l}\n`).join("")}\n`);
  }
  return EXIT.ok;
}
