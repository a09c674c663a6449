/**
 * The engine's answers about its rule set, shared by every engine: which pods a policy
 * selects, which policies select a pod, and which pods a cluster-scoped policy's
 * subject holds. They come from the reference evaluator, the
 * one place that decides selection for verdicts and explanations alike, so that views
 * (`netpol explain`, the playground) never decide it themselves. Bad indexes and
 * directions throw `NetpolValidationError`.
 */
import type { ReferenceEvaluator } from "../reference/evaluate.js";
import { subjectHolds } from "../reference/tiers.js";
import { NetpolValidationError, quote } from "../primitives/issues.js";
import type { Direction } from "../primitives/kubernetes.js";
import { checkDirection } from "./checks.js";
import type { Model } from "./model.js";

/** Throws unless `value` is an index below `count` of the list named `what`. */
function checkIndex(value: unknown, count: number, path: string, what: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value >= count) {
    throw new NetpolValidationError([{ path, message: `invalid value ${quote(value)}: must be an index into ${what} (0 to ${count - 1})` }]);
  }
  return value;
}

/**
 * The pods (indexes) policy `policy` selects for `direction` (none when it does not
 * govern that direction), or, without one, the pods its podSelector selects.
 */
export function selectedPods(model: Model, reference: ReferenceEvaluator, policy: number, direction?: Direction): number[] {
  const p = model.rules.policies[checkIndex(policy, model.rules.policies.length, "policy", "rules.policies")]!;
  if (direction !== undefined) checkDirection(direction);
  return model.cluster.pods.filter((pod) => reference.selects(p, pod, direction)).map((pod) => pod.index);
}

/** The policies (indexes into `rules.policies`) that select pod `pod` for `direction`, ascending. */
export function isolatingPolicies(model: Model, reference: ReferenceEvaluator, pod: number, direction: Direction): number[] {
  const i = checkIndex(pod, model.cluster.pods.length, "pod", "pods");
  checkDirection(direction);
  return reference.isolating(model.cluster.pods[i]!, direction).map((p) => p.index);
}

/** The pods (indexes) the subject of cluster-scoped policy `policy` (an index into `rules.clusterPolicies`) holds. */
export function subjectPods(model: Model, policy: number): number[] {
  const p = model.rules.clusterPolicies[checkIndex(policy, model.rules.clusterPolicies.length, "policy", "rules.clusterPolicies")]!;
  return model.cluster.pods.filter((pod) => subjectHolds(p, pod, model.cluster)).map((pod) => pod.index);
}
