/**
 * Deterministic synthetic clusters that look like real ones, from a seed: one
 * namespace per team (plus kube-system, monitoring and ingress-nginx), deployments
 * as label groups (`app`, `tier`, `version`, `pod-template-hash`) with named
 * container ports, some dual-stack pods and a few host-network ones; per namespace a
 * default deny, DNS egress, allow rules by app, tier, namespace and CIDR (ipBlocks
 * with excepts, endPort ranges, matchExpressions), filling the policy count exactly;
 * for a size with cluster-scoped policies, also the nodes and ClusterNetworkPolicies of
 * `synthetic-tiers.ts`. Also the random flows the benchmarks time.
 */
import type { Flow } from "../src/api/engine.js";
import { formatAddress } from "../src/primitives/address.js";
import type { Protocol } from "../src/primitives/kubernetes.js";
import type { ClusterJson, ClusterPolicyJson, ContainerPortJson, PeerJson, PodJson, PolicyJson, PortJson, RuleJson } from "../test/support/arbitraries.js";
import { Random } from "../test/support/random.js";
import { syntheticClusterPolicies, syntheticNodes } from "./synthetic-tiers.js";

/** A benchmark size: how many pods, NetworkPolicies and ClusterNetworkPolicies. */
export interface Size {
  readonly name: string;
  readonly pods: number;
  readonly policies: number;
  /** ClusterNetworkPolicies (half Admin, half Baseline) on top of the same world; 0 or absent: none, and no nodes. */
  readonly clusterPolicies?: number;
}

/** The sizes `--sizes` chooses from. `M+CNP` is `M`'s world (same seed) with 200 ClusterNetworkPolicies and its nodes. */
export const SIZES: readonly Size[] = [
  { name: "S", pods: 1_000, policies: 200 },
  { name: "M", pods: 10_000, policies: 2_000 },
  { name: "M+CNP", pods: 10_000, policies: 2_000, clusterPolicies: 200 },
  { name: "L", pods: 50_000, policies: 10_000 },
  { name: "XL", pods: 100_000, policies: 20_000 },
];

/** A generated input: the cluster and policies `createEngine` takes. */
export interface World {
  readonly cluster: ClusterJson;
  readonly policies: PolicyJson[];
  /** The size's ClusterNetworkPolicies (empty for a NetworkPolicy-only size). */
  readonly clusterPolicies: ClusterPolicyJson[];
}

/** The port every benchmark matrix is computed for. */
export const MATRIX_PORT = { protocol: "TCP", port: 8080 } as const;

const APPS = ["frontend", "api", "worker", "auth", "search", "orders", "billing", "payments", "catalog", "notify", "db", "cache"];
const TIER_OF: Record<string, string> = { frontend: "web", db: "data", cache: "data" };
const ENVS = ["prod", "staging", "dev"];
const PODS_PER_NAMESPACE = 100;
const SHARED = ["kube-system", "monitoring", "ingress-nginx"];

/** The container ports of an app's pods. */
function portsOf(app: string): ContainerPortJson[] {
  const metrics: ContainerPortJson = { name: "metrics", containerPort: 9102, protocol: "TCP" };
  if (app === "db") return [{ name: "postgres", containerPort: 5432, protocol: "TCP" }, metrics];
  if (app === "cache") return [{ name: "redis", containerPort: 6379, protocol: "TCP" }, metrics];
  if (app === "api") return [{ name: "http", containerPort: 8080, protocol: "TCP" }, { name: "grpc", containerPort: 9090, protocol: "TCP" }, metrics];
  return [{ name: "http", containerPort: 8080, protocol: "TCP" }, metrics];
}

/** Pod `i`'s IPv4 address in 10.0.0.0/8 and IPv6 address in fd00::/64. */
const podV4 = (i: number): string => formatAddress(4, 0x0a000000n + BigInt(i));
const podV6 = (i: number): string => formatAddress(6, (0xfd00n << 112n) + BigInt(i));

const policyOf = (namespace: string, name: string, spec: PolicyJson["spec"]): PolicyJson => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec,
});

const app = (name: string): { matchLabels: Record<string, string> } => ({ matchLabels: { app: name } });
const tcp = (port: number | string, endPort?: number): PortJson => (endPort === undefined ? { protocol: "TCP", port } : { protocol: "TCP", port, endPort });

/**
 * The policies of one team namespace, `count` of them: always a default deny first,
 * then DNS egress and egress within the namespace, then a rotation of allow rules
 * over the namespace's apps.
 */
function teamPolicies(random: Random, namespace: string, apps: readonly string[], teams: readonly string[], count: number): PolicyJson[] {
  const dns: RuleJson = {
    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
    ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
  };
  const kinds: Array<(k: number) => PolicyJson> = [
    (k) => {
      const target = random.pick(apps);
      return policyOf(namespace, `allow-${target}-from-app-${k}`, {
        podSelector: app(target),
        ingress: [{ from: [{ podSelector: app(random.pick(apps)) }, { podSelector: app(random.pick(apps)) }], ports: [tcp("http"), tcp("grpc")] }],
      });
    },
    (k) =>
      policyOf(namespace, `allow-app-tier-from-web-${k}`, {
        podSelector: { matchLabels: { tier: "app" }, matchExpressions: [{ key: "version", operator: "Exists" }] },
        ingress: [{ from: [{ podSelector: { matchLabels: { tier: "web" } } }], ports: [tcp(8080, 8090)] }],
      }),
    (k) =>
      policyOf(namespace, `allow-metrics-from-monitoring-${k}`, {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["monitoring"] }] } }], ports: [tcp("metrics")] }],
      }),
    (k) =>
      policyOf(namespace, `allow-api-from-teams-${k}`, {
        podSelector: app("api"),
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: random.pick(teams) } }, podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["api", "worker"] }] } }] }],
      }),
    (k) =>
      policyOf(namespace, `allow-internet-egress-${k}`, {
        podSelector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["data"] }] },
        policyTypes: ["Egress"],
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "169.254.169.254/32"] } }, { ipBlock: { cidr: "::/0", except: ["fd00::/8"] } }], ports: [tcp(443)] }],
      }),
    (k) =>
      policyOf(namespace, `allow-db-egress-${k}`, {
        podSelector: app(random.pick(apps)),
        policyTypes: ["Egress"],
        egress: [{ to: [{ podSelector: app("db") }, { ipBlock: { cidr: "172.16.0.0/16", except: [`172.16.${random.below(256)}.0/24`] } }], ports: [tcp(5432), tcp("redis")] }],
      }),
    (k) =>
      policyOf(namespace, `allow-from-ingress-${k}`, {
        podSelector: app("frontend"),
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [tcp("http"), tcp(80)] }],
      }),
    (k) =>
      policyOf(namespace, `allow-same-namespace-${k}`, {
        podSelector: app(random.pick(apps)),
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      }),
  ];
  const out: PolicyJson[] = [
    policyOf(namespace, "default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    policyOf(namespace, "allow-dns", { podSelector: {}, policyTypes: ["Egress"], egress: [dns] }),
    policyOf(namespace, "allow-egress-in-namespace", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ podSelector: {} }] }] }),
  ];
  for (let k = 0; out.length < count; k++) out.push(kinds[k % kinds.length]!(k));
  return out.slice(0, count);
}

/** Pods of the shared namespaces: DNS, Prometheus (+ host-network node exporters), ingress controllers. */
function sharedPods(random: Random, next: () => number, count: number): PodJson[] {
  const pods: PodJson[] = [];
  const add = (namespace: string, name: string, labels: Record<string, string>, ports: ContainerPortJson[], hostNetwork = false): void => {
    const i = next();
    const pod: PodJson = { namespace, name, labels, ips: hostNetwork ? [formatAddress(4, 0xc0a80000n + BigInt(i & 0xffff))] : [podV4(i)], ports };
    pods.push(hostNetwork ? { ...pod, hostNetwork: true } : pod);
  };
  for (let k = 0; pods.length < count; k++) {
    const roll = random.below(4);
    if (roll === 0) add("kube-system", `coredns-${k}`, { "k8s-app": "kube-dns" }, [{ name: "dns", containerPort: 53, protocol: "UDP" }, { name: "dns-tcp", containerPort: 53, protocol: "TCP" }]);
    else if (roll === 1) add("monitoring", `prometheus-${k}`, { app: "prometheus" }, [{ name: "web", containerPort: 9090, protocol: "TCP" }]);
    else if (roll === 2) add("monitoring", `node-exporter-${k}`, { app: "node-exporter" }, [{ name: "metrics", containerPort: 9100, protocol: "TCP" }], true);
    else add("ingress-nginx", `controller-${k}`, { app: "ingress-nginx" }, [{ name: "http", containerPort: 80, protocol: "TCP" }, { name: "https", containerPort: 443, protocol: "TCP" }]);
  }
  return pods;
}

/** A cluster of `size.pods` pods and exactly `size.policies` policies, a function of `seed`. */
export function syntheticWorld(size: Size, seed: number): World {
  const random = new Random(seed);
  const teamCount = Math.max(1, Math.round(size.pods / PODS_PER_NAMESPACE) - 1);
  const teams = Array.from({ length: teamCount }, (_, t) => `team-${t}`);
  const namespaces = [
    ...SHARED.map((name) => ({ name, labels: { team: "platform" } })),
    ...teams.map((name) => ({ name, labels: { team: name, env: random.pick(ENVS) } })),
  ];
  let podIndex = 0;
  const next = (): number => podIndex++;
  const pods = sharedPods(random, next, Math.min(size.pods, Math.max(4, Math.round(size.pods * 0.01))));
  const appsOf = new Map<string, string[]>();
  for (let t = 0; pods.length < size.pods; t = (t + 1) % teams.length) {
    const namespace = teams[t]!;
    const apps = random.shuffle(APPS).slice(0, 6 + random.below(6));
    appsOf.set(namespace, apps);
    const quota = Math.min(size.pods - pods.length, PODS_PER_NAMESPACE);
    for (let d = 0, made = 0; made < quota; d++) {
      const name = apps[d % apps.length]!;
      const hash = random.bits(32).toString(16);
      const version = `v${1 + random.below(3)}`;
      const replicas = Math.min(quota - made, 2 + random.below(14));
      for (let r = 0; r < replicas; r++, made++) {
        const i = next();
        const labels = { app: name, tier: TIER_OF[name] ?? "app", version, "pod-template-hash": hash };
        pods.push({ namespace, name: `${name}-${hash}-${i.toString(36)}`, labels, ips: i % 3 === 0 ? [podV4(i), podV6(i)] : [podV4(i)], ports: portsOf(name) });
      }
    }
  }
  const perTeam = Math.floor(size.policies / teams.length);
  const policies = teams.flatMap((ns, t) =>
    teamPolicies(random, ns, appsOf.get(ns) ?? APPS, teams, perTeam + (t < size.policies - perTeam * teams.length ? 1 : 0)),
  );
  // drawn after everything else, so that a size with cluster-scoped policies has the same pods and NetworkPolicies as the one without
  const clusterPolicies = size.clusterPolicies ? syntheticClusterPolicies(random, size.clusterPolicies, teams, APPS) : [];
  return { cluster: { namespaces, pods, ...(size.clusterPolicies ? { nodes: syntheticNodes(pods) } : {}) }, policies, clusterPolicies };
}

/** Port numbers flows probe, by weight of appearance (the apps' ports, DNS, HTTPS, others). */
const FLOW_PORTS = [8080, 8080, 8080, 9090, 9102, 5432, 6379, 53, 443, 80, 8085, 22];

/**
 * `count` random flows over the world, a function of `seed`. Most go from a pod to a
 * pod by id, half of those within one namespace and mostly to one of the destination's
 * container ports, as real traffic does; some name a pod by address, some come from
 * or go to outside IPv4 / IPv6 addresses.
 */
export function syntheticFlows(world: World, count: number, seed: number): Flow[] {
  const random = new Random(seed);
  const pods = world.cluster.pods;
  const ids = pods.map((p) => `${p.namespace}/${p.name}`);
  const byNamespace = new Map<string, number[]>();
  pods.forEach((p, i) => byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), i]));
  const outside = (): string =>
    random.chance(0.7) ? formatAddress(4, random.chance(0.5) ? 0xac100000n + random.bits(16) : random.bits(32)) : formatAddress(6, random.bits(128));
  const flows: Flow[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const a = random.below(pods.length);
    const roll = random.next();
    const b = roll < 0.45 ? random.pick(byNamespace.get(pods[a]!.namespace)!) : random.below(pods.length);
    const target = pods[b]!;
    const port = roll < 0.9 && random.chance(0.7) ? random.pick(target.ports) : { containerPort: random.pick(FLOW_PORTS), protocol: random.chance(0.9) ? "TCP" : random.pick(["UDP", "SCTP"]) };
    let from = random.chance(0.05) ? pods[a]!.ips[0]! : ids[a]!;
    let to = ids[b]!;
    if (roll >= 0.96) from = outside();
    else if (roll >= 0.92) to = outside();
    flows[i] = { from, to, protocol: (port.protocol ?? "TCP") as Protocol, port: port.containerPort };
  }
  return flows;
}

/** Outside addresses a flow log's pods talk to (services on the internet and partner networks). */
const LOG_SERVICES = 2_000;
/** Outside addresses that talk to a flow log's pods (clients). */
const LOG_CLIENTS = 20_000;

/**
 * `count` flows as a flow log records them, a function of `seed`: every end an IP
 * literal, never a pod id. The flows of `syntheticFlows` (same seed) with each pod
 * written as one of its addresses, except that the ends outside the cluster come from
 * pools, as in real logs: a pod reaching out picks one of `LOG_SERVICES` addresses
 * (mostly on 443), a flow from outside one of `LOG_CLIENTS`; both pools mix IPv4
 * (public, and 172.16.0.0/16, which some policies name) with IPv6. The flows come as a
 * log parser hands them over: every string its own (a JSON round trip), never shared
 * between flows as the strings of an application's own pod ids are.
 */
export function flowLogFlows(world: World, count: number, seed: number): Flow[] {
  const random = new Random(seed ^ 0x2545f491);
  const pool = (size: number): string[] =>
    Array.from({ length: size }, () =>
      random.chance(0.7) ? formatAddress(4, random.chance(0.3) ? 0xac100000n + random.bits(16) : random.bits(32)) : formatAddress(6, random.bits(128)),
    );
  const services = pool(LOG_SERVICES);
  const clients = pool(LOG_CLIENTS);
  const addressOf = new Map(world.cluster.pods.map((p) => [`${p.namespace}/${p.name}`, p.ips]));
  const podAddresses = new Set(world.cluster.pods.flatMap((p) => p.ips));
  const asLogged = (end: string, outside: readonly string[]): string => {
    const ips = addressOf.get(end);
    if (ips !== undefined) return random.pick(ips);
    return podAddresses.has(end) ? end : random.pick(outside);
  };
  const flows = syntheticFlows(world, count, seed).map((f) => {
    const to = asLogged(f.to, services);
    const inside = addressOf.has(f.to) || podAddresses.has(f.to);
    return { from: asLogged(f.from, clients), to, protocol: f.protocol, port: inside || !random.chance(0.8) ? f.port : 443 };
  });
  return JSON.parse(JSON.stringify(flows)) as Flow[];
}

/** The pod peers and CIDRs a world uses, counted: a line for the benchmark report. */
export function describeWorld(world: World): string {
  const peers: PeerJson[] = world.policies.flatMap((p) => [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])].flatMap((r) => [...(r.from ?? []), ...(r.to ?? [])]));
  const blocks = peers.filter((p) => p.ipBlock !== undefined).length;
  const tiers = world.clusterPolicies.length === 0 ? "" : `; ${world.clusterPolicies.length} ClusterNetworkPolicies (half Admin, half Baseline, 1-10 rules each), ${world.cluster.nodes?.length ?? 0} nodes`;
  return `${world.cluster.namespaces.length} namespaces, ${world.cluster.pods.length} pods, ${world.policies.length} policies, ${peers.length} peers (${blocks} ipBlocks)${tiers}`;
}
