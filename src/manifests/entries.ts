/**
 * The compact cluster's namespaces, pods and nodes as manifests are read into them: plain
 * JSON-ready records (labels as null-prototype objects), the `cluster` that
 * `createEngine` takes.
 */

import { workloadId, type WorkloadKind } from "../primitives/endpoint-names.js";
export { WORKLOAD_KINDS, type WorkloadKind } from "../primitives/endpoint-names.js";

/** A namespace of the compact cluster, as parsed from a manifest. */
export interface NamespaceEntry {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/**
 * A pod of the compact cluster, as parsed from a manifest; or a workload's stand-in
 * (`workload` without `name`: the endpoint `namespace/kind/name`, see `podEntryId`).
 */
export interface PodEntry {
  readonly namespace: string;
  /** Absent for a workload's stand-in. */
  readonly name?: string;
  readonly labels: Record<string, string>;
  readonly ips: string[];
  readonly ports: Array<{ name?: string; containerPort: number; protocol: string }>;
  readonly hostNetwork: boolean;
  /** The node the pod runs on, when known. */
  readonly nodeName?: string;
  /**
   * The workload the pod is one of (by controller reference, or by selector for a pod
   * without one), or that it stands in for; `ordinal` for one of a StatefulSet's
   * ordinal pods standing in (named `<name>-<ordinal>`).
   */
  readonly workload?: { readonly kind: WorkloadKind; readonly name: string; readonly ordinal?: number };
}

/** A pod entry's endpoint id: `namespace/name`, or `namespace/kind/name` for a workload's stand-in. */
export const podEntryId = (pod: PodEntry): string =>
  pod.name !== undefined ? `${pod.namespace}/${pod.name}` : workloadId(pod.namespace, pod.workload?.kind ?? "", pod.workload?.name ?? "");

/** A Service of the compact cluster, as parsed from a manifest (the engine's `cluster.services`). */
export interface ServiceEntry {
  readonly namespace: string;
  readonly name: string;
  /** `spec.selector`; absent when it has none. */
  readonly selector?: Record<string, string>;
  readonly ports: readonly ServicePortEntry[];
}

/** A Service's port: what clients connect to, and where it goes on each backing pod. */
export interface ServicePortEntry {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
  /** A container port number, or the name of a container port resolved on each pod (default: `port`). */
  readonly targetPort: number | string;
}

/** A node of the compact cluster, as parsed from a manifest: its InternalIP and ExternalIP addresses. */
export interface NodeEntry {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ips: string[];
}

/** A DNS record as read (the compact cluster's `dns`): a name and the addresses it resolves to. */
export interface DnsEntry {
  readonly name: string;
  readonly ips: string[];
}
