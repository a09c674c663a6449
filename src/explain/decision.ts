/**
 * The one renderer of a decision: an `Explanation` turned into structured parts (per
 * side: the verdict, why in words, the cluster-scoped tiers it walked with the rule
 * that matched in each, the isolating policies, every allowing rule with its peer and
 * port in words) and into text built from those parts. `explanationText`,
 * `netpol check`, the HTML report of `netpol matrix` and the playground all show these.
 */
import type { Explanation, PolicyRef, RuleRef, SideExplanation } from "../api/explanation.js";
import type { RuleSet } from "../ir/types.js";
import type { Direction } from "../primitives/kubernetes.js";
import { describeTier, type DescribedTier } from "./tiers.js";
import { peerText, portText } from "./words.js";
import { NetpolValidationError, quote } from "../primitives/issues.js";

/** One rule that allowed the flow, in words. */
export interface DescribedRule {
  readonly ref: RuleRef;
  /** The policy's `namespace/name`. */
  readonly policy: string;
  /** Which rule of it: `ingress rule 0`. */
  readonly rule: string;
  /** The peer that matched: `from[1] pods with label app=b in namespace x`, or `any peer`. */
  readonly peer: string;
  /** The port that matched: `ports[0] TCP port 80`, or `every port`. */
  readonly port: string;
  /** All of it: `x/p ingress rule 0: from[1] ..., ports[0] TCP port 80`. */
  readonly text: string;
}

/** One side of a decision, in words. */
export interface DescribedSide {
  readonly direction: Direction;
  /** The endpoint the side belongs to, when the caller named it. */
  readonly end: string | undefined;
  readonly allowed: boolean;
  readonly reason: SideExplanation["reason"];
  /** The verdict and why, in one phrase: `allowed, no policy selects it for ingress`. */
  readonly summary: string;
  readonly isolatedBy: readonly PolicyRef[];
  /** Every NetworkPolicy rule that allowed the flow on this side. */
  readonly allowedBy: readonly DescribedRule[];
  /** The Admin tier as the side walked it, when one of its policies holds the pod. */
  readonly admin: DescribedTier | null;
  /** The Baseline tier as the side walked it, when it was reached and one of its policies holds the pod. */
  readonly baseline: DescribedTier | null;
}

/** A decision in words: the verdict, then the source's egress and the destination's ingress. */
export interface DescribedDecision {
  readonly allowed: boolean;
  readonly egress: DescribedSide;
  readonly ingress: DescribedSide;
}

const lower = (direction: Direction): string => (direction === "Egress" ? "egress" : "ingress");

/**
 * A rule reference in words. With the rule set (`engine.rules`) peers and ports are
 * named in words; without it, or for a reference outside it, by their index only.
 */
function describeRule(rules: RuleSet | undefined, ref: RuleRef): DescribedRule {
  const policy = rules?.policies[ref.policy.index];
  const rule = (ref.direction === "Ingress" ? policy?.ingress : policy?.egress)?.[ref.rule];
  const field = ref.direction === "Ingress" ? "from" : "to";
  const where = `${lower(ref.direction)} rule ${ref.rule}`;
  const peerWords = ref.peer === null ? undefined : rule?.peers?.[ref.peer];
  const portWords = ref.port === null ? undefined : rule?.ports?.[ref.port];
  const peer = ref.peer === null ? "any peer" : `${field}[${ref.peer}]${peerWords ? ` ${peerText(peerWords)}` : ""}`;
  const port = ref.port === null ? "every port" : `ports[${ref.port}]${portWords ? ` ${portText(portWords)}` : ""}`;
  return { ref, policy: ref.policy.name, rule: where, peer, port, text: `${ref.policy.name} ${where}: ${peer}, ${port}` };
}

/** Why one side decided as it did, in one phrase. */
function summary(side: SideExplanation): string {
  const policies = side.isolatedBy.map((p) => p.name).join(", ");
  const tiers = (side.admin?.subjectOf.length ?? 0) + (side.baseline?.subjectOf.length ?? 0) > 0;
  switch (side.reason) {
    case "outside":
      return "allowed, an address outside the cluster, which no policy governs";
    case "node":
      return "allowed, a node's host network, which no policy selects";
    case "admin":
      return `${side.allowed ? "accepted" : "denied"} by the Admin tier`;
    case "baseline":
      return `${side.allowed ? "accepted" : "denied"} by the Baseline tier`;
    case "host-network":
      return "allowed, a host-network pod, which no policy selects";
    case "self":
      return "allowed, a pod may always reach itself";
    case "node-local":
      return `allowed, isolated by ${policies}, but the far end is the pod's own node, which NetworkPolicy never blocks (node-local clause)`;
    case "not-isolated":
      return tiers ? `allowed, no tier decides and no NetworkPolicy selects it for ${lower(side.direction)}` : `allowed, no policy selects it for ${lower(side.direction)}`;
    case "rule":
      return `allowed, isolated by ${policies}`;
    case "no-rule":
      return `denied, isolated by ${policies} and no ${lower(side.direction)} rule allows it`;
  }
}

function describeSide(rules: RuleSet | undefined, side: SideExplanation, end: string | undefined): DescribedSide {
  return {
    direction: side.direction,
    end,
    allowed: side.allowed,
    reason: side.reason,
    summary: summary(side),
    isolatedBy: side.isolatedBy,
    allowedBy: side.allowedBy.map((r) => describeRule(rules, r)),
    admin: describeTier(rules, side.admin),
    baseline: describeTier(rules, side.baseline),
  };
}

/**
 * An explanation in words. `rules` is the engine's rule set (`engine.rules`), which
 * names peers and ports in words; `from` and `to` name the two ends.
 */
export function describeDecision(explanation: Explanation, options: { readonly rules?: RuleSet; readonly from?: string; readonly to?: string } = {}): DescribedDecision {
  return {
    allowed: explanation.allowed,
    egress: describeSide(options.rules, explanation.egress, options.from),
    ingress: describeSide(options.rules, explanation.ingress, options.to),
  };
}

/**
 * One side as lines: `egress of x/a: allowed, ...`, then, indented, the Admin tier's
 * step, each allowing NetworkPolicy rule, and the Baseline tier's step: the chain in
 * the order the side walked it.
 */
function sideLines(side: DescribedSide): string[] {
  const allowing = side.allowedBy.map((r) => r.text);
  const end = `${lower(side.direction)}${side.end !== undefined ? ` of ${side.end}` : ""}: ${side.summary}`;
  // with an Admin step first, the allowing rules get a heading line of their own after it
  if (side.admin === null) return [`${end}${allowing.length > 0 ? "; allowed by:" : ""}`, ...allowing.map((t) => `  ${t}`), ...(side.baseline === null ? [] : [`  ${side.baseline.text}`])];
  return [
    end,
    `  ${side.admin.text}`,
    ...(allowing.length > 0 ? ["  allowed by:", ...allowing.map((t) => `    ${t}`)] : []),
    ...(side.baseline === null ? [] : [`  ${side.baseline.text}`]),
  ];
}

/** A described decision as lines: the source's egress, then the destination's ingress (no verdict line). */
export function decisionLines(decision: DescribedDecision): string[] {
  return [...sideLines(decision.egress), ...sideLines(decision.ingress)];
}

/** Throws `NetpolValidationError` unless `e` is an engine's explanation and `from`, `to` are names. */
function checkExplanation(e: unknown, from: unknown, to: unknown): void {
  const side = (s: unknown): boolean =>
    typeof s === "object" && s !== null && typeof (s as SideExplanation).reason === "string" && Array.isArray((s as SideExplanation).isolatedBy) && Array.isArray((s as SideExplanation).allowedBy);
  const x = e as Explanation | null;
  if (typeof x !== "object" || x === null || typeof x.allowed !== "boolean" || !side(x.egress) || !side(x.ingress)) {
    throw new NetpolValidationError([{ path: "explanation", message: `expected an engine's explanation, got ${quote(e)}` }]);
  }
  if (typeof from !== "string" || typeof to !== "string") throw new NetpolValidationError([{ path: typeof from !== "string" ? "from" : "to", message: "expected the endpoint's name" }]);
}

/**
 * An explanation as plain text: the verdict, then each side and its allowing rules,
 * indented. Pass the engine's rule set (`engine.rules`) to name peers and ports in
 * words; without it they are named by their index (`from[1]`, `ports[0]`).
 */
export function explanationText(explanation: Explanation, from: string, to: string, rules?: RuleSet): string {
  checkExplanation(explanation, from, to);
  const described = describeDecision(explanation, { ...(rules !== undefined ? { rules } : {}), from, to });
  return [explanation.allowed ? "allowed" : "denied", ...decisionLines(described).map((l) => `  ${l}`)].join("\n");
}
