/**
 * `netpol explain FILES`: every policy in plain English, with the endpoints of the
 * given cluster it selects.
 */
import { parse, COMMON_OPTIONS } from "../args.js";
import { policyLines } from "../../explain/describe.js";
import type { Io } from "../io.js";
import { EXIT, load } from "../load.js";
import { policiesSelect } from "../../ir/endpoint-rules.js";
import { selectorMatches } from "../../primitives/selector.js";
import { usageError } from "../usage.js";

/** Runs `explain`. */
export async function explain(argv: readonly string[], io: Io): Promise<number> {
  const args = parse(argv, COMMON_OPTIONS);
  if (!args.ok) return usageError(io, "explain", args.error);
  const { values, positionals } = args.value;
  if (values.help) return usageError(io, "explain", null);
  const loaded = await load(positionals, io, { skipInvalid: values["skip-invalid"] === true, evaluator: values.evaluator });
  if (!loaded.ok) return loaded.status;
  const { rules, manifests, endpoints, engine } = loaded.value;
  const pods = manifests.pods.map((p) => ({ namespace: p.namespace, labels: new Map(Object.entries(p.labels)), hostNetwork: p.hostNetwork }));
  const order = endpoints.order();
  if (rules.policies.length === 0) {
    await io.write("no NetworkPolicies: every endpoint may reach every other on every port\n");
    return EXIT.ok;
  }
  for (const policy of rules.policies) {
    const selected = order
      .filter((i) => {
        const pod = pods[i]!;
        return policiesSelect(pod, engine.options) && pod.namespace === policy.namespace && selectorMatches(policy.target, pod.labels);
      })
      .map((i) => endpoints.ids[i]!);
    const at = manifests.policyLocations[policy.index];
    const source = at?.file !== undefined ? io.out.dim(` (${at.file}${at.line !== undefined ? `:${at.line}` : ""})`) : "";
    const [first, ...rest] = policyLines(policy, selected);
    await io.write(`${io.out.bold(`${policy.namespace}/${policy.name}`)}${source}\n  ${first}\n${rest.map((l) => `  ${l}\n`).join("")}\n`);
  }
  return EXIT.ok;
}
