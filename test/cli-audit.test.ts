// The audit commands (`connections`, `diff`) run as a new user would: the real CLI
// as a child process on the shop folder (test/fixtures/audit/shop: a dozen workloads
// in four namespaces, default-deny, DNS, an external API, two policy versions) and on
// examples/.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "uvu";
import * as assert from "uvu/assert";

const root = new URL("..", import.meta.url).pathname;
const SHOP = "test/fixtures/audit/shop";
const CLUSTER = `${SHOP}/cluster.yaml`;

function netpol(args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0" },
    maxBuffer: 1 << 26,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

test("connections: txt by workload lists the shop's allowed connections, ports grouped", () => {
  const r = netpol(["connections", CLUSTER, `${SHOP}/v1`, "--by", "workload"]);
  assert.is(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  for (const line of [
    "shop/deployment/checkout => shop/deployment/payments : TCP 8443",
    "shop/deployment/cart => kube-system/deployment/coredns : TCP 53; UDP 53",
    "shop/deployment/payments => 203.0.113.0-203.0.113.255 : TCP 443",
    "shop/deployment/frontend => shop/deployment/catalog : TCP 8080",
    "shop/cronjob/reports => data/statefulset/postgres : TCP 5432",
    "ops/deployment/prometheus => shop/deployment/cart : TCP 9090",
    "kube-system/deployment/coredns => ops/deployment/prometheus : All Connections",
  ]) {
    assert.ok(lines.includes(line), `missing: ${line}`);
  }
  assert.not.ok(lines.some((l) => l.startsWith("shop/deployment/payments => 0.0.0.0")), "payments reaches only its API");
  assert.not.ok(lines.some((l) => / => data\/deployment\/kafka /.test(l)), "nothing reaches kafka");
});

test("connections: the JSON contract, sorted, with rules under --explain", () => {
  const r = netpol(["connections", CLUSTER, `${SHOP}/v1`, "--by", "workload", "-o", "json", "--explain"]);
  assert.is(r.status, 0, r.stderr);
  const { connections } = JSON.parse(r.stdout) as { connections: Array<{ from: string; to: string; allowed: Record<string, number[][]>; allowedBy: Array<Record<string, unknown>> }> };
  const pay = connections.find((c) => c.from === "shop/deployment/checkout" && c.to === "shop/deployment/payments")!;
  assert.equal(pay.allowed, { TCP: [[8443, 8443]], UDP: [], SCTP: [] });
  assert.equal(
    pay.allowedBy.map((a) => `${a.direction} ${a.policy} ${a.rule} ${a.tier}`),
    ["Egress shop/checkout-to-payments 0 NetworkPolicy", "Ingress shop/payments 0 NetworkPolicy"],
  );
  const collator = new Intl.Collator("en", { numeric: true });
  const keys = connections.map((c) => [c.from, c.to] as const);
  const sorted = [...keys].sort((a, b) => collator.compare(a[0], b[0]) || collator.compare(a[1], b[1]));
  assert.equal(keys, sorted);
});

test("connections: csv, md, dot, svg and html", () => {
  const csv = netpol(["connections", CLUSTER, `${SHOP}/v1`, "-o", "csv", "--no-external", "--port", "8000-9000"]);
  assert.is(csv.status, 0, csv.stderr);
  assert.match(csv.stdout, /^from,to,TCP,UDP,SCTP\n/);
  assert.match(csv.stdout, /\nshop\/deployment\/checkout,shop\/deployment\/payments,8443,,\n/);
  const md = netpol(["connections", CLUSTER, `${SHOP}/v1`, "-o", "md", "--by", "workload"]);
  assert.match(md.stdout, /\| shop\/deployment\/checkout \| shop\/deployment\/payments \| TCP 8443 \|/);
  const dot = netpol(["connections", CLUSTER, `${SHOP}/v1`, "-o", "dot", "--by", "workload"]);
  assert.match(dot.stdout, /"shop\/deployment\/checkout" -> "shop\/deployment\/payments" \[label="TCP 8443"\];/);
  const svg = netpol(["connections", CLUSTER, `${SHOP}/v1`, "-o", "svg", "--by", "workload"]);
  assert.is(svg.status, 0, svg.stderr);
  assert.match(svg.stdout, /<svg /);
  assert.match(svg.stdout, /<title>shop\/deployment\/checkout&#45;&gt;shop\/deployment\/payments<\/title>/);
  const html = netpol(["connections", CLUSTER, `${SHOP}/v1`, "-o", "html", "--by", "workload", "--explain"]);
  assert.match(html.stdout, /^<!doctype html>/);
  assert.match(html.stdout, /<svg /);
  assert.match(html.stdout, /Ingress rule 0 of shop\/payments \(NetworkPolicy\): TCP 8443/);
});

/** The documentation's example and the default policies (examples/shop holds deliberate mistakes of its own). */
const EXAMPLES = ["examples/cluster.yaml", "examples/test-network-policy.yaml", "examples/default-policies"];

test("connections: on the bundled examples, and usage errors exit 2", () => {
  const r = netpol(["connections", ...EXAMPLES]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /=> .* : All Connections\n/);
  for (const args of [["connections", ...EXAMPLES, "-o", "xml"], ["connections", ...EXAMPLES, "--by", "team"], ["connections", ...EXAMPLES, "--port", "9-1"]]) {
    const bad = netpol(args);
    assert.is(bad.status, 2, args.join(" "));
    assert.match(bad.stderr, /^error: /);
  }
});

test("diff: the shop's v1 → v2 change, on every port, to anything, in every format", () => {
  const r = netpol(["diff", `${SHOP}/v1`, `${SHOP}/v2`, "--cluster", CLUSTER, "--by", "workload", "--exit-code"]);
  assert.is(r.status, 1, r.stderr);
  assert.is(
    r.stdout,
    [
      "~ shop/deployment/checkout => shop/deployment/payments : TCP 8443 → TCP 8443-8444 (gained TCP 8444)",
      "- shop/deployment/frontend => shop/deployment/search : TCP 8080",
      "+ shop/deployment/payments => 198.51.100.10-198.51.100.10 : TCP 443",
      "- shop/deployment/payments => 203.0.113.128-203.0.113.255 : TCP 443",
      "1 added, 2 removed, 1 changed",
      "",
    ].join("\n"),
  );
  const json = JSON.parse(netpol(["diff", `${SHOP}/v1`, `${SHOP}/v2`, "--cluster", CLUSTER, "--by", "workload", "-o", "json"]).stdout);
  assert.equal(json.counts, { added: 1, removed: 2, changed: 1 });
  assert.equal(json.changes[0].lost, { TCP: [], UDP: [], SCTP: [] });
  const csv = netpol(["diff", `${SHOP}/v1`, `${SHOP}/v2`, "--cluster", CLUSTER, "-o", "csv", "--port", "8443-8444"]);
  assert.match(csv.stdout, /^from,to,change,before,after,gained,lost\n/);
  const md = netpol(["diff", `${SHOP}/v1`, `${SHOP}/v2`, "--cluster", CLUSTER, "-o", "md", "--by", "workload"]);
  assert.match(md.stdout, /\| changed \| shop\/deployment\/checkout \| shop\/deployment\/payments \| TCP 8443 \| TCP 8443-8444 \| TCP 8444 \| nothing \|/);
  // the cluster may come with BEFORE (here without policies: everything was open) instead of --cluster
  const open = netpol(["diff", CLUSTER, `${SHOP}/v2`, "--by", "workload"]);
  assert.is(open.status, 0, open.stderr);
  assert.match(open.stdout, /^- shop\/deployment\/frontend => data\/deployment\/redis : All Connections$/m);
  assert.match(open.stdout, /^~ shop\/deployment\/checkout => shop\/deployment\/payments : All Connections → TCP 8443-8444 \(lost /m);
});

test("diff: no endpoints at all exits 2 and says why", () => {
  const r = netpol(["diff", `${SHOP}/v1`, `${SHOP}/v2`, "--exit-code"]);
  assert.is(r.status, 2);
  assert.is(r.stdout, "");
  assert.match(r.stderr, /no endpoints to compare: neither BEFORE nor AFTER holds a pod or workload/);
});

test("exposure: endpoints reachable from any address first, then who may reach each and where it may go", () => {
  const r = netpol(["exposure", CLUSTER, `${SHOP}/v1`, "--by", "workload"]);
  assert.is(r.status, 0, r.stderr);
  const blocks = r.stdout.split("\n\n");
  assert.equal(
    blocks.filter((b) => b.includes("[reachable from any address]")).map((b) => b.split(" ")[0]),
    ["kube-system/deployment/coredns", "ops/deployment/prometheus", "shop/deployment/frontend"],
  );
  assert.ok(blocks.slice(0, 3).every((b) => b.includes("[reachable from any address]")), "flagged endpoints come first");
  const frontend = blocks.find((b) => b.startsWith("shop/deployment/frontend"))!;
  assert.match(frontend, /0\.0\.0\.0-203\.0\.112\.255: TCP 8080/);
  assert.match(frontend, /all pods in any namespace, on the TCP port named http \(shop\/frontend ingress rule 0\)/);
  const payments = blocks.find((b) => b.startsWith("shop/deployment/payments"))!;
  assert.match(payments, /from outside the cluster: nothing/);
  assert.match(payments, /to outside the cluster:\n {4}203\.0\.113\.0-203\.0\.113\.255: TCP 443/);
  const json = JSON.parse(netpol(["exposure", CLUSTER, `${SHOP}/v1`, "--by", "workload", "-o", "json"]).stdout) as { exposure: Array<{ endpoint: string; fromAnyAddress: boolean }> };
  assert.equal(json.exposure.slice(0, 3).map((e) => e.fromAnyAddress), [true, true, true]);
  assert.is(json.exposure.length, 12);
  assert.is(netpol(["exposure", ...EXAMPLES]).status, 0);
});

test("lint: the shop's findings, placed at file, document and line, --fail-on sets the exit status", () => {
  const r = netpol(["lint", CLUSTER, `${SHOP}/v1`]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^warning NP002 peer-selects-nothing: test\/fixtures\/audit\/shop\/v1\/policies\.yaml:\d+ document \d+: spec\.ingress\[0\]\.from\[0\] of data\/kafka selects no pod$/m);
  assert.match(r.stdout, /^warning NP005 no-dns-egress: .*pod data\/deployment\/redis is isolated for egress/m);
  assert.match(r.stdout, /^info NP006 namespace-without-default-deny: namespace ops has 1 pod/m);
  assert.match(r.stdout, /\n0 errors, 5 warnings, 2 info\n$/);
  assert.is(netpol(["lint", CLUSTER, `${SHOP}/v1`, "--fail-on", "warning"]).status, 1);
  const json = JSON.parse(netpol(["lint", CLUSTER, `${SHOP}/v1`, "-o", "json"]).stdout) as { findings: Array<Record<string, unknown>> };
  const kafka = json.findings.find((f) => f.id === "NP002")!;
  assert.equal(Object.keys(kafka), ["id", "rule", "severity", "message", "file", "document", "line", "path", "fix"]);
  assert.is(kafka.file, `${SHOP}/v1/policies.yaml`);
  assert.is(kafka.path, "spec.ingress[0].from[0]");
});

test("lint: SARIF 2.1.0 valid against the published schema", () => {
  // the schema as published with the SARIF 2.1.0 standard (draft-04), vendored from
  // @microsoft/jest-sarif's copy; formats (uri, date-time) are not checked, and its patterns are
  // read without the u flag (one, for language tags, is not valid in unicode mode)
  const schema = JSON.parse(readFileSync(`${root}test/fixtures/audit/sarif/sarif-schema-2.1.0.json`, "utf8")) as object;
  const validate = new (createRequire(import.meta.url)("ajv-draft-04") as new (options: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } })({ strict: false, validateFormats: false, unicodeRegExp: false }).compile(schema);
  for (const args of [[CLUSTER, `${SHOP}/v1`], EXAMPLES]) {
    const r = netpol(["lint", ...args, "-o", "sarif"]);
    assert.is(r.status, 0, r.stderr);
    const log = JSON.parse(r.stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string; locations?: unknown[] }> }> };
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    assert.is(log.version, "2.1.0");
    if (args[0] === CLUSTER) assert.ok(log.runs[0]!.results.some((x) => x.ruleId === "NP002" && x.locations !== undefined));
  }
  // the validator does reject a broken log
  assert.not.ok(validate({ version: "2.1.0", runs: [{ tool: {} }] }));
});

test.run();
