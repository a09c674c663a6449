/**
 * fast-check arbitraries for the cluster-scoped tiers: ClusterNetworkPolicies
 * (v1alpha2) of both tiers, v1alpha1 AdminNetworkPolicies and the
 * BaselineAdminNetworkPolicy, all passing their CRDs' validation; nodes; and mixed
 * scenarios of NetworkPolicies and cluster-scoped policies. Every feature appears:
 * the three actions (Allow for v1alpha1), `namespaces` and `pods` subjects and peers,
 * `nodes`, `networks` (IPv4 and IPv6, around pod and node addresses) and
 * `domainNames` peers, protocol entries by number, by range and by name (v1alpha1
 * ports too, ranges whose start is after their end included), rules with and without
 * protocols, and priorities drawn from a few values so that equal priorities meet.
 */
import fc from "fast-check";
import { formatAddress, parseAddress, parseCidr } from "../../src/primitives/address.js";
import {
  PORT_NAMES,
  PORT_NUMBERS,
  V4_NODE_BASE,
  V4_POD_BASE,
  cluster,
  ipBlock,
  labelsOver,
  namespaceSelector,
  options,
  podSelector,
  policies,
  protocol,
  selectorOver,
  v4,
  type AnyPolicyJson,
  type ClusterJson,
  type ClusterPolicyJson,
  type NodeJson,
  type Scenario,
  type SelectorJson,
} from "./arbitraries.js";

/** Node names; node `n<k>` has address 192.168.0.<k> (the first four carry the host-network pods). */
const NODE_NAMES = ["n0", "n1", "n2", "n3", "n4"];
const NODE_LABELS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["role", ["worker", "control-plane"]],
  ["zone", ["a", "b"]],
  ["kubernetes.io/hostname", NODE_NAMES],
];

/** Priorities: few values, so that equal priorities in a tier are common. */
const PRIORITIES = [0, 1, 5, 5, 10, 1000];

/** `domainNames` lists: exact names, `*.` wildcards over one or more labels, other cases and a trailing dot. */
const DOMAIN_PEERS = [["example.com", "*.example.org"], ["*.example.com"], ["API.example.net.", "www.example.org"], ["*.b.example.org", "example.org"]] as const;

/** DNS record names (one per canonical name in a cluster): some each peer matches, some none does. */
const DNS_NAMES = ["example.com", "www.example.com", "www.example.org", "a.b.example.org", "Example.ORG.", "api.example.net", "other.test"];

/**
 * The cluster's DNS records: each name resolves to outside addresses, pod addresses or
 * node addresses (a `domainNames` peer holds pods and nodes by them, as `networks` does).
 */
const dnsRecords = fc.uniqueArray(
  fc.record({
    name: fc.constantFrom(...DNS_NAMES),
    ips: fc.array(
      fc.oneof(
        fc.integer({ min: 0, max: 3 }).map((k) => `203.0.113.${k}`),
        fc.constantFrom("2001:db8::1", "2001:db8::2"),
        fc.integer({ min: 0, max: 15 }).map((host) => v4(V4_POD_BASE, host)),
        fc.integer({ min: 0, max: 4 }).map((k) => v4(V4_NODE_BASE, k)),
      ),
      { maxLength: 3 },
    ),
  }),
  { selector: (r) => r.name.toLowerCase().replace(/\.$/, ""), maxLength: 4 },
);

/** A node selector. */
const nodeSelector = selectorOver(NODE_LABELS);

/** A node before it is named: its labels and whether it also has an IPv6 address. */
const nodeShape = fc.record({ labels: labelsOver(NODE_LABELS.slice(0, 2), 2), dual: fc.boolean() });

/** Node `n<k>` of a shape: 192.168.0.<k>, and fd00:ffff::<k> when dual-stack. */
export function buildNode(shape: { labels: Record<string, string>; dual: boolean }, k: number, name = `n${k}`): NodeJson {
  return { name, labels: { ...shape.labels, "kubernetes.io/hostname": name }, ips: [v4(V4_NODE_BASE, k), ...(shape.dual ? [`fd00:ffff::${k.toString(16)}`] : [])] };
}

/** 0 to 5 nodes `n0`… (so host-network pods are on a listed node or on none). */
export const nodes: fc.Arbitrary<NodeJson[]> = fc.array(nodeShape, { maxLength: NODE_NAMES.length }).map((shapes) => shapes.map((s, k) => buildNode(s, k)));

/** `NamespacedPod`; v1alpha1 requires both selectors, v1alpha2 only `podSelector`. */
function namespacedPod(v1alpha1: boolean): fc.Arbitrary<{ namespaceSelector?: SelectorJson; podSelector: SelectorJson }> {
  if (v1alpha1) return fc.record({ namespaceSelector, podSelector });
  return fc.record({ namespaceSelector, podSelector }, { requiredKeys: ["podSelector"] });
}

/** A subject or an ingress peer: `namespaces` or `pods`. */
const podsOrNamespaces = (v1alpha1: boolean) =>
  fc.oneof(namespaceSelector.map((namespaces) => ({ namespaces })), namespacedPod(v1alpha1).map((pods) => ({ pods })));

/** An ipBlock's CIDR in the canonical notation `isCIDR` accepts (no leading zeros, no IPv4 tail spellings), host bits cleared. */
function canonicalCidr(text: string): string {
  const cidr = parseCidr(text)!;
  // an IPv4-mapped IPv6 CIDR reads as the IPv4 range it maps, its prefix counted over 128 bits
  const prefix = cidr.family === 4 && cidr.prefix > 32 ? cidr.prefix - 96 : cidr.prefix;
  return `${formatAddress(cidr.family, cidr.first)}/${prefix}`;
}

/** A `networks` list: 1 to 3 distinct CIDRs of either family. */
const networks = fc.uniqueArray(fc.oneof(ipBlock(4), ipBlock(4), ipBlock(6)).map((b) => canonicalCidr(b.cidr)), { minLength: 1, maxLength: 3 });

/** An egress peer; `domainNames` only where the kind has it (v1alpha2 and ANP). */
const egressPeer = (v1alpha1: boolean, domainNames: boolean) =>
  fc.oneof(
    { weight: 4, arbitrary: podsOrNamespaces(v1alpha1) },
    { weight: 2, arbitrary: nodeSelector.map((nodes) => ({ nodes })) },
    { weight: 2, arbitrary: networks.map((networks) => ({ networks })) },
    { weight: domainNames ? 2 : 0, arbitrary: fc.constantFrom(...DOMAIN_PEERS).map((names) => ({ domainNames: [...names] })) },
  );

/** Two distinct mentioned ports, lower first: an inclusive range with start < end. */
const portPair = fc.uniqueArray(fc.constantFrom(...PORT_NUMBERS), { minLength: 2, maxLength: 2 }).map(([a, b]) => [Math.min(a!, b!), Math.max(a!, b!)] as const);

/** A v1alpha2 protocol entry: a number, a range, or a named port. */
const protocolEntry = fc.oneof(
  fc.record({ protocol, port: fc.constantFrom(...PORT_NUMBERS) }).map(({ protocol, port }) => ({ [protocol.toLowerCase()]: { destinationPort: { number: port } } })),
  fc.record({ protocol, range: portPair }).map(({ protocol, range }) => ({ [protocol.toLowerCase()]: { destinationPort: { range: { start: range[0], end: range[1] } } } })),
  fc.constantFrom(...PORT_NAMES).map((name) => ({ destinationNamedPort: name })),
);

/** A v1alpha1 port: a number, a range (now and then empty), or a named port; protocol often left to its default. */
const anpPort = fc.oneof(
  fc.record({ protocol, port: fc.constantFrom(...PORT_NUMBERS) }, { requiredKeys: ["port"] }).map((portNumber) => ({ portNumber })),
  fc
    .record({ protocol, range: portPair, reversed: fc.boolean() }, { requiredKeys: ["range", "reversed"] })
    .map(({ protocol, range, reversed }) => ({ portRange: { ...(protocol === undefined ? {} : { protocol }), start: range[reversed ? 1 : 0], end: range[reversed ? 0 : 1] } })),
  fc.constantFrom(...PORT_NAMES).map((namedPort) => ({ namedPort })),
);

/** Whether an egress peer is an address peer (no named ports with those, by the CRDs' CEL rule). */
const isAddressPeer = (peer: object): boolean => "networks" in peer || "nodes" in peer || "domainNames" in peer;
const isNamed = (entry: object): boolean => "destinationNamedPort" in entry || "namedPort" in entry;

/** Which kind of cluster-scoped policy a rule belongs to. */
type Kind = "cnp" | "anp" | "banp";

/** One rule of `kind` for `direction`. */
function rule(kind: Kind, direction: "ingress" | "egress") {
  const v1alpha1 = kind !== "cnp";
  const actions = kind === "cnp" ? ["Accept", "Deny", "Pass"] : kind === "anp" ? ["Allow", "Deny", "Pass"] : ["Allow", "Deny"];
  const peer = direction === "ingress" ? podsOrNamespaces(v1alpha1) : egressPeer(v1alpha1, kind !== "banp");
  const ports: fc.Arbitrary<object> = kind === "cnp" ? protocolEntry : anpPort;
  return fc
    .record(
      { name: fc.constantFrom("r", "allow-dns", "deny-web"), action: fc.constantFrom(...actions), peers: fc.array(peer, { minLength: 1, maxLength: 3 }), ports: fc.array(ports, { minLength: 1, maxLength: 3 }) },
      { requiredKeys: ["action", "peers"] },
    )
    .map(({ name, action, peers, ports }) => {
      // the CEL rule: no named port beside a networks / nodes / domainNames peer
      const kept = ports?.filter((p) => !(direction === "egress" && isNamed(p) && peers.some(isAddressPeer)));
      return {
        ...(name === undefined ? {} : { name }),
        action,
        [direction === "ingress" ? "from" : "to"]: peers,
        ...(kept === undefined || kept.length === 0 ? {} : { [kind === "cnp" ? "protocols" : "ports"]: kept }),
      };
    });
}

/** The spec of a policy of `kind` (without tier or priority). */
function specOf(kind: Kind) {
  return fc.record({
    subject: podsOrNamespaces(kind !== "cnp"),
    ingress: fc.array(rule(kind, "ingress"), { maxLength: 3 }),
    egress: fc.array(rule(kind, "egress"), { maxLength: 3 }),
  });
}

/** A ClusterNetworkPolicy named `name`, of either tier. */
export function clusterNetworkPolicy(name: string): fc.Arbitrary<ClusterPolicyJson> {
  return fc.record({ tier: fc.constantFrom("Admin", "Baseline"), priority: fc.constantFrom(...PRIORITIES), spec: specOf("cnp") }).map(({ tier, priority, spec }) => ({
    apiVersion: "policy.networking.k8s.io/v1alpha2",
    kind: "ClusterNetworkPolicy",
    metadata: { name },
    spec: { tier, priority, ...spec },
  }));
}

/** A v1alpha1 AdminNetworkPolicy named `name`. */
function adminNetworkPolicy(name: string): fc.Arbitrary<ClusterPolicyJson> {
  return fc.record({ priority: fc.constantFrom(...PRIORITIES), spec: specOf("anp") }).map(({ priority, spec }) => ({
    apiVersion: "policy.networking.k8s.io/v1alpha1",
    kind: "AdminNetworkPolicy",
    metadata: { name },
    spec: { priority, ...spec },
  }));
}

/** The v1alpha1 BaselineAdminNetworkPolicy (always named `default`). */
const baselineAdminNetworkPolicy: fc.Arbitrary<ClusterPolicyJson> = specOf("banp").map((spec) => ({
  apiVersion: "policy.networking.k8s.io/v1alpha1",
  kind: "BaselineAdminNetworkPolicy",
  metadata: { name: "default" },
  spec,
}));

/**
 * Up to `max` cluster-scoped policies: ClusterNetworkPolicies `c0`, `c1`, … (names in
 * the order of the list, so ties break by index), now and then AdminNetworkPolicies
 * `a0`, … and the BaselineAdminNetworkPolicy.
 */
export function clusterPolicies(max: number): fc.Arbitrary<ClusterPolicyJson[]> {
  return fc
    .record({
      cnps: fc.array(fc.constant(null), { maxLength: max }).chain((slots) => fc.tuple(...slots.map((_, i) => clusterNetworkPolicy(`c${i}`)))),
      anps: fc.oneof({ weight: 3, arbitrary: fc.constant<ClusterPolicyJson[]>([]) }, { weight: 1, arbitrary: fc.tuple(adminNetworkPolicy("a0"), adminNetworkPolicy("a1")) }),
      banp: fc.option(baselineAdminNetworkPolicy, { freq: 4, nil: undefined }),
    })
    .map(({ cnps, anps, banp }) => [...cnps, ...anps, ...(banp === undefined ? [] : [banp])]);
}

/**
 * A cluster with nodes: host-network pods sit at the addresses of `n0`…`n3`, and one
 * in two clusters names each host-network pod's node (`nodeName`) when that node is
 * listed and places its other pods on listed nodes too (most of them; `place` picks
 * which), so that pods share nodes with host-network pods and node endpoints: the
 * flows the node-local clause is about. Two in three clusters have DNS records for
 * `domainNames` peers.
 */
function clusterWithNodes(maxPods: number): fc.Arbitrary<ClusterJson> {
  const dns = fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: dnsRecords });
  return fc.record({ base: cluster(maxPods), nodes, named: fc.boolean(), place: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }), dns }).map(({ base, nodes, named, place, dns }) => ({
    ...base,
    nodes,
    ...(dns === undefined ? {} : { dns }),
    pods: base.pods.map((pod, i) => {
      if (!named || nodes.length === 0) return pod;
      // host-network pods' addresses may be spelled otherwise: compare canonical texts
      const ip = pod.hostNetwork && pod.ips.length > 0 ? parseAddress(pod.ips[0]!)?.text : undefined;
      const pick = place[i % place.length]!;
      const node = pod.hostNetwork ? nodes.find((n) => ip !== undefined && n.ips.includes(ip)) : pick % 5 === 4 ? undefined : nodes[pick % nodes.length];
      return node !== undefined ? { ...pod, nodeName: node.name } : pod;
    }),
  }));
}

/**
 * A mixed scenario: NetworkPolicies and cluster-scoped policies in one list (shuffled:
 * list order means nothing), nodes, every option. Mostly small, one time in four large
 * (up to 70 pods, 24 NetworkPolicies and 12 ClusterNetworkPolicies).
 */
export function mixedScenario(): fc.Arbitrary<Scenario<AnyPolicyJson>> {
  const of = (pods: number, nps: number, cnps: number): fc.Arbitrary<Scenario<AnyPolicyJson>> =>
    fc
      .record({ cluster: clusterWithNodes(pods), nps: policies(nps), cps: clusterPolicies(cnps), options, order: fc.array(fc.nat()) })
      .map(({ cluster, nps, cps, options, order }) => {
        const all: AnyPolicyJson[] = [...nps, ...cps];
        // a deterministic shuffle from `order`
        for (let i = all.length - 1; i > 0; i--) {
          const j = (order[i % Math.max(1, order.length)] ?? 0) % (i + 1);
          [all[i], all[j]] = [all[j]!, all[i]!];
        }
        return { cluster, policies: all, options };
      });
  return fc.oneof({ weight: 3, arbitrary: of(14, 6, 6) }, { weight: 1, arbitrary: of(70, 24, 12) });
}

/** A node spec for updates: a shape and which node (or a new one) it is. */
export const nodeUpdate = fc.record({ shape: nodeShape, pick: fc.nat() });
