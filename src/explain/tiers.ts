/**
 * The cluster-scoped tiers in words: a ClusterNetworkPolicy (or v1alpha1 ANP/BANP)
 * by kind, name, tier and priority, and the rule that matched a flow with its action.
 */
import type { ClusterPolicyRef, TierRuleRef } from "../api/explanation.js";

/** `ClusterNetworkPolicy name (Admin, priority 10)`. */
export function clusterPolicyText(p: ClusterPolicyRef): string {
  return `${p.kind} ${p.name} (${p.tier}${p.priority === null ? "" : `, priority ${p.priority}`})`;
}

/** `Deny by ClusterNetworkPolicy x (Admin, priority 10) egress rule 0 "name"`, and any equal-priority tie. */
export function tierRuleText(r: TierRuleRef, ties: readonly ClusterPolicyRef[] = []): string {
  const dir = r.direction === "Egress" ? "egress" : "ingress";
  const tie = ties.length === 0 ? "" : `; equal priority with ${ties.map((t) => `${t.kind} ${t.name}`).join(", ")}, tie broken by name`;
  return `${r.action} by ${clusterPolicyText(r.policy)} ${dir} rule ${r.rule}${r.name === null ? "" : ` "${r.name}"`}${tie}`;
}
