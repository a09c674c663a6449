// Strict field validation (issue 11, point 4): unknown fields in policies are errors
// at their path, as kubectl's default `--validate=strict` has the API server report
// them; `warn` and `ignore` as kubectl's; other kinds read leniently.
import { spawnSync } from "node:child_process";
import * as t from "io-ts";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, decodeNetworkPolicy } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { declareFields, unknownFields } from "../src/decode/unknown-fields.js";
import { optional } from "../src/decode/codecs.js";
import { closest } from "../src/primitives/did-you-mean.js";

const root = new URL("..", import.meta.url).pathname;
const TYPO = "test/fixtures/cli/typo/policies.yaml";

const policy = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "p", namespace: "shop", ...metadata },
  spec,
});

test("an unknown field is an error at its path, with the closest known name", () => {
  const r = decodeNetworkPolicy(policy({ podSelector: {}, ingress: [{ form: [{ podSelector: {} }] }] }));
  assert.equal(r.ok ? [] : r.issues, [{ path: "spec.ingress[0].form", message: "unknown field (did you mean `from`?)" }]);
  const deep = decodeNetworkPolicy(policy({ podSelector: { matchLabels: { a: "b" }, matchExpression: [] }, egress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8", excpet: [] } }], ports: [{ port: 80, porotcol: "TCP" }] }] }));
  assert.equal(deep.ok ? [] : deep.issues.map((i) => i.path), ["spec.podSelector.matchExpression", "spec.egress[0].to[0].ipBlock.excpet", "spec.egress[0].ports[0].porotcol"]);
  const top = decodeNetworkPolicy({ ...policy({}), status: {}, sepc: {} });
  assert.equal(top.ok ? [] : top.issues.map((i) => `${i.path}: ${i.message}`), ["status: unknown field", "sepc: unknown field (did you mean `spec`?)"]);
});

test("field names are case-sensitive, as the API server's decoder reads them", () => {
  const r = decodeNetworkPolicy(policy({ podselector: {} }));
  assert.equal(r.ok ? [] : r.issues, [{ path: "spec.podselector", message: "unknown field (did you mean `podSelector`?)" }]);
});

test("every metav1.ObjectMeta field is known; label keys are data, not fields", () => {
  const meta = { uid: "u", resourceVersion: "1", generation: 2, creationTimestamp: "2024-01-01T00:00:00Z", annotations: { x: "y" }, managedFields: [{ manager: "kubectl" }], finalizers: [], ownerReferences: [], labels: { form: "x" } };
  const r = decodeNetworkPolicy(policy({ podSelector: { matchLabels: { ingres: "x" } } }, meta));
  assert.ok(r.ok, JSON.stringify(r));
});

test("validate: warn returns the unknown fields as warnings; ignore drops them", () => {
  const input = policy({ podSelector: {}, ingres: [] });
  const warn = decodeNetworkPolicy(input, { validate: "warn" });
  assert.ok(warn.ok);
  assert.equal(warn.ok ? warn.warnings : [], [{ path: "spec.ingres", message: "unknown field (did you mean `ingress`?)" }]);
  const ignore = decodeNetworkPolicy(input, { validate: "ignore" });
  assert.ok(ignore.ok);
  assert.is(ignore.ok ? ignore.warnings : "x", undefined);
});

test("createEngine is strict by default, takes validate, and updates follow it", async () => {
  const input = { cluster: { namespaces: [{ name: "shop" }], pods: [] }, policies: [policy({ podSelector: {}, ingres: [] })] };
  await createEngine(input).then(
    () => assert.unreachable("accepted an unknown field"),
    (error: { issues: Array<{ path: string; object?: string }> }) => assert.equal(error.issues.map((i) => `${i.object} ${i.path}`), ["policies[0] spec.ingres"]),
  );
  const engine = await createEngine({ ...input, validate: "ignore" });
  assert.is(engine.rules.policies.length, 1);
  engine.update({ op: "upsertPolicy", policy: policy({ podSelector: {}, egres: [] }) as never });
  assert.is(engine.rules.policies.length, 1);
  const strict = await createEngine({ ...input, policies: [] });
  assert.throws(() => strict.update({ op: "upsertPolicy", policy: policy({ podSelector: {}, egres: [] }) as never }), /spec\.egres: unknown field/);
  await createEngine({ ...input, validate: "loose" as never }).then(
    () => assert.unreachable("accepted a bad validate"),
    (error: { issues: Array<{ path: string; message: string }> }) => assert.match(error.issues[0]!.message, /unsupported value `loose`/),
  );
});

test("parseManifests: strict errors with lines, warn warnings, ignore silence; Pods read leniently", () => {
  const text = `${JSON.stringify(policy({ podSelector: {}, ingress: [{ form: [] }] }))}\n`;
  const strict = parseManifests(text);
  assert.equal(strict.issues.map((i) => [i.severity, i.path]), [["error", "spec.ingress[0].form"]]);
  const warn = parseManifests(text, { validate: "warn" });
  assert.equal([warn.policies.length, warn.issues.map((i) => i.severity)], [1, ["warning"]]);
  assert.equal(parseManifests(text, { validate: "ignore" }).issues, []);
  const pod = parseManifests("apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: shop, uid: x}\nspec: {nodeName: node-1, containers: [{name: c, image: nginx}]}\nstatus: {podIP: 10.0.0.1, hostIP: 10.1.0.1}\n");
  assert.equal(pod.issues.filter((i) => i.severity === "error"), []);
});

test("the check is generic over io-ts codecs: any kind's codec is its schema", () => {
  const Inner = t.partial({ port: optional(t.Int) }, "Inner");
  const Kind = t.intersection([t.type({ kind: t.string }), t.partial({ spec: optional(t.partial({ rules: optional(t.array(Inner)), action: optional(t.string) })) })]);
  assert.equal(unknownFields(Kind, { kind: "X", spec: { rules: [{ port: 1 }, { prot: 2 }], actoin: "Allow" } }).map((i) => `${i.path}: ${i.message}`), [
    "spec.rules[1].prot: unknown field (did you mean `port`?)",
    "spec.actoin: unknown field (did you mean `action`?)",
  ]);
  const Meta = declareFields(t.partial({ name: optional(t.string) }), ["uid"]);
  assert.equal(unknownFields(Meta, { name: "a", uid: "b", uuid: "c" }).map((i) => i.path), ["uuid"]);
});

test("did-you-mean: close names only", () => {
  assert.is(closest("form", ["from", "ports"]), "from");
  assert.is(closest("--prot", ["--port", "--from", "--to"]), "--port");
  assert.is(closest("frobnicate", ["check", "matrix"]), null);
});

function netpol(args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("CLI: validate reports each misspelled field at its file, line and path (default strict)", () => {
  const r = netpol(["validate", TYPO]);
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /error: test\/fixtures\/cli\/typo\/policies\.yaml:13 document 0 NetworkPolicy shop\/api-from-web: spec\.ingress\[0\]\.form: unknown field \(did you mean `from`\?\)/);
  assert.match(r.stderr, /policies\.yaml:20 document 1 NetworkPolicy shop\/deny: spec\.podselector: unknown field \(did you mean `podSelector`\?\)/);
  assert.match(r.stdout, /invalid: 1 file: 0 policies/);
});

test("CLI: --validate=warn reads the policies without the unknown fields; --validate=ignore says nothing", () => {
  const warn = netpol(["validate", TYPO, "--validate=warn"]);
  assert.is(warn.status, 0, warn.stderr);
  assert.match(warn.stderr, /warning: .*spec\.ingres: unknown field/);
  assert.match(warn.stdout, /valid: 1 file: 2 policies/);
  const ignore = netpol(["validate", TYPO, "--validate", "ignore"]);
  assert.is(ignore.status, 0);
  assert.is(ignore.stderr, "");
  const bad = netpol(["validate", TYPO, "--validate", "lenient"]);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /invalid --validate `lenient`: expected one of strict, warn, ignore/);
});

test.run();
