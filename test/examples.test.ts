// The NetworkPolicy documentation's statements about its example policy and its five
// default policies, checked on every evaluation path against the bundled examples.
import { readFileSync, readdirSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Engine } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { onEveryEvaluator, type EngineFactory } from "./support/evaluators.js";

const read = (name: string): string => readFileSync(new URL(`../examples/${name}`, import.meta.url), "utf8");
const cluster = parseManifests(read("cluster.yaml"));
const example = parseManifests(read("test-network-policy.yaml"));

async function engineWith(policiesYaml: string, create: EngineFactory): Promise<Engine> {
  const parsed = parseManifests(policiesYaml);
  assert.equal(parsed.issues, []);
  return create({ cluster: { namespaces: cluster.namespaces, pods: cluster.pods }, policies: parsed.policies });
}

const allowed = (e: Engine, from: string, to: string, port: number, protocol: "TCP" | "UDP" = "TCP"): boolean =>
  e.decide({ from, to, port, protocol }).allowed;

test("the bundled example files load without problems", () => {
  assert.equal(cluster.issues, []);
  assert.equal(example.issues, []);
  assert.is(example.policies.length, 1);
  assert.is(cluster.pods.length, 5);
});

const withExample = (create: EngineFactory): Promise<Engine> => engineWith(read("test-network-policy.yaml"), create);

onEveryEvaluator("1. isolates role=db pods in default for ingress and egress", async (create) => {
  const e = await withExample(create);
  const d = e.decide({ from: "default/backend", to: "default/db", port: 6379 });
  assert.equal(d.explanation.ingress.isolatedBy.map((p) => p.name), ["default/test-network-policy"]);
  const out = e.decide({ from: "default/db", to: "default/frontend", port: 80 });
  assert.equal(out.explanation.egress.isolatedBy.map((p) => p.name), ["default/test-network-policy"]);
  assert.not.ok(out.allowed);
  // other pods stay non-isolated
  assert.ok(allowed(e, "default/backend", "default/frontend", 80));
  assert.ok(allowed(e, "other/frontend", "myproject/app", 1234, "UDP"));
});

onEveryEvaluator("2. allows TCP 6379 to role=db from role=frontend pods in default", async (create) => {
  const e = await withExample(create);
  assert.ok(allowed(e, "default/frontend", "default/db", 6379));
  assert.not.ok(allowed(e, "default/frontend", "default/db", 6380));
  assert.not.ok(allowed(e, "default/frontend", "default/db", 6379, "UDP"));
  assert.not.ok(allowed(e, "default/backend", "default/db", 6379));
  // role=frontend in another namespace is not "in the default namespace"
  assert.not.ok(allowed(e, "other/frontend", "default/db", 6379));
});

onEveryEvaluator("3. allows TCP 6379 to role=db from any pod in a project=myproject namespace", async (create) => {
  const e = await withExample(create);
  assert.ok(allowed(e, "myproject/app", "default/db", 6379));
  assert.not.ok(allowed(e, "myproject/app", "default/db", 80));
});

onEveryEvaluator("4. allows TCP 6379 to role=db from 172.17.0.0/16 except 172.17.1.0/24", async (create) => {
  const e = await withExample(create);
  for (const ip of ["172.17.0.0", "172.17.0.255", "172.17.2.0", "172.17.255.255"]) assert.ok(allowed(e, ip, "default/db", 6379), ip);
  for (const ip of ["172.17.1.0", "172.17.1.255", "172.16.255.255", "172.18.0.0"]) assert.not.ok(allowed(e, ip, "default/db", 6379), ip);
});

onEveryEvaluator("5. allows role=db pods to reach 10.0.0.0/24 on TCP 5978, nothing else", async (create) => {
  const e = await withExample(create);
  assert.ok(allowed(e, "default/db", "10.0.0.0", 5978));
  assert.ok(allowed(e, "default/db", "10.0.0.255", 5978));
  assert.not.ok(allowed(e, "default/db", "10.0.1.0", 5978));
  assert.not.ok(allowed(e, "default/db", "10.0.0.7", 5979));
  assert.not.ok(allowed(e, "default/db", "default/frontend", 5978));
});

const defaults = (name: string, create: EngineFactory): Promise<Engine> => engineWith(read(`default-policies/${name}.yaml`), create);
const pairs = (e: Engine, port: number): string =>
  JSON.stringify(Object.values(e.matrix({ port }).toJSON().matrix));

onEveryEvaluator("default-deny-ingress: default pods accept nothing, may still send", async (create) => {
  const e = await defaults("default-deny-ingress", create);
  assert.not.ok(allowed(e, "default/frontend", "default/db", 6379));
  assert.not.ok(allowed(e, "192.0.2.1", "default/backend", 8080));
  assert.ok(allowed(e, "default/db", "myproject/app", 80));
  assert.ok(allowed(e, "default/db", "192.0.2.1", 443));
  assert.ok(allowed(e, "default/db", "default/db", 6379), "self traffic is allowed by default");
});

onEveryEvaluator("allow-all-ingress: everything reaches every default pod", async (create) => {
  const e = await defaults("allow-all-ingress", create);
  const open = await engineWith("", create);
  assert.is(pairs(e, 80), pairs(open, 80));
  assert.ok(e.decide({ from: "other/frontend", to: "default/db", port: 1 }).explanation.ingress.reason === "rule");
});

onEveryEvaluator("default-deny-egress: default pods send nothing, may still receive", async (create) => {
  const e = await defaults("default-deny-egress", create);
  assert.not.ok(allowed(e, "default/db", "myproject/app", 80));
  assert.not.ok(allowed(e, "default/db", "8.8.8.8", 53, "UDP"));
  assert.ok(allowed(e, "myproject/app", "default/db", 6379));
  assert.ok(allowed(e, "myproject/app", "8.8.8.8", 53, "UDP"));
});

onEveryEvaluator("allow-all-egress: default pods may send anywhere", async (create) => {
  const e = await defaults("allow-all-egress", create);
  assert.ok(allowed(e, "default/db", "8.8.8.8", 53, "UDP"));
  assert.ok(allowed(e, "default/frontend", "other/frontend", 65535));
  assert.is(e.decide({ from: "default/db", to: "2001:db8::1", port: 443 }).explanation.egress.reason, "rule");
});

onEveryEvaluator("default-deny-all: default pods neither send nor receive", async (create) => {
  const e = await defaults("default-deny-all", create);
  assert.not.ok(allowed(e, "default/db", "myproject/app", 80));
  assert.not.ok(allowed(e, "myproject/app", "default/db", 80));
  assert.not.ok(allowed(e, "default/frontend", "default/db", 6379));
  assert.ok(allowed(e, "myproject/app", "other/frontend", 80));
});
test("every default policy file is covered", () => {
  const files = readdirSync(new URL("../examples/default-policies", import.meta.url)).sort();
  assert.equal(files, ["allow-all-egress.yaml", "allow-all-ingress.yaml", "default-deny-all.yaml", "default-deny-egress.yaml", "default-deny-ingress.yaml"]);
});

test.run();
