/**
 * The cluster-scoped policy kinds as JSON, the way `kubectl get -o json` prints them:
 * policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy and the withdrawn v1alpha1
 * AdminNetworkPolicy / BaselineAdminNetworkPolicy. Plain interfaces, as
 * `manifest-types.ts`; `cluster-policy-codecs.ts` checks at compile time that each
 * equals what its codec reads. Every field is optional and may be `null`; which
 * fields are required is the CRDs' validation (`src/validate/cluster-policy.ts`).
 */
import type { LabelSelectorManifest, LabelsManifest, NetworkPolicyManifest, ObjectMetaManifest } from "./manifest-types.js";

/** `NamespacedPod`: a namespace selector and a pod selector. */
export interface NamespacedPodManifest<L = LabelsManifest> {
  readonly namespaceSelector?: LabelSelectorManifest<L> | null;
  readonly podSelector?: LabelSelectorManifest<L> | null;
}

/** The subject, or an ingress peer: one of `namespaces` and `pods`. */
export interface SubjectManifest<L = LabelsManifest> {
  readonly namespaces?: LabelSelectorManifest<L> | null;
  readonly pods?: NamespacedPodManifest<L> | null;
}

/** An egress peer: one of `namespaces`, `pods`, `nodes`, `networks`, `domainNames`. */
export interface EgressPeerManifest<L = LabelsManifest> extends SubjectManifest<L> {
  readonly nodes?: LabelSelectorManifest<L> | null;
  readonly networks?: readonly string[] | null;
  readonly domainNames?: readonly string[] | null;
}

/** v1alpha2 `Port`: one of `number` and an inclusive `range`. */
export interface DestinationPortManifest {
  readonly number?: number | null;
  readonly range?: { readonly start?: number | null; readonly end?: number | null } | null;
}

/** v1alpha2 `ClusterNetworkPolicyProtocol`: one of `tcp`, `udp`, `sctp`, `destinationNamedPort`. */
export interface ProtocolEntryManifest {
  readonly tcp?: { readonly destinationPort?: DestinationPortManifest | null } | null;
  readonly udp?: { readonly destinationPort?: DestinationPortManifest | null } | null;
  readonly sctp?: { readonly destinationPort?: DestinationPortManifest | null } | null;
  readonly destinationNamedPort?: string | null;
}

/** policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy. */
export interface ClusterNetworkPolicyManifest<L = LabelsManifest> {
  readonly apiVersion?: string | null;
  readonly kind?: string | null;
  readonly metadata?: ObjectMetaManifest<L> | null;
  readonly spec?: {
    readonly tier?: string | null;
    readonly priority?: number | null;
    readonly subject?: SubjectManifest<L> | null;
    readonly ingress?: ReadonlyArray<{
      readonly name?: string | null;
      readonly action?: string | null;
      readonly from?: readonly SubjectManifest<L>[] | null;
      readonly protocols?: readonly ProtocolEntryManifest[] | null;
    }> | null;
    readonly egress?: ReadonlyArray<{
      readonly name?: string | null;
      readonly action?: string | null;
      readonly to?: readonly EgressPeerManifest<L>[] | null;
      readonly protocols?: readonly ProtocolEntryManifest[] | null;
    }> | null;
  } | null;
  /** Set by the implementation; read as given and ignored. */
  readonly status?: unknown;
}

/** v1alpha1 `AdminNetworkPolicyPort`: one of `portNumber`, `namedPort`, `portRange`. */
export interface AnpPortManifest {
  readonly portNumber?: { readonly protocol?: string | null; readonly port?: number | null } | null;
  readonly namedPort?: string | null;
  readonly portRange?: { readonly protocol?: string | null; readonly start?: number | null; readonly end?: number | null } | null;
}

/** policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy, or BaselineAdminNetworkPolicy (which has no `priority`). */
export interface AdminNetworkPolicyManifest<L = LabelsManifest> {
  readonly apiVersion?: string | null;
  readonly kind?: string | null;
  readonly metadata?: ObjectMetaManifest<L> | null;
  readonly spec?: {
    readonly priority?: number | null;
    readonly subject?: SubjectManifest<L> | null;
    readonly ingress?: ReadonlyArray<{
      readonly name?: string | null;
      readonly action?: string | null;
      readonly from?: readonly SubjectManifest<L>[] | null;
      readonly ports?: readonly AnpPortManifest[] | null;
    }> | null;
    readonly egress?: ReadonlyArray<{
      readonly name?: string | null;
      readonly action?: string | null;
      readonly to?: readonly EgressPeerManifest<L>[] | null;
      readonly ports?: readonly AnpPortManifest[] | null;
    }> | null;
  } | null;
  /** Set by the implementation; read as given and ignored. */
  readonly status?: unknown;
}

/** A policy object of any kind netpol reads. */
export type PolicyManifest = NetworkPolicyManifest | ClusterNetworkPolicyManifest | AdminNetworkPolicyManifest;
