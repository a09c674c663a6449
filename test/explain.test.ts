// The one renderer of decisions and policies (src/explain/): structured parts that
// name peers and ports in words, and the text built from them, on both evaluators.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { describeDecision, explanationText, policyLines, type NetworkPolicyManifest } from "../src/index.js";
import { onEveryEvaluator } from "./support/evaluators.js";

const cluster = {
  namespaces: [{ name: "x", labels: { team: "a" } }],
  pods: [
    { namespace: "x", name: "a", labels: { app: "a" }, ips: ["10.0.0.1"], ports: [{ name: "http", containerPort: 8080 }] },
    { namespace: "x", name: "b", labels: { app: "b" }, ips: ["10.0.0.2"] },
  ],
};
const policies: NetworkPolicyManifest[] = [
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { namespace: "x", name: "web" },
    spec: {
      podSelector: { matchLabels: { app: "a" } },
      ingress: [{ from: [{ ipBlock: { cidr: "192.168.0.0/16", except: ["192.168.1.0/24"] } }, { podSelector: { matchLabels: { app: "b" } } }], ports: [{ port: 1, endPort: 10 }, { port: "http" }] }],
    },
  },
];

onEveryEvaluator("an allowing rule is described with its peer and port in words", (create) => {
  const engine = create.sync({ cluster, policies });
  const d = engine.decide({ from: "x/b", to: "x/a", port: 8080 });
  const described = describeDecision(d.explanation, { rules: engine.rules, from: "x/b", to: "x/a" });
  assert.is(described.allowed, true);
  assert.is(described.egress.summary, "allowed, no policy selects it for egress");
  assert.is(described.ingress.end, "x/a");
  assert.equal(described.ingress.isolatedBy, [{ index: 0, name: "x/web" }]);
  assert.equal(
    described.ingress.allowedBy.map((r) => [r.policy, r.rule, r.peer, r.port]),
    [["x/web", "ingress rule 0", "from[1] pods with label app=b in namespace x", "ports[1] the TCP port named http"]],
  );
  assert.is(
    explanationText(d.explanation, "x/b", "x/a", engine.rules),
    [
      "allowed",
      "  egress of x/b: allowed, no policy selects it for egress",
      "  ingress of x/a: allowed, isolated by x/web; allowed by:",
      "    x/web ingress rule 0: from[1] pods with label app=b in namespace x, ports[1] the TCP port named http",
    ].join("\n"),
  );
});

onEveryEvaluator("every allowing (peer, port) pair is listed, not only the first", (create) => {
  const engine = create.sync({ cluster, policies });
  const d = engine.decide({ from: "192.168.7.7", to: "x/a", port: 5 });
  const rules = describeDecision(d.explanation, { rules: engine.rules }).ingress.allowedBy.map((r) => `${r.peer} / ${r.port}`);
  assert.equal(rules, ["from[0] IP addresses in 192.168.0.0/16 except 192.168.1.0/24 / ports[0] TCP ports 1-10"]);
});

onEveryEvaluator("without the rule set, peers and ports are named by index", (create) => {
  const engine = create.sync({ cluster, policies });
  const d = engine.decide({ from: "x/b", to: "x/a", port: 8080 });
  assert.match(explanationText(d.explanation, "x/b", "x/a"), "x/web ingress rule 0: from[1], ports[1]");
});

onEveryEvaluator("denied and outside sides say why", (create) => {
  const engine = create.sync({ cluster, policies });
  const denied = describeDecision(engine.decide({ from: "x/b", to: "x/a", port: 9999 }).explanation, { rules: engine.rules });
  assert.is(denied.ingress.summary, "denied, isolated by x/web and no ingress rule allows it");
  const outside = describeDecision(engine.decide({ from: "x/a", to: "8.8.8.8", port: 53 }).explanation);
  assert.is(outside.ingress.summary, "allowed, an address outside the cluster, which no policy governs");
});

onEveryEvaluator("a policy in words, with the pods the engine says it selects", (create) => {
  const engine = create.sync({ cluster, policies });
  const policy = engine.rules.policies[0]!;
  const lines = policyLines(policy, engine.selectedPods(policy.index).map((i) => engine.pods[i]!));
  assert.equal(lines.slice(0, 2), ["isolates pods with label app=a in namespace x for ingress (if they were not already isolated)", "selects x/a"]);
  assert.match(lines.join("\n"), "ingress rule 0: allows connections on TCP ports 1-10 or the TCP port named http from any of:");
});
test.run();
