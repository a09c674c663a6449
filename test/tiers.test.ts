// The cluster-scoped tiers (ClusterNetworkPolicy v1alpha2; v1alpha1 ANP/BANP mapped onto
// them) with NetworkPolicy between them, case by case, on every evaluation path: each
// scenario checks decide, decideBatch, matrix and sideMatrix cells, and states the API
// text it checks.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EVALUATORS } from "../src/engine/create.js";
import { createEngine, type Engine, type Options, type PolicyManifest } from "../src/index.js";

const cluster = {
  namespaces: [
    { name: "x", labels: { team: "a" } },
    { name: "y", labels: { team: "b" } },
  ],
  pods: [
    { namespace: "x", name: "a", labels: { app: "a" }, ips: ["10.0.0.1"], ports: [{ name: "http", containerPort: 8080 }, { name: "dns", containerPort: 53, protocol: "UDP" }] },
    { namespace: "x", name: "b", labels: { app: "b" }, ips: ["10.0.0.2"] },
    { namespace: "y", name: "a", labels: { app: "a" }, ips: ["10.0.1.1", "fd00::1:1"], ports: [{ name: "http", containerPort: 9090 }] },
    { namespace: "y", name: "host", labels: { app: "host" }, ips: ["172.18.0.2"], hostNetwork: true, nodeName: "w1" },
  ],
  nodes: [
    { name: "w1", labels: { role: "worker" }, ips: ["172.18.0.2"] },
    { name: "cp", labels: { role: "control-plane" }, ips: ["172.18.0.9", "fd00::9"] },
  ],
};

type Spec = Record<string, unknown>;
const cnp = (name: string, tier: "Admin" | "Baseline", priority: number, spec: Spec): PolicyManifest => ({
  apiVersion: "policy.networking.k8s.io/v1alpha2",
  kind: "ClusterNetworkPolicy",
  metadata: { name },
  spec: { tier, priority, subject: { namespaces: {} }, ...spec },
});
const np = (namespace: string, name: string, spec: Spec): PolicyManifest => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name, namespace },
  spec: { podSelector: {}, ...spec },
});
const team = (t: string) => ({ namespaces: { matchLabels: { team: t } } });
const tcp = (n: number) => ({ tcp: { destinationPort: { number: n } } });

type Check = [from: string, to: string, port: number, protocol: "TCP" | "UDP" | "SCTP", allowed: boolean];

function scenario(name: string, policies: PolicyManifest[], checks: Check[], options: Partial<Options> = {}): void {
  for (const evaluator of EVALUATORS) {
    test(`[${evaluator}] ${name}`, async () => {
      const e: Engine = await createEngine({ cluster, policies, options, evaluator });
      const flows = checks.map(([from, to, port, protocol]) => ({ from, to, port, protocol }));
      const batch = e.decideBatch(flows);
      checks.forEach((c, i) => {
        const label = c.slice(0, 4).join(" ");
        const decision = e.decide(flows[i]!);
        assert.is(decision.allowed, c[4], `decide ${label}`);
        assert.is(batch[i] === 1, c[4], `decideBatch ${label}`);
        const [from, to] = [e.pods.indexOf(c[0]), e.pods.indexOf(c[1])];
        if (from < 0 || to < 0) return;
        const query = { port: c[2], protocol: c[3] };
        assert.is(e.matrix(query).allowed(from, to), c[4], `matrix ${label}`);
        assert.is(e.sideMatrix(query, "Egress").allowed(from, to), decision.explanation.egress.allowed, `egress side ${label}`);
        assert.is(e.sideMatrix(query, "Ingress").allowed(from, to), decision.explanation.ingress.allowed, `ingress side ${label}`);
        const counts = e.counts(query);
        assert.is(counts.reach[from], [...e.matrix(query).row(from)].length, `counts ${label}`);
      });
    });
  }
}

// "The Admin tier takes precedence over all other policies ... If Admin tier has made a final decision (Accept or Deny) on a connection, then no further evaluation is done."
scenario(
  "Admin Accept and Deny decide before NetworkPolicy",
  [
    np("x", "deny-all", { policyTypes: ["Ingress"] }),
    np("y", "allow-all", { ingress: [{}] }),
    cnp("accept-from-y", "Admin", 10, { subject: team("a"), ingress: [{ action: "Accept", from: [team("b")] }] }),
    cnp("deny-from-x", "Admin", 10, { subject: team("b"), ingress: [{ action: "Deny", from: [team("a")], protocols: [tcp(80)] }] }),
  ],
  [
    ["y/a", "x/a", 80, "TCP", true],
    ["x/b", "x/a", 80, "TCP", false],
    ["x/a", "y/a", 80, "TCP", false],
    ["x/a", "y/a", 81, "TCP", true],
  ],
);

// "v1.NetworkPolicy always makes a final decision for selected pods. Further evaluation only happens for Pods not selected by a v1.NetworkPolicy."
scenario(
  "Pass goes on to NetworkPolicy, then to Baseline; Baseline Deny only where no NetworkPolicy selects",
  [
    cnp("pass-all", "Admin", 1, { ingress: [{ action: "Pass", from: [{ namespaces: {} }] }] }),
    cnp("deny-later", "Admin", 2, { ingress: [{ action: "Deny", from: [{ namespaces: {} }] }] }),
    np("x", "allow-b", { podSelector: { matchLabels: { app: "a" } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: "b" } } }] }] }),
    cnp("baseline-deny", "Baseline", 5, { ingress: [{ action: "Deny", from: [{ namespaces: {} }] }] }),
  ],
  [
    ["x/b", "x/a", 80, "TCP", true],
    ["y/a", "x/a", 80, "TCP", false],
    ["x/a", "x/b", 80, "TCP", false],
    ["203.0.113.9", "x/b", 80, "TCP", true],
  ],
);

// "Baseline tier ... If Baseline tier has made a final decision (Accept or Deny) ... If a given connection wasn't allowed or denied by any of the tiers, the default ... all pods can communicate"
scenario(
  "Baseline: first matching rule decides; Accept and Pass allow; lower priority first",
  [
    cnp("b2", "Baseline", 2, { subject: team("b"), egress: [{ action: "Deny", to: [{ networks: ["0.0.0.0/0"] }] }] }),
    cnp("b1", "Baseline", 1, { subject: team("b"), egress: [{ action: "Accept", to: [{ networks: ["10.0.0.0/24"] }], protocols: [tcp(80)] }, { action: "Pass", to: [{ networks: ["10.0.0.2/32"] }] }] }),
  ],
  [
    ["y/a", "x/a", 80, "TCP", true],
    ["y/a", "x/a", 81, "TCP", false],
    ["y/a", "x/b", 81, "TCP", true],
    ["y/a", "203.0.113.9", 80, "TCP", false],
    ["y/a", "fd00::7", 80, "TCP", true],
  ],
);

// "Accept: ... No further egress ClusterNetworkPolicy or NetworkPolicy rules will be processed but any ingress rules at the destination do apply."
scenario(
  "an egress Accept ends only the egress side",
  [
    cnp("accept-out", "Admin", 1, { subject: team("a"), egress: [{ action: "Accept", to: [{ namespaces: {} }] }] }),
    np("x", "deny-egress", { policyTypes: ["Egress"] }),
    np("y", "deny-ingress", { policyTypes: ["Ingress"] }),
  ],
  [
    ["x/a", "y/a", 80, "TCP", false],
    ["x/a", "x/b", 80, "TCP", true],
    ["x/a", "203.0.113.9", 80, "TCP", false],
  ],
);

// "The relative precedence of ... rules within a single CNP object ... will be determined by the order in which the rule is written."
scenario(
  "rules in written order; protocols: numbers, ranges, named ports; no protocols means all",
  [
    cnp("ordered", "Admin", 1, {
      subject: team("b"),
      ingress: [
        { action: "Accept", from: [team("a")], protocols: [{ destinationNamedPort: "http" }] },
        { action: "Deny", from: [team("a")], protocols: [{ udp: { destinationPort: { range: { start: 50, end: 60 } } } }, tcp(9090)] },
        { action: "Accept", from: [{ pods: { podSelector: { matchLabels: { app: "b" } } } }] },
        { action: "Deny", from: [team("a")] },
      ],
    }),
  ],
  [
    ["x/a", "y/a", 9090, "TCP", true],
    ["x/a", "y/a", 55, "UDP", false],
    ["x/b", "y/a", 55, "UDP", false],
    ["x/b", "y/a", 7, "SCTP", true],
    ["x/a", "y/a", 7, "SCTP", false],
    ["203.0.113.9", "y/a", 7, "SCTP", true],
  ],
);

// "Note that host-networked pods are not included in subject selection." / "...are not included in this type of peer." / nodes: "matching on the IPs present in the node.Status.Addresses"
scenario(
  "host-network pods: never subjects, never pods peers; reached at their node through nodes and networks peers",
  [
    cnp("deny-all", "Admin", 1, { egress: [{ action: "Deny", to: [{ namespaces: {} }] }], ingress: [{ action: "Deny", from: [{ namespaces: {} }] }] }),
    cnp("deny-workers", "Admin", 2, { subject: team("a"), egress: [{ action: "Deny", to: [{ nodes: { matchLabels: { role: "worker" } } }] }] }),
    cnp("deny-cp-v6", "Admin", 3, { subject: team("b"), egress: [{ action: "Deny", to: [{ networks: ["fd00::9/128"] }] }] }),
  ],
  [
    ["y/host", "x/b", 80, "TCP", true],
    ["x/a", "y/host", 80, "TCP", false],
    ["y/host", "203.0.113.9", 80, "TCP", true],
    ["x/a", "node:w1", 80, "TCP", false],
    ["x/a", "node:cp", 80, "TCP", true],
    ["y/a", "node:cp", 80, "TCP", false],
    ["y/a", "172.18.0.9", 80, "TCP", false],
    ["node:cp", "x/a", 80, "TCP", true],
  ],
);

scenario(
  "host-network pods stay out of the tiers under hostNetwork: pod (an option about NetworkPolicy only)",
  [cnp("deny-all", "Admin", 1, { ingress: [{ action: "Deny", from: [{ namespaces: {} }] }] }), np("y", "deny-y", { policyTypes: ["Ingress"] })],
  [
    ["x/a", "y/host", 80, "TCP", false],
    ["y/host", "x/a", 80, "TCP", true],
  ],
  { hostNetwork: "pod" },
);

// "A Pod connecting to its own Pod IP is not subject to CNP." (api-overview)
scenario(
  "self traffic skips both tiers under selfTraffic: policy; NetworkPolicy still decides",
  [cnp("deny-all", "Admin", 1, { ingress: [{ action: "Deny", from: [{ namespaces: {} }] }] }), np("y", "deny-y", { policyTypes: ["Ingress"] })],
  [
    ["x/a", "x/a", 80, "TCP", true],
    ["y/a", "y/a", 80, "TCP", false],
    ["x/b", "x/a", 80, "TCP", false],
  ],
  { selfTraffic: "policy" },
);

scenario(
  "v1alpha1: AdminNetworkPolicy Allow is Accept in the Admin tier; BaselineAdminNetworkPolicy comes after Baseline ClusterNetworkPolicies",
  [
    {
      apiVersion: "policy.networking.k8s.io/v1alpha1",
      kind: "AdminNetworkPolicy",
      metadata: { name: "anp" },
      spec: { priority: 5, subject: { namespaces: {} }, ingress: [{ action: "Allow", from: [team("a")], ports: [{ portNumber: { port: 80 } }] }] },
    },
    cnp("admin-deny", "Admin", 6, { ingress: [{ action: "Deny", from: [team("a")] }] }),
    {
      apiVersion: "policy.networking.k8s.io/v1alpha1",
      kind: "BaselineAdminNetworkPolicy",
      metadata: { name: "default" },
      spec: { subject: { namespaces: {} }, egress: [{ action: "Deny", to: [team("a")] }] },
    },
    cnp("baseline-accept", "Baseline", 1000, { subject: team("b"), egress: [{ action: "Accept", to: [team("a")], protocols: [tcp(8080)] }] }),
  ],
  [
    ["x/a", "y/a", 80, "TCP", true],
    ["x/a", "y/a", 81, "TCP", false],
    ["y/a", "x/a", 8080, "TCP", true],
    ["y/a", "x/a", 8081, "TCP", false],
    ["y/a", "203.0.113.9", 1, "TCP", true],
  ],
);

for (const evaluator of EVALUATORS) {
  test(`[${evaluator}] equal priorities: broken by name, warned about, explained`, async () => {
    const e = await createEngine({
      cluster,
      evaluator,
      policies: [
        cnp("zeta-accept", "Admin", 7, { subject: team("b"), ingress: [{ action: "Accept", from: [{ namespaces: {} }] }] }),
        cnp("alpha-deny", "Admin", 7, { subject: team("b"), ingress: [{ name: "no-a", action: "Deny", from: [team("a")] }] }),
        cnp("other-subject", "Admin", 7, { subject: team("a"), ingress: [{ action: "Deny", from: [team("a")] }] }),
      ],
    });
    const d = e.decide({ from: "x/a", to: "y/a", port: 80 });
    assert.is(d.allowed, false);
    const admin = d.explanation.ingress.admin!;
    assert.equal(
      [admin.matched?.policy.name, admin.matched?.name, admin.matched?.action, admin.ties.map((t) => t.name)],
      ["alpha-deny", "no-a", "Deny", ["zeta-accept"]],
    );
    assert.equal(admin.subjectOf.map((p) => p.name), ["alpha-deny", "zeta-accept"]);
    assert.is(e.decide({ from: "203.0.113.1", to: "y/a", port: 80 }).explanation.ingress.admin!.ties.length, 0);
    const warnings = e.warnings.map((w) => `${w.object}: ${w.message}`);
    assert.equal(warnings.length, 1, warnings.join("\n"));
    assert.ok(warnings[0]!.startsWith("ClusterNetworkPolicy alpha-deny: same tier (Admin) and priority (7) as ClusterNetworkPolicy zeta-accept"), warnings[0]);
  });

  test(`[${evaluator}] explanations walk the tiers side by side`, async () => {
    const e = await createEngine({
      cluster,
      evaluator,
      policies: [
        cnp("pass", "Admin", 1, { subject: team("a"), egress: [{ action: "Pass", to: [{ namespaces: {} }] }] }),
        np("y", "deny", { policyTypes: ["Ingress"] }),
        cnp("base", "Baseline", 1, { subject: team("a"), egress: [{ action: "Deny", to: [team("a")] }] }),
      ],
    });
    const out = e.decide({ from: "x/a", to: "y/a", port: 80 }).explanation;
    assert.equal([out.egress.reason, out.egress.admin?.matched?.action, out.egress.baseline?.matched, out.egress.allowed], ["not-isolated", "Pass", null, true]);
    assert.equal([out.ingress.reason, out.ingress.admin?.subjectOf, out.ingress.isolatedBy.map((p) => p.name)], ["no-rule", [], ["y/deny"]]);
    const within = e.decide({ from: "x/a", to: "x/b", port: 80 }).explanation.egress;
    assert.equal([within.reason, within.allowed, within.baseline?.matched?.policy.name], ["baseline", false, "base"]);
  });

  test(`[${evaluator}] update: upsert and remove cluster-scoped policies`, async () => {
    const e = await createEngine({ cluster, evaluator, policies: [] });
    const flow = { from: "x/a", to: "y/a", port: 80 };
    e.update({ op: "upsertPolicy", policy: cnp("p", "Admin", 1, { ingress: [{ action: "Deny", from: [{ namespaces: {} }] }] }) });
    assert.is(e.decide(flow).allowed, false);
    e.update({ op: "upsertPolicy", policy: cnp("p", "Admin", 1, { ingress: [{ action: "Accept", from: [{ namespaces: {} }] }] }) });
    e.update({ op: "upsertPolicy", policy: cnp("q", "Baseline", 1, { ingress: [{ action: "Deny", from: [{ namespaces: {} }] }] }) });
    assert.is(e.decide(flow).allowed, true);
    e.update({ op: "removePolicy", policy: "ClusterNetworkPolicy/p" });
    assert.is(e.decide(flow).allowed, false);
    assert.throws(() => e.update({ op: "removePolicy", policy: "ClusterNetworkPolicy/p" }), /unknown policy `ClusterNetworkPolicy\/p`/);
    assert.throws(() => e.update({ op: "upsertPolicy", policy: cnp("bad", "Admin", 2000, {}) }), /update.policy.spec.priority: invalid value `2000`/);
  });

  test(`[${evaluator}] duplicate cluster-scoped policies are refused`, async () => {
    const p = cnp("same", "Admin", 1, {});
    try {
      await createEngine({ cluster, evaluator, policies: [p, p] });
      assert.unreachable("accepted a duplicate");
    } catch (error) {
      assert.match(String(error), "policies[1]: metadata.name: duplicate ClusterNetworkPolicy `same`: policies[0] has the same name");
    }
  });
}

test.run();
