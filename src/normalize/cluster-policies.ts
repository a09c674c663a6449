/**
 * Wire types → tier IR for the cluster-scoped policies: ClusterNetworkPolicy
 * (v1alpha2) as written, and v1alpha1 AdminNetworkPolicy (Admin tier) and
 * BaselineAdminNetworkPolicy (Baseline tier, after every Baseline ClusterNetworkPolicy)
 * mapped onto it: `Allow` is `Accept`, `portNumber` / `portRange` / `namedPort` are
 * protocol entries. Input must already be validated (`src/api/cluster-policy-decode.ts`);
 * this module never reports problems. Entries that can match nothing (a v1alpha1
 * protocol other than TCP/UDP/SCTP, a v1alpha1 range whose start is after its end)
 * are dropped from their list, which then matches fewer ports, never more.
 */
import type { AnpPortManifest, EgressPeerManifest, ProtocolEntryManifest, SubjectManifest } from "../decode/cluster-policy-manifest-types.js";
import type { Labels } from "../primitives/selector.js";
import type { ValidAdminNetworkPolicy, ValidClusterNetworkPolicy } from "../validate/cluster-policy-decoders.js";
import { parseCidr, type AddressRange } from "../primitives/address.js";
import { canonicalDomainName } from "../primitives/domain-name.js";
import { EVERYTHING, canonicalSelector } from "../primitives/selector.js";
import { tierPeerKey } from "../ir/keys.js";
import { compareClusterPolicies } from "../ir/tiers.js";
import type { ClusterPolicy, ClusterPolicyKind, PortMatch, TierAction, TierPeer, TierRule } from "../ir/types.js";
import { PROTOCOLS, type Direction, type Protocol } from "../primitives/kubernetes.js";

/** A validated cluster-scoped policy, tagged with its kind. */
export type ClusterPolicySource =
  | { readonly kind: "ClusterNetworkPolicy"; readonly policy: ValidClusterNetworkPolicy }
  | { readonly kind: "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy"; readonly policy: ValidAdminNetworkPolicy };

/** Sorts ranges and merges those that overlap or touch. */
export function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: AddressRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.first <= last.last + 1n) {
      if (r.last > last.last) out[out.length - 1] = { first: last.first, last: r.last };
    } else out.push(r);
  }
  return out;
}

function subject(s: SubjectManifest<Labels>): ClusterPolicy["subject"] {
  if (s.namespaces) return { namespaces: canonicalSelector(s.namespaces), pods: EVERYTHING };
  return { namespaces: canonicalSelector(s.pods?.namespaceSelector ?? {}), pods: canonicalSelector(s.pods?.podSelector ?? {}) };
}

function peer(p: EgressPeerManifest<Labels>, index: number): TierPeer {
  if (p.namespaces || p.pods) {
    const { namespaces, pods } = subject(p);
    return { kind: "pods", namespaces, pods, field: p.namespaces ? "namespaces" : "pods", key: tierPeerKey.pods(namespaces, pods), index };
  }
  if (p.nodes) {
    const selector = canonicalSelector(p.nodes);
    return { kind: "nodes", selector, key: tierPeerKey.nodes(selector), index };
  }
  if (p.networks) {
    const cidrs = p.networks.flatMap((text) => {
      const cidr = parseCidr(text);
      return cidr === null ? [] : [cidr];
    });
    const v4 = mergeRanges(cidrs.filter((c) => c.family === 4));
    const v6 = mergeRanges(cidrs.filter((c) => c.family === 6));
    return { kind: "networks", cidrs: p.networks, v4, v6, key: tierPeerKey.networks(v4, v6), index };
  }
  const names = (p.domainNames ?? []).map(canonicalDomainName);
  return { kind: "domainNames", names, key: tierPeerKey.domainNames(names), index };
}

const range = (protocol: Protocol, first: number, last: number, index: number): PortMatch => ({ kind: "range", protocol, first, last, key: `${protocol}:${first}-${last}`, index });

/** A named container port of any protocol: one match per protocol. */
const named = (name: string, index: number): PortMatch[] => PROTOCOLS.map((protocol) => ({ kind: "named", protocol, name, key: `${protocol}:${name}`, index }));

function protocolEntry(e: ProtocolEntryManifest, index: number): PortMatch[] {
  if (e.destinationNamedPort !== undefined && e.destinationNamedPort !== null) return named(e.destinationNamedPort, index);
  for (const [field, protocol] of [["tcp", "TCP"], ["udp", "UDP"], ["sctp", "SCTP"]] as const) {
    const port = e[field]?.destinationPort;
    if (!port) continue;
    if (port.number !== undefined && port.number !== null) return [range(protocol, port.number, port.number, index)];
    return [range(protocol, port.range!.start!, port.range!.end!, index)];
  }
  return [];
}

function anpPort(p: AnpPortManifest, index: number): PortMatch[] {
  if (p.namedPort !== undefined && p.namedPort !== null) return named(p.namedPort, index);
  const protocol = (p.portNumber?.protocol ?? p.portRange?.protocol ?? "TCP") as Protocol;
  if (!PROTOCOLS.includes(protocol)) return [];
  if (p.portNumber) return [range(protocol, p.portNumber.port!, p.portNumber.port!, index)];
  const { start, end } = p.portRange!;
  return start! <= end! ? [range(protocol, start!, end!, index)] : [];
}

type WireRule = {
  readonly name?: string | null;
  readonly action?: string | null;
  readonly from?: readonly SubjectManifest<Labels>[] | null;
  readonly to?: readonly EgressPeerManifest<Labels>[] | null;
  readonly protocols?: readonly ProtocolEntryManifest[] | null;
  readonly ports?: readonly AnpPortManifest[] | null;
};

function rules(list: readonly WireRule[] | null | undefined, direction: Direction): TierRule[] {
  return (list ?? []).map((r, rule) => {
    const peers = (direction === "Ingress" ? r.from : r.to) ?? [];
    const ports = r.protocols ? r.protocols.flatMap(protocolEntry) : r.ports ? r.ports.flatMap(anpPort) : null;
    return {
      origin: { policy: -1, direction, rule },
      name: r.name || null,
      action: (r.action === "Allow" ? "Accept" : r.action) as TierAction,
      peers: peers.map((p, i) => peer(p, i)),
      ports,
    };
  });
}

/** A policy with its rules' origins pointing at `index`. */
function indexed(policy: ClusterPolicy, index: number): ClusterPolicy {
  const at = (list: readonly TierRule[]): TierRule[] => list.map((r) => ({ ...r, origin: { ...r.origin, policy: index } }));
  return { ...policy, index, ingress: at(policy.ingress), egress: at(policy.egress) };
}

/** Puts normalized policies in evaluation order and numbers them (and their rules' origins) by it. */
export function orderClusterPolicies(policies: readonly ClusterPolicy[]): ClusterPolicy[] {
  return [...policies].sort(compareClusterPolicies).map((p, i) => (p.index === i ? p : indexed(p, i)));
}

/** One validated policy into the tier IR (`index` not yet meaningful: see `orderClusterPolicies`). */
export function normalizeClusterPolicy(source: ClusterPolicySource): ClusterPolicy {
  const meta = source.policy.metadata!;
  const name = meta.name || meta.generateName!;
  const kind: ClusterPolicyKind = source.kind;
  if (source.kind === "ClusterNetworkPolicy") {
    const spec = source.policy.spec!;
    return {
      index: -1,
      kind,
      name,
      tier: spec.tier as ClusterPolicy["tier"],
      priority: spec.priority!,
      subject: subject(spec.subject!),
      ingress: rules(spec.ingress, "Ingress"),
      egress: rules(spec.egress, "Egress"),
    };
  }
  const spec = source.policy.spec!;
  return {
    index: -1,
    kind,
    name,
    tier: source.kind === "AdminNetworkPolicy" ? "Admin" : "Baseline",
    priority: source.kind === "AdminNetworkPolicy" ? spec.priority! : null,
    subject: subject(spec.subject!),
    ingress: rules(spec.ingress, "Ingress"),
    egress: rules(spec.egress, "Egress"),
  };
}

/** Normalizes validated cluster-scoped policies into evaluation order. */
export function normalizeClusterPolicies(sources: readonly ClusterPolicySource[]): ClusterPolicy[] {
  return orderClusterPolicies(sources.map(normalizeClusterPolicy));
}
