/**
 * Which pod or node a flow's endpoint stands for, as the engines resolve it (a pod id,
 * a pod's own address, an address host-network pods share, `node:<name>` or a
 * node's address), from the model loader itself so that tests never restate that rule.
 */
import { loadModel, resolveEndpoint } from "../../src/engine/model.js";
import type { Scenario } from "./arbitraries.js";

/**
 * A lookup from endpoint text to the `namespace/name` of its pod, `node:<name>` of its
 * node, or null for an address outside the cluster.
 */
export function podOwner(scenario: Scenario): (end: string) => string | null {
  const model = loadModel({ cluster: scenario.cluster, policies: [], options: scenario.options });
  if (!model.ok) throw new Error(`invalid scenario: ${JSON.stringify(model.issues)}`);
  return (end) => {
    const resolved = resolveEndpoint(model.value, end, "endpoint");
    if (!resolved.ok) throw new Error(resolved.issues[0]!.message);
    const at = resolved.value;
    if (at.kind === "node") return `node:${model.value.cluster.nodes[at.node]!.name}`;
    return at.kind === "pod" ? model.value.podIds[at.pod]! : null;
  };
}
