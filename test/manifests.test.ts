// parseManifests: YAML and JSON text in, policies and the compact cluster out, with
// every problem located by document, line and field path.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: x}
spec: {podSelector: {}}
`;

test("multi-document YAML with policies, namespaces and pods", () => {
  const m = parseManifests(`${POLICY}---
apiVersion: v1
kind: Namespace
metadata: {name: x, labels: {team: a}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: x, labels: {app: web}}
spec:
  hostNetwork: false
  containers:
  - ports: [{name: http, containerPort: 8080}, {containerPort: 53, protocol: UDP}]
status: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.1}, {ip: "fd00::1"}]}
`);
  assert.equal(m.issues, []);
  assert.is(m.policies.length, 1);
  assert.equal(m.policyLocations, [{ document: 0, line: 1, path: "" }]);
  assert.equal(m.namespaces, [{ name: "x", labels: Object.assign(Object.create(null), { team: "a" }) }]);
  assert.equal(m.pods[0]!.ips, ["10.0.0.1", "fd00::1"]);
  assert.equal(m.pods[0]!.ports, [{ name: "http", containerPort: 8080, protocol: "TCP" }, { containerPort: 53, protocol: "UDP" }]);
});

test("List and typed lists, items without kind in a typed list", () => {
  const m = parseManifests(
    JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicyList", items: [{ metadata: { name: "a" }, spec: {} }] },
        { kind: "NetworkPolicyList", items: [{ metadata: { name: "b" }, spec: {} }] },
        { kind: "PodList", items: [{ metadata: { name: "p", namespace: "y" }, status: { podIP: "10.0.0.2" } }] },
      ],
    }),
  );
  assert.equal(m.issues.map((i) => i.path), ["items[2].items[0].metadata.namespace"], "only the warning that namespace y is not defined");
  assert.equal(m.policies.map((p) => p.metadata?.name), ["a", "b"]);
  assert.equal(m.pods.map((p) => `${p.namespace}/${p.name}`), ["y/p"]);
});

test("a JSON array of objects and a compact cluster document", () => {
  const m = parseManifests(JSON.stringify([JSON.parse(JSON.stringify({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "p" }, spec: {} })), { namespaces: [{ name: "q" }], pods: [{ namespace: "q", name: "a" }] }]));
  assert.equal(m.issues, []);
  assert.is(m.policies.length, 1);
  assert.is(m.pods[0]!.name, "a");
});

test("a compact cluster document with only Services (or only DNS records) is a compact cluster too", () => {
  const m = parseManifests("services:\n- namespace: shop\n  name: api\n  selector: {app: api}\n  ports: [{port: 80}]\n---\ndns:\n- name: db.example.com\n  ips: [192.0.2.1]\n");
  // read as a Service (which then selects no pod of this input), not refused as an unknown object
  assert.equal(m.issues.map((i) => `${i.severity} ${i.path}: ${i.message}`), ["warning services[0]: Service `shop/service/api` selects no pod of the input: it stands for no pod"]);
  assert.equal([m.services.length, m.dns.length], [1, 1]);
});

test("problems carry document, line, object and path; the rest still loads", () => {
  const m = parseManifests(
    `${POLICY}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad, namespace: x}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: 100, endPort: 10}]
---
kind: ConfigMap
metadata: {name: d}
---
: : :
---
apiVersion: v1
kind: Pod
metadata: {name: ok, namespace: x}
`,
    { file: "in.yaml" },
  );
  assert.is(m.policies.length, 1);
  assert.is(m.pods.length, 1);
  const bad = m.issues.find((i) => i.path === "spec.ingress[0].ports[0].endPort")!;
  assert.ok(bad, JSON.stringify(m.issues));
  assert.equal([bad.document, bad.line, bad.file, bad.object, bad.severity], [1, 12, "in.yaml", "NetworkPolicy x/bad", "error"]);
  const skipped = m.issues.find((i) => i.message.includes("unsupported kind"))!;
  assert.equal([skipped.document, skipped.severity, skipped.message], [2, "warning", "skipped object of unsupported kind `ConfigMap`"]);
  assert.ok(m.issues.some((i) => i.document === 3 && i.message.startsWith("invalid YAML")));
});

test("hostile input: broken YAML, aliases bombs, deep nesting, huge numbers, __proto__", () => {
  const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
  for (const text of ["{", "[[[[", "key: [unclosed", bomb, "[".repeat(100000) + "]".repeat(100000), "x".repeat(1000), "\u0000\u0001", "{\"kind\": \"NetworkPolicy\", \"metadata\": {\"name\": \"p\"}, \"spec\": {\"ingress\": [{\"ports\": [{\"port\": 1e400}]}]}}"]) {
    const m = parseManifests(text);
    assert.ok(m.issues.length > 0, text.slice(0, 30));
  }
  const proto = parseManifests('{"kind":"Namespace","metadata":{"name":"x","labels":{"__proto__":{"polluted":1}}}}');
  assert.ok(proto.issues.some((i) => i.path === "metadata.labels.__proto__"), JSON.stringify(proto.issues));
  assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
});

test("empty input is no problem", () => {
  for (const text of ["", "\n", "---\n", "# only a comment\n"]) assert.equal(parseManifests(text).issues, []);
});

test("parsed manifests feed createEngine directly", async () => {
  const m = parseManifests(`${POLICY}---\n{namespaces: [{name: x}], pods: [{namespace: x, name: a, ips: [10.0.0.1]}, {namespace: x, name: b}]}\n`);
  const e = await createEngine({ cluster: { namespaces: m.namespaces, pods: m.pods }, policies: m.policies });
  assert.not.ok(e.decide({ from: "x/b", to: "x/a", port: 80 }).allowed);
  assert.ok(e.decide({ from: "x/a", to: "203.0.113.9", port: 80 }).allowed);
});

test("a conformance case's null policy is an error, as createEngine says", async () => {
  const text = JSON.stringify({ cluster: { pods: [{ namespace: "x", name: "p", ips: ["10.0.0.1"] }] }, policies: [null] });
  const errors = parseManifests(text).issues.filter((i) => i.severity === "error");
  assert.equal(errors.map((i) => i.path), ["policies[0]"]);
  await createEngine({ cluster: { pods: [] }, policies: [null] as never }).then(
    () => assert.unreachable("createEngine accepted a null policy"),
    (error: Error) => assert.match(error.message, "policies[0]"),
  );
});

test.run();
