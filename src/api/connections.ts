/**
 * Connection sets: everything a cluster's policies allow, per ordered pair of
 * endpoints, over every port of TCP, UDP and SCTP (see `Engine.connections`).
 */
import type { Direction, Protocol } from "../primitives/kubernetes.js";

/** An inclusive port range `[first, last]`; all ports of a protocol are `[1, 65535]`. */
export type PortSpan = readonly [number, number];

/** Per protocol, the allowed ports as sorted, disjoint, non-adjacent spans (empty: none). */
export type AllowedPorts = { readonly [P in Protocol]: readonly PortSpan[] };

/** The tier a rule belongs to: NetworkPolicy, or a ClusterNetworkPolicy tier. */
export type RuleTier = "Admin" | "NetworkPolicy" | "Baseline";

/** A rule that allows part of a connection: on which side, and the ports it allows there. */
export interface ConnectionRule {
  readonly tier: RuleTier;
  /** A NetworkPolicy's `namespace/name`, or a cluster-scoped policy's name. */
  readonly policy: string;
  /** Its index in `Engine.rules.policies` (NetworkPolicy) or in the cluster-scoped policies' evaluation order (`Admin`, `Baseline`). */
  readonly policyIndex: number;
  /** `Egress`: a rule of the source's egress; `Ingress`: of the destination's ingress. */
  readonly direction: Direction;
  /** The rule's index in `spec.ingress` / `spec.egress`. */
  readonly rule: number;
  readonly protocol: Protocol;
  /** The ports of the connection this rule allows (within the connection's own). */
  readonly ports: readonly PortSpan[];
}

/** One ordered pair of endpoints with something allowed between them. */
export interface Connection {
  /** A group name (`ConnectionOptions.groups`), a pod `namespace/name`, or an outside range `FIRST-LAST`. */
  readonly from: string;
  readonly to: string;
  /** Shared between connections with the same ports, and frozen. */
  readonly allowed: AllowedPorts;
  /** With `explain`: the rules that allow each part, sorted by direction, policy, rule, protocol. */
  readonly allowedBy?: readonly ConnectionRule[];
}

/** A port range to narrow `connections` to: a NetworkPolicyPort's fields. */
export interface PortFilter {
  /** Default TCP. */
  readonly protocol?: Protocol;
  readonly port: number;
  /** Last port of the range (default `port`). */
  readonly endPort?: number;
}

/** What `Engine.connections` computes. */
export interface ConnectionOptions {
  /** Only these ports (default: every port of every protocol). */
  readonly ports?: readonly PortFilter[];
  /** Connections between endpoints and outside address ranges too (default `true`). */
  readonly includeExternal?: boolean;
  /**
   * The endpoint name of each pod, in `Engine.pods` order (default: the pod's own
   * `namespace/name`). Pods of one name are one endpoint: a pair's ports are those
   * any of its pods may use (`netpol connections --by workload` names pods by workload).
   */
  readonly groups?: readonly string[];
  /** A pair of one endpoint with itself, too (default `false`). */
  readonly includeSelf?: boolean;
  /**
   * More CIDRs to cut the outside ranges at (beside the policies' own ipBlocks), e.g.
   * another policy set's, so that two engines list the same ranges (`netpol diff`).
   */
  readonly cutBy?: readonly string[];
  /** Fill `allowedBy` (default `false`: it asks the reference explanation once per pair and port class). */
  readonly explain?: boolean;
}

/** How one pair's connection changes from one policy set to another. */
export interface ConnectionChange {
  readonly from: string;
  readonly to: string;
  /** `added`: nothing was allowed before; `removed`: nothing is after; `changed`: some ports were gained or lost. */
  readonly change: "added" | "removed" | "changed";
  /** What was allowed before (every protocol empty when added). */
  readonly before: AllowedPorts;
  /** What is allowed after (every protocol empty when removed). */
  readonly after: AllowedPorts;
  /** Ports allowed after and not before. */
  readonly gained: AllowedPorts;
  /** Ports allowed before and not after. */
  readonly lost: AllowedPorts;
}
