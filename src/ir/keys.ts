/**
 * The IR's deterministic keys, written once: two nodes with equal keys match exactly
 * the same things. Normalization stamps them on IR nodes; the compiler reuses them to
 * cache and deduplicate (a policy target is a pod peer scoped to its namespace).
 */
import type { AddressRange } from "../primitives/address.js";
import type { Selector } from "../primitives/selector.js";
import type { NamespaceScope } from "./types.js";

/** The key of a pod peer (or a policy target): its namespace scope and pod selector. */
export function podPeerKey(scope: NamespaceScope, pods: Selector): string {
  const where = scope.kind === "namespace" ? `ns=${scope.name}` : `nsSel=${scope.selector.key}`;
  return `pods:${where};${pods.key}`;
}

/** The key of an ipBlock peer: its family and the address ranges left after `except`. */
export function ipBlockKey(family: 4 | 6, ranges: readonly AddressRange[]): string {
  return `ip${family}:${ranges.map((r) => `${r.first}-${r.last}`).join(",")}`;
}
