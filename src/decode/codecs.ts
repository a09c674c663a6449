/**
 * io-ts codecs for the wire types netpol reads: networking.k8s.io/v1 NetworkPolicy,
 * core/v1 Namespace and Pod (the fields the cluster model needs), and the compact
 * cluster of the conformance format.
 *
 * Contract: codecs check types only. Every field is optional here, and `null` reads
 * as Go's encoding/json reads it into the API's types: a `null` field as absent, a
 * `null` list element or map value as the element type's zero value (`ingress:
 * [null]` is one empty rule, `values: [null]` one empty string, `labels: {a: null}`
 * the label `a=""`); which fields are required, and every value
 * rule, is the API server's validation in `validate.ts`, so that those errors carry
 * the API server's own wording. Label maps decode to `Map`s, never to objects whose
 * keys could touch a prototype.
 */
import * as t from "io-ts";
import { isPlainObject } from "../primitives/issues.js";
import type { Labels } from "../primitives/selector.js";
import type { ClusterManifest, NetworkPolicyManifest } from "./manifest-types.js";
import { declareFields } from "./unknown-fields.js";

/** An optional field: absent, `null` or a value of `codec` (the one codec for every optional field). */
export function optional<C extends t.Mixed>(codec: C): t.UnionC<[C, t.NullC, t.UndefinedC]> {
  return t.union([codec, t.null, t.undefined], codec.name);
}

/** A `map[string]string` (labels, matchLabels), decoded into a Map. */
export const LabelMap = new t.Type<ReadonlyMap<string, string>, Record<string, string>, unknown>(
  "map of strings",
  (u): u is ReadonlyMap<string, string> => u instanceof Map,
  (u, c) => {
    if (!isPlainObject(u)) return t.failure(u, c);
    const out = new Map<string, string>();
    const errors: t.Errors = [];
    for (const key of Object.keys(u)) {
      const value = u[key];
      // encoding/json leaves a map[string]string element at "" for a null
      if (typeof value === "string" || value === null) out.set(key, value ?? "");
      else errors.push({ value, context: [...c, { key, type: t.string, actual: value }] });
    }
    return errors.length > 0 ? t.failures(errors) : t.success(out);
  },
  (m) => labelRecord(m),
);

/**
 * A Go slice of `codec`'s type: a `null` element decodes as the type's zero value
 * (`zero`), as encoding/json decodes it; every other element through `codec`.
 */
export function goSlice<C extends t.Mixed>(codec: C, zero: t.TypeOf<C>): t.ArrayC<C> {
  const array = t.array(codec);
  // an ArrayType, so that issue paths index its elements (decode-with.ts)
  return new t.ArrayType(
    array.name,
    array.is,
    (u, c) => (Array.isArray(u) && u.includes(null) ? array.validate(u.map((e: unknown) => (e === null ? zero : e)), c) : array.validate(u, c)),
    array.encode,
    codec,
  );
}

/** A label map as a null-prototype record (a key may be `__proto__`); absent reads as empty. */
export function labelRecord(m: ReadonlyMap<string, string> | null | undefined): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of m ?? []) out[k] = v;
  return out;
}

/** An integer or a string (Kubernetes IntOrString). */
export const IntOrString = t.union([t.Int, t.string], "integer or string");

/** metav1.LabelSelectorRequirement. */
export const LabelSelectorRequirement = t.partial(
  { key: optional(t.string), operator: optional(t.string), values: optional(goSlice(t.string, "")) },
  "LabelSelectorRequirement",
);

/** metav1.LabelSelector. */
export const LabelSelector = t.partial(
  { matchLabels: optional(LabelMap), matchExpressions: optional(goSlice(LabelSelectorRequirement, {})) },
  "LabelSelector",
);
export type LabelSelector = t.TypeOf<typeof LabelSelector>;

/** networking/v1 IPBlock. */
export const IPBlock = t.partial({ cidr: optional(t.string), except: optional(goSlice(t.string, "")) }, "IPBlock");

/** networking/v1 NetworkPolicyPeer. */
export const NetworkPolicyPeer = t.partial(
  { podSelector: optional(LabelSelector), namespaceSelector: optional(LabelSelector), ipBlock: optional(IPBlock) },
  "NetworkPolicyPeer",
);
export type NetworkPolicyPeer = t.TypeOf<typeof NetworkPolicyPeer>;

/** networking/v1 NetworkPolicyPort. */
export const NetworkPolicyPort = t.partial(
  { protocol: optional(t.string), port: optional(IntOrString), endPort: optional(t.Int) },
  "NetworkPolicyPort",
);
export type NetworkPolicyPort = t.TypeOf<typeof NetworkPolicyPort>;

/** networking/v1 NetworkPolicyIngressRule. */
export const IngressRule = t.partial(
  { from: optional(goSlice(NetworkPolicyPeer, {})), ports: optional(goSlice(NetworkPolicyPort, {})) },
  "NetworkPolicyIngressRule",
);

/** networking/v1 NetworkPolicyEgressRule. */
export const EgressRule = t.partial(
  { to: optional(goSlice(NetworkPolicyPeer, {})), ports: optional(goSlice(NetworkPolicyPort, {})) },
  "NetworkPolicyEgressRule",
);

/** networking/v1 NetworkPolicySpec. */
export const NetworkPolicySpec = t.partial(
  {
    podSelector: optional(LabelSelector),
    ingress: optional(goSlice(IngressRule, {})),
    egress: optional(goSlice(EgressRule, {})),
    policyTypes: optional(goSlice(t.string, "")),
  },
  "NetworkPolicySpec",
);

/** metav1.OwnerReference, as far as netpol reads it (`controller: true` marks the managing controller). */
export const OwnerReference = t.partial({ kind: optional(t.string), name: optional(t.string), controller: optional(t.boolean) }, "OwnerReference");

/** The metadata fields netpol reads; the rest of metav1.ObjectMeta is declared for strict validation. */
export const ObjectMeta = declareFields(
  t.partial(
    {
      name: optional(t.string),
      generateName: optional(t.string),
      namespace: optional(t.string),
      labels: optional(LabelMap),
    },
    "ObjectMeta",
  ),
  [
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
  ],
);

/** A Pod's metadata: `ObjectMeta` and its owner references (which workload controls it). */
const PodMeta = t.intersection([ObjectMeta, t.partial({ ownerReferences: optional(goSlice(OwnerReference, {})) })], "ObjectMeta");

/** networking.k8s.io/v1 NetworkPolicy. */
export const NetworkPolicy = t.partial(
  {
    apiVersion: optional(t.string),
    kind: optional(t.string),
    metadata: optional(ObjectMeta),
    spec: optional(NetworkPolicySpec),
  },
  "NetworkPolicy",
);
/** A decoded (not yet validated) NetworkPolicy. */
export type NetworkPolicy = t.TypeOf<typeof NetworkPolicy>;

/** core/v1 ContainerPort. */
export const ContainerPortCodec = t.partial(
  { name: optional(t.string), containerPort: optional(t.Int), protocol: optional(t.string) },
  "ContainerPort",
);

/** core/v1 ServicePort, as far as netpol reads it. */
const ServicePortCodec = t.partial(
  { name: optional(t.string), port: optional(t.Int), targetPort: optional(IntOrString), protocol: optional(t.string) },
  "ServicePort",
);

/** core/v1 Service, as far as netpol reads it (the selector and the ports). */
export const ServiceObject = t.partial(
  {
    apiVersion: optional(t.string),
    kind: optional(t.string),
    metadata: optional(ObjectMeta),
    spec: optional(t.partial({ selector: optional(LabelMap), ports: optional(t.array(ServicePortCodec)) }, "ServiceSpec")),
  },
  "Service",
);

/** core/v1 Namespace, as far as netpol reads it. */
export const NamespaceObject = t.partial(
  { apiVersion: optional(t.string), kind: optional(t.string), metadata: optional(ObjectMeta) },
  "Namespace",
);

const Container = t.partial({ name: optional(t.string), ports: optional(goSlice(ContainerPortCodec, {})) }, "Container");

/** core/v1 Pod, as far as netpol reads it. */
export const PodObject = t.partial(
  {
    apiVersion: optional(t.string),
    kind: optional(t.string),
    metadata: optional(PodMeta),
    spec: optional(
      t.partial(
        {
          hostNetwork: optional(t.boolean),
          nodeName: optional(t.string),
          containers: optional(goSlice(Container, {})),
          initContainers: optional(goSlice(Container, {})),
        },
        "PodSpec",
      ),
    ),
    status: optional(
      t.partial(
        { phase: optional(t.string), podIP: optional(t.string), podIPs: optional(goSlice(t.partial({ ip: optional(t.string) }, "PodIP"), {})) },
        "PodStatus",
      ),
    ),
  },
  "Pod",
);
export type PodObject = t.TypeOf<typeof PodObject>;
export type NamespaceObject = t.TypeOf<typeof NamespaceObject>;

/** A namespace of the compact cluster format. */
export const ClusterNamespace = t.partial({ name: optional(t.string), labels: optional(LabelMap) }, "ClusterNamespace");

/** A pod of the compact cluster format. */
export const ClusterPod = t.partial(
  {
    namespace: optional(t.string),
    name: optional(t.string),
    labels: optional(LabelMap),
    ips: optional(goSlice(t.string, "")),
    ports: optional(goSlice(ContainerPortCodec, {})),
    hostNetwork: optional(t.boolean),
    /** The node the pod runs on (Pod `spec.nodeName`). */
    nodeName: optional(t.string),
    /** core/v1 PodPhase; a pod in phase `Succeeded` or `Failed` is left out (see `phase.ts`). */
    phase: optional(t.string),
    /** The workload the pod is one of; without `name`, the pod is that workload's stand-in. */
    workload: optional(t.partial({ kind: optional(t.string), name: optional(t.string) }, "ClusterPodWorkload")),
  },
  "ClusterPod",
);

/** A Service of the compact cluster format: its selector and ports. */
export const ClusterService = t.partial(
  {
    namespace: optional(t.string),
    name: optional(t.string),
    selector: optional(LabelMap),
    ports: optional(goSlice(t.partial({ name: optional(t.string), port: optional(t.Int), protocol: optional(t.string), targetPort: optional(IntOrString) }, "ClusterServicePort"), {})),
  },
  "ClusterService",
);

/** A node of the compact cluster format: its name, labels and addresses (InternalIP/ExternalIP). */
export const ClusterNode = t.partial({ name: optional(t.string), labels: optional(LabelMap), ips: optional(goSlice(t.string, "")) }, "ClusterNode");

/**
 * A DNS record of the compact cluster: a name and the addresses it resolves to (its A
 * and AAAA records), which ClusterNetworkPolicy `domainNames` peers match.
 */
export const ClusterDnsRecord = t.partial({ name: optional(t.string), ips: optional(goSlice(t.string, "")) }, "ClusterDnsRecord");

/** core/v1 Node, as far as netpol reads it: name, labels and `status.addresses`. */
export const NodeObject = t.partial(
  {
    apiVersion: optional(t.string),
    kind: optional(t.string),
    metadata: optional(ObjectMeta),
    status: optional(
      t.partial({ addresses: optional(goSlice(t.partial({ type: optional(t.string), address: optional(t.string) }, "NodeAddress"), {})) }, "NodeStatus"),
    ),
  },
  "Node",
);
export type NodeObject = t.TypeOf<typeof NodeObject>;

/** The compact cluster of the conformance format: namespaces, pods, nodes and DNS records. */
export const ClusterCodec = t.partial(
  {
    namespaces: optional(goSlice(ClusterNamespace, {})),
    pods: optional(goSlice(ClusterPod, {})),
    nodes: optional(goSlice(ClusterNode, {})),
    services: optional(goSlice(ClusterService, {})),
    dns: optional(goSlice(ClusterDnsRecord, {})),
  },
  "Cluster",
);
/** A decoded compact cluster. */
export type ClusterDecoded = t.TypeOf<typeof ClusterCodec>;

/**
 * A type's shape for comparing two of them: every field required and non-null (and
 * `undefined` dropped from unions), arrays and readonly-ness alike, branded numbers
 * plain, a `Map` opaque.
 */
type Shape<T> = T extends null | undefined
  ? never
  : T extends number
  ? number
  : T extends string | boolean
    ? T
    : T extends readonly (infer U)[]
      ? Shape<U>[]
      : T extends ReadonlyMap<unknown, unknown>
        ? "map"
        : { [K in keyof T]-?: Shape<NonNullable<T[K]>> };

/** `true` when `A` and `B` have the same shape (the same fields, all the way down). */
export type SameShape<A, B> = [Shape<A>] extends [Shape<B>] ? ([Shape<B>] extends [Shape<A>] ? true : false) : false;

// the public types say exactly what the codecs read (JSON) and decode to (label maps as Maps)
true satisfies SameShape<t.OutputOf<typeof NetworkPolicy>, NetworkPolicyManifest>;
true satisfies SameShape<t.OutputOf<typeof ClusterCodec>, ClusterManifest>;
true satisfies SameShape<NetworkPolicy, NetworkPolicyManifest<Labels>>;
true satisfies SameShape<ClusterDecoded, ClusterManifest<Labels>>;
