/**
 * fast-check arbitraries for random clusters, NetworkPolicies and cluster-scoped
 * policies (wire-format JSON that passes validation) and option sets. Labels, names and ports come from small
 * vocabularies so that selectors, named ports and ipBlocks actually hit; every
 * feature of networking.k8s.io/v1 appears: pod / namespace / combined selectors,
 * matchLabels and the four matchExpressions operators, empty selectors, ipBlock with
 * except (IPv4 and IPv6), numeric, named, ranged (endPort) and port-less ports with
 * and without protocol, rules without peers or ports, `ingress: []` against `[{}]`,
 * explicit and defaulted policyTypes (absent, `null` or `[]`), `null` lists. Label
 * keys that are also names of Object.prototype members (`constructor`, `toString`)
 * check that labels are data. Clusters hold host-network pods, pods without IPs,
 * finished pods (whose IPs a live pod may have), addresses and CIDRs in every
 * spelling the API server's Go parsing reads alike (notation.ts), and workloads whose
 * pods are given (with or without controller references) or stood in for.
 */
import fc from "fast-check";
import { formatAddress } from "../../src/primitives/address.js";
import { parseManifests } from "../../src/manifests/manifests.js";
import type { Options } from "../../src/ir/types.js";
import { PROTOCOLS, type Protocol } from "../../src/primitives/kubernetes.js";
import { SPELLINGS, spellAddress, spellCidr } from "./notation.js";

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
  ipBlock?: { cidr: string; except?: string[] | null };
}

/** A NetworkPolicyPort as JSON. */
export interface PortJson {
  protocol?: Protocol;
  port?: number | string;
  endPort?: number;
}

/** An ingress or egress rule as JSON (`from` for ingress, `to` for egress); `null` lists read as absent. */
export interface RuleJson {
  from?: PeerJson[] | null;
  to?: PeerJson[] | null;
  ports?: PortJson[] | null;
}

/** A networking.k8s.io/v1 NetworkPolicy as JSON; `null` fields read as absent, as Go's JSON decoding reads them. */
export interface PolicyJson {
  apiVersion: "networking.k8s.io/v1";
  kind: "NetworkPolicy";
  metadata: { name: string; namespace?: string };
  spec: { podSelector: SelectorJson; policyTypes?: string[] | null; ingress?: RuleJson[] | null; egress?: RuleJson[] | null };
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
  /** Absent for a workload's stand-in (`workload` without a name). */
  name?: string;
  workload?: { kind: string; name: string };
  labels: LabelsJson;
  ips: string[];
  ports: ContainerPortJson[];
  hostNetwork?: boolean;
  nodeName?: string;
  /** core/v1 PodPhase: a `Succeeded` or `Failed` pod is no endpoint, and its IPs may be a live pod's. */
  phase?: string;
}

/** A node of the compact cluster format. */
export interface NodeJson {
  name: string;
  labels: LabelsJson;
  ips: string[];
}

/** A DNS record of the compact cluster format: a name and the addresses it resolves to. */
export interface DnsRecordJson {
  name: string;
  ips: string[];
}

/** The compact cluster of the conformance format. */
export interface ClusterJson {
  namespaces: { name: string; labels: LabelsJson }[];
  pods: PodJson[];
  nodes?: NodeJson[];
  dns?: DnsRecordJson[];
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

/** Pod IPv4 addresses are 10.0.0.0/23 plus this host number; IPv6 ones fd00::/119. */
export const POD_HOSTS = 512;
export const V4_POD_BASE = 0x0a000000n;
/** Node addresses: 192.168.0.0/24 (host-network pods sit on the first four). */
export const V4_NODE_BASE = 0xc0a80000n;
export const V6_POD_BASE = 0xfd00n << 112n;

/** The text of IPv4 address `base + offset`. */
export const v4 = (base: bigint, offset: number): string => formatAddress(4, base + BigInt(offset));

export const protocol = fc.constantFrom(...PROTOCOLS);

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
export function ipBlock(family: 4 | 6): fc.Arbitrary<{ cidr: string; except?: string[] | null }> {
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
  // one spelling for the CIDR and its excepts: the API server compares their prefixes as written
  const style = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.nat(SPELLINGS - 1) });
  return fc
    .record({ base, prefix: fc.constantFrom(...prefixes), keepHostBits: fc.boolean(), excepts: fc.array(except, { maxLength: 2 }), style, nullExcept: fc.boolean() })
    .map(({ base, prefix, keepHostBits, excepts, style, nullExcept }) => {
      const size = 1n << BigInt(bits - prefix);
      const first = (base / size) * size;
      const cidr = spellCidr(family, keepHostBits ? base : first, prefix, style);
      if (prefix === bits || excepts.length === 0) return nullExcept ? { cidr, except: null } : { cidr };
      return {
        cidr,
        except: excepts.map((e) => {
          const inner = Math.min(bits, prefix + e.extra);
          const innerSize = 1n << BigInt(bits - inner);
          const address = first + (((e.offset % size) + size) % size);
          const masked = (address / innerSize) * innerSize;
          return spellCidr(family, e.keepHostBits ? address : masked, inner, style);
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

/** A list that is absent, `null` (which Go reads as absent), empty or filled. */
function listOf<T>(item: fc.Arbitrary<T>, maxLength: number): fc.Arbitrary<T[] | null | undefined> {
  return fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 5, arbitrary: fc.array(item, { maxLength }) });
}

/** A rule's peer list and port list, each absent, null, empty or filled. */
const ruleParts = fc.record({ peers: listOf(peer, 3), ports: listOf(policyPort, 3) });

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

/**
 * A policy without its name; `namespace` undefined means the `default` namespace.
 * policyTypes is written, absent, `null` or `[]` (the last three default alike).
 */
const policyBody = fc.record(
  {
    namespace: fc.option(namespaceName, { nil: undefined, freq: 8 }),
    podSelector: selectorOver(POD_LABELS, 3),
    policyTypes: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom<string[]>(["Ingress"], ["Egress"], ["Ingress", "Egress"], ["Egress", "Ingress"]) },
      { weight: 1, arbitrary: fc.constantFrom<string[] | null>([], null) },
    ),
    ingress: listOf(ingressRule, 3),
    egress: listOf(egressRule, 3),
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

/**
 * A pod before it is named and given addresses: its stack (`none`: no IP yet, as a
 * pending pod), its phase (mostly unset; finished pods are no endpoints) and how its
 * IPs are spelled.
 */
export const podShape = fc.record({
  namespace: namespaceName,
  labels: labelsOver(POD_LABELS, 3),
  host: fc.integer({ min: 0, max: POD_HOSTS - 1 }),
  stack: fc.constantFrom("v4", "v4", "dual", "dual", "v6", "none"),
  ports: fc.uniqueArray(containerPort, { selector: (p) => p.name ?? `#${p.containerPort}/${p.protocol ?? "TCP"}`, maxLength: 3 }),
  hostNetwork: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  phase: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom("Pending", "Running", "Succeeded", "Failed", "Unknown") }),
  spelling: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(SPELLINGS - 1) }),
});

/** A pod shape as `podShape` draws it. */
export type PodShape = typeof podShape extends fc.Arbitrary<infer T> ? T : never;

/** Whether a pod in `phase` has finished (and is then no endpoint). */
export const finished = (phase: string | undefined): boolean => phase === "Succeeded" || phase === "Failed";

/**
 * The pod `name` of a shape: a host-network pod gets the address of one of four nodes
 * (host-network pods on one node share it), others an IPv4 and/or IPv6 pod address,
 * spelled in the shape's style. A pod address in `taken` (canonical text) is left
 * out; the ones used are added. A finished pod keeps its address even when taken
 * (its IP went to another pod) and takes none.
 */
export function buildPod(shape: PodShape, name: string, taken: Set<string>): PodJson {
  const done = finished(shape.phase);
  const fresh = (family: 4 | 6, value: bigint): string[] => {
    const canonical = formatAddress(family, value);
    if (!done && taken.has(canonical)) return [];
    if (!done) taken.add(canonical);
    return [spellAddress(family, value, shape.spelling)];
  };
  const v4Pod = V4_POD_BASE + BigInt(shape.host);
  const v6Pod = V6_POD_BASE + BigInt(shape.host);
  const ips = shape.hostNetwork
    ? [spellAddress(4, V4_NODE_BASE + BigInt(shape.host & 3), shape.spelling)]
    : shape.stack === "none"
      ? []
      : [...(shape.stack === "v6" ? [] : fresh(4, v4Pod)), ...(shape.stack === "v4" ? [] : fresh(6, v6Pod))];
  const pod: PodJson = { namespace: shape.namespace, name, labels: shape.labels, ips, ports: shape.ports };
  return { ...pod, ...(shape.hostNetwork ? { hostNetwork: true } : {}), ...(shape.phase === undefined ? {} : { phase: shape.phase }) };
}

/**
 * A workload (Deployment, StatefulSet, DaemonSet, Job, CronJob) whose pods are given
 * with controller references, given as orphans (matched by selector), or not given:
 * then it stands for them, with its controllers' labels (a StatefulSet as ordinal pods).
 */
const workloadShape = fc.record({
  kind: fc.constantFrom("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"),
  namespace: namespaceName,
  labels: labelsOver(POD_LABELS, 2),
  replicas: fc.integer({ min: 0, max: 3 }),
  pods: fc.constantFrom("none", "none", "owned", "orphan"),
  hostNetwork: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  ports: fc.uniqueArray(containerPort, { selector: (p) => p.name ?? `#${p.containerPort}/${p.protocol ?? "TCP"}`, maxLength: 2 }),
});

type WorkloadShape = typeof workloadShape extends fc.Arbitrary<infer T> ? T : never;

/** The manifests of workload `w<i>` and of its given pod (if any), as `kubectl get -o json` prints them. */
function workloadManifests(shape: WorkloadShape, i: number, taken: Set<string>): unknown[] {
  const name = `w${i}`;
  const containers = [{ name: "c", ports: shape.ports }];
  const template = { metadata: { labels: shape.labels }, spec: { hostNetwork: shape.hostNetwork, containers } };
  const selector = Object.keys(shape.labels).length > 0 ? { matchLabels: shape.labels } : undefined;
  const apiVersion = shape.kind === "Job" || shape.kind === "CronJob" ? "batch/v1" : "apps/v1";
  const spec =
    shape.kind === "CronJob"
      ? { schedule: "0 * * * *", jobTemplate: { spec: { template } } }
      : { ...(selector ? { selector } : {}), ...(shape.kind === "DaemonSet" || shape.kind === "Job" ? {} : { replicas: shape.replicas }), template };
  const workload = { apiVersion, kind: shape.kind, metadata: { name, namespace: shape.namespace }, spec };
  if (shape.pods === "none") return [workload];
  const hash = `h${i}x`;
  const owner =
    shape.kind === "Deployment"
      ? { kind: "ReplicaSet", name: `${name}-${hash}` }
      : shape.kind === "CronJob"
        ? { kind: "Job", name: `${name}-2893002${i}` }
        : { kind: shape.kind, name };
  const host = POD_HOSTS - 1 - i;
  const ip = formatAddress(4, V4_POD_BASE + BigInt(host));
  const ips = shape.hostNetwork ? [formatAddress(4, V4_NODE_BASE)] : taken.has(ip) ? [] : [ip];
  if (!shape.hostNetwork) taken.add(ip);
  const labels = shape.kind === "Deployment" ? { ...shape.labels, "pod-template-hash": hash } : shape.labels;
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${name}-pod`,
      namespace: shape.namespace,
      labels,
      ...(shape.pods === "owned" ? { ownerReferences: [{ apiVersion, ...owner, controller: true, uid: `u${i}` }] } : {}),
    },
    spec: { hostNetwork: shape.hostNetwork, containers },
    status: { phase: "Running", podIPs: ips.map((ip) => ({ ip })) },
  };
  return [workload, pod];
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
  const workloads = fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(workloadShape, { minLength: 1, maxLength: 3 }) });
  return fc.record({ namespaces, pods: fc.array(podShape, { minLength: 1, maxLength: maxPods, size: "max" }), workloads }).map(({ namespaces, pods, workloads }) => {
    const taken = new Set<string>();
    // a finished pod mostly shows the address of the pod before it: its IP went to that pod
    const reused = pods.map((shape, i) => (finished(shape.phase) && i > 0 && shape.host % 4 !== 0 ? { ...shape, host: pods[i - 1]!.host, stack: pods[i - 1]!.stack } : shape));
    const built = reused.map((shape, i) => buildPod(shape, `p${i}`, taken));
    if (workloads.length === 0) return { namespaces, pods: built };
    return withWorkloads(namespaces, built, workloads, taken);
  });
}

/**
 * The cluster once workloads are read with it as `netpol` reads manifests
 * (`parseManifests`): given pods, then the stand-ins of the workloads whose pods are
 * not given.
 */
function withWorkloads(namespaces: ClusterJson["namespaces"], pods: PodJson[], workloads: readonly WorkloadShape[], taken: Set<string>): ClusterJson {
  const objects = workloads.flatMap((w, i) => workloadManifests(w, i, taken));
  const m = parseManifests(JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ namespaces, pods }, ...objects] }));
  const errors = m.issues.filter((i) => i.severity === "error");
  if (errors.length > 0) throw new Error(`generated manifests do not read: ${JSON.stringify(errors)}`);
  // compact pods lose nothing but `phase` through the reader (finished ones are left out there)
  return {
    namespaces: m.namespaces,
    pods: m.pods.map((p) => ({
      namespace: p.namespace,
      ...(p.name !== undefined ? { name: p.name } : {}),
      labels: { ...p.labels },
      ips: p.ips,
      ports: p.ports as ContainerPortJson[],
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      ...(p.workload ? { workload: { kind: p.workload.kind, name: p.workload.name } } : {}),
    })),
  };
}

/** Every combination of the implementation-defined options. */
export const options: fc.Arbitrary<Options> = fc.record({
  selfTraffic: fc.constantFrom("allow", "policy"),
  ipBlockMatchesPods: fc.boolean(),
  hostNetwork: fc.constantFrom("host", "pod"),
  nodeLocal: fc.constantFrom("allow", "policy"),
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
