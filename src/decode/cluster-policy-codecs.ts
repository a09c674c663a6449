/**
 * io-ts codecs for the cluster-scoped policy kinds of policy.networking.k8s.io:
 * `ClusterNetworkPolicy` (v1alpha2, experimental channel: a superset of standard)
 * and the withdrawn v1alpha1 `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy`.
 *
 * Contract (as `codecs.ts`): codecs check types only; every field is optional and
 * `null` reads as absent. Which fields are required, one-of fields, lengths, ranges
 * and the CRDs' CEL rules are `cluster-policy-validate.ts`, with the API server's paths.
 */
import * as t from "io-ts";
import type { Labels } from "../primitives/selector.js";
import type { AdminNetworkPolicyManifest, ClusterNetworkPolicyManifest } from "./cluster-policy-manifest-types.js";
import { LabelSelector, ObjectMeta, type SameShape } from "./codecs.js";

/** An optional field: absent, `null` or a value of `codec`. */
function optional<C extends t.Mixed>(codec: C): t.UnionC<[C, t.NullC, t.UndefinedC]> {
  return t.union([codec, t.null, t.undefined], codec.name);
}

/** `NamespacedPod` (both versions): a namespace selector and a pod selector. */
export const NamespacedPod = t.partial({ namespaceSelector: optional(LabelSelector), podSelector: optional(LabelSelector) }, "NamespacedPod");

/** The subject: exactly one of `namespaces` and `pods`. */
export const Subject = t.partial({ namespaces: optional(LabelSelector), pods: optional(NamespacedPod) }, "ClusterNetworkPolicySubject");
export type Subject = t.TypeOf<typeof Subject>;

/** An ingress peer: exactly one of `namespaces` and `pods`. */
export const IngressPeer = t.partial({ namespaces: optional(LabelSelector), pods: optional(NamespacedPod) }, "ClusterNetworkPolicyIngressPeer");
export type IngressPeer = t.TypeOf<typeof IngressPeer>;

/** An egress peer: exactly one of `namespaces`, `pods`, `nodes`, `networks`, `domainNames`. */
export const EgressPeer = t.partial(
  {
    namespaces: optional(LabelSelector),
    pods: optional(NamespacedPod),
    nodes: optional(LabelSelector),
    networks: optional(t.array(t.string)),
    domainNames: optional(t.array(t.string)),
  },
  "ClusterNetworkPolicyEgressPeer",
);
export type EgressPeer = t.TypeOf<typeof EgressPeer>;

/** v1alpha2 `PortRange`. */
const PortRange = t.partial({ start: optional(t.Int), end: optional(t.Int) }, "PortRange");

/** v1alpha2 `Port`: exactly one of `number` and `range`. */
export const DestinationPort = t.partial({ number: optional(t.Int), range: optional(PortRange) }, "Port");

/** `tcp` / `udp` / `sctp` of a protocol entry. */
const ProtocolPorts = t.partial({ destinationPort: optional(DestinationPort) }, "ClusterNetworkPolicyProtocolPorts");

/** v1alpha2 `ClusterNetworkPolicyProtocol`: exactly one of `tcp`, `udp`, `sctp`, `destinationNamedPort`. */
export const ProtocolEntry = t.partial(
  { tcp: optional(ProtocolPorts), udp: optional(ProtocolPorts), sctp: optional(ProtocolPorts), destinationNamedPort: optional(t.string) },
  "ClusterNetworkPolicyProtocol",
);
export type ProtocolEntry = t.TypeOf<typeof ProtocolEntry>;

/** A v1alpha2 ingress rule. */
export const CnpIngressRule = t.partial(
  { name: optional(t.string), action: optional(t.string), from: optional(t.array(IngressPeer)), protocols: optional(t.array(ProtocolEntry)) },
  "ClusterNetworkPolicyIngressRule",
);

/** A v1alpha2 egress rule. */
export const CnpEgressRule = t.partial(
  { name: optional(t.string), action: optional(t.string), to: optional(t.array(EgressPeer)), protocols: optional(t.array(ProtocolEntry)) },
  "ClusterNetworkPolicyEgressRule",
);

/** policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy. */
export const ClusterNetworkPolicy = t.partial(
  {
    apiVersion: optional(t.string),
    kind: optional(t.string),
    metadata: optional(ObjectMeta),
    spec: optional(
      t.partial(
        {
          tier: optional(t.string),
          priority: optional(t.Int),
          subject: optional(Subject),
          ingress: optional(t.array(CnpIngressRule)),
          egress: optional(t.array(CnpEgressRule)),
        },
        "ClusterNetworkPolicySpec",
      ),
    ),
    status: t.unknown,
  },
  "ClusterNetworkPolicy",
);
/** A decoded (not yet validated) ClusterNetworkPolicy. */
export type ClusterNetworkPolicy = t.TypeOf<typeof ClusterNetworkPolicy>;

/** v1alpha1 `Port` (`portNumber`) and `PortRange` (`portRange`). */
const AnpPortNumber = t.partial({ protocol: optional(t.string), port: optional(t.Int) }, "Port");
const AnpPortRange = t.partial({ protocol: optional(t.string), start: optional(t.Int), end: optional(t.Int) }, "PortRange");

/** v1alpha1 `AdminNetworkPolicyPort`: exactly one of `portNumber`, `namedPort`, `portRange`. */
export const AnpPort = t.partial(
  { portNumber: optional(AnpPortNumber), namedPort: optional(t.string), portRange: optional(AnpPortRange) },
  "AdminNetworkPolicyPort",
);
export type AnpPort = t.TypeOf<typeof AnpPort>;

/** A v1alpha1 ingress rule (ANP and BANP). */
export const AnpIngressRule = t.partial(
  { name: optional(t.string), action: optional(t.string), from: optional(t.array(IngressPeer)), ports: optional(t.array(AnpPort)) },
  "AdminNetworkPolicyIngressRule",
);

/** A v1alpha1 egress rule (ANP and BANP; BANP has no `domainNames`). */
export const AnpEgressRule = t.partial(
  { name: optional(t.string), action: optional(t.string), to: optional(t.array(EgressPeer)), ports: optional(t.array(AnpPort)) },
  "AdminNetworkPolicyEgressRule",
);

const anpSpec = {
  subject: optional(Subject),
  ingress: optional(t.array(AnpIngressRule)),
  egress: optional(t.array(AnpEgressRule)),
};

/** policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy and BaselineAdminNetworkPolicy (no `priority`). */
export const AdminNetworkPolicy = t.partial(
  {
    apiVersion: optional(t.string),
    kind: optional(t.string),
    metadata: optional(ObjectMeta),
    spec: optional(t.partial({ priority: optional(t.Int), ...anpSpec }, "AdminNetworkPolicySpec")),
    status: t.unknown,
  },
  "AdminNetworkPolicy",
);
/** A decoded (not yet validated) AdminNetworkPolicy or BaselineAdminNetworkPolicy. */
export type AdminNetworkPolicy = t.TypeOf<typeof AdminNetworkPolicy>;

// the public types say exactly what the codecs read (JSON) and decode to (label maps as Maps)
true satisfies SameShape<t.OutputOf<typeof ClusterNetworkPolicy>, ClusterNetworkPolicyManifest>;
true satisfies SameShape<ClusterNetworkPolicy, ClusterNetworkPolicyManifest<Labels>>;
true satisfies SameShape<t.OutputOf<typeof AdminNetworkPolicy>, AdminNetworkPolicyManifest>;
true satisfies SameShape<AdminNetworkPolicy, AdminNetworkPolicyManifest<Labels>>;
