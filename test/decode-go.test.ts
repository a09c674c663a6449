// Decoding as the API server's Go code decodes: encoding/json (through
// sigs.k8s.io/json) reads a `null` list element as the element type's zero value and
// a `null` map[string]string value as "", and an empty `metadata.namespace` is Go's
// zero value, an unset namespace, which kubectl fills with the default namespace.
// Then the API's defaulting (pkg/apis/networking/v1/defaults.go: a port's protocol
// is TCP) and validation run on what was decoded.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeNetworkPolicy, podEntryId } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { onEveryEvaluator, type EngineFactory } from "./support/evaluators.js";

const CLUSTER = {
  namespaces: [{ name: "default" }, { name: "x" }],
  pods: [
    { namespace: "default", name: "db", labels: { app: "db" }, ips: ["10.0.0.2"] },
    { namespace: "x", name: "web", labels: { app: "web" }, ips: ["10.0.1.2"] },
  ],
};

const policy = (spec: unknown, namespace: unknown = "default"): unknown => ({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p", namespace }, spec });

/** The verdict from x/web to default/db on TCP `port`, on one evaluator. */
async function verdict(create: EngineFactory, p: unknown, port = 80): Promise<boolean> {
  return (await create.fromJson({ cluster: CLUSTER, policies: [p] })).decide({ from: "x/web", to: "default/db", port }).allowed;
}

onEveryEvaluator("`ingress: [null]` is one empty rule (NetworkPolicyIngressRule{}), which allows everything", async (create) => {
  const p = policy({ podSelector: {}, ingress: [null] });
  assert.ok(decodeNetworkPolicy(p).ok);
  assert.ok(await verdict(create, p));
  assert.not.ok(await verdict(create, policy({ podSelector: {}, ingress: [] })));
});

onEveryEvaluator("`ports: [null]` is one NetworkPolicyPort{}: every port, protocol defaulted to TCP", async (create) => {
  const p = policy({ podSelector: {}, ingress: [{ ports: [null] }] });
  assert.ok(await verdict(create, p, 80));
  assert.ok(await verdict(create, p, 6553));
});

onEveryEvaluator("`values: [null]` is the empty string, a valid label value", async (create) => {
  const p = policy({ podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: "tier", operator: "NotIn", values: [null] }] } }] }] });
  assert.ok(decodeNetworkPolicy(p).ok);
  assert.ok(await verdict(create, p), "web has no tier label, so it is not in [\"\"]");
});

test("null elements that decode to an invalid zero value get the API server's error", () => {
  const issues = (p: unknown): string[] => {
    const d = decodeNetworkPolicy(p);
    return d.ok ? [] : d.issues.map((i) => `${i.path}: ${i.message}`);
  };
  assert.equal(issues(policy({ podSelector: {}, ingress: [{ from: [null] }] })), ["spec.ingress[0].from[0]: must specify a peer"]);
  assert.equal(issues(policy({ podSelector: {}, policyTypes: [null] })), ['spec.policyTypes[0]: unsupported value ``: supported values: "Egress", "Ingress"']);
  assert.equal(issues(policy({ podSelector: { matchExpressions: [null] } })), ["spec.podSelector.matchExpressions[0].operator: required value", "spec.podSelector.matchExpressions[0].key: required value"]);
});

test("a null label value is the empty label value, as encoding/json leaves a map[string]string element", () => {
  const m = parseManifests("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: x\n  labels:\n    empty:\n    tilde: ~\n");
  assert.equal(m.issues, []);
  assert.equal({ ...m.namespaces[0]!.labels }, { empty: "", tilde: "" });
});

onEveryEvaluator("`metadata.namespace: \"\"` is the default namespace, for policies, pods and workloads", async (create) => {
  const p = policy({ podSelector: {}, ingress: [] }, "");
  assert.ok(decodeNetworkPolicy(p).ok);
  assert.not.ok(await verdict(create, p), "the policy isolates default/db");
  const m = parseManifests(`apiVersion: v1
kind: Pod
metadata: {name: a, namespace: ""}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: ""}
spec: {template: {metadata: {labels: {app: d}}}}
---
${JSON.stringify(p)}
`);
  assert.equal(m.issues.filter((i) => i.severity === "error"), []);
  assert.equal(m.pods.map((q) => podEntryId(q)), ["default/a", "default/deployment/d"]);
});

test.run();
