/**
 * The IR of the cluster-scoped policy tiers: ClusterNetworkPolicy (v1alpha2) and the
 * v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy, all mapped onto one model.
 *
 * Contract: `ClusterPolicy` lists in a `RuleSet` are in evaluation order: the Admin
 * tier, then the Baseline tier; inside a tier by priority (lower first), equal
 * priorities by `metadata.name`, then by kind (`TIER_KIND_ORDER`); a BANP, which has
 * no priority, after every Baseline ClusterNetworkPolicy. A policy's `index` is its
 * position in that list. v1alpha1 `Allow` is `Accept`; v1alpha1 ports are protocol
 * entries. Nothing here knows the wire types; `normalize-tiers.ts` is the way in.
 */
import type { AddressRange, Direction, PortMatch, Selector } from "./types.js";

/** A tier a cluster-scoped policy sits in (NetworkPolicy is the tier between them). */
export type Tier = "Admin" | "Baseline";

/** The tiers in evaluation order. */
export const TIERS: readonly Tier[] = ["Admin", "Baseline"];

/** What a matching rule does: allow this side, deny it, or leave the tier. */
export type TierAction = "Accept" | "Deny" | "Pass";

/** The kinds mapped onto the tiers. */
export type ClusterPolicyKind = "ClusterNetworkPolicy" | "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy";

/** Equal tier, priority and name: this order decides (newest API version first). */
export const TIER_KIND_ORDER: readonly ClusterPolicyKind[] = ["ClusterNetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy"];

/** Who a tier rule's peer is (the source for ingress, the destination for egress). */
export type TierPeer =
  /**
   * Pods whose namespace `namespaces` and whose labels `pods` select; never a
   * host-network pod. A `namespaces` peer is `{ namespaces, pods: everything }`.
   */
  | {
      readonly kind: "pods";
      readonly namespaces: Selector;
      readonly pods: Selector;
      /** Which wire field it came from. */
      readonly field: "namespaces" | "pods";
      readonly key: string;
      /** Index in the rule's `from` / `to`. */
      readonly index: number;
    }
  /** Nodes whose labels `selector` selects, at every address of theirs (host-network pods on them included). */
  | { readonly kind: "nodes"; readonly selector: Selector; readonly key: string; readonly index: number }
  /** Addresses in the CIDRs, pods' and nodes' included; `v4`/`v6` are sorted, disjoint ranges. */
  | {
      readonly kind: "networks";
      readonly cidrs: readonly string[];
      readonly v4: readonly AddressRange[];
      readonly v6: readonly AddressRange[];
      readonly key: string;
      readonly index: number;
    }
  /** Domain names: no DNS data offline, so this peer matches no address. */
  | { readonly kind: "domainNames"; readonly names: readonly string[]; readonly key: string; readonly index: number };

/** Where a tier rule came from. */
export interface TierOrigin {
  /** Index of the policy in `RuleSet.clusterPolicies`. */
  readonly policy: number;
  readonly direction: Direction;
  /** Index in `spec.ingress` / `spec.egress`. */
  readonly rule: number;
}

/**
 * One rule: it matches a flow when one of `peers` holds the other end and one of
 * `ports` the destination port (`null`: every protocol and port; `[]`: nothing).
 * A named entry of v1alpha2, which names no protocol, is one `named` match per
 * protocol, all with the entry's index.
 */
export interface TierRule {
  readonly origin: TierOrigin;
  /** The rule's `name`, when it has one. */
  readonly name: string | null;
  readonly action: TierAction;
  readonly peers: readonly TierPeer[];
  readonly ports: readonly PortMatch[] | null;
}

/** A cluster-scoped policy after mapping onto its tier. */
export interface ClusterPolicy {
  /** Position in `RuleSet.clusterPolicies` (evaluation order); `TierOrigin.policy` refers to it. */
  readonly index: number;
  readonly kind: ClusterPolicyKind;
  readonly name: string;
  readonly tier: Tier;
  /** `spec.priority`; null for a BaselineAdminNetworkPolicy, which has none. */
  readonly priority: number | null;
  /** The subject: pods of the namespaces `namespaces` selects whose labels `pods` selects; never host-network pods. */
  readonly subject: { readonly namespaces: Selector; readonly pods: Selector };
  readonly ingress: readonly TierRule[];
  readonly egress: readonly TierRule[];
}

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
