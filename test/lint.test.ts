// Engine.lint on every evaluator: each finding on a small hand-written input, and
// none on a clean one.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { onEveryEvaluator } from "./support/evaluators.js";
import type { EngineInput } from "../src/api/engine.js";
import type { NetworkPolicyManifest } from "../src/decode/manifest-types.js";

const np = (namespace: string, name: string, spec: NetworkPolicyManifest["spec"]): NetworkPolicyManifest => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { namespace, name }, spec });

const INPUT: EngineInput = {
  cluster: {
    namespaces: [{ name: "a" }, { name: "b" }],
    pods: [
      { namespace: "a", name: "web", labels: { app: "web" }, ips: ["10.0.0.1"], ports: [{ name: "http", containerPort: 8080 }] },
      { namespace: "a", name: "api", labels: { app: "api" }, ips: ["10.0.0.2"] },
      { namespace: "b", name: "job", labels: { app: "job" }, ips: ["10.0.1.1"] },
    ],
  },
  policies: [
    np("a", "deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
    np("a", "ghost", { podSelector: { matchLabels: { app: "ghost" } }, ingress: [{}] }),
    np("a", "web", {
      podSelector: { matchLabels: { app: "web" } },
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: "api" } } }], ports: [{ port: "http" }] },
        { from: [{ podSelector: { matchLabels: { app: "nobody" } } }] },
        { from: [{ ipBlock: { cidr: "10.0.0.0/24" } }], ports: [{ port: 8080 }] },
        { ports: [{ port: "grpc" }] },
      ],
    }),
    np("a", "api-out", { podSelector: { matchLabels: { app: "api" } }, egress: [{ to: [{ podSelector: { matchLabels: { app: "web" } } }] }] }),
  ],
};

onEveryEvaluator("lint finds each kind of problem, with its policy and field path", async (create) => {
  const findings = (await create(INPUT)).lint();
  const got = findings.map((f) => `${f.rule} ${f.policy ?? "-"} ${f.path}`);
  for (const expected of [
    "policy-selects-no-pod 1 spec.podSelector",
    "peer-selects-nothing 2 spec.ingress[1].from[0]",
    "ipblock-covers-pods 2 spec.ingress[2].from[0].ipBlock.cidr",
    "named-port-unresolved 2 spec.ingress[3].ports[0].port",
    "rule-never-decides 1 spec.ingress[0]",
    "rule-never-decides 2 spec.ingress[1]",
    "rule-never-decides 2 spec.ingress[3]",
    "no-dns-egress 0 spec.egress",
    "namespace-without-default-deny - ",
  ]) {
    assert.ok(got.includes(expected), `missing ${expected} in\n${got.join("\n")}`);
  }
  // api → web on 8080 is allowed by rule 0 (named port http) and by rule 2 (the ipBlock): neither decides alone
  assert.ok(got.includes("rule-never-decides 2 spec.ingress[0]"));
  assert.not.ok(got.includes("rule-never-decides 3 spec.egress[0]"), "api-out's rule lets api reach web");
  const deny = findings.find((f) => f.rule === "namespace-without-default-deny")!;
  assert.match(deny.message, /namespace b has 1 pod/);
  assert.is(deny.severity, "info");
  assert.ok(findings.every((f) => f.fix.length > 0));
});

onEveryEvaluator("lint: a clean policy set has no warning", async (create) => {
  const engine = await create({
    cluster: { namespaces: [{ name: "a" }], pods: [{ namespace: "a", name: "web", labels: { app: "web" }, ips: ["10.0.0.1"], ports: [{ name: "http", containerPort: 8080 }] }] },
    policies: [np("a", "web", { podSelector: {}, ingress: [{ ports: [{ port: "http" }] }] })],
  });
  assert.equal(engine.lint(), []);
});

test.run();
