/**
 * The cluster-scoped half of a synthetic world, from a seed: the nodes the
 * host-network pods run on, and ClusterNetworkPolicies, half in the Admin tier and
 * half in the Baseline tier, one to ten rules each, written the way platform teams
 * write them: guard rails for DNS, the metadata endpoint, the kubelet on control-plane
 * nodes, monitoring and ingress; environments kept apart; delegation to namespace
 * owners with Pass; baseline default denies with exceptions. Subjects range from one
 * team's namespace to every `env=prod` namespace.
 */
import type { ClusterPolicyJson, NodeJson, PodJson } from "../test/support/arbitraries.js";
import type { Random } from "../test/support/random.js";

/** The nodes of a world: one per host-network pod address (a node exporter runs on each), the first three control-plane nodes. */
export function syntheticNodes(pods: readonly PodJson[]): NodeJson[] {
  const addresses = [...new Set(pods.filter((p) => p.hostNetwork === true).flatMap((p) => p.ips))];
  return addresses.map((ip, k) => ({
    name: `node-${k}`,
    labels: { "kubernetes.io/os": "linux", "node-role.kubernetes.io/role": k < 3 ? "control-plane" : "worker", zone: `zone-${k % 3}` },
    ips: [ip],
  }));
}

type Rule = Record<string, unknown>;
const tcp = (number: number) => ({ tcp: { destinationPort: { number } } });
const tcpRange = (start: number, end: number) => ({ tcp: { destinationPort: { range: { start, end } } } });
const ns = (labels: Record<string, string>) => ({ namespaces: { matchLabels: labels } });

/** Rule templates by direction, each a function of the random stream and the world's teams and apps. */
function ruleTemplates(random: Random, teams: readonly string[], apps: readonly string[]): { ingress: Array<() => Rule>; egress: Array<() => Rule> } {
  return {
    ingress: [
      () => ({ name: "allow-monitoring", action: "Accept", from: [ns({ "kubernetes.io/metadata.name": "monitoring" })], protocols: [{ destinationNamedPort: "metrics" }] }),
      () => ({ name: "deny-from-dev", action: "Deny", from: [{ namespaces: { matchExpressions: [{ key: "env", operator: "In", values: ["dev"] }] } }] }),
      () => ({ name: "delegate-team", action: "Pass", from: [ns({ team: random.pick(teams) })] }),
      () => ({ name: "deny-app-range", action: "Deny", from: [{ pods: { podSelector: { matchLabels: { app: random.pick(apps) } } } }], protocols: [tcpRange(8000, 8100)] }),
      () => ({ name: "allow-ingress", action: "Accept", from: [ns({ "kubernetes.io/metadata.name": "ingress-nginx" })], protocols: [tcp(80), tcp(443), tcp(8080)] }),
      () => ({ name: "delegate-rest", action: "Pass", from: [{ namespaces: {} }] }),
    ],
    egress: [
      () => ({
        name: "allow-dns",
        action: "Accept",
        to: [{ pods: { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } } }],
        protocols: [{ udp: { destinationPort: { number: 53 } } }, tcp(53)],
      }),
      () => ({ name: "deny-metadata", action: "Deny", to: [{ networks: ["169.254.169.254/32", "fd00:ec2::254/128"] }] }),
      () => ({ name: "deny-kubelet", action: "Deny", to: [{ nodes: { matchLabels: { "node-role.kubernetes.io/role": "control-plane" } } }], protocols: [tcp(10250)] }),
      () => ({ name: "allow-db-range", action: "Accept", to: [{ networks: ["172.16.0.0/12"] }], protocols: [tcp(5432), tcpRange(6379, 6380)] }),
      () => ({ name: "deny-other-team", action: "Deny", to: [ns({ team: random.pick(teams) })], protocols: [tcp(8080)] }),
      () => ({ name: "delegate-egress", action: "Pass", to: [{ namespaces: {} }] }),
    ],
  };
}

/** A subject: one team, an environment, an app in an environment, or an app everywhere. */
function subject(random: Random, k: number, teams: readonly string[], apps: readonly string[]): Rule {
  switch (k % 4) {
    case 0:
      return ns({ team: random.pick(teams) });
    case 1:
      return { namespaces: { matchExpressions: [{ key: "team", operator: "In", values: [random.pick(teams), random.pick(teams), random.pick(teams)] }] } };
    case 2:
      return { pods: { namespaceSelector: { matchLabels: { env: random.pick(["prod", "staging", "dev"]) } }, podSelector: { matchLabels: { app: random.pick(apps) } } } };
    default:
      return { pods: { podSelector: { matchLabels: { app: random.pick(apps), tier: "data" } } } };
  }
}

/**
 * `count` ClusterNetworkPolicies over the world's teams and apps: the first half in
 * the Admin tier (priorities 0, 1, …), the rest in the Baseline tier; each with one to
 * ten rules drawn from the templates.
 */
export function syntheticClusterPolicies(random: Random, count: number, teams: readonly string[], apps: readonly string[]): ClusterPolicyJson[] {
  const templates = ruleTemplates(random, teams, apps);
  return Array.from({ length: count }, (_, k): ClusterPolicyJson => {
    const admin = k < count / 2;
    // at most ten rules: a Baseline policy's one or two default denies included
    const rules = 1 + random.below(admin ? 10 : 8);
    const ingress: Rule[] = [];
    const egress: Rule[] = [];
    for (let r = 0; r < rules; r++) {
      if (random.chance(0.5)) ingress.push(random.pick(templates.ingress)());
      else egress.push(random.pick(templates.egress)());
    }
    if (!admin) {
      // a Baseline policy ends in a default deny of its direction
      if (ingress.length > 0) ingress.push({ name: "default-deny", action: "Deny", from: [{ namespaces: {} }] });
      if (egress.length > 0) egress.push({ name: "default-deny", action: "Deny", to: [{ networks: ["0.0.0.0/0", "::/0"] }] });
    }
    return {
      apiVersion: "policy.networking.k8s.io/v1alpha2",
      kind: "ClusterNetworkPolicy",
      metadata: { name: `${admin ? "admin" : "baseline"}-${k}` },
      spec: {
        tier: admin ? "Admin" : "Baseline",
        priority: admin ? k : k - Math.ceil(count / 2),
        subject: subject(random, k, teams, apps),
        ...(ingress.length > 0 ? { ingress } : {}),
        ...(egress.length > 0 ? { egress } : {}),
      },
    };
  });
}
