/**
 * Where each policy the engine knows was read. The engine numbers NetworkPolicies in
 * input order among themselves (`PolicyRef.index`) and knows cluster-scoped policies
 * by kind and name (`ClusterPolicyRef`); `Manifests.policyLocations` follows the
 * input's order of every kind.
 */
import type { Location, Manifests } from "./manifests.js";

/** The places of the policies, as the engine refers to them. */
export interface PolicyLocations {
  /** By `PolicyRef.index`: the NetworkPolicies in input order. */
  readonly networkPolicies: readonly (Location | undefined)[];
  /** By `Kind/name`, e.g. `ClusterNetworkPolicy/deny-dev`. */
  readonly clusterPolicies: ReadonlyMap<string, Location>;
}

/** The places of `manifests`' policies, as the engine refers to them. */
export function policyLocations(manifests: Pick<Manifests, "policies" | "policyLocations">): PolicyLocations {
  const networkPolicies: (Location | undefined)[] = [];
  const clusterPolicies = new Map<string, Location>();
  manifests.policies.forEach((p, i) => {
    const kind = (p as { kind?: unknown }).kind;
    const location = manifests.policyLocations[i];
    if (kind === "NetworkPolicy") networkPolicies.push(location);
    else if (location !== undefined) clusterPolicies.set(`${String(kind)}/${p.metadata?.name ?? ""}`, location);
  });
  return { networkPolicies, clusterPolicies };
}

/**
 * The position in `policies` (every kind, in input order, as `Manifests.policies`) of the
 * policy an explanation refers to: a NetworkPolicy by its `PolicyRef.index` (its rank
 * among the NetworkPolicies), a cluster-scoped one by kind and name; -1 when absent.
 */
export function policyPosition(
  policies: readonly unknown[],
  ref: { readonly index: number; readonly name: string; readonly kind?: string },
): number {
  const kindOf = (p: unknown): unknown => (typeof p === "object" && p !== null ? (p as { kind?: unknown }).kind : undefined);
  const nameOf = (p: unknown): unknown => (typeof p === "object" && p !== null ? (p as { metadata?: { name?: unknown } | null }).metadata?.name : undefined);
  if (ref.kind !== undefined) return policies.findIndex((p) => kindOf(p) === ref.kind && nameOf(p) === ref.name);
  let rank = -1;
  return policies.findIndex((p) => kindOf(p) === "NetworkPolicy" && ++rank === ref.index);
}
