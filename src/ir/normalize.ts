/**
 * Wire types → IR. Applies the API server's defaults once (policyTypes, protocol TCP,
 * a namespace's automatic `kubernetes.io/metadata.name` label, the policy's namespace),
 * canonicalizes selectors and turns ipBlocks into address ranges. Input must already be
 * validated (`src/api/decode.ts`); this module never reports problems.
 */
import type { NetworkPolicyPeer, NetworkPolicyPort } from "../api/codecs.js";
import type { ValidCluster, ValidNetworkPolicy } from "../api/decode.js";
import { parseAddress, parseCidr, subtractRanges } from "./address.js";
import { canonicalSelector } from "./selector.js";
import type { Address, Cluster, ContainerPort, Direction, Namespace, Peer, Pod, Policy, PortMatch, Protocol, Rule, RuleSet } from "./types.js";

/** The label the API server puts on every namespace. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** The namespace a policy without `metadata.namespace` lives in (kubectl's default). */
export const DEFAULT_NAMESPACE = "default";

function normalizePeer(peer: NetworkPolicyPeer, policyNamespace: string, index: number): Peer {
  if (peer.ipBlock) {
    const cidr = parseCidr(peer.ipBlock.cidr!)!;
    const except = peer.ipBlock.except ?? [];
    const ranges = subtractRanges(cidr, except.map((e) => parseCidr(e)!));
    return {
      kind: "ipBlock",
      family: cidr.family,
      cidr: peer.ipBlock.cidr!,
      except,
      ranges,
      key: `ip${cidr.family}:${ranges.map((r) => `${r.first}-${r.last}`).join(",")}`,
      index,
    };
  }
  const pods = canonicalSelector(peer.podSelector ?? {});
  const namespaces = peer.namespaceSelector
    ? ({ kind: "selector", selector: canonicalSelector(peer.namespaceSelector) } as const)
    : ({ kind: "namespace", name: policyNamespace } as const);
  const scope = namespaces.kind === "namespace" ? `ns=${namespaces.name}` : `nsSel=${namespaces.selector.key}`;
  return { kind: "pods", namespaces, pods, key: `pods:${scope};${pods.key}`, index };
}

function normalizePort(port: NetworkPolicyPort, index: number): PortMatch {
  const protocol = (port.protocol ?? "TCP") as Protocol;
  const value = port.port;
  if (typeof value === "string") return { kind: "named", protocol, name: value, key: `${protocol}:${value}`, index };
  const first = value ?? 1;
  const last = value === undefined || value === null ? 65535 : (port.endPort ?? value);
  return { kind: "range", protocol, first, last, key: `${protocol}:${first}-${last}`, index };
}

function normalizeRules(
  rules: ReadonlyArray<{ peers?: readonly NetworkPolicyPeer[] | null; ports?: readonly NetworkPolicyPort[] | null }>,
  policy: number,
  direction: Direction,
  namespace: string,
): Rule[] {
  return rules.map((r, rule) => ({
    origin: { policy, direction, rule },
    peers: r.peers && r.peers.length > 0 ? r.peers.map((p, i) => normalizePeer(p, namespace, i)) : null,
    ports: r.ports && r.ports.length > 0 ? r.ports.map(normalizePort) : null,
  }));
}

/** Normalizes validated policies; a policy's index is its position in `policies`. */
export function normalizePolicies(policies: readonly ValidNetworkPolicy[]): RuleSet {
  return {
    policies: policies.map((p, index): Policy => {
      // "" is Go's zero value for an unset namespace
      const namespace = p.metadata?.namespace || DEFAULT_NAMESPACE;
      const spec = p.spec ?? {};
      const ingressRules = spec.ingress ?? [];
      const egressRules = spec.egress ?? [];
      // the API server's default: Ingress always, Egress when there are egress rules
      const types = spec.policyTypes ?? (egressRules.length > 0 ? ["Ingress", "Egress"] : ["Ingress"]);
      return {
        index,
        namespace,
        // a policy created from generateName alone keeps its prefix as its name here
        name: p.metadata!.name || p.metadata!.generateName!,
        target: canonicalSelector(spec.podSelector ?? {}),
        ingress: types.includes("Ingress")
          ? normalizeRules(ingressRules.map((r) => ({ peers: r.from, ports: r.ports })), index, "Ingress", namespace)
          : null,
        egress: types.includes("Egress")
          ? normalizeRules(egressRules.map((r) => ({ peers: r.to, ports: r.ports })), index, "Egress", namespace)
          : null,
      };
    }),
  };
}

function namespaceOf(name: string, labels?: ReadonlyMap<string, string> | null): Namespace {
  const all = new Map(labels ?? []);
  all.set(NAMESPACE_NAME_LABEL, name);
  return { name, labels: all };
}

/**
 * Normalizes a validated cluster. Namespaces referenced by a pod but not listed are
 * created with only their automatic label.
 */
export function normalizeCluster(cluster: ValidCluster): Cluster {
  const namespaces = new Map<string, Namespace>();
  for (const ns of cluster.namespaces ?? []) namespaces.set(ns.name!, namespaceOf(ns.name!, ns.labels));
  const pods = (cluster.pods ?? []).map((p, index): Pod => {
    if (!namespaces.has(p.namespace!)) namespaces.set(p.namespace!, namespaceOf(p.namespace!));
    return {
      index,
      namespace: p.namespace!,
      name: p.name!,
      labels: new Map(p.labels ?? []),
      ips: (p.ips ?? []).map((ip) => parseAddress(ip) as Address),
      ports: (p.ports ?? []).map(
        (port): ContainerPort => ({ name: port.name || null, port: port.containerPort!, protocol: (port.protocol ?? "TCP") as Protocol }),
      ),
      hostNetwork: p.hostNetwork ?? false,
    };
  });
  return { namespaces, pods };
}
