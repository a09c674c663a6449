/**
 * The order and identity of the cluster-scoped policies (ClusterNetworkPolicy
 * v1alpha2, v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy); their IR types
 * are with the rest of the IR in `types.ts`.
 *
 * `ClusterPolicy` lists in a `RuleSet` are in evaluation order: the Admin tier, then
 * the Baseline tier; inside a tier by priority (lower first), equal priorities by
 * `metadata.name`, then by kind (`TIER_KIND_ORDER`); a BANP, which has no priority,
 * after every Baseline ClusterNetworkPolicy. A policy's `index` is its position in
 * that list.
 */
import type { ClusterPolicy, ClusterPolicyKind } from "./types.js";

/** Equal tier, priority and name: this order decides (newest API version first). */
export const TIER_KIND_ORDER: readonly ClusterPolicyKind[] = ["ClusterNetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy"];

/** `Kind/name` of a cluster-scoped policy: its identity (kinds have separate name spaces). */
export const clusterPolicyId = (p: { readonly kind: ClusterPolicyKind; readonly name: string }): string => `${p.kind}/${p.name}`;

/** Orders two policies for evaluation, as the module comment says. */
export function compareClusterPolicies(a: ClusterPolicy, b: ClusterPolicy): number {
  if (a.tier !== b.tier) return a.tier === "Admin" ? -1 : 1;
  const pa = a.priority ?? Infinity;
  const pb = b.priority ?? Infinity;
  if (pa !== pb) return pa < pb ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return TIER_KIND_ORDER.indexOf(a.kind) - TIER_KIND_ORDER.indexOf(b.kind);
}

/** Whether two policies sit at the same place of the order but for their names: an equal-priority tie. */
export const tied = (a: ClusterPolicy, b: ClusterPolicy): boolean => a.tier === b.tier && a.priority === b.priority;
