// ClusterNetworkPolicy `domainNames` peers resolved through the cluster's DNS records
// (`cluster.dns`): the wildcard rule of the CRD's DomainName documentation, the
// records' checks with their paths, and the verdicts on every evaluator.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Engine, EngineInput } from "../src/api/engine.js";
import { canonicalDomainName, domainNameMatches } from "../src/primitives/domain-name.js";
import { formatIssue } from "../src/primitives/issues.js";
import { decodeCluster } from "../src/validate/decoders.js";
import { parseManifests } from "../src/manifests-entry.js";
import { onEveryEvaluator } from "./support/evaluators.js";

test("domainNameMatches reads the CRD's examples", () => {
  const m = (pattern: string, name: string) => domainNameMatches(canonicalDomainName(pattern), canonicalDomainName(name));
  // `kubernetes.io` matches only `kubernetes.io`
  assert.ok(m("kubernetes.io", "kubernetes.io"));
  for (const other of ["www.kubernetes.io", "blog.kubernetes.io", "my-kubernetes.io", "wikipedia.org"]) assert.not.ok(m("kubernetes.io", other), other);
  // `blog.kubernetes.io` matches only itself
  assert.ok(m("blog.kubernetes.io", "blog.kubernetes.io"));
  assert.not.ok(m("blog.kubernetes.io", "www.kubernetes.io"));
  assert.not.ok(m("blog.kubernetes.io", "kubernetes.io"));
  // `*.kubernetes.io`: one or more whole labels, never the bare domain or a partial label
  for (const sub of ["www.kubernetes.io", "blog.kubernetes.io", "latest.blog.kubernetes.io"]) assert.ok(m("*.kubernetes.io", sub), sub);
  for (const other of ["kubernetes.io", "wikipedia.org", "my-kubernetes.io"]) assert.not.ok(m("*.kubernetes.io", other), other);
  // case and a trailing dot do not matter (RFC 4343; a fully qualified name)
  assert.ok(m("API.Example.com.", "api.example.com"));
  assert.ok(m("*.EXAMPLE.com", "www.example.COM."));
});

const problems = (cluster: unknown): string[] => {
  const r = decodeCluster(cluster);
  return r.ok ? [] : r.issues.map(formatIssue);
};

test("cluster.dns records: names and addresses are checked with their paths", () => {
  assert.equal(problems({ dns: [{ name: "api.example.com", ips: ["203.0.113.7", "2001:db8::7"] }, { name: "empty.example.com" }] }), []);
  assert.equal(problems({ dns: [{ ips: [] }] }), ["dns[0].name: required value"]);
  assert.ok(problems({ dns: [{ name: "*.example.com" }] })[0]!.startsWith("dns[0].name: invalid value `*.example.com`: must be a fully qualified domain name"));
  assert.ok(problems({ dns: [{ name: "localhost" }] })[0]!.startsWith("dns[0].name: invalid value `localhost`"));
  assert.equal(problems({ dns: [{ name: "a.example.com" }, { name: "A.Example.com." }] }), ["dns[1].name: duplicate DNS name `A.Example.com.` (first as `a.example.com`)"]);
  assert.equal(problems({ dns: [{ name: "a.example.com", ips: ["203.0.113.300"] }] }), ["dns[0].ips[0]: invalid value `203.0.113.300`: must be a valid IP address"]);
  assert.equal(problems({ dns: {} }).length, 1, "dns must be a list");
});

test("parseManifests reads dns records of compact clusters, and refuses a name given twice across documents", () => {
  const m = parseManifests(`dns:
- {name: api.example.com, ips: [203.0.113.7]}
- {name: bad name}
---
dns:
- {name: API.example.com., ips: [203.0.113.8]}
`);
  assert.equal(m.dns, [{ name: "api.example.com", ips: ["203.0.113.7"] }]);
  assert.equal(m.dnsLocations.map((l) => [l.document, l.path]), [[0, "dns[0]"]]);
  const errors = m.issues.filter((i) => i.severity === "error").map((i) => `${i.document} ${i.path}: ${i.message}`);
  assert.equal(errors.length, 2, JSON.stringify(errors));
  assert.ok(errors[0]!.startsWith("0 dns[1].name: invalid value `bad name`"), errors[0]);
  assert.ok(errors[1]!.startsWith("1 dns[0]: duplicate DNS name `API.example.com.`, first defined at"), errors[1]);
});

const cluster = {
  namespaces: [{ name: "x", labels: { team: "x" } }],
  pods: [
    { namespace: "x", name: "client", labels: { app: "client" }, ips: ["10.0.0.1"] },
    { namespace: "x", name: "server", labels: { app: "server" }, ips: ["10.0.0.2"] },
  ],
  nodes: [{ name: "w1", labels: {}, ips: ["192.168.0.1"] }],
  dns: [
    { name: "api.example.com", ips: ["203.0.113.7", "2001:db8::7"] },
    { name: "www.example.org", ips: ["198.51.100.1"] },
    { name: "deep.www.example.org.", ips: ["198.51.100.2"] },
    { name: "example.org", ips: ["198.51.100.9"] },
    { name: "server.x.example.net", ips: ["10.0.0.2"] },
    { name: "node.example.net", ips: ["192.168.0.1"] },
  ],
};
// Accept what the names resolve to, deny the rest of the client's egress
const allowlist = {
  apiVersion: "policy.networking.k8s.io/v1alpha2",
  kind: "ClusterNetworkPolicy",
  metadata: { name: "allowlist" },
  spec: {
    tier: "Admin",
    priority: 1,
    subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: "client" } } } },
    egress: [
      { name: "names", action: "Accept", to: [{ domainNames: ["API.example.com.", "*.example.org", "server.x.example.net", "node.example.net"] }] },
      { name: "rest", action: "Deny", to: [{ networks: ["0.0.0.0/0", "::/0"] }] },
    ],
  },
};

const build = (create: (input: EngineInput) => Engine, c: unknown = cluster): Engine =>
  create({ cluster: c as EngineInput["cluster"], policies: [allowlist] as EngineInput["policies"] });

onEveryEvaluator("domainNames match the addresses of the records their names match", (create) => {
  const e = build(create.sync);
  const checks: [string, boolean][] = [
    ["203.0.113.7", true], // api.example.com, written in another case and with a trailing dot
    ["2001:db8::7", true],
    ["203.0.113.8", false],
    ["198.51.100.1", true], // www.example.org by *.example.org
    ["198.51.100.2", true], // deep.www.example.org: several labels
    ["198.51.100.9", false], // example.org itself is not *.example.org
    ["x/server", true], // a pod by its record, as networks would
    ["node:w1", true], // a node by its address
  ];
  const flows = checks.map(([to]) => ({ from: "x/client", to, port: 443 }));
  const want = checks.map(([, allowed]) => allowed);
  assert.equal(flows.map((f) => e.decide(f).allowed), want);
  assert.equal([...e.decideBatch(flows)].map((v) => v === 1), want);
  const m = e.matrix({ port: 443 });
  assert.ok(m.allowed(e.pods.indexOf("x/client"), e.pods.indexOf("x/server")));
  const step = e.decide({ from: "x/client", to: "203.0.113.7", port: 443 }).explanation.egress.admin;
  assert.equal([step?.matched?.name, step?.matched?.action, step?.matched?.peer], ["names", "Accept", 0]);
});

onEveryEvaluator("connections cut the outside ranges at every address a domainNames peer resolves to", (create) => {
  const e = build(create.sync);
  const outside = [...e.connections()].filter((c) => c.from === "x/client" && !c.to.includes("/")).map((c) => c.to);
  for (const address of ["203.0.113.7", "198.51.100.1", "198.51.100.2"]) assert.ok(outside.includes(`${address}-${address}`), `${address} in ${outside.join(" ")}`);
  assert.not.ok(outside.some((r) => r.startsWith("198.51.100.9")), "example.org itself is not allowed");
});

onEveryEvaluator("without DNS records a domainNames peer matches no address", (create) => {
  const e = build(create.sync, { ...cluster, dns: [] });
  assert.is(e.decide({ from: "x/client", to: "203.0.113.7", port: 443 }).allowed, false);
  assert.is(e.decide({ from: "x/client", to: "x/server", port: 443 }).allowed, false, "the pod's record is gone: the Deny on 0.0.0.0/0 holds it");
});

onEveryEvaluator("a bad DNS record is refused with its path", async (create) => {
  const error = await create.rejection({ cluster: { ...cluster, dns: [{ name: "*.example.com", ips: [] }] }, policies: [] });
  assert.ok(error.issues.some((i) => i.path === "cluster.dns[0].name"), JSON.stringify(error.issues));
});

test.run();
