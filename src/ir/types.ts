/**
 * The normalized rule set (IR): what both evaluators and the compiler consume.
 *
 * Contract: every value here is plain, immutable-by-convention data with all of the
 * API server's defaults already applied (policyTypes, protocol TCP, the namespace's
 * automatic `kubernetes.io/metadata.name` label). Nothing here knows about YAML, JSON
 * or the Kubernetes wire types; `src/normalize/` is the only way in.
 *
 * Each node that can be deduplicated carries a deterministic `key`: two nodes with the
 * same key match exactly the same things. The cluster-scoped tiers' types close the
 * file; their evaluation order is `tiers.ts`. v1alpha1 `Allow` is `Accept` and
 * v1alpha1 ports are protocol entries here: the IR knows one model of the tiers.
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
  /**
   * The pod's name; for a workload's stand-in, `kind/name` (kind in lower case), so
   * that `namespace/name` is always the endpoint's id (`shop/deployment/web`).
   */
  readonly name: string;
  /** The workload the pod is one of, or stands in for (`kind` as Kubernetes spells it); null for none. */
  readonly workload: { readonly kind: string; readonly name: string } | null;
  readonly labels: Labels;
  readonly ips: readonly Address[];
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** `spec.nodeName`, when given. */
  readonly nodeName: string | null;
  /**
   * The index in `Cluster.nodes` of the node the pod runs on: the node named
   * `nodeName`, or for a host-network pod without one, the node owning one of its
   * addresses; null when unknown. A host-network pod is reached at its node.
   */
  readonly node: number | null;
}

/** A node: the host network of a machine, where host-network pods live too. */
export interface Node {
  /** Index in `Cluster.nodes`. */
  readonly index: number;
  readonly name: string;
  readonly labels: Labels;
  /** Its InternalIP and ExternalIP addresses: each stands for the node. */
  readonly ips: readonly Address[];
}

/** A Service port: clients connect to `port`; it goes to `targetPort` on each backing pod. */
export interface ServicePort {
  readonly name: string | null;
  readonly port: number;
  readonly protocol: Protocol;
  /** A container port number, or a container port name looked up on each pod. */
  readonly targetPort: number | string;
}

/** A Service: the endpoint `namespace/service/name`, standing for the pods of its namespace its selector picks. */
export interface Service {
  readonly namespace: string;
  readonly name: string;
  /** `spec.selector` (every label must match); null when absent or empty: its endpoints are managed outside the cluster state. */
  readonly selector: Labels | null;
  readonly ports: readonly ServicePort[];
}

/** The cluster model: namespaces by name, pods, nodes and Services in the order given, DNS records by name. */
export interface Cluster {
  readonly namespaces: ReadonlyMap<string, Namespace>;
  readonly pods: readonly Pod[];
  readonly nodes: readonly Node[];
  readonly services: readonly Service[];
  /** The addresses each DNS name resolves to, by canonical name (`canonicalDomainName`), for `domainNames` peers. */
  readonly dns: ReadonlyMap<string, readonly Address[]>;
}

/** The normalized input of an evaluator or the compiler. */
export interface RuleSet {
  /** NetworkPolicies, in input order. */
  readonly policies: readonly Policy[];
  /** Cluster-scoped policies (ClusterNetworkPolicy, v1alpha1 ANP/BANP), in evaluation order. */
  readonly clusterPolicies: readonly ClusterPolicy[];
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
  /**
   * `"allow"` (default): NetworkPolicy never blocks traffic between a pod and the
   * node it runs on (its node's addresses, and host-network pods on that node), as
   * the NetworkPolicy documentation states; the cluster-scoped tiers still apply.
   * `"policy"`: such traffic is decided by the policies like any other.
   */
  readonly nodeLocal: "allow" | "policy";
}

/** The default options. */
export const DEFAULT_OPTIONS: Options = Object.freeze({
  selfTraffic: "allow",
  ipBlockMatchesPods: true,
  hostNetwork: "host",
  nodeLocal: "allow",
});

/** One end of a flow after resolution: a pod of the cluster, a node, or an address outside both. */
export type Endpoint =
  | { readonly kind: "pod"; readonly pod: number }
  | { readonly kind: "node"; readonly node: number }
  | { readonly kind: "outside"; readonly address: Address };

/** A resolved flow: the question "may `from` open a connection to `to` on port/protocol?". */
export interface ResolvedFlow {
  readonly from: Endpoint;
  readonly to: Endpoint;
  readonly protocol: Protocol;
  readonly port: number;
}

// ---- the cluster-scoped tiers (ClusterNetworkPolicy v1alpha2, v1alpha1 ANP/BANP); order and identity in tiers.ts ----

/** A tier a cluster-scoped policy sits in (NetworkPolicy is the tier between them). */
export type Tier = "Admin" | "Baseline";

/** What a matching rule does: allow this side, deny it, or leave the tier. */
export type TierAction = "Accept" | "Deny" | "Pass";

/** The kinds mapped onto the tiers. */
export type ClusterPolicyKind = "ClusterNetworkPolicy" | "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy";

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
  /**
   * Domain names (canonical: lower case, no trailing dot; `*.` wildcards), matching the
   * addresses of the cluster's DNS records whose names they match (`domainAddresses`),
   * pods' and nodes' included; with no such record, no address.
   */
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
