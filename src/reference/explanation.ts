/**
 * Explanations as data: why a flow was allowed or denied, side by side for the
 * source's egress and the destination's ingress. Text renderings are built from this.
 */
import { NetpolValidationError, quote } from "../api/issues.js";
import type { Direction } from "../ir/types.js";

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

function side(s: SideExplanation, end: string): string {
  const dir = s.direction === "Egress" ? "egress" : "ingress";
  switch (s.reason) {
    case "outside":
      return `${dir}: allowed, ${end} is outside the cluster`;
    case "host-network":
      return `${dir}: allowed, ${end} is a host-network pod, which no policy selects`;
    case "self":
      return `${dir}: allowed, a pod may always reach itself (selfTraffic: allow)`;
    case "not-isolated":
      return `${dir}: allowed, no policy selects ${end} for ${dir}`;
    case "rule": {
      const r = s.allowedBy[0]!;
      const peer = r.peer === null ? "any peer" : `peer ${r.peer}`;
      const port = r.port === null ? "any port" : `port ${r.port}`;
      return `${dir}: allowed by ${r.policy.name} ${dir} rule ${r.rule} (${peer}, ${port})`;
    }
    case "no-rule":
      return `${dir}: denied, ${end} is isolated by ${s.isolatedBy.map((p) => p.name).join(", ")} and no ${dir} rule allows the flow`;
  }
}

/** A two-line plain-text rendering of an explanation. Throws `NetpolValidationError` for anything but an explanation. */
export function explanationText(e: Explanation, from: string, to: string): string {
  const sideOk = (s: unknown): boolean =>
    typeof s === "object" && s !== null && typeof (s as SideExplanation).reason === "string" && Array.isArray((s as SideExplanation).isolatedBy) && Array.isArray((s as SideExplanation).allowedBy);
  if (typeof e !== "object" || e === null || typeof e.allowed !== "boolean" || !sideOk(e.egress) || !sideOk(e.ingress)) {
    throw new NetpolValidationError([{ path: "explanation", message: `expected an engine's explanation, got ${quote(e)}` }]);
  }
  if (typeof from !== "string" || typeof to !== "string") throw new NetpolValidationError([{ path: typeof from !== "string" ? "from" : "to", message: "expected the endpoint's name" }]);
  return `${e.allowed ? "allowed" : "denied"}\n  ${side(e.egress, from)}\n  ${side(e.ingress, to)}`;
}
