/**
 * The normalized rule set (IR): what both evaluators and the compiler consume.
 *
 * Contract: every value here is plain, immutable-by-convention data with all of the
 * API server's defaults already applied (policyTypes, protocol TCP, the namespace's
 * automatic `kubernetes.io/metadata.name` label). Nothing here knows about YAML, JSON
 * or the Kubernetes wire types; `src/normalize/` is the only way in.
 *
 * Each node that can be deduplicated carries a deterministic `key`: two nodes with the
 * same key match exactly the same things.
 */

import type { Address, AddressRange } from "../primitives/address.js";
import type { Direction, Protocol } from "../primitives/kubernetes.js";
import type { Labels, Selector } from "../primitives/selector.js";

/** Where a pod peer looks for pods. */
export type NamespaceScope =
  /** Only the policy's own namespace (a peer with a podSelector and no namespaceSelector). */
  | { readonly kind: "namespace"; readonly name: string }
  /** Every namespace whose labels the selector matches (empty selector: all namespaces). */
  | { readonly kind: "selector"; readonly selector: Selector };

/** Source location of an IR node inside the policy list given to `normalize`. */
export interface Origin {
  /** Index of the policy in the normalized policy list. */
  readonly policy: number;
  readonly direction: Direction;
  /** Index in `spec.ingress` / `spec.egress`. */
  readonly rule: number;
}

/**
 * Who a rule admits: the other end of the connection (the source for ingress, the
 * destination for egress).
 */
export type Peer =
  /** Pods chosen by namespace scope and pod selector (both must match). */
  | {
      readonly kind: "pods";
      readonly namespaces: NamespaceScope;
      readonly pods: Selector;
      readonly key: string;
      /** Index in the rule's `from` / `to` list. */
      readonly index: number;
    }
  /**
   * An ipBlock: `ranges` are the disjoint, sorted address ranges of `cidr` with every
   * `except` cut out, all of `family`.
   */
  | {
      readonly kind: "ipBlock";
      readonly family: 4 | 6;
      readonly cidr: string;
      readonly except: readonly string[];
      readonly ranges: readonly AddressRange[];
      readonly key: string;
      readonly index: number;
    };

/** A port condition of a rule. `protocol` is always set (defaulted to TCP). */
export type PortMatch =
  /** Every port of the protocol (a NetworkPolicyPort without `port`). */
  | { readonly kind: "range"; readonly protocol: Protocol; readonly first: number; readonly last: number; readonly key: string; readonly index: number }
  /** A named container port, resolved on the destination pod. */
  | { readonly kind: "named"; readonly protocol: Protocol; readonly name: string; readonly key: string; readonly index: number };

/**
 * One ingress or egress rule. `peers: null` means the rule had no (or an empty)
 * `from`/`to`: every peer, inside the cluster or out. `ports: null` likewise means
 * every port of every protocol.
 */
export interface Rule {
  readonly origin: Origin;
  readonly peers: readonly Peer[] | null;
  readonly ports: readonly PortMatch[] | null;
}

/**
 * A NetworkPolicy after defaulting. A direction's rule list is `null` when the policy
 * does not govern that direction (it is absent from the effective policyTypes), and an
 * empty array when it isolates without allowing anything.
 */
export interface Policy {
  /** Index in the normalized policy list; `Origin.policy` refers to it. */
  readonly index: number;
  readonly namespace: string;
  readonly name: string;
  /** `spec.podSelector`, applied within `namespace`. */
  readonly target: Selector;
  readonly ingress: readonly Rule[] | null;
  readonly egress: readonly Rule[] | null;
}

/** A container port of a pod, for resolving named ports. */
export interface ContainerPort {
  readonly name: string | null;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A namespace; `labels` always hold `kubernetes.io/metadata.name`. */
export interface Namespace {
  readonly name: string;
  readonly labels: Labels;
}

/** A pod (or a workload standing for its pods). */
export interface Pod {
  /** Index in `Cluster.pods`; the pod index space every table uses. */
  readonly index: number;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Labels;
  readonly ips: readonly Address[];
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
}

/** The cluster model: namespaces by name, pods in the order given. */
export interface Cluster {
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly pods: readonly Pod[];
}

/** The normalized input of an evaluator or the compiler. */
export interface RuleSet {
  readonly policies: readonly Policy[];
}

/**
 * Choices Kubernetes leaves to the network plugin. Defaults follow the upstream
 * conformance (e2e) tests; see docs/semantics.md.
 */
export interface Options {
  /**
   * `"allow"` (default): a pod may always reach itself, as the upstream e2e suite
   * assumes. `"policy"`: self traffic is decided by the policies like any other.
   */
  readonly selfTraffic: "allow" | "policy";
  /**
   * `true` (default): ipBlock peers also match pods whose IP lies in the block.
   * `false`: ipBlock matches only addresses outside the cluster.
   */
  readonly ipBlockMatchesPods: boolean;
  /**
   * `"host"` (default): host-network pods are never selected by a policy (not
   * isolated) and match no pod selector; only ipBlocks see them, by their IPs.
   * `"pod"`: they are treated like every other pod.
   */
  readonly hostNetwork: "host" | "pod";
}

/** The default options. */
export const DEFAULT_OPTIONS: Options = Object.freeze({
  selfTraffic: "allow",
  ipBlockMatchesPods: true,
  hostNetwork: "host",
});

/** One end of a flow after resolution: a pod of the cluster or an address outside it. */
export type Endpoint =
  | { readonly kind: "pod"; readonly pod: number }
  | { readonly kind: "outside"; readonly address: Address };

/** A resolved flow: the question "may `from` open a connection to `to` on port/protocol?". */
export interface ResolvedFlow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly protocol: Protocol;
  readonly port: number;
}
