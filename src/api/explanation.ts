/**
 * Explanations as data: why a flow was allowed or denied, side by side for the
 * source's egress and the destination's ingress. The words for it are `src/explain/`.
 */
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

/** The verdict of one side (the source's egress or the destination's ingress). */
export interface SideExplanation {
  readonly direction: Direction;
  /** Whether this side permits the flow. */
  readonly allowed: boolean;
  /**
   * Why, in one word: `outside` (the end is not a pod, so nothing isolates it),
   * `host-network` (a host-network pod, never selected), `not-isolated` (no policy
   * selects the pod for this direction), `rule` (a rule allowed it), `no-rule` (the
   * pod is isolated and no rule allowed it), `self` (a pod reaching itself).
   */
  readonly reason: "outside" | "host-network" | "not-isolated" | "rule" | "no-rule" | "self";
  /** The policies that select the pod for this direction (it is isolated iff non-empty). */
  readonly isolatedBy: readonly PolicyRef[];
  /** Every rule that allowed the flow on this side. */
  readonly allowedBy: readonly RuleRef[];
}

/** The whole explanation of one flow. */
export interface Explanation {
  readonly allowed: boolean;
  readonly egress: SideExplanation;
  readonly ingress: SideExplanation;
}
