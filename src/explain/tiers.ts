/**
 * The cluster-scoped tiers in words: a ClusterNetworkPolicy (or v1alpha1 ANP/BANP) by
 * kind, name, tier and priority; the rule that matched a flow, with its action, peer
 * and port in words; and one side's walk through a tier, as `decision.ts` shows it.
 */
import type { ClusterPolicyRef, TierRuleRef, TierStep } from "../api/explanation.js";
import type { RuleSet, Tier } from "../ir/types.js";
import { listText, tierPeerText, tierPortText } from "./words.js";

/** `ClusterNetworkPolicy name (Admin, priority 10)`. */
export function clusterPolicyText(p: ClusterPolicyRef): string {
  return `${p.kind} ${p.name} (${p.tier}${p.priority === null ? "" : `, priority ${p.priority}`})`;
}

/** The tier rule that matched a flow, in words. */
export interface DescribedTierRule {
  readonly ref: TierRuleRef;
  /** `ClusterNetworkPolicy x (Admin, priority 10)`. */
  readonly policy: string;
  /** `egress rule 0 "no-db"`. */
  readonly rule: string;
  /** `to[1] nodes with label role=worker`. */
  readonly peer: string;
  /** `protocols[0] TCP port 80`, or `every port`. */
  readonly port: string;
  /** Equal-priority policies whose rules also matched, the tie broken by name: `ClusterNetworkPolicy y`. */
  readonly ties: readonly string[];
  /** All of it: `Deny by ClusterNetworkPolicy x (Admin, priority 10) egress rule 0 "no-db": to[1] ..., every port`. */
  readonly text: string;
}

/** One side's walk through one cluster-scoped tier, in words. */
export interface DescribedTier {
  readonly tier: Tier;
  /** The tier's policies that hold the pod as a subject for this direction, in evaluation order. */
  readonly policies: readonly string[];
  /** The rule that matched (its action decided, or Pass went on), or null: none did. */
  readonly matched: DescribedTierRule | null;
  /** The line: `Admin tier: Pass by ...`, or `Admin tier: no rule of X or Y matches`. */
  readonly text: string;
}

/**
 * A tier rule reference in words. With the rule set (`engine.rules`) its peer and port
 * are named in words; without it, by their index only.
 */
export function describeTierRule(rules: RuleSet | undefined, ref: TierRuleRef, ties: readonly ClusterPolicyRef[] = []): DescribedTierRule {
  const policy = rules?.clusterPolicies[ref.policy.index];
  const rule = (ref.direction === "Ingress" ? policy?.ingress : policy?.egress)?.[ref.rule];
  const dir = ref.direction === "Egress" ? "egress" : "ingress";
  const field = ref.direction === "Ingress" ? "from" : "to";
  const ports = ref.policy.kind === "ClusterNetworkPolicy" ? "protocols" : "ports";
  const peerWords = rule?.peers.find((p) => p.index === ref.peer);
  const portWords = ref.port === null ? undefined : rule?.ports?.find((p) => p.index === ref.port);
  const peer = `${field}[${ref.peer}]${peerWords ? ` ${tierPeerText(peerWords)}` : ""}`;
  const port = ref.port === null ? "every port" : `${ports}[${ref.port}]${portWords ? ` ${tierPortText(portWords)}` : ""}`;
  const where = `${dir} rule ${ref.rule}${ref.name === null ? "" : ` "${ref.name}"`}`;
  const tieNames = ties.map((t) => `${t.kind} ${t.name}`);
  const tie = tieNames.length === 0 ? "" : ` (equal priority with ${tieNames.join(", ")}, which also matches: the tie is broken by name)`;
  const text = `${ref.action} by ${clusterPolicyText(ref.policy)} ${where}: ${peer}, ${port}${tie}`;
  return { ref, policy: clusterPolicyText(ref.policy), rule: where, peer, port, ties: tieNames, text };
}

/** A side's walk through a tier in words; null when no policy of the tier holds the pod (nothing to say). */
export function describeTier(rules: RuleSet | undefined, step: TierStep | null): DescribedTier | null {
  if (step === null || step.subjectOf.length === 0) return null;
  const policies = step.subjectOf.map(clusterPolicyText);
  const matched = step.matched === null ? null : describeTierRule(rules, step.matched, step.ties);
  const text = `${step.tier} tier: ${matched !== null ? matched.text : `no rule of ${listText(policies)} matches`}`;
  return { tier: step.tier, policies, matched, text };
}
