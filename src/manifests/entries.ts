/**
 * The compact cluster's namespaces, pods and nodes as manifests are read into them: plain
 * JSON-ready records (labels as null-prototype objects), the `cluster` that
 * `createEngine` takes.
 */

/** The kinds whose pod template stands for their pods. */
export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"] as const;

/** A workload kind. */
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** A namespace of the compact cluster, as parsed from a manifest. */
export interface NamespaceEntry {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/** A pod of the compact cluster, as parsed from a manifest. */
export interface PodEntry {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ips: string[];
  readonly ports: Array<{ name?: string; containerPort: number; protocol: string }>;
  readonly hostNetwork: boolean;
  /** The node the pod runs on, when known. */
  readonly nodeName?: string;
  /**
   * Set when this endpoint is a workload's pod template standing for its pods;
   * `ordinal` for one of a StatefulSet's ordinal pods (named `<name>-<ordinal>`).
   */
  readonly workload?: { readonly kind: WorkloadKind; readonly name: string; readonly ordinal?: number };
}

/** A Service's port: what clients connect to, and where it goes on each backing pod. */
export interface ServicePortEntry {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
  /** A container port number, or the name of a container port resolved on each pod (default: `port`). */
  readonly targetPort: number | string;
}

/**
 * A name that stands for several pods: a workload (`shop/deployment/web`, given with
 * its pods, or a StatefulSet standing in as its ordinal pods) or a Service
 * (`shop/service/api`, the pods its selector picks).
 */
export interface EndpointGroup {
  /** `namespace/kind/name`, the kind in lower case. */
  readonly id: string;
  /** The `namespace/name` of every pod it stands for. */
  readonly pods: readonly string[];
  /** A Service's ports. */
  readonly ports?: readonly ServicePortEntry[];
}

/** A node of the compact cluster, as parsed from a manifest: its InternalIP and ExternalIP addresses. */
export interface NodeEntry {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ips: string[];
}
