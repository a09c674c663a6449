// NetworkPolicy semantics, case by case, on every evaluation path. Each test states
// the API text it checks.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Engine, NetworkPolicyManifest, Options } from "../src/index.js";
import { onEveryEvaluator } from "./support/evaluators.js";

const cluster = {
  namespaces: [
    { name: "x", labels: { team: "a" } },
    { name: "y", labels: { team: "b", env: "prod" } },
  ],
  pods: [
    { namespace: "x", name: "a", labels: { app: "a", tier: "web" }, ips: ["10.0.0.1", "fd00::1"], ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }, { name: "dns", containerPort: 53, protocol: "UDP" }] },
    { namespace: "x", name: "b", labels: { app: "b" }, ips: ["10.0.0.2"], ports: [{ name: "http", containerPort: 9090 }] },
    { namespace: "y", name: "a", labels: { app: "a", tier: "db" }, ips: ["10.0.1.1", "fd00::1:1"], ports: [] },
    { namespace: "y", name: "host", labels: { app: "host" }, ips: ["192.168.0.9"], hostNetwork: true },
  ],
};

const np = (namespace: string, name: string, spec: NetworkPolicyManifest["spec"]): NetworkPolicyManifest => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec,
});

type Check = [from: string, to: string, port: number, protocol: "TCP" | "UDP" | "SCTP", allowed: boolean];

function scenario(name: string, policies: NetworkPolicyManifest[], checks: Check[], options: Partial<Options> = {}): void {
  onEveryEvaluator(name, async (create) => {
    const e: Engine = await create({ cluster, policies, options });
    const got = checks.map(([from, to, port, protocol]) => e.decide({ from, to, port, protocol }).allowed);
    const batch = [...e.decideBatch(checks.map(([from, to, port, protocol]) => ({ from, to, port, protocol })))].map((v) => v === 1);
    checks.forEach((c, i) => {
      assert.is(got[i], c[4], `decide ${c.slice(0, 4).join(" ")}`);
      assert.is(batch[i], c[4], `decideBatch ${c.slice(0, 4).join(" ")}`);
    });
  });
}

scenario("no policy: everything is allowed", [], [["x/a", "y/a", 80, "TCP", true], ["203.0.113.1", "x/b", 1, "SCTP", true]]);

scenario(
  "ingress: [] isolates and allows nothing; ingress: [{}] allows everything",
  [np("x", "deny", { podSelector: { matchLabels: { app: "a" } }, ingress: [] }), np("x", "open", { podSelector: { matchLabels: { app: "b" } }, ingress: [{}] })],
  [["y/a", "x/a", 80, "TCP", false], ["y/a", "x/b", 80, "TCP", true], ["203.0.113.1", "x/b", 9, "UDP", true], ["x/b", "y/a", 80, "TCP", true]],
);

scenario(
  "policyTypes [Egress] ignores the policy's ingress rules and leaves ingress open",
  [np("x", "p", { podSelector: {}, policyTypes: ["Egress"], ingress: [{ from: [{ podSelector: { matchLabels: { app: "zzz" } } }] }], egress: [{ to: [{ podSelector: {} }] }] })],
  [["y/a", "x/a", 80, "TCP", true], ["x/a", "x/b", 80, "TCP", true], ["x/a", "y/a", 80, "TCP", false], ["x/a", "8.8.8.8", 53, "UDP", false]],
);

scenario(
  "egress rules without policyTypes default to Ingress and Egress",
  [np("x", "p", { podSelector: { matchLabels: { app: "a" } }, egress: [{ ports: [{ port: 53, protocol: "UDP" }] }] })],
  [["x/b", "x/a", 80, "TCP", false], ["x/a", "8.8.8.8", 53, "UDP", true], ["x/a", "8.8.8.8", 53, "TCP", false]],
);

scenario(
  "podSelector alone means the policy's namespace; namespaceSelector alone means all its pods",
  [
    np("x", "p", { podSelector: { matchLabels: { app: "b" } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: "a" } } }] }] }),
    np("y", "q", { podSelector: { matchLabels: { app: "a" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "a" } } }] }] }),
  ],
  [["x/a", "x/b", 80, "TCP", true], ["y/a", "x/b", 80, "TCP", false], ["x/b", "y/a", 80, "TCP", true], ["x/a", "y/a", 80, "TCP", true], ["y/host", "y/a", 80, "TCP", false]],
);

scenario(
  "podSelector and namespaceSelector in one peer are ANDed; in two peers ORed",
  [
    np("y", "and", { podSelector: { matchLabels: { app: "a" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "a" } }, podSelector: { matchLabels: { app: "b" } } }] }] }),
  ],
  [["x/b", "y/a", 80, "TCP", true], ["x/a", "y/a", 80, "TCP", false]],
);

scenario(
  "namespaces match by their automatic kubernetes.io/metadata.name label; empty namespaceSelector means every namespace",
  [
    np("x", "by-name", { podSelector: { matchLabels: { app: "a" } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "y" } } }] }] }),
    np("x", "all-ns", { podSelector: { matchLabels: { app: "b" } }, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
  ],
  [["y/a", "x/a", 80, "TCP", true], ["x/b", "x/a", 80, "TCP", false], ["y/a", "x/b", 1, "TCP", true], ["x/a", "x/b", 1, "TCP", true], ["203.0.113.1", "x/b", 1, "TCP", false]],
);

scenario(
  "matchExpressions: NotIn and DoesNotExist hold for a missing key, In and Exists do not",
  [
    np("x", "notin", { podSelector: { matchLabels: { app: "a" } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["db"] }] } }] }] }),
    np("x", "dne", { podSelector: { matchLabels: { app: "b" } }, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: "env", operator: "DoesNotExist" }] }, podSelector: { matchExpressions: [{ key: "tier", operator: "Exists" }] } }] }] }),
  ],
  [["x/b", "x/a", 80, "TCP", true], ["y/a", "x/a", 80, "TCP", false], ["x/a", "x/b", 80, "TCP", true], ["y/a", "x/b", 80, "TCP", false]],
);

scenario(
  "ports: numbers, ranges with endPort, all ports of a protocol, protocol defaults to TCP",
  [np("x", "p", { podSelector: { matchLabels: { app: "a" } }, ingress: [{ ports: [{ port: 80 }, { port: 1000, endPort: 1010, protocol: "UDP" }, { protocol: "SCTP" }] }] })],
  [
    ["x/b", "x/a", 80, "TCP", true], ["x/b", "x/a", 80, "UDP", false], ["x/b", "x/a", 999, "UDP", false], ["x/b", "x/a", 1000, "UDP", true],
    ["x/b", "x/a", 1010, "UDP", true], ["x/b", "x/a", 1011, "UDP", false], ["x/b", "x/a", 1, "SCTP", true], ["x/b", "x/a", 65535, "SCTP", true],
  ],
);

scenario(
  "named ports resolve on the destination pod, with its protocol",
  [
    np("x", "in", { podSelector: {}, ingress: [{ ports: [{ port: "http" }, { port: "dns", protocol: "UDP" }] }] }),
    np("y", "out", { podSelector: { matchLabels: { app: "a" } }, egress: [{ ports: [{ port: "http" }] }] }),
  ],
  [
    ["y/a", "x/a", 8080, "TCP", true], ["y/a", "x/a", 9090, "TCP", false], ["y/a", "x/b", 9090, "TCP", true], ["y/a", "x/b", 8080, "TCP", false],
    ["x/b", "x/a", 53, "UDP", true], ["x/b", "x/a", 53, "TCP", false], ["y/a", "8.8.8.8", 8080, "TCP", false],
  ],
);

scenario(
  "ipBlock with except, IPv4 and IPv6, matching outside addresses and pod IPs",
  [
    np("x", "p", {
      podSelector: { matchLabels: { app: "a" } },
      ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.0.0/24"] } }, { ipBlock: { cidr: "fd00::/16", except: ["fd00::/112"] } }] }],
    }),
  ],
  [
    ["10.0.5.5", "x/a", 80, "TCP", true], ["10.0.0.5", "x/a", 80, "TCP", false], ["10.1.0.0", "x/a", 80, "TCP", false],
    ["fd00::2:1", "x/a", 80, "TCP", true], ["fd00::5", "x/a", 80, "TCP", false], ["fd01::1", "x/a", 80, "TCP", false],
    ["y/a", "x/a", 80, "TCP", true], ["x/b", "x/a", 80, "TCP", false], ["10.0.1.1", "x/a", 80, "TCP", true],
  ],
);

scenario(
  "ipBlockMatchesPods: false limits ipBlocks to addresses outside the cluster",
  [np("x", "p", { podSelector: { matchLabels: { app: "a" } }, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8" } }] }] })],
  [["y/a", "x/a", 80, "TCP", false], ["10.9.9.9", "x/a", 80, "TCP", true], ["10.0.1.1", "x/a", 80, "TCP", false]],
  { ipBlockMatchesPods: false },
);

scenario(
  "both ends must allow: the source's egress and the destination's ingress",
  [
    np("x", "egress", { podSelector: { matchLabels: { app: "a" } }, policyTypes: ["Egress"], egress: [{ to: [{ namespaceSelector: {} }] }] }),
    np("y", "ingress", { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
  ],
  [["x/a", "y/a", 80, "TCP", false], ["x/a", "x/b", 80, "TCP", true], ["y/a", "x/a", 80, "TCP", true], ["x/a", "8.8.8.8", 80, "TCP", false]],
);

scenario(
  "several policies add up",
  [
    np("x", "one", { podSelector: { matchLabels: { app: "a" } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: "b" } } }], ports: [{ port: 80 }] }] }),
    np("x", "two", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: "b" } } }], ports: [{ port: 81 }] }] }),
  ],
  [["x/b", "x/a", 80, "TCP", true], ["x/b", "x/a", 81, "TCP", false], ["y/a", "x/a", 81, "TCP", true], ["y/a", "x/a", 80, "TCP", false]],
);

scenario(
  "selfTraffic: allow (default) lets a pod reach itself under deny-all",
  [np("x", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] })],
  [["x/a", "x/a", 80, "TCP", true], ["10.0.0.1", "x/a", 80, "TCP", true], ["x/a", "fd00::1", 1, "UDP", true], ["x/a", "x/b", 80, "TCP", false]],
);

scenario(
  "selfTraffic: policy decides self traffic like any other",
  [np("x", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] })],
  [["x/a", "x/a", 80, "TCP", false], ["y/a", "y/a", 80, "TCP", true]],
  { selfTraffic: "policy" },
);

scenario(
  "host-network pods: never isolated, matched only by ipBlock (hostNetwork: host)",
  [
    np("y", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    np("x", "from-pods", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
  ],
  [["x/a", "y/host", 80, "TCP", true], ["y/host", "x/a", 80, "TCP", false], ["y/host", "203.0.113.1", 80, "TCP", true]],
);

scenario(
  "host-network pods as ordinary pods (hostNetwork: pod)",
  [
    np("y", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    np("x", "from-pods", { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] }),
  ],
  [["x/a", "y/host", 80, "TCP", false], ["y/host", "x/a", 80, "TCP", false], ["y/a", "x/a", 80, "TCP", false]],
  { hostNetwork: "pod" },
);

onEveryEvaluator("explanations name the isolating policies and the allowing rule", async (create) => {
  const e = await create({
    cluster,
    policies: [np("x", "p", { podSelector: { matchLabels: { app: "a" } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: "zz" } } }, { podSelector: { matchLabels: { app: "b" } } }], ports: [{ port: 1 }, { port: 80 }] }] })],
  });
  const d = e.decide({ from: "x/b", to: "x/a", port: 80 });
  assert.ok(d.allowed);
  assert.equal(d.explanation.ingress.isolatedBy, [{ index: 0, name: "x/p" }]);
  assert.equal(d.explanation.ingress.allowedBy, [{ policy: { index: 0, name: "x/p" }, direction: "Ingress", rule: 0, peer: 1, port: 1 }]);
  assert.is(d.explanation.egress.reason, "not-isolated");
  const no = e.decide({ from: "y/a", to: "x/a", port: 80 });
  assert.is(no.explanation.ingress.reason, "no-rule");
  assert.equal(no.explanation.ingress.allowedBy, []);
});

test.run();
