/**
 * The IR's deterministic keys, written once: two nodes with equal keys match exactly
 * the same things. Normalization stamps them on IR nodes; the compiler reuses them to
 * cache and deduplicate (a policy target is a pod peer scoped to its namespace).
 */
import type { AddressRange } from "../primitives/address.js";
import type { Selector } from "../primitives/selector.js";
import type { NamespaceScope } from "./types.js";

const rangesText = (ranges: readonly AddressRange[]): string => ranges.map((r) => `${r.first}-${r.last}`).join(",");

/** The key of a pod peer (or a policy target): its namespace scope and pod selector. */
export function podPeerKey(scope: NamespaceScope, pods: Selector): string {
  const where = scope.kind === "namespace" ? `ns=${scope.name}` : `nsSel=${scope.selector.key}`;
  return `pods:${where};${pods.key}`;
}

/** The key of an ipBlock peer: its family and the address ranges left after `except`. */
export function ipBlockKey(family: 4 | 6, ranges: readonly AddressRange[]): string {
  return `ip${family}:${rangesText(ranges)}`;
}

/**
 * The keys of the cluster-scoped tiers' peers. Distinct prefixes from the
 * NetworkPolicy peers': a tier's pod peer never holds host-network pods and its
 * networks always hold pods, so equal selectors or ranges do not mean equal peers.
 */
export const tierPeerKey = {
  /** A `namespaces` or `pods` peer (also a subject): namespace and pod selectors. */
  pods: (namespaces: Selector, pods: Selector): string => `tp:${namespaces.key}\u0004${pods.key}`,
  /** A `nodes` peer. */
  nodes: (selector: Selector): string => `tn:${selector.key}`,
  /** A `networks` peer: its merged IPv4 and IPv6 ranges. */
  networks: (v4: readonly AddressRange[], v6: readonly AddressRange[]): string => `tw:${rangesText(v4)};${rangesText(v6)}`,
  /** A `domainNames` peer: its names, sorted. */
  domainNames: (names: readonly string[]): string => `td:${[...names].sort().join(",")}`,
} as const;
