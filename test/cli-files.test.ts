// The CLI's file layer and its one notion of validity: folders with FIFOs, links to
// folders and link cycles, files too large, unreadable paths, and `validate`
// agreeing with the commands that build an engine.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const root = new URL("..", import.meta.url).pathname;

function netpol(args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    input: "",
    env: { ...process.env, NO_COLOR: "", FORCE_COLOR: "0" },
    timeout: 120_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, timedOut: run.error !== undefined };
}

const NS = (name: string): string => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;

test("validate: a path that cannot be read makes the summary `invalid`, exit 2", () => {
  const dir = mkdtempSync(join(tmpdir(), "netpol-cli-"));
  writeFileSync(join(dir, "ok.yaml"), NS("a"));
  const r = netpol(["validate", join(dir, "ok.yaml"), join(dir, "missing.yaml")]);
  assert.is(r.status, 2);
  assert.match(r.stdout, /^invalid: 1 file \(1 path could not be read\): /);
  assert.match(r.stderr, /missing\.yaml: no such file or folder/);
});

test("folders: a FIFO named *.yaml is skipped with a warning (reading it would block forever)", () => {
  const dir = mkdtempSync(join(tmpdir(), "netpol-cli-"));
  writeFileSync(join(dir, "a.yaml"), NS("a"));
  const fifo = spawnSync("mkfifo", [join(dir, "pipe.yaml")]);
  if (fifo.status !== 0) return; // no mkfifo here
  const r = netpol(["validate", dir]);
  assert.not.ok(r.timedOut, "the CLI hung on the FIFO");
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stderr, /pipe\.yaml: a FIFO, not a file: skipped/);
  assert.match(r.stdout, /^valid: 1 file: /);
});

test("folders: links to folders are followed whatever their name, once each; link cycles end", () => {
  const dir = mkdtempSync(join(tmpdir(), "netpol-cli-"));
  const other = mkdtempSync(join(tmpdir(), "netpol-cli-other-"));
  mkdirSync(join(other, "sub"));
  writeFileSync(join(other, "sub", "b.yaml"), NS("b"));
  writeFileSync(join(dir, "a.yaml"), NS("a"));
  symlinkSync(join(other, "sub"), join(dir, "x.yaml")); // a folder named like a manifest
  symlinkSync(join(other, "sub"), join(dir, "linked")); // a linked subfolder, same target
  symlinkSync(dir, join(dir, "loop")); // a cycle
  const r = netpol(["validate", dir]);
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^valid: 2 files: 0 policies, 2 namespaces/);
});

test("a file larger than netpol reads is refused with its size, the other files still read", () => {
  const dir = mkdtempSync(join(tmpdir(), "netpol-cli-"));
  writeFileSync(join(dir, "a.yaml"), NS("a"));
  writeFileSync(join(dir, "huge.yaml"), "");
  truncateSync(join(dir, "huge.yaml"), 600 * 2 ** 20); // sparse: no disk used
  const r = netpol(["validate", dir]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /huge\.yaml: file of 600\.0 MiB is larger than the 512\.0 MiB netpol reads/);
  assert.match(r.stdout, /^invalid: 1 file \(1 path could not be read\): 0 policies, 1 namespaces/);
});

test("validate and matrix agree: what validate calls an error stops matrix, with file and line", () => {
  const dir = mkdtempSync(join(tmpdir(), "netpol-cli-"));
  writeFileSync(
    join(dir, "cluster.yaml"),
    `${NS("Bad_Name")}---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x}
status: {podIP: 10.0.0.1}
`,
  );
  const v = netpol(["validate", dir]);
  assert.is(v.status, 1);
  const m = netpol(["matrix", dir, "--port", "80"]);
  assert.is(m.status, 2);
  for (const out of [v.stderr, m.stderr]) {
    assert.match(out, /cluster\.yaml:3 document 0 Namespace: metadata\.name: invalid value `Bad_Name`/);
    assert.match(out, /cluster\.yaml:9 document 2: status\.podIP: IP `10\.0\.0\.1` already belongs to pod `x\/a`, defined at .*cluster\.yaml:4 document 1/);
  }
});

test.run();
