/**
 * Wire types → IR. Applies the API server's defaults once (policyTypes, protocol TCP,
 * a namespace's automatic `kubernetes.io/metadata.name` label, the policy's namespace),
 * canonicalizes selectors and turns ipBlocks into address ranges. Input must already be
 * validated (`src/validate/`); this module never reports problems.
 */
import type { ContainerPortManifest, NetworkPolicyPeerManifest, NetworkPolicyPortManifest } from "../decode/manifest-types.js";
import type { Labels } from "../primitives/selector.js";
import { decodedPodAddresses, podName, type ValidCluster, type ValidNetworkPolicy } from "../validate/decoders.js";
import { parseAddress, parseCidr, subtractRanges, type Address, type AddressRange } from "../primitives/address.js";
import { podPeerKey, ipBlockKey } from "../ir/keys.js";
import { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL, type Direction, type Protocol } from "../primitives/kubernetes.js";
import { isFinished } from "../primitives/pod-phase.js";
import { canonicalDomainName } from "../primitives/domain-name.js";
import { SelectorInterner } from "../primitives/selector.js";
import type { Cluster, ContainerPort, Namespace, Node, Peer, Pod, Policy, PortMatch, Rule, RuleSet, Service, ServicePort } from "../ir/types.js";

/** What an ipBlock normalizes to, apart from its source text and index. */
interface IpBlockRanges {
  readonly family: 4 | 6;
  readonly ranges: readonly AddressRange[];
  readonly key: string;
}

/**
 * The ranges and key of each distinct ipBlock (`cidr` and `except`), for one
 * normalization: policies repeat a few blocks (`0.0.0.0/0` less the private ranges),
 * which then share one read-only range list and key, parsed and printed once.
 */
class IpBlocks {
  private readonly known = new Map<string, IpBlockRanges>();

  of(cidrText: string, except: readonly string[]): IpBlockRanges {
    const id = except.length === 0 ? cidrText : `${cidrText}\u0000${except.join("\u0000")}`;
    let block = this.known.get(id);
    if (block === undefined) {
      const cidr = parseCidr(cidrText)!;
      const ranges = subtractRanges(cidr, except.map((e) => parseCidr(e)!));
      this.known.set(id, (block = { family: cidr.family, ranges, key: ipBlockKey(cidr.family, ranges) }));
    }
    return block;
  }
}

function normalizePeer(peer: NetworkPolicyPeerManifest<Labels>, policyNamespace: string, index: number, selectors: SelectorInterner, blocks: IpBlocks): Peer {
  if (peer.ipBlock) {
    const except = peer.ipBlock.except ?? [];
    const { family, ranges, key } = blocks.of(peer.ipBlock.cidr!, except);
    return { kind: "ipBlock", family, cidr: peer.ipBlock.cidr!, except, ranges, key, index };
  }
  const pods = selectors.of(peer.podSelector ?? {});
  const namespaces = peer.namespaceSelector
    ? ({ kind: "selector", selector: selectors.of(peer.namespaceSelector) } as const)
    : ({ kind: "namespace", name: policyNamespace } as const);
  return { kind: "pods", namespaces, pods, key: podPeerKey(namespaces, pods), index };
}

function normalizePort(port: NetworkPolicyPortManifest, index: number): PortMatch {
  const protocol = (port.protocol ?? "TCP") as Protocol;
  const value = port.port;
  if (typeof value === "string") return { kind: "named", protocol, name: value, key: `${protocol}:${value}`, index };
  const first = value ?? 1;
  const last = value === undefined || value === null ? 65535 : (port.endPort ?? value);
  return { kind: "range", protocol, first, last, key: `${protocol}:${first}-${last}`, index };
}

function normalizeRules(
  rules: ReadonlyArray<{ readonly ports?: readonly NetworkPolicyPortManifest[] | null | undefined }>,
  peersOf: (rule: number) => readonly NetworkPolicyPeerManifest<Labels>[] | null | undefined,
  policy: number,
  direction: Direction,
  namespace: string,
  selectors: SelectorInterner,
  blocks: IpBlocks,
): Rule[] {
  const out: Rule[] = [];
  for (let rule = 0; rule < rules.length; rule++) {
    const peers = peersOf(rule);
    const ports = rules[rule]!.ports;
    out.push({
      origin: { policy, direction, rule },
      peers: peers && peers.length > 0 ? peers.map((p, i) => normalizePeer(p, namespace, i, selectors, blocks)) : null,
      ports: ports && ports.length > 0 ? ports.map(normalizePort) : null,
    });
  }
  return out;
}

/**
 * The policyTypes a policy governs, as the API server's defaulting
 * (`SetDefaults_NetworkPolicy`, pkg/apis/networking/v1/defaults.go) sets them: when
 * the list is absent, `null` or empty (`len(obj.Spec.PolicyTypes) == 0`), `Ingress`,
 * plus `Egress` when the policy has egress rules; otherwise the list as written.
 */
export function effectivePolicyTypes(written: readonly string[] | null | undefined, egressRules: number): readonly string[] {
  if (written !== null && written !== undefined && written.length > 0) return written;
  return egressRules > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

/** Normalizes validated NetworkPolicies (no cluster-scoped policies); a policy's index is its position in `policies`. */
export function normalizePolicies(policies: readonly ValidNetworkPolicy[]): RuleSet {
  const selectors = new SelectorInterner();
  const blocks = new IpBlocks();
  return {
    clusterPolicies: [],
    policies: policies.map((p, index): Policy => {
      // "" is Go's zero value for an unset namespace
      const namespace = p.metadata?.namespace || DEFAULT_NAMESPACE;
      const spec = p.spec ?? {};
      const ingressRules = spec.ingress ?? [];
      const egressRules = spec.egress ?? [];
      const types = effectivePolicyTypes(spec.policyTypes, egressRules.length);
      return {
        index,
        namespace,
        // a policy created from generateName alone keeps its prefix as its name here
        name: p.metadata!.name || p.metadata!.generateName!,
        target: selectors.of(spec.podSelector ?? {}),
        ingress: types.includes("Ingress") ? normalizeRules(ingressRules, (r) => ingressRules[r]!.from, index, "Ingress", namespace, selectors, blocks) : null,
        egress: types.includes("Egress") ? normalizeRules(egressRules, (r) => egressRules[r]!.to, index, "Egress", namespace, selectors, blocks) : null,
      };
    }),
  };
}

/**
 * Container port lists, one array per distinct list: a workload's replicas list the
 * same ports, and share one read-only array (the compiler caches per array). Lists
 * are found by a hash of their numbers, protocols and names, then compared in full:
 * no key text is built per pod.
 */
class PortLists {
  private readonly byHash = new Map<number, (readonly ContainerPort[])[]>();

  /** The shared normalized list of `written`. */
  of(written: readonly ContainerPortManifest[]): readonly ContainerPort[] {
    if (written.length === 0) return NO_PORTS;
    let hash = 2166136261;
    for (let i = 0; i < written.length; i++) {
      const { name, containerPort, protocol } = written[i]!;
      hash = Math.imul(hash ^ containerPort!, 16777619);
      hash = Math.imul(hash ^ (protocol ?? "TCP").charCodeAt(0), 16777619);
      hash = Math.imul(hash ^ (name ? (name.length << 16) ^ name.charCodeAt(0) ^ (name.charCodeAt(name.length - 1) << 8) : 0), 16777619);
    }
    let lists = this.byHash.get(hash);
    if (lists === undefined) this.byHash.set(hash, (lists = []));
    for (const list of lists) if (samePorts(list, written)) return list;
    const list = written.map((port): ContainerPort => ({ name: port.name || null, port: port.containerPort!, protocol: (port.protocol ?? "TCP") as Protocol }));
    lists.push(list);
    return list;
  }
}

/** Whether `written` normalizes to `list`. */
function samePorts(list: readonly ContainerPort[], written: readonly ContainerPortManifest[]): boolean {
  if (list.length !== written.length) return false;
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    const b = written[i]!;
    if (a.port !== b.containerPort || a.protocol !== (b.protocol ?? "TCP") || a.name !== (b.name || null)) return false;
  }
  return true;
}

/** The ports of a pod without any. */
const NO_PORTS: readonly ContainerPort[] = [];

/** The labels of a pod without any. */
const NO_LABELS: ReadonlyMap<string, string> = new Map();

function namespaceOf(name: string, labels?: ReadonlyMap<string, string> | null): Namespace {
  const all = new Map(labels ?? []);
  all.set(NAMESPACE_NAME_LABEL, name);
  return { name, labels: all };
}

/**
 * The node a pod runs on: the one its `nodeName` names, or for a host-network pod
 * the node owning one of its addresses; null when neither is known.
 */
export function nodeOf(pod: Pick<Pod, "nodeName" | "hostNetwork" | "ips">, nodes: NodeIndex): number | null {
  const named = pod.nodeName === null ? undefined : nodes.byName.get(pod.nodeName);
  if (named !== undefined) return named;
  if (!pod.hostNetwork) return null;
  for (const ip of pod.ips) {
    const owner = nodes.byAddress.get(ip.text);
    if (owner !== undefined) return owner;
  }
  return null;
}

/** Nodes by name and by address text, for `nodeOf`. */
export interface NodeIndex {
  readonly byName: ReadonlyMap<string, number>;
  readonly byAddress: ReadonlyMap<string, number>;
}

/** Indexes nodes for `nodeOf`. */
export function indexNodes(nodes: readonly Node[]): NodeIndex {
  return { byName: new Map(nodes.map((n) => [n.name, n.index])), byAddress: new Map(nodes.flatMap((n) => n.ips.map((ip) => [ip.text, n.index] as const))) };
}

/**
 * Normalizes a validated cluster. Namespaces referenced by a pod (finished or not) but
 * not listed are created with only their automatic label. Finished pods (phase
 * `Succeeded` or `Failed`) are no endpoints and are left out: pod indexes count the
 * others. Each pod is placed on its node (`nodeOf`); `knownNodes`, when given, are the
 * nodes to place them on instead of the cluster's own.
 */
export function normalizeCluster(cluster: ValidCluster, knownNodes?: readonly Node[]): Cluster {
  const nodes =
    knownNodes ??
    (cluster.nodes ?? []).map(
      (n, index): Node => ({ index, name: n.name!, labels: new Map(n.labels ?? []), ips: (n.ips ?? []).map((ip) => parseAddress(ip) as Address) }),
    );
  const nodeIndex = indexNodes(nodes);
  const namespaces = new Map<string, Namespace>();
  for (const ns of cluster.namespaces ?? []) namespaces.set(ns.name!, namespaceOf(ns.name!, ns.labels));
  // a finished pod is no endpoint, but the namespace it names exists all the same
  for (const p of cluster.pods ?? []) if (!namespaces.has(p.namespace!)) namespaces.set(p.namespace!, namespaceOf(p.namespace!));
  const ports = new PortLists();
  const pods: Pod[] = [];
  const written = cluster.pods ?? [];
  // parsed once, when the cluster was decoded
  const parsed = decodedPodAddresses(cluster);
  for (let i = 0; i < written.length; i++) {
    const p = written[i]!;
    if (isFinished(p.phase)) continue;
    const known = parsed?.[i];
    const ips = known !== undefined && known.length === (p.ips ?? []).length ? known : (p.ips ?? []).map((ip) => parseAddress(ip) as Address);
    const hostNetwork = p.hostNetwork ?? false;
    const nodeName = p.nodeName || null;
    pods.push({
      index: pods.length,
      namespace: p.namespace!,
      name: podName(p),
      workload: p.workload ? { kind: p.workload.kind!, name: p.workload.name! } : null,
      // the decoded map is the cluster's own (decoding built it), read-only from here on
      labels: p.labels ?? NO_LABELS,
      ips,
      nodeName,
      node: nodeOf({ nodeName, hostNetwork, ips }, nodeIndex),
      ports: ports.of(p.ports ?? []),
      hostNetwork,
    });
  }
  const services = (cluster.services ?? []).map(
    (s): Service => ({
      namespace: s.namespace!,
      name: s.name!,
      selector: s.selector && s.selector.size > 0 ? s.selector : null,
      ports: (s.ports ?? []).map((p): ServicePort => ({ name: p.name || null, port: p.port!, protocol: (p.protocol ?? "TCP") as Protocol, targetPort: p.targetPort ?? p.port! })),
    }),
  );
  const dns = new Map<string, readonly Address[]>();
  for (const record of cluster.dns ?? []) dns.set(canonicalDomainName(record.name!), (record.ips ?? []).map((ip) => parseAddress(ip) as Address));
  return { namespaces, pods, nodes, services, dns };
}
