/**
 * The IR's deterministic keys, written once: two nodes with equal keys match exactly
 * the same things. Normalization stamps them on IR nodes; the compiler reuses them to
 * cache and deduplicate (a policy target is a pod peer scoped to its namespace).
 */
import type { AddressRange } from "../primitives/address.js";
import type { Selector } from "../primitives/selector.js";
import type { NamespaceScope } from "./types.js";

const rangesText = (ranges: readonly AddressRange[]): string => ranges.map((r) => `${r.first}-${r.last}`).join(",");

/** The most namespace-scoped keys remembered per selector before starting afresh. */
const MAX_NAMESPACE_KEYS = 4096;

/** Pod peer keys already built, per pod selector object: by namespace name, and by namespace selector object. */
const peerKeys = new WeakMap<Selector, { readonly byNamespace: Map<string, string>; readonly bySelector: WeakMap<Selector, string> }>();

/**
 * The key of a pod peer (or a policy target): its namespace scope and pod selector.
 * Remembered per selector object (while it lives), so that a selector shared by many
 * peers (`SelectorInterner`) gives them one key string, built once.
 */
export function podPeerKey(scope: NamespaceScope, pods: Selector): string {
  let known = peerKeys.get(pods);
  if (known === undefined) peerKeys.set(pods, (known = { byNamespace: new Map(), bySelector: new WeakMap() }));
  let key = scope.kind === "namespace" ? known.byNamespace.get(scope.name) : known.bySelector.get(scope.selector);
  if (key === undefined) {
    key = scope.kind === "namespace" ? `pods:ns=${scope.name};${pods.key}` : `pods:nsSel=${scope.selector.key};${pods.key}`;
    if (scope.kind === "namespace") {
      // bounded: a long-lived selector (the empty one) meets every namespace name of every cluster
      if (known.byNamespace.size >= MAX_NAMESPACE_KEYS) known.byNamespace.clear();
      known.byNamespace.set(scope.name, key);
    }
    else known.bySelector.set(scope.selector, key);
  }
  return key;
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
