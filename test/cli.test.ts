// The `netpol` command, run as a child process on fixtures and on examples/:
// every command, exit statuses, errors on standard error without stack traces,
// plain output when piped.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine } from "../src/index.js";
import { endpointNames } from "../src/views/endpoints.js";
import type { ReportData } from "../src/views/report/data.js";
import { REPORT_SCRIPT } from "../src/views/report/page.generated.js";

const root = new URL("..", import.meta.url).pathname;
const APP = "test/fixtures/cli/app";
const BAD = "test/fixtures/cli/bad";

function netpol(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    input: options.input ?? "",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0", ...options.env },
    maxBuffer: 1 << 26,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const noStack = (text: string): void => assert.not.match(text, /\n\s+at .+:\d+:\d+/);

test("--help documents every command with an example", () => {
  const r = netpol(["--help"]);
  assert.is(r.status, 0);
  for (const c of ["check", "matrix", "flows", "explain", "validate", "diff", "connections"]) {
    assert.match(r.stdout, new RegExp(`\\n  ${c} `));
    assert.match(r.stdout, new RegExp(`e\\.g\\. netpol ${c} `));
  }
  const sub = netpol(["matrix", "--help"]);
  assert.is(sub.status, 0);
  assert.match(sub.stdout, /example:\n  netpol matrix /);
});

test("usage errors exit 2 on standard error", () => {
  for (const args of [[], ["frobnicate"], ["check", APP, "--from", "shop/web-1"], ["matrix", APP, "--port", "99999"], ["matrix", APP, "--port", "80", "--format", "xml"], ["check", "--nope"]]) {
    const r = netpol(args);
    assert.is(r.status, 2, args.join(" "));
    assert.is(r.stdout, "");
    assert.match(r.stderr, /^error: /);
    assert.match(r.stderr, /usage: netpol/);
    noStack(r.stderr);
  }
});

test("check: allowed exits 0 with the rule that allowed it", () => {
  const r = netpol(["check", APP, "--from", "shop/web-1", "--to", "shop/deployment/api", "--port", "9000/TCP"]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /shop\/web-1 → shop\/deployment\/api on 9000\/TCP: allowed/);
  assert.match(r.stdout, /shop\/api-from-web ingress rule 0: from\[0\] pods with label app=web in namespace shop, ports\[0\] the TCP port named grpc/);
});

test("check: denied exits 1 and names the isolating policy", () => {
  const r = netpol(["check", APP, "--from", "shop/cronjob/reports", "--to", "shop/deployment/api", "--port", "9000"]);
  assert.is(r.status, 1);
  assert.match(r.stdout, /: denied/);
  assert.match(r.stdout, /ingress of shop\/deployment\/api: denied, isolated by shop\/api-from-web and no ingress rule allows it/);
});

test("check: IP addresses, --expect and --format json", () => {
  const ip = netpol(["check", APP, "--from", "10.2.0.1", "--to", "shop/web-1", "--port", "8080", "--expect", "allowed"]);
  assert.is(ip.status, 0, ip.stderr);
  const wrong = netpol(["check", APP, "--from", "8.8.8.8", "--to", "shop/web-1", "--port", "8080", "--expect", "allowed"]);
  assert.is(wrong.status, 1);
  assert.match(wrong.stderr, /expectation failed: 8\.8\.8\.8 → shop\/web-1 on 8080\/TCP is denied, expected allowed/);
  const json = netpol(["check", APP, "--from", "monitoring/prometheus", "--to", "shop/web-1", "--port", "8080", "--format", "json"]);
  assert.is(json.status, 0);
  const decision = JSON.parse(json.stdout);
  assert.is(decision.allowed, true);
  assert.equal(decision.explanation.ingress.allowedBy[0].policy.name, "shop/web-from-monitoring");
});

test("check: an unknown endpoint is bad input (exit 2)", () => {
  const r = netpol(["check", APP, "--from", "shop/nope", "--to", "shop/web-1", "--port", "80"]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /--from: unknown pod or invalid IP address `shop\/nope`/);
  // a workload whose pods are given stands for them (issue 11.2); a file named twice is read once
  const skipped = netpol(["check", APP, `${APP}/cluster.yaml`, "--from", "shop/deployment/web", "--to", "shop/web-1", "--port", "80"]);
  assert.is(skipped.status, 0, skipped.stderr);
  assert.match(skipped.stdout, /shop\/deployment\/web → shop\/web-1 on 80\/TCP: allowed for 1 of 1 pods\n  shop\/web-1: allowed/);
  assert.not.match(skipped.stderr, /duplicate/);
});

test("matrix: a table grouped by namespace, plain when piped", () => {
  const r = netpol(["matrix", APP, "--port", "8080/TCP"]);
  assert.is(r.status, 0, r.stderr);
  assert.not.match(r.stdout, /\u001b\[/);
  assert.match(r.stdout, /8080\/TCP: 18 of 25 pairs allowed/);
  assert.match(r.stdout, /\nshop\n  2 cronjob\/reports +✓ │ ✓ │ ✓ · · │/);
  const narrow = netpol(["matrix", APP, "--port", "8080", "--namespace", "shop"]);
  assert.match(narrow.stdout, /of 9 pairs allowed/);
});

test("matrix: csv, json, md and dot", () => {
  const csv = netpol(["matrix", APP, "--port", "8080", "--format", "csv"]).stdout.trim().split("\r\n");
  assert.is(csv[0], "from\\to,data/cache-0,monitoring/prometheus,shop/cronjob/reports,shop/deployment/api,shop/web-1");
  assert.is(csv[2], "monitoring/prometheus,1,1,1,0,1");
  const json = JSON.parse(netpol(["matrix", APP, "--port", "8080", "--format", "json"]).stdout);
  assert.is(json.allowed, 18);
  assert.is(json.matrix["shop/cronjob/reports"], "11100");
  assert.match(netpol(["matrix", APP, "--port", "8080", "--format", "md"]).stdout, /\| from \\ to \| data\/cache-0 \|/);
  const dot = netpol(["matrix", APP, "--port", "8080", "--format", "dot"]).stdout;
  assert.match(dot, /subgraph cluster_2 \{\n    label="shop";/);
  assert.match(dot, /"monitoring\/prometheus" -> "shop\/web-1";/);
  assert.not.match(dot, /"shop\/cronjob\/reports" -> "shop\/web-1";/);
});

test("matrix: html is one self-contained page carrying the verdicts, names and the engine's input", async () => {
  const html = netpol(["matrix", APP, "--port", "8080", "--format", "html"]).stdout;
  assert.match(html, /^<!doctype html>/);
  assert.not.match(html, /(src|href)="?https?:/);
  const data = JSON.parse(/<script type="application\/json" id="netpol-report">(.*?)<\/script>/s.exec(html)![1]!) as ReportData;
  assert.is(data.format, "netpol-report/1");
  const csv = netpol(["matrix", APP, "--port", "8080", "--format", "csv"]).stdout.trim().split("\r\n");
  assert.equal(data.order.map((i) => data.ids[i]), csv[0]!.split(",").slice(1), "the CLI's names and order");
  const n = data.ids.length;
  const words = (n + 31) >>> 5;
  const bits = new Uint32Array(new Uint8Array(inflateRawSync(Buffer.from(data.layers.port, "base64"))).buffer);
  assert.is(bits.length, words * n);
  data.order.forEach((i, r) => {
    const row = data.order.map((j) => ((bits[i * words + (j >>> 5)]! >>> (j & 31)) & 1).toString()).join("");
    assert.is(row, csv[r + 1]!.split(",").slice(1).join(""), `row ${data.ids[i]}`);
  });
  assert.equal(data.port, { protocol: "TCP", port: 8080 });
  assert.ok(data.ports.some((p) => p.port === 8080) && data.layers.any !== null, "the named ports and the any-port layer");
  const input = JSON.parse(inflateRawSync(Buffer.from(data.input, "base64")).toString("utf8"));
  const engine = await createEngine(input);
  assert.equal(endpointNames(engine.pods).ids, data.ids, "the page's engine names the endpoints as the report does");
  assert.ok(html.includes(`<script>${REPORT_SCRIPT}</script>`), "the page's script is inlined");
});

test("explain: every policy in plain English", () => {
  const r = netpol(["explain", APP]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /shop\/api-from-web \(test\/fixtures\/cli\/app\/policies\/api\.yaml:2\)\n  isolates pods with label app=api in namespace shop for ingress/);
  assert.match(r.stdout, /selects shop\/deployment\/api/);
  assert.match(r.stdout, /ingress rule 0: allows connections from pods with label app=web in namespace shop on the TCP port named grpc/);
  assert.match(r.stdout, /all pods in namespaces with label kubernetes\.io\/metadata\.name=monitoring on TCP port 8080/);
});

test("validate: 0 when valid, warnings shown", () => {
  const r = netpol(["validate", APP]);
  assert.is(r.status, 0);
  assert.match(r.stdout, /^valid: 3 files: 2 policies, 2 namespaces, 2 pods, 3 workloads; 0 errors, 2 warnings/);
  assert.match(r.stderr, /warning: test\/fixtures\/cli\/app\/cluster\.yaml:\d+ document 7: metadata\.namespace: namespace `data` is not defined/);
  // Pod web-1 has no controller reference: taken for one of Deployment web's pods by selector, which is said
  assert.match(r.stderr, /warning: .*document 4: Deployment `shop\/web` is not an endpoint: pod `shop\/web-1`, which has no controller reference, matches its selector/);
});

test("validate: malformed input answered with clear errors, 1, and no stack trace", () => {
  const r = netpol(["validate", BAD]);
  assert.is(r.status, 1);
  noStack(r.stderr);
  assert.match(r.stderr, /error: test\/fixtures\/cli\/bad\/broken\.yaml:\d+ document 1: invalid YAML/);
  assert.match(r.stderr, /document 2 NetworkPolicy default\/bad-port: spec\.ingress\[0\]\.ports\[0\]\.port: invalid value/);
  assert.match(r.stderr, /document 3 Pod: metadata\.labels: invalid label key `__proto__`/);
  assert.match(r.stderr, /warning: skipped 1 object of kinds netpol does not read: Widget ×1 \(--verbose lists them\)/);
  const verbose = netpol(["validate", BAD, "--verbose"]);
  assert.match(verbose.stderr, /warning: .*document 4: kind: skipped object of unsupported kind `Widget`/);
  assert.match(r.stdout, /^invalid: 1 file: 1 policies/);
});

test("validate: a missing file is exit 2", () => {
  const r = netpol(["validate", "test/fixtures/cli/nope.yaml"]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /error: test\/fixtures\/cli\/nope\.yaml: no such file or folder/);
});

test("commands refuse invalid input (exit 2) unless --skip-invalid", () => {
  const r = netpol(["matrix", APP, BAD, "--port", "80"]);
  assert.is(r.status, 2);
  assert.is(r.stdout, "");
  assert.match(r.stderr, /4 errors in the input \(--skip-invalid goes on/);
  noStack(r.stderr);
  const skip = netpol(["matrix", APP, BAD, "--port", "80", "--skip-invalid", "--format", "json"]);
  assert.is(skip.status, 0);
  assert.is(JSON.parse(skip.stdout).endpoints.length, 5);
});

test("what kubectl get -o yaml prints is read as is", () => {
  const file = "test/fixtures/cli/kubectl-get.yaml";
  const allowed = netpol(["check", file, "--from", "8.8.8.8", "--to", "web/frontend-5d8f7c9b6-x2x9q", "--port", "80"]);
  assert.is(allowed.status, 0, allowed.stderr);
  assert.is(allowed.stderr, "");
  assert.match(allowed.stdout, /web\/frontend ingress rule 0: any peer, ports\[0\] the TCP port named http/);
  const byIp = netpol(["check", file, "--from", "8.8.8.8", "--to", "10.244.1.7", "--port", "443", "--evaluator", "reference"]);
  assert.is(byIp.status, 1);
});

test("manifests from standard input", () => {
  const cluster = "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: x}\n";
  const r = netpol(["check", "-", "--from", "x/a", "--to", "x/b", "--port", "80"], { input: cluster });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /allowed/);
});

test("flows: CSV in, a verdict per flow out, a summary on standard error", () => {
  const dir = mkdtempSync(join(tmpdir(), "netpol-cli-"));
  const file = join(dir, "flows.csv");
  writeFileSync(file, "src,dst,protocol,port\nshop/web-1,shop/deployment/api,TCP,9000\nshop/cronjob/reports,shop/deployment/api,TCP,9000\n8.8.8.8,shop/web-1,tcp,8080\n");
  const r = netpol(["flows", APP, "--flows", file]);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, "src,dst,protocol,port,verdict\r\nshop/web-1,shop/deployment/api,TCP,9000,allowed\r\nshop/cronjob/reports,shop/deployment/api,TCP,9000,denied\r\n8.8.8.8,shop/web-1,TCP,8080,denied\r\n");
  assert.match(r.stderr, /3 flows: 1 allowed, 2 denied/);
  assert.match(r.stderr, /shop\/api-from-web +allowed 1 +denied 1/);
  assert.match(r.stderr, /shop\/web-from-monitoring +allowed 0 +denied 1/);
});

const EXACT = "test/fixtures/cli/exactness";

test("a finished pod's reused IP is the running pod's; `policyTypes: []` isolates for ingress (issue 14.1, 14.2)", () => {
  const r = netpol(["check", `${EXACT}/dump.yaml`, "--from", "shop/web-0", "--to", "10.244.1.7", "--port", "8080"]);
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stdout, /ingress of 10\.244\.1\.7: denied, isolated by shop\/default-deny/);
  assert.match(r.stderr, /warning: .*dump\.yaml:\d+ document 0: items\[0\]\.status\.phase: pod `shop\/migrate-x7k2p` has finished \(phase `Succeeded`\): not an endpoint/);
  const gone = netpol(["check", `${EXACT}/dump.yaml`, "--from", "shop/web-0", "--to", "shop/migrate-x7k2p", "--port", "8080"]);
  assert.is(gone.status, 2);
  assert.match(gone.stderr, /unknown pod or invalid IP address `shop\/migrate-x7k2p`/);
  const explained = netpol(["explain", `${EXACT}/dump.yaml`]);
  assert.match(explained.stdout, /isolates all pods in namespace shop for ingress \(if they were not already isolated\)\n  selects shop\/api-0, shop\/web-0\n  ingress: allows no connections/);
});

test("two NetworkPolicies with one namespace/name: an error naming both places; --skip-invalid keeps the first (issue 14.3)", () => {
  const r = netpol(["check", `${EXACT}/dump.yaml`, `${EXACT}/again.yaml`, "--from", "shop/web-0", "--to", "shop/api-0", "--port", "8080"]);
  assert.is(r.status, 2);
  assert.match(
    r.stderr,
    /error: test\/fixtures\/cli\/exactness\/again\.yaml:2 document 0 NetworkPolicy shop\/default-deny: duplicate NetworkPolicy `shop\/default-deny`, first defined at test\/fixtures\/cli\/exactness\/dump\.yaml:\d+ document 1: this one is skipped/,
  );
  const skipped = netpol(["check", `${EXACT}/dump.yaml`, `${EXACT}/again.yaml`, "--skip-invalid", "--from", "shop/web-0", "--to", "shop/api-0", "--port", "8080"]);
  assert.is(skipped.status, 1, "the first (deny-all) is kept");
  noStack(r.stderr + skipped.stderr);
});

test("flows: JSON Lines from standard input, bad lines reported with their line (exit 2)", () => {
  const input = [
    JSON.stringify({ src: "monitoring/prometheus", dst: "shop/web-1", protocol: "TCP", port: 8080 }),
    JSON.stringify({ src: "shop/ghost", dst: "shop/web-1", port: 80 }),
    "{not json",
    JSON.stringify({ src: "10.0.0.1", dst: "data/cache-0", protocol: "UDP", port: 70000 }),
    "",
  ].join("\n");
  const r = netpol(["flows", APP, "--flows", "-"], { input });
  assert.is(r.status, 2);
  assert.is(JSON.parse(r.stdout.trim()).verdict, "allowed");
  assert.match(r.stderr, /error: <stdin>:2: unknown endpoint `shop\/ghost`/);
  assert.match(r.stderr, /error: <stdin>:3: invalid JSON/);
  assert.match(r.stderr, /error: <stdin>:4: port: invalid value `70000`/);
  assert.match(r.stderr, /1 flows: 1 allowed, 0 denied, 3 invalid lines skipped/);
});

test("flows: many flows in batches, summary only", () => {
  const dir = mkdtempSync(join(tmpdir(), "netpol-cli-"));
  const file = join(dir, "many.csv");
  const lines: string[] = [];
  for (let i = 0; i < 150_000; i++) lines.push(i % 2 === 0 ? "shop/web-1,shop/deployment/api,TCP,9000" : `10.3.${(i >> 8) & 255}.${i & 255},shop/web-1,TCP,8080`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  const r = netpol(["flows", APP, "--flows", file, "--summary-only"]);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, "");
  assert.match(r.stderr, /150000 flows: 75000 allowed, 75000 denied/);
});

test("diff: connections added, removed and changed, on every port or the given ones", () => {
  const r = netpol(["diff", `${APP}/policies/api.yaml`, "test/fixtures/cli/app-loose.yaml", "--cluster", `${APP}/cluster.yaml`, "--port", "9000"]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /\+ shop\/cronjob\/reports => shop\/deployment\/api : TCP 9000\n/);
  assert.match(r.stdout, /1 added, 0 removed, 0 changed/);
  const all = netpol(["diff", `${APP}/policies/api.yaml`, "test/fixtures/cli/app-loose.yaml", "--cluster", `${APP}/cluster.yaml`]);
  assert.match(all.stdout, /~ shop\/web-1 => shop\/deployment\/api : TCP 9000 → All Connections \(gained TCP 1-8999,9001-65535; UDP all ports; SCTP all ports\)/);
  const json = netpol(["diff", `${APP}/policies/api.yaml`, "test/fixtures/cli/app-loose.yaml", "--cluster", `${APP}/cluster.yaml`, "--port", "9000", "--port", "53/UDP", "--format", "json", "--exit-code"]);
  assert.is(json.status, 1);
  const out = JSON.parse(json.stdout);
  assert.equal(out.counts, { added: 1, removed: 0, changed: 1 });
  assert.equal(out.changes[1].gained, { TCP: [], UDP: [[53, 53]], SCTP: [] });
});

const TIERS = "test/fixtures/cli/tiers";
const TIER_FILES = [`${TIERS}/cluster.yaml`, `${TIERS}/policies.yaml`];

test("check: ClusterNetworkPolicies tier by tier; nodes as `node:NAME` or by address (issue 8)", () => {
  const denied = netpol(["check", ...TIER_FILES, "--from", "dev/web-0", "--to", "prod/api-0", "--port", "8080"]);
  assert.is(denied.status, 1, denied.stderr);
  assert.match(denied.stdout, /ingress of prod\/api-0: denied by the Admin tier\n    Admin tier: Deny by ClusterNetworkPolicy no-dev-in-prod \(Admin, priority 10\) ingress rule 0 "dev": from\[0\] all pods in namespaces with label env=dev/);
  const passed = netpol(["check", ...TIER_FILES, "--from", "prod/api-0", "--to", "prod/db-0", "--port", "5432"]);
  assert.is(passed.status, 0, passed.stderr);
  assert.match(passed.stdout, /Admin tier: Pass by ClusterNetworkPolicy no-dev-in-prod .*\n    allowed by:\n      prod\/db-from-api ingress rule 0/);
  const baseline = netpol(["check", ...TIER_FILES, "--from", "prod/db-0", "--to", "prod/api-0", "--port", "8080", "--evaluator", "reference"]);
  assert.is(baseline.status, 1);
  assert.match(baseline.stdout, /denied by the Baseline tier\n    Admin tier: Pass .*\n    Baseline tier: Deny by ClusterNetworkPolicy baseline-deny \(Baseline, priority 0\)/);
  const node = netpol(["check", ...TIER_FILES, "--from", "prod/api-0", "--to", "node:worker-2", "--port", "10250"]);
  assert.is(node.status, 0, node.stderr);
  assert.match(node.stdout, /egress rule 0 "kubelet": to\[0\] nodes with label role=worker, protocols\[0\] TCP port 10250/);
  assert.match(node.stdout, /ingress of node:worker-2: allowed, a node's host network, which no policy selects/);
  // an ExternalIP stands for its node
  const external = netpol(["check", ...TIER_FILES, "--from", "prod/api-0", "--to", "203.0.113.3", "--port", "22"]);
  assert.is(external.status, 1);
  assert.match(external.stdout, /egress rule 1 "other-node-ports": to\[0\] every node, every port/);
  const unknown = netpol(["check", ...TIER_FILES, "--from", "node:worker-9", "--to", "prod/api-0", "--port", "22"]);
  assert.is(unknown.status, 2);
  assert.match(unknown.stderr, /--from: unknown node `node:worker-9`/);
});

test("explain: cluster-scoped policies in tier order, Admin, NetworkPolicies, Baseline (issue 8)", () => {
  const r = netpol(["explain", TIERS]);
  assert.is(r.status, 0, r.stderr);
  const heads = r.stdout.split("\n").filter((l) => l !== "" && !l.startsWith(" "));
  assert.equal(
    heads.map((h) => h.replace(/ \(.*\)$/, "")),
    ["ClusterNetworkPolicy monitoring-first", "ClusterNetworkPolicy also-ten", "ClusterNetworkPolicy no-dev-in-prod", "prod/db-from-api", "ClusterNetworkPolicy baseline-deny"],
  );
  assert.match(r.stdout, /ClusterNetworkPolicy no-dev-in-prod \(test\/fixtures\/cli\/tiers\/policies\.yaml:12\)\n  Admin tier, priority 10: applies to all pods in namespaces with label env=prod \(never host-network pods\)\n  holds prod\/api-0, prod\/db-0/);
  assert.match(r.stdout, /ingress rule 1 "prod": passes to the next tier connections from all pods in namespaces with label env=prod on every port/);
  assert.match(r.stdout, /egress rule 1 "other-node-ports": denies connections to every node on every port/);
});

test("validate: kinds and nodes counted; equal-priority overlaps warned where read; a cluster-scoped policy named twice is an error (issue 8)", () => {
  const r = netpol(["validate", TIERS]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^valid: 3 files: 5 policies \(4 ClusterNetworkPolicies, 1 NetworkPolicy\), 3 namespaces, 4 pods, 0 workloads, 2 nodes; 0 errors, 1 warning\n/);
  assert.match(
    r.stderr,
    /warning: test\/fixtures\/cli\/tiers\/tie\.yaml:1 document 0 ClusterNetworkPolicy also-ten: spec\.priority: same tier \(Admin\) and priority \(10\) as ClusterNetworkPolicy no-dev-in-prod, and both apply to the ingress of some pod: netpol evaluates also-ten first \(ties are broken by name\)/,
  );
  const dir = mkdtempSync(join(tmpdir(), "netpol-cli-"));
  const again = join(dir, "again.yaml");
  writeFileSync(again, "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: also-ten }\nspec: { tier: Baseline, priority: 1, subject: { namespaces: {} } }\n");
  const twice = netpol(["validate", TIERS, again]);
  assert.is(twice.status, 1);
  assert.match(twice.stderr, /error: .*again\.yaml:1 document 0 ClusterNetworkPolicy also-ten: duplicate ClusterNetworkPolicy `also-ten`, first defined at test\/fixtures\/cli\/tiers\/tie\.yaml:1 document 0: this one is skipped/);
  const bad = join(dir, "bad.yaml");
  writeFileSync(bad, "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: x }\nspec: { tier: Admin, priority: 1001, subject: { namespaces: {} }, ingress: [{ action: Allow, from: [{ nodes: {} }] }] }\n");
  const invalid = netpol(["validate", bad]);
  assert.is(invalid.status, 1);
  assert.match(invalid.stderr, /ClusterNetworkPolicy x: spec\.priority: invalid value `1001`: should be less than or equal to 1000/);
  assert.match(invalid.stderr, /ClusterNetworkPolicy x: spec\.ingress\[0\]\.action: unsupported value `Allow`: supported values: "Accept", "Deny", "Pass"/);
  assert.match(invalid.stderr, /ClusterNetworkPolicy x: spec\.ingress\[0\]\.from\[0\]\.nodes: unknown field/);
  noStack(invalid.stderr);
});

test("matrix, flows and diff take cluster-scoped policies and nodes (issue 8)", async () => {
  const m = netpol(["matrix", ...TIER_FILES, "--port", "8080"]);
  assert.is(m.status, 0, m.stderr);
  assert.match(m.stdout, /8080\/TCP: 7 of 16 pairs allowed/);
  // the report carries the nodes and every policy kind, so the page's engine explains tier by tier
  const html = netpol(["matrix", ...TIER_FILES, "--port", "8080", "--format", "html"]).stdout;
  const data = JSON.parse(/<script type="application\/json" id="netpol-report">(.*?)<\/script>/s.exec(html)![1]!) as ReportData;
  const input = JSON.parse(inflateRawSync(Buffer.from(data.input, "base64")).toString("utf8"));
  assert.equal(input.cluster.nodes.map((n: { name: string }) => n.name), ["worker-1", "worker-2"]);
  assert.equal(data.locations.length, input.policies.length);
  const page = await createEngine(input);
  assert.is(page.rules.clusterPolicies.length, 3);
  const decided = page.decide({ from: "dev/web-0", to: "prod/api-0", port: 8080 });
  assert.is(decided.explanation.ingress.admin?.matched?.policy.name, "no-dev-in-prod");
  assert.ok(data.ports.some((p) => p.port === 10250), "a protocol entry's port is among the named ports");
  const dir = mkdtempSync(join(tmpdir(), "netpol-cli-"));
  const file = join(dir, "flows.csv");
  writeFileSync(file, "src,dst,protocol,port\nprod/api-0,node:worker-1,TCP,10250\nnode:worker-2,prod/api-0,TCP,8080\nprod/api-0,172.18.0.3,TCP,22\n");
  for (const evaluator of ["reference", "wasm"]) {
    const f = netpol(["flows", ...TIER_FILES, "--flows", file, "--evaluator", evaluator]);
    assert.is(f.status, 0, f.stderr);
    assert.is(f.stdout, "src,dst,protocol,port,verdict\r\nprod/api-0,node:worker-1,TCP,10250,allowed\r\nnode:worker-2,prod/api-0,TCP,8080,allowed\r\nprod/api-0,172.18.0.3,TCP,22,denied\r\n");
    assert.match(f.stderr, /ClusterNetworkPolicy no-dev-in-prod +allowed 1 +denied 1/);
  }
  const d = netpol(["diff", `${TIERS}/policies.yaml`, "test/fixtures/cli/tiers-after.yaml", "--cluster", `${TIERS}/cluster.yaml`, "--port", "8080"]);
  assert.is(d.status, 0, d.stderr);
  assert.match(d.stdout, /^\+ prod\/db-0 => prod\/api-0 : TCP 8080$/m);
  assert.match(d.stdout, /^6 added, 0 removed, 0 changed$/m);
});

test("NO_COLOR and pipes give plain text", () => {
  const r = netpol(["check", APP, "--from", "shop/web-1", "--to", "shop/deployment/api", "--port", "9000"], { env: { NO_COLOR: "1" } });
  assert.not.match(r.stdout + r.stderr, /\u001b\[/);
});

if (existsSync(join(root, "examples/test-network-policy.yaml"))) {
  test("examples: the documentation's policy", () => {
    const files = ["examples/cluster.yaml", "examples/test-network-policy.yaml"];
    assert.is(netpol(["check", ...files, "--from", "default/frontend", "--to", "default/db", "--port", "6379/TCP"]).status, 0);
    assert.is(netpol(["check", ...files, "--from", "other/frontend", "--to", "default/db", "--port", "6379/TCP"]).status, 1);
    const explained = netpol(["explain", ...files]).stdout;
    assert.match(explained, /isolates pods with label role=db in namespace default for ingress and egress/);
    assert.match(explained, /IP addresses in 172\.17\.0\.0\/16 except 172\.17\.1\.0\/24/);
    // every example is valid but examples/shop/mistakes, which holds a typo and a duplicate on purpose
    assert.is(netpol(["validate", "examples/cluster.yaml", "examples/test-network-policy.yaml", "examples/default-policies", "examples/shop/cluster", "examples/shop/policies"]).status, 0);
    const mistakes = netpol(["validate", "examples"]);
    assert.is(mistakes.status, 1);
    assert.is(mistakes.stderr.match(/^error: /gm)?.length, 2, mistakes.stderr);
  });
}

test.run();
