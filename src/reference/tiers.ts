/**
 * The reference reading of the cluster-scoped tiers (ClusterNetworkPolicy v1alpha2,
 * and v1alpha1 ANP/BANP mapped onto it), straight from the API text:
 *
 * - A tier is walked for one side of a connection: its policies whose subject holds
 *   the pod, in evaluation order (priority, then name), and inside each policy its
 *   rules for that direction in written order. The first rule one of whose peers
 *   holds the other end and one of whose protocol entries (all, when it has none)
 *   holds the destination port decides: `Accept`, `Deny`, or `Pass` (leave the tier).
 * - Subjects and `namespaces`/`pods` peers never include host-network pods.
 * - `nodes` peers hold a node whose labels match, at every address of its, and the
 *   host-network pods on it; `networks` hold every address in their CIDRs (pods and
 *   nodes included); `domainNames` hold every address the cluster's DNS records give
 *   their names (`domainAddresses`), pods and nodes included, and nothing without records.
 */
import { inRanges, type Address } from "../primitives/address.js";
import { selectorMatches } from "../primitives/selector.js";
import { tiersSeePod } from "../ir/endpoint-rules.js";
import { domainAddresses } from "../ir/domain-names.js";
import { tied } from "../ir/tiers.js";
import type { Cluster, ClusterPolicy, Endpoint, Pod, PortMatch, ResolvedFlow, Tier, TierPeer, TierRule } from "../ir/types.js";
import type { Direction } from "../primitives/kubernetes.js";
import type { ClusterPolicyRef, TierRuleRef, TierStep } from "../api/explanation.js";

/** A reference to a cluster-scoped policy for explanations. */
export const clusterPolicyRef = (p: ClusterPolicy): ClusterPolicyRef => ({ index: p.index, kind: p.kind, name: p.name, tier: p.tier, priority: p.priority });

/** Whether a cluster-scoped policy's subject holds `pod` (never a host-network pod). */
export function subjectHolds(policy: ClusterPolicy, pod: Pod, cluster: Cluster): boolean {
  return (
    tiersSeePod(pod) &&
    selectorMatches(policy.subject.namespaces, cluster.namespaces.get(pod.namespace)!.labels) &&
    selectorMatches(policy.subject.pods, pod.labels)
  );
}

const inNetworks = (peer: Extract<TierPeer, { kind: "networks" }>, ips: readonly Address[]): boolean =>
  ips.some((ip) => inRanges(ip.family === 4 ? peer.v4 : peer.v6, ip.value));

/** Whether a tier peer holds the endpoint at the other end. */
export function tierPeerMatches(peer: TierPeer, end: Endpoint, cluster: Cluster): boolean {
  switch (peer.kind) {
    case "pods": {
      if (end.kind !== "pod") return false;
      const pod = cluster.pods[end.pod]!;
      return tiersSeePod(pod) && selectorMatches(peer.namespaces, cluster.namespaces.get(pod.namespace)!.labels) && selectorMatches(peer.pods, pod.labels);
    }
    case "nodes": {
      if (end.kind === "node") return selectorMatches(peer.selector, cluster.nodes[end.node]!.labels);
      if (end.kind !== "pod") return false;
      const pod = cluster.pods[end.pod]!;
      return pod.hostNetwork && pod.node !== null && selectorMatches(peer.selector, cluster.nodes[pod.node]!.labels);
    }
    case "networks":
      if (end.kind === "outside") return inNetworks(peer, [end.address]);
      return inNetworks(peer, end.kind === "pod" ? cluster.pods[end.pod]!.ips : cluster.nodes[end.node]!.ips);
    case "domainNames": {
      const resolved = new Set(domainAddresses(peer.names, cluster.dns).map((a) => a.text));
      const ips = end.kind === "outside" ? [end.address] : end.kind === "pod" ? cluster.pods[end.pod]!.ips : cluster.nodes[end.node]!.ips;
      return ips.some((ip) => resolved.has(ip.text));
    }
  }
}

/** The first (peer, port) of `rule` matching the flow, or null. */
function ruleMatch(
  rule: TierRule,
  other: Endpoint,
  flow: ResolvedFlow,
  cluster: Cluster,
  portMatches: (port: PortMatch, flow: ResolvedFlow) => boolean,
): { peer: number; port: number | null } | null {
  const peer = rule.peers.find((p) => tierPeerMatches(p, other, cluster));
  if (peer === undefined) return null;
  if (rule.ports === null) return { peer: peer.index, port: null };
  const port = rule.ports.find((p) => portMatches(p, flow));
  return port === undefined ? null : { peer: peer.index, port: port.index };
}

/** The first rule of `policy` for `direction` matching the flow, as a reference, or null. */
function policyMatch(
  policy: ClusterPolicy,
  direction: Direction,
  other: Endpoint,
  flow: ResolvedFlow,
  cluster: Cluster,
  portMatches: (port: PortMatch, flow: ResolvedFlow) => boolean,
): TierRuleRef | null {
  for (const rule of direction === "Ingress" ? policy.ingress : policy.egress) {
    const match = ruleMatch(rule, other, flow, cluster, portMatches);
    if (match !== null) {
      return { policy: clusterPolicyRef(policy), direction, rule: rule.origin.rule, name: rule.name, action: rule.action, ...match };
    }
  }
  return null;
}

/** The policies of `tier` whose subject holds `pod` and that have rules for `direction`, in evaluation order. */
export function tierPolicies(policies: readonly ClusterPolicy[], tier: Tier, pod: Pod, direction: Direction, cluster: Cluster): ClusterPolicy[] {
  return policies.filter(
    (p) => p.tier === tier && (direction === "Ingress" ? p.ingress : p.egress).length > 0 && subjectHolds(p, pod, cluster),
  );
}

/**
 * Walks one tier for the side of `pod` in `direction`, `other` being the far end:
 * the first matching rule of the first policy that has one, and the equal-priority
 * policies after it that would have matched too.
 */
export function walkTier(
  policies: readonly ClusterPolicy[],
  tier: Tier,
  pod: Pod,
  direction: Direction,
  other: Endpoint,
  flow: ResolvedFlow,
  cluster: Cluster,
  portMatches: (port: PortMatch, flow: ResolvedFlow) => boolean,
): TierStep {
  const applicable = tierPolicies(policies, tier, pod, direction, cluster);
  let matched: TierRuleRef | null = null;
  const ties: ClusterPolicyRef[] = [];
  let decider: ClusterPolicy | null = null;
  for (const policy of applicable) {
    if (decider !== null) {
      if (!tied(decider, policy)) break;
      if (policyMatch(policy, direction, other, flow, cluster, portMatches) !== null) ties.push(clusterPolicyRef(policy));
      continue;
    }
    matched = policyMatch(policy, direction, other, flow, cluster, portMatches);
    if (matched !== null) decider = policy;
  }
  return { tier, subjectOf: applicable.map(clusterPolicyRef), matched, ties };
}

/**
 * Every pair of cluster-scoped policies of one tier and priority that could both
 * match a connection: their subjects share a pod and both have rules for one
 * direction (given with the pair). Upstream leaves their order to the
 * implementation; netpol orders them by name.
 */
export function equalPriorityOverlaps(policies: readonly ClusterPolicy[], cluster: Cluster): Array<[ClusterPolicy, ClusterPolicy, Direction]> {
  const out: Array<[ClusterPolicy, ClusterPolicy, Direction]> = [];
  for (let i = 0; i < policies.length; i++) {
    for (let j = i + 1; j < policies.length && tied(policies[i]!, policies[j]!); j++) {
      const [a, b] = [policies[i]!, policies[j]!];
      const direction = (["Ingress", "Egress"] as const).find(
        (d) =>
          (d === "Ingress" ? a.ingress.length > 0 && b.ingress.length > 0 : a.egress.length > 0 && b.egress.length > 0) &&
          cluster.pods.some((pod) => subjectHolds(a, pod, cluster) && subjectHolds(b, pod, cluster)),
      );
      if (direction !== undefined) out.push([a, b, direction]);
    }
  }
  return out;
}
