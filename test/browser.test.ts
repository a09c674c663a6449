// The published package: its entry points are the files the build writes, both its
// builds load in Node, and its ES module runs in Chromium, bundled for the browser the
// way a user's bundler would (no Node shims, nothing fetched), answering exactly as
// the sources do in Node, on every evaluator. Needs Debian's `chromium`.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { build } from "tsup";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EVALUATORS } from "../src/engine/create.js";
import * as netpol from "../src/index.js";
import * as reader from "../src/manifests-entry.js";
import type { EvaluatorName } from "../src/index.js";
import { ARTIFACTS, ensureBuilt, HAS_CLI, PACKAGE_BUILD, ROOT } from "./browser/build.js";
import { closeSessionAfter, needsChromium, openSession, type BrowserSession } from "./browser/chromium.js";
import { serveStatic } from "./browser/server.js";
import { survey, type Survey } from "./browser/survey.js";
import { threadsSurvey, type ThreadsSurvey } from "./browser/threads-survey.js";

const FIXTURE = readFileSync(join(ROOT, "test/browser/fixture.yaml"), "utf8");
const PAGE_DIR = join(ARTIFACTS, "library-page");
const PAGE_HTML = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>netpol</title><script type="module" src="/page.js"></script>`;

interface Session extends BrowserSession {
  /** The page bundle's inputs, relative to the root. */
  readonly inputs: readonly string[];
}

async function start(): Promise<Session> {
  ensureBuilt(PACKAGE_BUILD);
  await build({
    config: false,
    entry: { page: join(ROOT, "test/browser/page.js") },
    outDir: PAGE_DIR,
    format: ["esm"],
    platform: "browser",
    target: "es2022",
    noExternal: [/.*/],
    splitting: false,
    metafile: true,
    silent: true,
  });
  const meta = JSON.parse(readFileSync(join(PAGE_DIR, "metafile-esm.json"), "utf8")) as { inputs: Record<string, unknown> };
  const server = await serveStatic(PAGE_DIR, { "/": { type: "text/html; charset=utf-8", body: PAGE_HTML } });
  const session = await openSession(server, (page) => page.waitForFunction("typeof globalThis.survey === 'function'"));
  return { ...session, inputs: Object.keys(meta.inputs) };
}

/** The tests below that drive Chromium. */
const inChromium = needsChromium(test);

let session: Promise<Session> | undefined;
const open = (): Promise<Session> => (session ??= start());

/** Every evaluator by name, and `null` for the default one. */
const CHOICES: ReadonlyArray<EvaluatorName | null> = [null, ...EVALUATORS];

const nodeSurvey = async (evaluator: EvaluatorName | null): Promise<Survey> =>
  JSON.parse(JSON.stringify(await survey(netpol, reader, FIXTURE, evaluator))) as Survey;

const pageSurvey = async (page: Page, evaluator: EvaluatorName | null): Promise<Survey> =>
  (await page.evaluate(`survey(${JSON.stringify(FIXTURE)}, ${JSON.stringify(evaluator)})`)) as Survey;

test("package.json's entry points are files the build wrote", () => {
  ensureBuilt(PACKAGE_BUILD);
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  const targets = (value: unknown): string[] =>
    typeof value === "string" ? [value] : typeof value === "object" && value !== null ? Object.values(value).flatMap(targets) : [];
  const paths = [pkg.main, pkg.module, pkg.types, pkg.exports].flatMap(targets).filter((p) => p !== "./package.json");
  assert.ok(paths.includes("./dist/index.d.cts"), "the require condition has its own declarations");
  if (HAS_CLI) paths.push(...targets(pkg.bin));
  assert.equal(
    paths.filter((p) => !existsSync(join(ROOT, p))),
    [],
    "named in package.json but not built",
  );
});

if (HAS_CLI) {
  test("the CLI build is one executable script for Node", () => {
    ensureBuilt(PACKAGE_BUILD);
    const cli = join(ROOT, "dist/cli.js");
    assert.ok(readFileSync(cli, "utf8").startsWith("#!/usr/bin/env node\n"), "dist/cli.js starts with its #! line");
    assert.ok((statSync(cli).mode & 0o111) !== 0, "dist/cli.js is executable");
    const check = spawnSync(process.execPath, ["--check", cli], { encoding: "utf8" });
    assert.is(check.status, 0, check.stderr);
  });
}

test("both builds load in Node, by the package's own name, with the whole public API", async () => {
  ensureBuilt(PACKAGE_BUILD);
  const [name, readerName] = ["netpol", "netpol/manifests"];
  const require = createRequire(import.meta.url);
  const builds = [
    [(await import(name)) as typeof netpol, (await import(readerName)) as typeof reader],
    [require(name) as typeof netpol, require(readerName) as typeof reader],
  ] as const;
  const expected = await nodeSurvey(null);
  for (const [built, builtReader] of builds) {
    assert.equal(Object.keys(built).sort(), Object.keys(netpol).sort());
    assert.equal(Object.keys(builtReader).sort(), Object.keys(reader).sort());
    assert.equal(JSON.parse(JSON.stringify(await survey(built, builtReader, FIXTURE, null))), expected);
  }
});

inChromium("the browser bundle is made of dist/index.js, not the sources", async () => {
  const { inputs } = await open();
  assert.ok(inputs.includes("dist/index.js") && inputs.includes("dist/manifests.js"), `inputs: ${inputs.join(", ")}`);
  assert.equal(inputs.filter((i) => i.startsWith("src/")), []);
});

for (const evaluator of CHOICES) {
  inChromium(`in Chromium the bundle answers as the sources do in Node [${evaluator ?? "default"}]`, async () => {
    const { page } = await open();
    assert.equal(await pageSurvey(page, evaluator), await nodeSurvey(evaluator));
  });
}

inChromium("in Chromium the answers are the fixture's (a rule on a named port, an egress-isolated namespace)", async () => {
  const { page } = await open();
  const answer = await pageSurvey(page, null);
  assert.equal(answer.parseIssues, []);
  assert.equal(answer.pods, ["shop/web", "shop/db", "ops/monitor"]);
  assert.equal(answer.matrices[0], { "shop/web": "111", "shop/db": "111", "ops/monitor": "001" });
  assert.equal(answer.matrices[1], { "shop/web": "101", "shop/db": "111", "ops/monitor": "001" });
  assert.equal(
    answer.decisions.map((d) => d.split("\n")[0]),
    ["allowed", "denied", "denied", "allowed", "allowed"],
  );
  assert.equal(answer.batch, [1, 0, 0, 1, 1]);
  assert.not.match(answer.refusal, /^accepted$|^not a NetpolValidationError/);
});

inChromium("a page that is not cross-origin isolated runs on one thread: the …Async methods answer as the sync ones", async () => {
  const { page } = await open();
  const got = (await page.evaluate("threadsSurvey()")) as ThreadsSurvey;
  const node = await threadsSurvey(netpol);
  assert.equal(got, { ...node, isolated: false, threads: 1 });
  assert.ok(node.threads >= 2 && node.batchSame && node.matrixSame && node.sideSame, "Node splits the same work, with the same answers");
});

inChromium("a cross-origin isolated page splits large batches and matrices across Web Workers, with the same answers", async () => {
  // the same bundle, served with the headers that make a page cross-origin isolated
  const server = await serveStatic(PAGE_DIR, { "/": { type: "text/html; charset=utf-8", body: PAGE_HTML } }, { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" });
  const isolated = await openSession(server, (page) => page.waitForFunction("typeof globalThis.threadsSurvey === 'function'"));
  try {
    const got = (await isolated.page.evaluate("threadsSurvey()")) as ThreadsSurvey;
    const node = await threadsSurvey(netpol);
    assert.equal(got, { ...node, isolated: true, threads: got.threads });
    assert.ok(got.isolated && got.threads >= 2, `isolated ${got.isolated}, ${got.threads} threads`);
    assert.equal(isolated.problems, []);
  } finally {
    await isolated.browser.close();
    await server.close();
  }
});

closeSessionAfter(inChromium, open, () => session);

test.run();
