/**
 * Explanations as data: why a flow was allowed or denied, side by side for the
 * source's egress and the destination's ingress, each side as the chain of tiers it
 * walked (Admin, NetworkPolicy, Baseline, then the default). The words for it are
 * `src/explain/`.
 */
import type { ClusterPolicyKind, Tier, TierAction } from "../ir/types.js";
import type { Direction } from "../primitives/kubernetes.js";

/** A policy, by its position in the policy list and its `namespace/name`. */
export interface PolicyRef {
  readonly index: number;
  readonly name: string;
}

/**
 * One rule that allowed the flow. `peer` / `port` are indexes into the rule's
 * `from`/`to` and `ports` lists, or `null` when the list was absent or empty (every
 * peer / every port).
 */
export interface RuleRef {
  readonly policy: PolicyRef;
  readonly direction: Direction;
  readonly rule: number;
  readonly peer: number | null;
  readonly port: number | null;
}

/** A cluster-scoped policy (ClusterNetworkPolicy, or v1alpha1 ANP/BANP), by its place in the evaluation order. */
export interface ClusterPolicyRef {
  /** Position in the evaluation order of the cluster-scoped policies. */
  readonly index: number;
  readonly kind: ClusterPolicyKind;
  readonly name: string;
  readonly tier: Tier;
  /** `spec.priority`; null for a BaselineAdminNetworkPolicy. */
  readonly priority: number | null;
}

/** The tier rule that matched a flow: `peer` indexes its `from`/`to`, `port` its protocol entries (`null`: it has none). */
export interface TierRuleRef {
  readonly policy: ClusterPolicyRef;
  readonly direction: Direction;
  /** Index in `spec.ingress` / `spec.egress`. */
  readonly rule: number;
  /** The rule's `name`, if it has one. */
  readonly name: string | null;
  readonly action: TierAction;
  readonly peer: number;
  readonly port: number | null;
}

/** How one side walked one cluster-scoped tier. */
export interface TierStep {
  readonly tier: Tier;
  /** The tier's policies whose subject holds the pod and that have rules for this direction, in evaluation order. */
  readonly subjectOf: readonly ClusterPolicyRef[];
  /** The first rule that matched (its action decided the side, or `Pass` left the tier), or null: none matched. */
  readonly matched: TierRuleRef | null;
  /**
   * Other policies of the same tier and priority as `matched`'s whose rules also
   * match the flow: an equal-priority tie, broken by name (then kind).
   */
  readonly ties: readonly ClusterPolicyRef[];
}

/** The verdict of one side (the source's egress or the destination's ingress). */
export interface SideExplanation {
  readonly direction: Direction;
  /** Whether this side permits the flow. */
  readonly allowed: boolean;
  /**
   * Why, in one word: `outside` (the end is an address outside the cluster, which
   * nothing isolates), `node` (the end is a node's host network, which no policy
   * selects), `host-network` (a host-network pod, never selected), `admin` (an
   * Admin-tier rule accepted or denied), `rule` (a NetworkPolicy rule allowed it),
   * `no-rule` (NetworkPolicies isolate the pod and no rule allowed it), `baseline` (a
   * Baseline-tier rule accepted or denied), `not-isolated` (no tier decided: the
   * default allows), `self` (a pod reaching itself), `node-local` (NetworkPolicies
   * isolate the pod, but the far end is its own node, which the node-local clause
   * always lets through: option `nodeLocal`).
   */
  readonly reason: "outside" | "node" | "host-network" | "admin" | "not-isolated" | "rule" | "no-rule" | "baseline" | "self" | "node-local";
  /** The NetworkPolicies that select the pod for this direction (it is isolated iff non-empty); empty when the Admin tier decided first. */
  readonly isolatedBy: readonly PolicyRef[];
  /** Every NetworkPolicy rule that allowed the flow on this side. */
  readonly allowedBy: readonly RuleRef[];
  /** The Admin tier as walked, or null when it was not (the end is no pod a ClusterNetworkPolicy sees, or self traffic). */
  readonly admin: TierStep | null;
  /** The Baseline tier as walked, or null when it was not (an earlier tier decided, or as for `admin`). */
  readonly baseline: TierStep | null;
}

/** The whole explanation of one flow. */
export interface Explanation {
  readonly allowed: boolean;
  readonly egress: SideExplanation;
  readonly ingress: SideExplanation;
}
