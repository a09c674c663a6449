/**
 * The wire types as JSON, the way `kubectl get -o json` prints them: what netpol's
 * typed entry points take. Plain interfaces, so that no io-ts type reaches the public
 * API; `codecs.ts` checks at compile time that each equals what its codec reads.
 * Every field is optional and may be `null` (read as absent, as Go's JSON decoding does);
 * which fields are required is the API server's validation (`src/validate/`).
 *
 * `L` is the type of label maps: JSON objects as given (the default), or `Labels`
 * (`ReadonlyMap`s, keys as data) once decoded.
 */

/**
 * A label map (`metadata.labels`, `matchLabels`). A value may be typed `undefined` so
 * that object literals of different keys type-check (TypeScript infers `key?: undefined`
 * for the keys one of them lacks); an `undefined` value is still rejected at run time.
 */
export type LabelsManifest = Readonly<Record<string, string | undefined>>;

/** metav1.LabelSelectorRequirement. */
export interface LabelSelectorRequirementManifest {
  readonly key?: string | null;
  readonly operator?: string | null;
  readonly values?: readonly string[] | null;
}

/** metav1.LabelSelector. */
export interface LabelSelectorManifest<L = LabelsManifest> {
  readonly matchLabels?: L | null;
  readonly matchExpressions?: readonly LabelSelectorRequirementManifest[] | null;
}

/** networking/v1 NetworkPolicyPeer. */
export interface NetworkPolicyPeerManifest<L = LabelsManifest> {
  readonly podSelector?: LabelSelectorManifest<L> | null;
  readonly namespaceSelector?: LabelSelectorManifest<L> | null;
  readonly ipBlock?: { readonly cidr?: string | null; readonly except?: readonly string[] | null } | null;
}

/** networking/v1 NetworkPolicyPort: `port` is a number or a named port. */
export interface NetworkPolicyPortManifest {
  readonly protocol?: string | null;
  readonly port?: number | string | null;
  readonly endPort?: number | null;
}

/** The metadata fields netpol reads. */
export interface ObjectMetaManifest<L = LabelsManifest> {
  readonly name?: string | null;
  readonly generateName?: string | null;
  readonly namespace?: string | null;
  readonly labels?: L | null;
}

/** networking.k8s.io/v1 NetworkPolicy. */
export interface NetworkPolicyManifest<L = LabelsManifest> {
  readonly apiVersion?: string | null;
  readonly kind?: string | null;
  readonly metadata?: ObjectMetaManifest<L> | null;
  readonly spec?: {
    readonly podSelector?: LabelSelectorManifest<L> | null;
    readonly ingress?: ReadonlyArray<{ readonly from?: readonly NetworkPolicyPeerManifest<L>[] | null; readonly ports?: readonly NetworkPolicyPortManifest[] | null }> | null;
    readonly egress?: ReadonlyArray<{ readonly to?: readonly NetworkPolicyPeerManifest<L>[] | null; readonly ports?: readonly NetworkPolicyPortManifest[] | null }> | null;
    readonly policyTypes?: readonly string[] | null;
  } | null;
}

/** core/v1 ContainerPort, as a pod of the compact cluster lists it. */
export interface ContainerPortManifest {
  readonly name?: string | null;
  readonly containerPort?: number | null;
  readonly protocol?: string | null;
}

/** A namespace of the compact cluster: its name and labels. */
export interface ClusterNamespaceManifest<L = LabelsManifest> {
  readonly name?: string | null;
  readonly labels?: L | null;
}

/**
 * A pod of the compact cluster, or a workload standing for its pods: a pod with
 * `workload` and a `name` is one of that workload's pods (its endpoint is
 * `namespace/name`, and `namespace/kind/name` stands for all of them); one with
 * `workload` and no `name` is the workload's stand-in, the endpoint
 * `namespace/kind/name` (kind in lower case: `shop/deployment/web`).
 */
export interface ClusterPodManifest<L = LabelsManifest> {
  readonly namespace?: string | null;
  /** Required unless `workload` is given. */
  readonly name?: string | null;
  readonly labels?: L | null;
  readonly ips?: readonly string[] | null;
  readonly ports?: readonly ContainerPortManifest[] | null;
  readonly hostNetwork?: boolean | null;
  /** The node the pod runs on (a Pod's `spec.nodeName`). */
  readonly nodeName?: string | null;
  /** core/v1 PodPhase; a pod in phase `Succeeded` or `Failed` has finished and is no endpoint. */
  readonly phase?: string | null;
  /** The workload (`Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`, `Job`, `CronJob`) the pod is one of. */
  readonly workload?: { readonly kind?: string | null; readonly name?: string | null } | null;
}

/** A Service port of the compact cluster: what clients connect to, and where it goes on each backing pod. */
export interface ClusterServicePortManifest {
  readonly name?: string | null;
  readonly port?: number | null;
  /** `TCP` (default), `UDP` or `SCTP`. */
  readonly protocol?: string | null;
  /** A container port number, or the name of a container port looked up on each pod (default: `port`). */
  readonly targetPort?: number | string | null;
}

/**
 * A Service of the compact cluster: the endpoint `namespace/service/name` stands for
 * the pods of its namespace that `selector` picks (absent or empty: none, as a
 * Service without a selector has its endpoints managed outside the cluster state).
 */
export interface ClusterServiceManifest<L = LabelsManifest> {
  readonly namespace?: string | null;
  readonly name?: string | null;
  readonly selector?: L | null;
  readonly ports?: readonly ClusterServicePortManifest[] | null;
}

/** A node of the compact cluster: its name, labels and addresses (a Node's InternalIP and ExternalIP). */
export interface ClusterNodeManifest<L = LabelsManifest> {
  readonly name?: string | null;
  readonly labels?: L | null;
  readonly ips?: readonly string[] | null;
}

/**
 * A DNS record of the compact cluster: a fully qualified name (no wildcard; case and a
 * trailing dot do not matter) and the addresses it resolves to. ClusterNetworkPolicy
 * `domainNames` peers match the addresses of the records their names match.
 */
export interface ClusterDnsRecordManifest {
  readonly name?: string | null;
  readonly ips?: readonly string[] | null;
}

/** The compact cluster of the conformance format: namespaces, pods, nodes, Services and DNS records. */
export interface ClusterManifest<L = LabelsManifest> {
  readonly namespaces?: readonly ClusterNamespaceManifest<L>[] | null;
  readonly pods?: readonly ClusterPodManifest<L>[] | null;
  readonly nodes?: readonly ClusterNodeManifest<L>[] | null;
  readonly services?: readonly ClusterServiceManifest<L>[] | null;
  /** Name → address records for `domainNames` peers (without them such a peer matches no address). */
  readonly dns?: readonly ClusterDnsRecordManifest[] | null;
}
