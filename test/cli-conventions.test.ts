// kubectl's and netpol-analyzer's command-line conventions (issue 11, points 5 and 6),
// run through the real `netpol` command on examples/shop: -f, -o, -n, --version, -q,
// warnings summed up per kind, did-you-mean, every command's --help from its spec,
// repeated single-value flags refused, RFC 4180 CSV, the plugin's behaviour from flags
// and from .netpol.yaml.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { COMMANDS, SPECS } from "../src/cli/usage.js";

const root = new URL("..", import.meta.url).pathname;
const TSX = import.meta.resolve("tsx");
const CLUSTER = "examples/shop/cluster";
const POLICIES = "examples/shop/policies";

function netpol(args: string[], options: { input?: string; cwd?: string } = {}) {
  const run = spawnSync(process.execPath, ["--import", TSX, join(root, "src/cli/main.ts"), ...args], {
    cwd: options.cwd ?? root,
    encoding: "utf8",
    input: options.input ?? "",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const shop = (...rest: string[]) => ["-f", join(root, CLUSTER), "-f", join(root, POLICIES), ...rest];

test("-f is repeatable and mixes with positional paths; -o and --output are --format", () => {
  const a = netpol(["check", ...shop("--from", "shop/web-5d8f7c9b4-k2x7q", "--to", "shop/api-7c6b9d5f8-4hj2k", "--port", "8080", "-o", "json")]);
  assert.is(a.status, 0, a.stderr);
  assert.is(JSON.parse(a.stdout).allowed, true);
  const b = netpol(["check", CLUSTER, "-f", POLICIES, "--from", "shop/web-5d8f7c9b4-k2x7q", "--to", "shop/api-7c6b9d5f8-4hj2k", "--port=8080", "--output=json"]);
  assert.is(b.stdout, a.stdout);
});

test("--version prints the package's version", () => {
  const r = netpol(["--version"]);
  assert.is(r.status, 0);
  assert.is(r.stdout, `netpol ${(JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string }).version}\n`);
});

test("warnings are summed up per kind, listed with --verbose, gone with -q", () => {
  const r = netpol(["validate", ...shop()]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /\nwarning: skipped 2 objects of kinds netpol does not read: ConfigMap ×1, Ingress ×1 \(--verbose lists them\)\n$/);
  assert.not.match(r.stderr, /unsupported kind/);
  const verbose = netpol(["validate", ...shop("--verbose")]);
  assert.match(verbose.stderr, /shop\.yaml:\d+ document \d+: kind: skipped object of unsupported kind `ConfigMap`/);
  assert.match(verbose.stderr, /kind: skipped object of unsupported kind `Ingress`/);
  const quiet = netpol(["validate", ...shop("-q")]);
  assert.is(quiet.stderr, "");
  assert.is(netpol(["validate", ...shop("-q", "--verbose")]).status, 2);
});

test("did-you-mean for commands and flags; unknown short flags too", () => {
  const cases: Array<[string[], RegExp]> = [
    [["chekc"], /unknown command `chekc` \(did you mean `check`\?\)/],
    [["matrix", CLUSTER, "--prot", "80"], /unknown option `--prot` \(did you mean `--port`\?\)/],
    [["check", "--form", "a"], /unknown option `--form` \(did you mean `--from`\?\)/],
    [["matrix", CLUSTER, "--port", "80", "-o", "htm"], /invalid -o `htm`: expected one of table, csv, json, md, dot, html \(did you mean `html`\?\)/],
    [["validate", "-x"], /unknown option `-x`/],
  ];
  for (const [args, message] of cases) {
    const r = netpol(args);
    assert.is(r.status, 2, args.join(" "));
    assert.match(r.stderr, message);
    assert.not.match(r.stderr, /To specify a positional argument/);
  }
});

test("a single-value flag given twice is an error, not last-wins; repeatable ones collect", () => {
  const r = netpol(["check", ...shop("--from", "shop/web-5d8f7c9b4-k2x7q", "--to", "a", "--to", "b", "--port", "80")]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /--to given twice \(`a` and `b`\): it takes one value/);
  const m = netpol(["matrix", ...shop("--port", "8080", "-n", "shop", "-n", "payments", "-o", "csv")]);
  assert.is(m.status, 0, m.stderr);
  const header = m.stdout.split("\r\n")[0]!;
  assert.ok(header.includes("shop/") && header.includes("payments/") && !header.includes("data/"), header);
});

test("every command's --help lists each of its options, its output formats and its exit statuses", () => {
  for (const command of COMMANDS) {
    const spec = SPECS[command];
    const r = netpol([command, "--help"]);
    assert.is(r.status, 0);
    for (const o of spec.options) assert.ok(r.stdout.includes(`--${o.name}`), `${command} --help misses --${o.name}`);
    for (const [format] of spec.formats ?? []) assert.match(r.stdout, new RegExp(`\\n  ${format} +\\S`), `${command} --help misses format ${format}`);
    assert.match(r.stdout, /\nexit status:\n  0  /);
    for (const [status] of spec.exits) assert.match(r.stdout, new RegExp(`\\n  ${status}  \\S`));
  }
  assert.match(netpol(["check", "--help"]).stdout, /-o, --format FORMAT +output format: text, json \(default text\) \(also --output\)/);
});

test("-n is the namespace of objects that name none, as kubectl apply -n", () => {
  const policy = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-web}\nspec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}\n";
  const args = ["check", "-f", CLUSTER, "-f", "-", "--from", "shop/api-7c6b9d5f8-4hj2k", "--to", "shop/web-5d8f7c9b4-k2x7q", "--port", "8080"];
  const inShop = netpol([...args, "-n", "shop"], { input: policy });
  assert.is(inShop.status, 1, inShop.stderr);
  assert.match(inShop.stdout, /isolated by shop\/deny-web/);
  const inDefault = netpol(args, { input: policy });
  assert.is(inDefault.status, 0, inDefault.stderr);
});

test("flows: RFC 4180 CSV in (quoted fields, CRLF) and out (a header row, CRLF)", () => {
  const dir = mkdtempSync(join(tmpdir(), "netpol-csv-"));
  const file = join(dir, "flows.csv");
  writeFileSync(file, '"src","dst","protocol","port"\r\n"shop/web-5d8f7c9b4-k2x7q",shop/api-7c6b9d5f8-4hj2k,TCP,"8080"\r\nshop/web-5d8f7c9b4-k2x7q,"203.0.113.9",TCP,443\r\n"unterminated,shop/web,TCP,80\r\n');
  const r = netpol(["flows", ...shop("--flows", file)]);
  assert.is(r.status, 2, "the bad line is reported");
  assert.is(r.stdout, "src,dst,protocol,port,verdict\r\nshop/web-5d8f7c9b4-k2x7q,shop/api-7c6b9d5f8-4hj2k,TCP,8080,allowed\r\nshop/web-5d8f7c9b4-k2x7q,203.0.113.9,TCP,443,denied\r\n");
  assert.match(r.stderr, /flows\.csv:4: invalid CSV: a quoted field is not closed/);
});

test("plugin behaviour from flags: --self-traffic, --ipblock-matches-pods, --host-network", () => {
  const self = ["check", ...shop("--from", "shop/web-5d8f7c9b4-k2x7q", "--to", "shop/web-5d8f7c9b4-k2x7q", "--port", "9999")];
  assert.is(netpol(self).status, 0, "a pod may reach itself by default");
  const policy = netpol([...self, "--self-traffic", "policy"]);
  assert.is(policy.status, 1, policy.stderr);
  assert.is(netpol([...self, "--self-traffic", "deny"]).status, 2);
  // checkout may reach 203.0.113.0/24; a pod with such an IP is matched by the block only by default
  const pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: probe, namespace: data}\nstatus: {podIP: 203.0.113.5}\n";
  const block = ["check", ...shop("-f", "-", "--from", "payments/deployment/checkout", "--to", "data/probe", "--port", "443")];
  assert.is(netpol(block, { input: pod }).status, 0);
  assert.is(netpol([...block, "--ipblock-matches-pods", "false"], { input: pod }).status, 1);
  const host = "apiVersion: v1\nkind: Pod\nmetadata: {name: agent, namespace: shop, labels: {app: web}}\nspec: {hostNetwork: true}\nstatus: {podIP: 10.0.0.5}\n";
  const hostArgs = ["check", ...shop("-f", "-", "--from", "monitoring/deployment/prometheus", "--to", "shop/agent", "--port", "9100")];
  assert.is(netpol(hostArgs, { input: host }).status, 0, "host-network pods are not isolated by default");
  assert.is(netpol([...hostArgs, "--host-network", "pod"], { input: host }).status, 1);
});

test("--node-local: a pod's own node is let through by default, decided by the policies with policy (also from .netpol.yaml)", () => {
  const input = `apiVersion: v1
kind: Node
metadata: {name: w1}
status: {addresses: [{type: InternalIP, address: 192.168.0.1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
spec: {nodeName: w1}
status: {podIP: 10.0.0.1}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: x}
spec: {podSelector: {}}
`;
  const args = ["check", "-f", "-", "--from", "node:w1", "--to", "x/a", "--port", "10250"];
  const allowed = netpol(args, { input });
  assert.is(allowed.status, 0, allowed.stderr);
  assert.is(netpol([...args, "--node-local", "policy"], { input }).status, 1);
  const dir = mkdtempSync(join(tmpdir(), "netpol-config-"));
  writeFileSync(join(dir, ".netpol.yaml"), "node-local: policy\n");
  assert.is(netpol(args, { input, cwd: dir }).status, 1);
  assert.is(netpol([...args, "--node-local", "allow"], { input, cwd: dir }).status, 0);
});

test(".netpol.yaml in the working directory pins the plugin's behaviour; flags win; bad settings are named", () => {
  const dir = mkdtempSync(join(tmpdir(), "netpol-config-"));
  const self = ["check", ...shop("--from", "shop/web-5d8f7c9b4-k2x7q", "--to", "shop/web-5d8f7c9b4-k2x7q", "--port", "9999")];
  writeFileSync(join(dir, ".netpol.yaml"), "# our plugin decides self traffic by policy\nself-traffic: policy\nipblock-matches-pods: false\n");
  assert.is(netpol(self, { cwd: dir }).status, 1);
  assert.is(netpol([...self, "--self-traffic", "allow"], { cwd: dir }).status, 0);
  writeFileSync(join(dir, ".netpol.yaml"), "self-trafic: policy\n");
  const typo = netpol(self, { cwd: dir });
  assert.is(typo.status, 2);
  assert.match(typo.stderr, /\.netpol\.yaml: self-trafic: unknown setting \(did you mean `self-traffic`\?\)/);
  writeFileSync(join(dir, ".netpol.yaml"), "host-network: bridge\n");
  assert.match(netpol(self, { cwd: dir }).stderr, /\.netpol\.yaml: host-network: invalid value `bridge`: expected one of host, pod/);
});

test("Services: `namespace/service/name` (or svc) stands for its pods, on each pod's targetPort", () => {
  const r = netpol(["check", ...shop("--from", "shop/web-5d8f7c9b4-k2x7q", "--to", "shop/svc/api", "--port", "80")]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^shop\/web-5d8f7c9b4-k2x7q → shop\/svc\/api on 80\/TCP: allowed for 2 of 2 pods\n  shop\/api-7c6b9d5f8-4hj2k on 8080\/TCP: allowed\n  shop\/api-7c6b9d5f8-wq8rt on 8080\/TCP: allowed\n/);
  const explained = netpol(["check", ...shop("--from", "shop/web-5d8f7c9b4-k2x7q", "--to", "shop/service/api", "--port", "80", "--explain")]);
  assert.is(explained.stdout.match(/shop\/api ingress rule 0: from\[0\] pods with label app=web/g)?.length, 2);
  const json = JSON.parse(netpol(["check", ...shop("--from", "monitoring/deploy/prometheus", "--to", "shop/svc/api", "--port", "80", "-o", "json")]).stdout);
  assert.equal([json.allowed, json.group.allowed, json.group.total, json.group.members[0].port], [false, 0, 2, 8080]);
  const noPort = netpol(["check", ...shop("--from", "shop/web-5d8f7c9b4-k2x7q", "--to", "shop/svc/api", "--port", "8080")]);
  assert.is(noPort.status, 2);
  assert.match(noPort.stderr, /Service `shop\/service\/api` has no port 8080\/TCP; its ports: 80\/TCP \(main\)/);
  const v = netpol(["validate", ...shop()]);
  assert.match(v.stderr, /Service `shop\/service\/legacy` has no selector: its endpoints are managed outside the manifests/);
  assert.match(v.stderr, /Service `shop\/service\/search` selects no pod of the input/);
});

test("workloads stay addressable when their pods are given, with kubectl's short kinds, and stand for all their pods", () => {
  const r = netpol(["check", ...shop("--from", "shop/deploy/web", "--to", "shop/deployment/api", "--port", "8080")]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /allowed for 4 of 4 pod pairs/);
  const sts = netpol(["check", ...shop("--from", "shop/deploy/api", "--to", "data/sts/db", "--port", "5432")]);
  assert.match(sts.stdout, /→ data\/db-0: allowed\n/);
  const denied = netpol(["check", ...shop("--from", "monitoring/deploy/prometheus", "--to", "shop/deploy/web", "--port", "8080", "--expect", "denied")]);
  assert.is(denied.status, 1, "web takes 8080 from anywhere");
  assert.match(denied.stderr, /is allowed for 2 of 2 pods, expected denied/);
  assert.is(netpol(["check", ...shop("--from", "shop/po/web-5d8f7c9b4-k2x7q", "--to", "shop/pods/api-7c6b9d5f8-4hj2k", "--port", "8080")]).status, 0);
});

test.run();

test("named ports: `--port http` (and `http/TCP`) resolves on each destination pod; a Service port by name", () => {
  const named = netpol(["check", ...shop("--from", "shop/deploy/web", "--to", "shop/api-7c6b9d5f8-4hj2k", "--port", "http")]);
  assert.is(named.status, 0, named.stderr);
  assert.match(named.stdout, /^shop\/deploy\/web → shop\/api-7c6b9d5f8-4hj2k on http\/TCP: allowed for 2 of 2 pods\n  shop\/web-5d8f7c9b4-k2x7q on 8080\/TCP: allowed\n/);
  const service = netpol(["check", ...shop("--from", "shop/web-5d8f7c9b4-k2x7q", "--to", "shop/svc/api", "--port", "main/TCP")]);
  assert.match(service.stdout, /on main\/TCP: allowed for 2 of 2 pods\n  shop\/api-7c6b9d5f8-4hj2k on 8080\/TCP: allowed/);
  const missing = netpol(["check", ...shop("--from", "shop/web-5d8f7c9b4-k2x7q", "--to", "shop/api-7c6b9d5f8-4hj2k", "--port", "grpc")]);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /--port: port `grpc` \(TCP\) resolves on no destination pod: no container port named `grpc` for TCP on this pod/);
  assert.match(netpol(["check", ...shop("--from", "a/b", "--to", "a/c", "--port", "Http")]).stderr, /invalid port `Http`/);
});
