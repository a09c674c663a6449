/**
 * The reference evaluator: NetworkPolicy semantics written straight from the
 * networking.k8s.io/v1 field documentation, and the ClusterNetworkPolicy tiers from
 * policy.networking.k8s.io/v1alpha2's, for reading rather than speed.
 *
 * - A connection is allowed when the source's egress side and the destination's
 *   ingress side both allow it. Each side walks the tiers in order:
 *   1. Admin: the first matching rule of the Admin-tier policies whose subject holds
 *      the pod decides: Accept allows the side, Deny denies it, Pass goes on
 *      (`tiers.ts`).
 *   2. NetworkPolicy: a pod is isolated for a direction when a policy in its
 *      namespace selects it (`spec.podSelector`) and has that direction in its
 *      policyTypes; an isolated side allows what at least one rule of a selecting
 *      policy allows, and denies the rest.
 *   3. Baseline: as Admin, except that Pass and no match go on.
 *   4. The default: allowed.
 * - A NetworkPolicy rule allows traffic matching one of its peers (all peers if
 *   `from`/`to` is empty) and one of its ports (all ports if `ports` is empty).
 * - An address outside the cluster and a node are never isolated; a node matches
 *   ipBlocks by its addresses. The ipBlock / host-network / self-traffic choices
 *   follow `Options` and the rules of `src/ir/endpoint-rules.ts`; a pod reaching
 *   itself skips both cluster-scoped tiers. Under `nodeLocal: "allow"`, a side
 *   NetworkPolicy isolates allows traffic between the pod and its own node (the
 *   node-local clause); the tiers before and after NetworkPolicy still apply.
 */
import { inRanges, type Address } from "../primitives/address.js";
import { selectorMatches } from "../primitives/selector.js";
import { ipBlocksSee, nodeLocalAllows, policiesSelect, tiersSeePod } from "../ir/endpoint-rules.js";
import type { Cluster, Endpoint, Options, Peer, Pod, Policy, PortMatch, ResolvedFlow, Rule, RuleSet } from "../ir/types.js";
import { namespacedName, type Direction } from "../primitives/kubernetes.js";
import type { Explanation, PolicyRef, RuleRef, SideExplanation, TierStep } from "../api/explanation.js";
import { walkTier } from "./tiers.js";

/** Evaluates resolved flows against one rule set, cluster and options. */
export class ReferenceEvaluator {
  constructor(
    readonly rules: RuleSet,
    readonly cluster: Cluster,
    readonly options: Options,
  ) {}

  private ref(policy: Policy): PolicyRef {
    return { index: policy.index, name: namespacedName(policy) };
  }

  /**
   * Whether `policy` selects `pod` (its `spec.podSelector`, within its namespace, on a
   * pod policies may select) for `direction`, or, without one, for any direction.
   */
  selects(policy: Policy, pod: Pod, direction?: Direction): boolean {
    if (direction !== undefined && (direction === "Ingress" ? policy.ingress : policy.egress) === null) return false;
    return policy.namespace === pod.namespace && policiesSelect(pod, this.options) && selectorMatches(policy.target, pod.labels);
  }

  /** The policies that select `pod` for `direction`. */
  isolating(pod: Pod, direction: Direction): Policy[] {
    return this.rules.policies.filter((p) => this.selects(p, pod, direction));
  }

  /** Whether `peer` (of a rule in `policy`) matches the endpoint at the other end. */
  peerMatches(peer: Peer, end: Endpoint): boolean {
    if (peer.kind === "ipBlock") {
      const inBlock = (ips: readonly Address[]): boolean => ips.some((ip) => ip.family === peer.family && inRanges(peer.ranges, ip.value));
      if (end.kind === "outside") return inBlock([end.address]);
      if (end.kind === "node") return inBlock(this.cluster.nodes[end.node]!.ips);
      const pod = this.cluster.pods[end.pod]!;
      return ipBlocksSee(pod, this.options) && inBlock(pod.ips);
    }
    if (end.kind !== "pod") return false;
    const pod = this.cluster.pods[end.pod]!;
    if (!policiesSelect(pod, this.options)) return false;
    const namespaceMatches =
      peer.namespaces.kind === "namespace"
        ? peer.namespaces.name === pod.namespace
        : selectorMatches(peer.namespaces.selector, this.cluster.namespaces.get(pod.namespace)!.labels);
    return namespaceMatches && selectorMatches(peer.pods, pod.labels);
  }

  /** Whether `port` matches the flow; named ports are looked up on the destination pod. */
  portMatches(port: PortMatch, flow: ResolvedFlow): boolean {
    if (port.protocol !== flow.protocol) return false;
    if (port.kind === "range") return port.first <= flow.port && flow.port <= port.last;
    if (flow.to.kind !== "pod") return false;
    return this.cluster.pods[flow.to.pod]!.ports.some(
      (c) => c.name === port.name && c.protocol === flow.protocol && c.port === flow.port,
    );
  }

  /** Every (peer, port) pair of `rule` that allows the flow, as rule references. */
  private ruleAllows(policy: Policy, rule: Rule, flow: ResolvedFlow, other: Endpoint): RuleRef[] {
    const peers = rule.peers === null ? [null] : rule.peers.filter((p) => this.peerMatches(p, other));
    const ports = rule.ports === null ? [null] : rule.ports.filter((p) => this.portMatches(p, flow));
    const out: RuleRef[] = [];
    for (const peer of peers) {
      for (const port of ports) {
        out.push({
          policy: this.ref(policy),
          direction: rule.origin.direction,
          rule: rule.origin.rule,
          peer: peer === null ? null : peer.index,
          port: port === null ? null : port.index,
        });
      }
    }
    return out;
  }

  /** One cluster-scoped tier walked for `pod`'s side. */
  private tier(tier: TierStep["tier"], pod: Pod, direction: Direction, other: Endpoint, flow: ResolvedFlow): TierStep {
    return walkTier(this.rules.clusterPolicies, tier, pod, direction, other, flow, this.cluster, (port, f) => this.portMatches(port, f));
  }

  /**
   * One side, tier by tier. `skipTiers`: self traffic, which no cluster-scoped
   * policy sees. A host-network pod is never a subject of one (API text), whatever
   * `hostNetwork` says about NetworkPolicy.
   */
  private side(direction: Direction, self: Endpoint, other: Endpoint, flow: ResolvedFlow, skipTiers: boolean): SideExplanation {
    const none = { isolatedBy: [], allowedBy: [], admin: null, baseline: null };
    if (self.kind === "outside") return { direction, allowed: true, reason: "outside", ...none };
    if (self.kind === "node") return { direction, allowed: true, reason: "node", ...none };
    const pod = this.cluster.pods[self.pod]!;
    const tiers = !skipTiers && tiersSeePod(pod);
    const admin = tiers ? this.tier("Admin", pod, direction, other, flow) : null;
    if (admin?.matched && admin.matched.action !== "Pass") {
      return { direction, allowed: admin.matched.action === "Accept", reason: "admin", ...none, admin };
    }
    if (!policiesSelect(pod, this.options)) return { direction, allowed: true, reason: "host-network", ...none, admin };
    const policies = this.isolating(pod, direction);
    if (policies.length > 0 && nodeLocalAllows(self, other, this.cluster, this.options)) {
      return { direction, allowed: true, reason: "node-local", ...none, isolatedBy: policies.map((p) => this.ref(p)), admin };
    }
    if (policies.length > 0) {
      const allowedBy = policies.flatMap((policy) =>
        (direction === "Ingress" ? policy.ingress! : policy.egress!).flatMap((rule) => this.ruleAllows(policy, rule, flow, other)),
      );
      return {
        direction,
        allowed: allowedBy.length > 0,
        reason: allowedBy.length > 0 ? "rule" : "no-rule",
        isolatedBy: policies.map((p) => this.ref(p)),
        allowedBy,
        admin,
        baseline: null,
      };
    }
    const baseline = tiers ? this.tier("Baseline", pod, direction, other, flow) : null;
    if (baseline?.matched && baseline.matched.action !== "Pass") {
      return { direction, allowed: baseline.matched.action === "Accept", reason: "baseline", ...none, admin, baseline };
    }
    return { direction, allowed: true, reason: "not-isolated", ...none, admin, baseline };
  }

  /** The verdict on one flow, with its explanation. */
  explain(flow: ResolvedFlow): Explanation {
    const { from, to } = flow;
    const selfTraffic = from.kind === "pod" && to.kind === "pod" && from.pod === to.pod;
    if (this.options.selfTraffic === "allow" && selfTraffic) {
      const self = (direction: Direction): SideExplanation => ({ direction, allowed: true, reason: "self", isolatedBy: [], allowedBy: [], admin: null, baseline: null });
      return { allowed: true, egress: self("Egress"), ingress: self("Ingress") };
    }
    const egress = this.side("Egress", from, to, flow, selfTraffic);
    const ingress = this.side("Ingress", to, from, flow, selfTraffic);
    return { allowed: egress.allowed && ingress.allowed, egress, ingress };
  }

  /** The verdict on one flow. */
  allowed(flow: ResolvedFlow): boolean {
    return this.explain(flow).allowed;
  }
}
