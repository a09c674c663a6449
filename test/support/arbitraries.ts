/**
 * fast-check arbitraries for random clusters, NetworkPolicies and cluster-scoped
 * policies (wire-format JSON that passes validation) and option sets. Labels, names and ports come from small
 * vocabularies so that selectors, named ports and ipBlocks actually hit; every
 * feature of networking.k8s.io/v1 appears: pod / namespace / combined selectors,
 * matchLabels and the four matchExpressions operators, empty selectors, ipBlock with
 * except (IPv4 and IPv6), numeric, named, ranged (endPort) and port-less ports with
 * and without protocol, rules without peers or ports, `ingress: []` against `[{}]`,
 * explicit and defaulted policyTypes. Label keys that are also names of
 * Object.prototype members (`constructor`, `toString`) check that labels are data.
 */
import fc from "fast-check";
import { formatAddress } from "../../src/primitives/address.js";
import type { Options } from "../../src/ir/types.js";
import type { Protocol } from "../../src/primitives/kubernetes.js";

/** A label map as JSON. */
export type LabelsJson = Record<string, string>;

/** A label selector as JSON. */
export interface SelectorJson {
  matchLabels?: LabelsJson;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A NetworkPolicyPeer as JSON. */
export interface PeerJson {
  podSelector?: SelectorJson;
  namespaceSelector?: SelectorJson;
  ipBlock?: { cidr: string; except?: string[] };
}

/** A NetworkPolicyPort as JSON. */
export interface PortJson {
  protocol?: Protocol;
  port?: number | string;
  endPort?: number;
}

/** An ingress or egress rule as JSON (`from` for ingress, `to` for egress). */
export interface RuleJson {
  from?: PeerJson[];
  to?: PeerJson[];
  ports?: PortJson[];
}

/** A networking.k8s.io/v1 NetworkPolicy as JSON. */
export interface PolicyJson {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  metadata: { name: string; namespace?: string };
  spec: { podSelector: SelectorJson; policyTypes?: string[]; ingress?: RuleJson[]; egress?: RuleJson[] };
}

/** A container port of the compact cluster format. */
export interface ContainerPortJson {
  name?: string;
  containerPort: number;
  protocol?: Protocol;
}

/** A pod of the compact cluster format. */
export interface PodJson {
  namespace: string;
  name: string;
  labels: LabelsJson;
  ips: string[];
  ports: ContainerPortJson[];
  hostNetwork?: boolean;
  nodeName?: string;
}

/** A node of the compact cluster format. */
export interface NodeJson {
  name: string;
  labels: LabelsJson;
  ips: string[];
}

/** The compact cluster of the conformance format. */
export interface ClusterJson {
  namespaces: { name: string; labels: LabelsJson }[];
  pods: PodJson[];
  nodes?: NodeJson[];
}

/** A ClusterNetworkPolicy (v1alpha2) or a v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy as JSON (built in tier-arbitraries.ts). */
export interface ClusterPolicyJson {
  apiVersion: "policy.networking.k8s.io/v1alpha2" | "policy.networking.k8s.io/v1alpha1";
  kind: "ClusterNetworkPolicy" | "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy";
  metadata: { name: string };
  spec: Record<string, unknown>;
}

/** A policy of any kind. */
export type AnyPolicyJson = PolicyJson | ClusterPolicyJson;

/** Whether a policy is a NetworkPolicy. */
export const isNetworkPolicy = (p: AnyPolicyJson): p is PolicyJson => p.kind === "NetworkPolicy";

/** One random input: a cluster, its policies and the options in force (`P`: NetworkPolicies only, or any kind). */
export interface Scenario<P extends AnyPolicyJson = AnyPolicyJson> {
  readonly cluster: ClusterJson;
  readonly policies: readonly P[];
  readonly options: Options;
}

/** Namespace names; a pod may live in a namespace the cluster does not list. */
export const NAMESPACES = ["x", "y", "z", "default", "kube-system"];
const POD_KEYS = ["app", "tier", "constructor", "toString", "example.com/role"];
const NAMESPACE_KEYS = ["team", "env", "constructor"];
const VALUES = ["a", "b", "c", ""];
/** Container and policy port names. */
export const PORT_NAMES = ["http", "dns", "metrics", "web"];
/** Port numbers policies and containers use (flows probe these ± 1). */
export const PORT_NUMBERS = [1, 53, 80, 81, 443, 8080, 65535];
const PROTOCOL_VALUES: Protocol[] = ["TCP", "UDP", "SCTP"];

/** Pod IPv4 addresses are 10.0.0.0/23 plus this host number; IPv6 ones fd00::/119. */
export const POD_HOSTS = 512;
export const V4_POD_BASE = 0x0a000000n;
/** Node addresses: 192.168.0.0/24 (host-network pods sit on the first four). */
export const V4_NODE_BASE = 0xc0a80000n;
export const V6_POD_BASE = 0xfd00n << 112n;

/** The text of IPv4 address `base + offset`. */
export const v4 = (base: bigint, offset: number): string => formatAddress(4, base + BigInt(offset));
/** The text of IPv6 address `base + offset`. */
const v6 = (base: bigint, offset: number): string => formatAddress(6, base + BigInt(offset));

export const protocol = fc.constantFrom(...PROTOCOL_VALUES);

/** A namespace name, mostly `x` and `y` so that policies and pods meet. */
const namespaceName = fc.oneof(
  { weight: 4, arbitrary: fc.constant("x") },
  { weight: 3, arbitrary: fc.constant("y") },
  { weight: 1, arbitrary: fc.constantFrom(...NAMESPACES.slice(2)) },
);

/** A label map over `vocabulary`: key → the values that key takes. */
export function labelsOver(vocabulary: ReadonlyArray<readonly [string, readonly string[]]>, maxKeys: number): fc.Arbitrary<LabelsJson> {
  const entry = fc.oneof(...vocabulary.map(([key, values]) => fc.tuple(fc.constant(key), fc.constantFrom(...values))));
  return fc.uniqueArray(entry, { selector: (e) => e[0], maxLength: maxKeys }).map((entries) => Object.fromEntries(entries));
}

/** A label selector over `vocabulary`, empty with weight `empty` against 3. */
export function selectorOver(vocabulary: ReadonlyArray<readonly [string, readonly string[]]>, empty = 1): fc.Arbitrary<SelectorJson> {
  const valued = fc.oneof(
    ...vocabulary.map(([key, values]) =>
      fc.record({
        key: fc.constant(key),
        operator: fc.constantFrom("In", "NotIn"),
        values: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }),
      }),
    ),
  );
  const presence = fc.record(
    { key: fc.constantFrom(...vocabulary.map(([key]) => key)), operator: fc.constantFrom("Exists", "DoesNotExist"), values: fc.constant<string[]>([]) },
    { requiredKeys: ["key", "operator"] },
  );
  const selector = fc.record(
    { matchLabels: labelsOver(vocabulary, 2), matchExpressions: fc.array(fc.oneof(valued, presence), { maxLength: 2 }) },
    { requiredKeys: [] },
  );
  return fc.oneof({ weight: empty, arbitrary: fc.constant({}) }, { weight: 3, arbitrary: selector });
}

const POD_LABELS: ReadonlyArray<readonly [string, readonly string[]]> = POD_KEYS.map((k) => [k, VALUES] as const);
const NAMESPACE_LABELS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ...NAMESPACE_KEYS.map((k) => [k, VALUES] as const),
  ["kubernetes.io/metadata.name", NAMESPACES] as const,
];

/** A pod selector. */
export const podSelector = selectorOver(POD_LABELS);
/** A namespace selector (may use the automatic `kubernetes.io/metadata.name` label). */
export const namespaceSelector = selectorOver(NAMESPACE_LABELS);

/**
 * An ipBlock of one family: a CIDR around pod, node or arbitrary addresses (its text
 * sometimes keeps host bits, which the API server masks off) with 0–2 excepts
 * strictly inside it, often at its first or last address.
 */
export function ipBlock(family: 4 | 6): fc.Arbitrary<{ cidr: string; except?: string[] }> {
  const bits = family === 4 ? 32 : 128;
  const base =
    family === 4
      ? fc.oneof(
          fc.integer({ min: 0, max: POD_HOSTS - 1 }).map((h) => V4_POD_BASE + BigInt(h)),
          fc.integer({ min: 0, max: 255 }).map((h) => V4_NODE_BASE + BigInt(h)),
          fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
        )
      : fc.oneof(
          fc.integer({ min: 0, max: POD_HOSTS - 1 }).map((h) => V6_POD_BASE + BigInt(h)),
          fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }),
        );
  const prefixes = family === 4 ? [0, 8, 16, 22, 23, 24, 25, 28, 30, 31, 32] : [0, 16, 64, 112, 118, 119, 120, 124, 127, 128];
  const offset = fc.oneof(fc.constant(0n), fc.constant(-1n), fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }));
  const except = fc.record({ extra: fc.integer({ min: 1, max: 9 }), offset, keepHostBits: fc.boolean() });
  return fc
    .record({ base, prefix: fc.constantFrom(...prefixes), keepHostBits: fc.boolean(), excepts: fc.array(except, { maxLength: 2 }) })
    .map(({ base, prefix, keepHostBits, excepts }) => {
      const size = 1n << BigInt(bits - prefix);
      const first = (base / size) * size;
      const cidr = `${formatAddress(family, keepHostBits ? base : first)}/${prefix}`;
      if (prefix === bits || excepts.length === 0) return { cidr };
      return {
        cidr,
        except: excepts.map((e) => {
          const inner = Math.min(bits, prefix + e.extra);
          const innerSize = 1n << BigInt(bits - inner);
          const address = first + (((e.offset % size) + size) % size);
          const masked = (address / innerSize) * innerSize;
          return `${formatAddress(family, e.keepHostBits ? address : masked)}/${inner}`;
        }),
      };
    });
}

/** A NetworkPolicyPeer: pods, namespaces, both, or an IPv4 / IPv6 ipBlock. */
const peer: fc.Arbitrary<PeerJson> = fc.oneof(
  podSelector.map((s) => ({ podSelector: s })),
  namespaceSelector.map((s) => ({ namespaceSelector: s })),
  fc.record({ podSelector, namespaceSelector }),
  ipBlock(4).map((b) => ({ ipBlock: b })),
  ipBlock(6).map((b) => ({ ipBlock: b })),
);

/** A NetworkPolicyPort: numeric (maybe a range), named, or port-less; protocol optional. */
const policyPort: fc.Arbitrary<PortJson> = fc.oneof(
  fc
    .record({ protocol, port: fc.constantFrom(...PORT_NUMBERS), span: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }) }, { requiredKeys: ["port"] })
    .map(({ protocol, port, span }): PortJson => ({
      ...(protocol === undefined ? {} : { protocol }),
      port,
      ...(span === undefined ? {} : { endPort: Math.min(65535, port + span) }),
    })),
  fc.record({ protocol, port: fc.constantFrom(...PORT_NAMES) }, { requiredKeys: ["port"] }),
  fc.record({ protocol }, { requiredKeys: [] }),
);

/** A rule's peer list and port list, each absent, empty or filled. */
const ruleParts = fc.record(
  { peers: fc.array(peer, { maxLength: 3 }), ports: fc.array(policyPort, { maxLength: 3 }) },
  { requiredKeys: [] },
);

/** An ingress rule (`from`, `ports`). */
export const ingressRule: fc.Arbitrary<RuleJson> = ruleParts.map(({ peers, ports }) => ({
  ...(peers === undefined ? {} : { from: peers }),
  ...(ports === undefined ? {} : { ports }),
}));

/** An egress rule (`to`, `ports`). */
const egressRule: fc.Arbitrary<RuleJson> = ruleParts.map(({ peers, ports }) => ({
  ...(peers === undefined ? {} : { to: peers }),
  ...(ports === undefined ? {} : { ports }),
}));

/** A policy without its name; `namespace` undefined means the `default` namespace. */
const policyBody = fc.record(
  {
    namespace: fc.option(namespaceName, { nil: undefined, freq: 8 }),
    podSelector: selectorOver(POD_LABELS, 3),
    policyTypes: fc.constantFrom<string[]>(["Ingress"], ["Egress"], ["Ingress", "Egress"], ["Egress", "Ingress"]),
    ingress: fc.array(ingressRule, { maxLength: 3 }),
    egress: fc.array(egressRule, { maxLength: 3 }),
  },
  { requiredKeys: ["namespace", "podSelector"] },
);

type PolicyBody = typeof policyBody extends fc.Arbitrary<infer T> ? T : never;

/** Builds the wire object of a policy named `name`. */
function buildPolicy(b: PolicyBody, name: string): PolicyJson {
  const spec: PolicyJson["spec"] = { podSelector: b.podSelector };
  if (b.policyTypes !== undefined) spec.policyTypes = b.policyTypes;
  if (b.ingress !== undefined) spec.ingress = b.ingress;
  if (b.egress !== undefined) spec.egress = b.egress;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: b.namespace === undefined ? { name } : { name, namespace: b.namespace },
    spec,
  };
}

/** A list of valid NetworkPolicies named `p0`, `p1`, … in list order. */
export function policies(maxLength: number): fc.Arbitrary<PolicyJson[]> {
  return fc.array(policyBody, { maxLength, size: "max" }).map((bodies) => bodies.map((b, i) => buildPolicy(b, `p${i}`)));
}

/** One valid NetworkPolicy named `name`. */
export function policy(name: string): fc.Arbitrary<PolicyJson> {
  return policyBody.map((b) => buildPolicy(b, name));
}

const containerPort = fc.record(
  { name: fc.constantFrom(...PORT_NAMES), containerPort: fc.constantFrom(...PORT_NUMBERS), protocol },
  { requiredKeys: ["containerPort"] },
);

/** A pod before it is named and given addresses. */
export const podShape = fc.record({
  namespace: namespaceName,
  labels: labelsOver(POD_LABELS, 3),
  host: fc.integer({ min: 0, max: POD_HOSTS - 1 }),
  stack: fc.constantFrom("v4", "v4", "dual", "dual", "v6"),
  ports: fc.uniqueArray(containerPort, { selector: (p) => p.name ?? `#${p.containerPort}/${p.protocol ?? "TCP"}`, maxLength: 3 }),
  hostNetwork: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});

/** A pod shape as `podShape` draws it. */
export type PodShape = typeof podShape extends fc.Arbitrary<infer T> ? T : never;

/**
 * The pod `name` of a shape: a host-network pod gets the address of one of four nodes
 * (host-network pods on one node share it), others an IPv4 and/or IPv6 pod address.
 * A pod address in `taken` is left out; the ones used are added.
 */
export function buildPod(shape: PodShape, name: string, taken: Set<string>): PodJson {
  const fresh = (ip: string): string[] => {
    if (taken.has(ip)) return [];
    taken.add(ip);
    return [ip];
  };
  const ips = shape.hostNetwork
    ? [v4(V4_NODE_BASE, shape.host & 3)]
    : [...(shape.stack === "v6" ? [] : fresh(v4(V4_POD_BASE, shape.host))), ...(shape.stack === "v4" ? [] : fresh(v6(V6_POD_BASE, shape.host)))];
  const pod: PodJson = { namespace: shape.namespace, name, labels: shape.labels, ips, ports: shape.ports };
  return shape.hostNetwork ? { ...pod, hostNetwork: true } : pod;
}

/** A namespace of the cluster: a name of the vocabulary and labels. */
export const namespace = fc.record({ name: fc.constantFrom(...NAMESPACES), labels: labelsOver(NAMESPACE_KEYS.map((k) => [k, VALUES] as const), 2) });

/**
 * A cluster of 1 to `maxPods` pods: dual-stack, IPv4-only and IPv6-only pods with
 * addresses in small ranges (so ipBlocks cut through them), a few host-network pods
 * on node addresses, container ports with names and protocols. Pods are named `p0`,
 * `p1`, …; a pod address two pods would share is dropped from the later one.
 */
export function cluster(maxPods: number): fc.Arbitrary<ClusterJson> {
  const namespaces = fc.uniqueArray(namespace, { selector: (n) => n.name, maxLength: NAMESPACES.length });
  return fc.record({ namespaces, pods: fc.array(podShape, { minLength: 1, maxLength: maxPods, size: "max" }) }).map(({ namespaces, pods }) => {
    const taken = new Set<string>();
    return { namespaces, pods: pods.map((shape, i) => buildPod(shape, `p${i}`, taken)) };
  });
}

/** Every combination of the implementation-defined options. */
export const options: fc.Arbitrary<Options> = fc.record({
  selfTraffic: fc.constantFrom("allow", "policy"),
  ipBlockMatchesPods: fc.boolean(),
  hostNetwork: fc.constantFrom("host", "pod"),
});

/**
 * A cluster, policies and options: mostly small (up to 14 pods and 8 policies, where
 * every pod meets many policies), one time in four large (up to 70 pods and 24
 * policies, so that pod bitsets span several 32-bit words and the rule, peer and port
 * tables grow past 32 entries).
 */
export function scenario(): fc.Arbitrary<Scenario<PolicyJson>> {
  const of = (pods: number, policyCount: number): fc.Arbitrary<Scenario<PolicyJson>> => fc.record({ cluster: cluster(pods), policies: policies(policyCount), options });
  return fc.oneof({ weight: 3, arbitrary: of(14, 8) }, { weight: 1, arbitrary: of(70, 24) });
}
