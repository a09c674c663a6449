/**
 * `npm run bench:views -- [--sizes 300,2000,5000] [--only report|playground] [--timeout S] [--write]`:
 * the pictures at real size, in headless Chromium (Debian's /usr/bin/chromium through
 * playwright-core). Per size, a synthetic cluster (benchmarks/synthetic.ts, one pod per
 * endpoint, a policy per five pods) as Kubernetes YAML, then:
 *
 * - report: `netpol matrix DIR --port 8080/TCP --format html` run as a command (wall
 *   time, file size), the file opened in a fresh browser: first paint with headers
 *   (from navigation start to the frame after the picture and its headers are in the
 *   page), then how long a hover over the middle of the picture takes to show the
 *   library's explanation;
 * - playground: the YAML put over the editor's text in docs/playground (time from the
 *   `input` event until the page names the new endpoint count), then an edit: a policy
 *   that opens one namespace appended, timed from its `input` event to the frame after
 *   the page shows the new policy count (typing pause included); and, apart, how long
 *   the browser's own textarea takes to type one character into a text this large.
 *
 * Prints one Markdown row per size; a step that does not finish within the timeout
 * says so. `--write` puts the table into docs/benchmarks-views.md between its markers.
 * Exit status 1 when a step fails (not when it is slow), 2 on bad usage.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../test/browser/chromium.js";
import { ensureBuilt, PLAYGROUND_BUILD } from "../test/browser/build.js";
import { serveStatic } from "../test/browser/server.js";
import { allowAllIngress, worldYaml, yamlDocument } from "./manifests.js";
import { machine } from "./report.js";
import { syntheticWorld, type World } from "./synthetic.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DOC = join(ROOT, "docs/benchmarks-views.md");
const MARKERS = ["<!-- bench:views:start -->", "<!-- bench:views:end -->"] as const;

/** What is awaited: the picture (the old table's body, or the heatmap's painted mark) with its headers. */
const PAINTED = "#grid tbody th, #heatmap td.cell, [data-painted]";
/** The tooltip of either generation of the pages. */
const TIP = "#tip, .hm-tip";

/**
 * Installed before any page script: from navigation start, watches every frame; the
 * frame after the one in which `PAINTED` first matched has been laid out and painted,
 * and its time goes to `__paintAt`.
 */
const PAINT_PROBE = `(() => {
  window.__paintAt = null;
  let seen = false;
  const tick = () => {
    if (seen) { window.__paintAt = performance.now(); return; }
    if (document.querySelector(${JSON.stringify(PAINTED)})) seen = true;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`;

interface Args {
  readonly sizes: number[];
  readonly only: "report" | "playground" | null;
  readonly timeoutMs: number;
  readonly write: boolean;
}

/** One size's figures; a string where a step failed or ran out of time. */
interface Row {
  readonly endpoints: number;
  readonly policies: number;
  reportBytes?: number | string;
  reportCli?: number | string;
  reportPaint?: number | string;
  reportHover?: number | string;
  playgroundLoad?: number | string;
  playgroundEdit?: number | string;
  typing?: number | string;
}

class Timeout extends Error {}

/** `promise`, or a `Timeout` after `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Timeout(`${what}: not done in ${ms / 1000} s`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Runs `step` in a fresh browser (a page stuck in a long script cannot hold the next one up). */
async function withBrowser<T>(step: (browser: Browser) => Promise<T>): Promise<T> {
  const browser = await launchChromium();
  try {
    return await step(browser);
  } finally {
    await within(browser.close(), 30_000, "closing the browser").catch(() => undefined);
  }
}

async function newPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(0);
  await page.addInitScript(PAINT_PROBE);
  return page;
}

/** Milliseconds from navigation start to the first painted picture with headers. */
async function firstPaint(page: Page, url: string, timeoutMs: number): Promise<number> {
  await within(page.goto(url, { waitUntil: "commit" }), timeoutMs, "navigation");
  await within(page.waitForFunction("window.__paintAt !== null", null, { polling: 50 }), timeoutMs, "first paint");
  return page.evaluate("window.__paintAt") as Promise<number>;
}

/**
 * Milliseconds from a pointer move over the middle of the picture to a tooltip holding
 * an explanation, right after the first paint; on the heatmap at the pod level (its
 * "Pods" button pressed first), where cells are pairs.
 */
async function hover(page: Page, timeoutMs: number): Promise<number | string> {
  if ((await page.$("button[data-level=pod]")) !== null) await page.click("button[data-level=pod]");
  const box = await page.evaluate(`(() => {
    const el = document.querySelector(".hm-canvas") ?? document.querySelector("#grid td[data-i]");
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { x: r.left + Math.min(r.width / 2, 400), y: r.top + Math.min(r.height / 2, 300) };
  })()`) as { x: number; y: number } | null;
  if (box === null) return "no cells";
  const start = performance.now();
  await page.mouse.move(box.x, box.y);
  const explained = `(() => { const tip = document.querySelector(${JSON.stringify(TIP)}); return tip !== null && getComputedStyle(tip).display !== "none" && /ingress/.test(tip.textContent); })()`;
  try {
    await within(page.waitForFunction(explained, null, { polling: "raf" }), timeoutMs, "hover");
  } catch (error) {
    if (error instanceof Timeout) return "no explanation";
    throw error;
  }
  return performance.now() - start;
}

const fail = (error: unknown): string => (error instanceof Timeout ? `> ${error.message.replace(/.*not done in /, "")}` : `failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);

async function measureReport(row: Row, dir: string, args: Args): Promise<void> {
  const html = join(dir, "report.html");
  const out = openSync(html, "w");
  const start = performance.now();
  const cli = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "src/cli/main.ts"), "matrix", join(dir, "manifests"), "--port", "8080/TCP", "--format", "html"], {
    stdio: ["ignore", out, "pipe"],
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  closeSync(out);
  if (cli.status !== 0) {
    row.reportCli = `failed: ${cli.stderr.trim().split("\n").pop()}`;
    return;
  }
  row.reportCli = performance.now() - start;
  row.reportBytes = statSync(html).size;
  await withBrowser(async (browser) => {
    const server = await serveStatic(dir);
    try {
      const page = await newPage(browser);
      row.reportPaint = await firstPaint(page, `${server.origin}/report.html`, args.timeoutMs).catch(fail);
      progress(`report first paint: ${ms(row.reportPaint)}`);
      if (typeof row.reportPaint === "number") row.reportHover = await hover(page, args.timeoutMs).catch(fail);
      progress(`report hover: ${ms(row.reportHover)}`);
    } finally {
      await server.close();
    }
  });
}

/**
 * Puts `text` into the playground's editor (over everything, or appended), lets the
 * browser lay the editor out, then signals the edit (`input`) and waits for
 * `#summary` to contain one of `expect`. Returns ms from the `input` event to the frame
 * after the one that shows it: the typing pause, reading the manifests, the engine, the
 * picture; not the browser's own editing of a large text (see `typing`).
 */
function edit(page: Page, text: string, how: "replace" | "append", expect: readonly string[], timeoutMs: number): Promise<number> {
  const run = async (): Promise<number> => {
    await page.evaluate(`window.__text = ${JSON.stringify(text)}`);
    await page.evaluate(`(() => {
      const editor = document.querySelector("#manifests");
      editor.value = ${JSON.stringify(how)} === "replace" ? window.__text : editor.value + window.__text;
    })()`);
    return page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
      const start = performance.now();
      document.querySelector("#manifests").dispatchEvent(new Event("input", { bubbles: true }));
      const tick = () => {
        const summary = document.querySelector("#summary").textContent;
        if (${JSON.stringify(expect)}.some((e) => summary.includes(e))) requestAnimationFrame(() => resolve(performance.now() - start));
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })))`) as Promise<number>;
  };
  return within(run(), timeoutMs, "recompute");
}

/** Milliseconds the browser takes to type one character at the end of the editor's text (its own editing, before any script of the page runs). */
function typing(page: Page, timeoutMs: number): Promise<number> {
  return within(
    page.evaluate(`(() => {
      const editor = document.querySelector("#manifests");
      editor.focus();
      editor.setSelectionRange(editor.value.length, editor.value.length);
      const start = performance.now();
      document.execCommand("insertText", false, "#");
      return performance.now() - start;
    })()`) as Promise<number>,
    timeoutMs,
    "typing",
  );
}

async function measurePlayground(row: Row, world: World, yaml: string, args: Args): Promise<void> {
  ensureBuilt(PLAYGROUND_BUILD);
  await withBrowser(async (browser) => {
    const server = await serveStatic(join(ROOT, "docs/playground"));
    try {
      const page = await newPage(browser);
      await firstPaint(page, `${server.origin}/`, args.timeoutMs);
      try {
        const pods = world.cluster.pods.length;
        // the summary's wording: "N pods" before the shared heatmap, "N endpoints" (N with separators) since
        row.playgroundLoad = await edit(page, yaml, "replace", [`${pods} pods`, `${pods.toLocaleString("en")} endpoints`], args.timeoutMs);
        progress(`playground paste: ${ms(row.playgroundLoad)}`);
      } catch (error) {
        row.playgroundLoad = fail(error);
        return;
      }
      // the page settles (e.g. puts the manifests into its address) before the edit
      await page.waitForTimeout(2000);
      const added = yamlDocument(allowAllIngress(world.cluster.namespaces.at(-1)!.name));
      const policies = world.policies.length + 1;
      row.playgroundEdit = await edit(page, added, "append", [`${policies} policies,`, `${policies.toLocaleString("en")} policies,`], args.timeoutMs).catch(fail);
      progress(`playground edit: ${ms(row.playgroundEdit)}`);
      row.typing = await typing(page, args.timeoutMs).catch(fail);
    } finally {
      await server.close();
    }
  });
}

/** A line on standard error about the step just done. */
const progress = (text: string): void => console.error(`bench:views: ${text}`);

const ms = (v: number | string | undefined): string => (v === undefined ? "—" : typeof v === "string" ? v : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`);
const bytes = (v: number | string | undefined): string => (v === undefined ? "—" : typeof v === "string" ? v : v < 1 << 20 ? `${(v / 1024).toFixed(0)} KB` : `${(v / (1 << 20)).toFixed(2)} MB`);

function table(rows: readonly Row[]): string {
  const lines = [
    "| endpoints | policies | report size | report written (CLI) | report first paint | hover → explanation | playground paste → picture | playground edit → picture | editor: typing one character |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    lines.push(`| ${r.endpoints} | ${r.policies} | ${bytes(r.reportBytes)} | ${ms(r.reportCli)} | ${ms(r.reportPaint)} | ${ms(r.reportHover)} | ${ms(r.playgroundLoad)} | ${ms(r.playgroundEdit)} | ${ms(r.typing)} |`);
  }
  return lines.join("\n");
}

function parseArgs(argv: readonly string[]): Args | string {
  let sizes = [300, 2000, 5000];
  let only: Args["only"] = null;
  let timeoutMs = 120_000;
  let write = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--sizes") sizes = (argv[++i] ?? "").split(",").map(Number);
    else if (arg === "--only") {
      const value = argv[++i];
      if (value !== "report" && value !== "playground") return "--only takes report or playground";
      only = value;
    } else if (arg === "--timeout") timeoutMs = Number(argv[++i]) * 1000;
    else if (arg === "--write") write = true;
    else return `unknown argument \`${arg}\``;
  }
  if (sizes.some((s) => !Number.isInteger(s) || s < 10)) return "--sizes takes endpoint counts of at least 10, e.g. 300,2000,5000";
  if (!(timeoutMs > 0)) return "--timeout takes seconds";
  return { sizes, only, timeoutMs, write };
}

function writeDoc(text: string): void {
  const doc = readFileSync(DOC, "utf8");
  const [start, end] = [doc.indexOf(MARKERS[0]), doc.indexOf(MARKERS[1])];
  if (start < 0 || end < start) throw new Error(`${DOC} has no ${MARKERS.join(" … ")} markers`);
  writeFileSync(DOC, `${doc.slice(0, start + MARKERS[0].length)}\n${text}\n${doc.slice(end)}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    console.error(`bench:views: ${args}`);
    return 2;
  }
  const host = machine();
  const rows: Row[] = [];
  const tmp = mkdtempSync(join(tmpdir(), "netpol-views-"));
  try {
    for (const endpoints of args.sizes) {
      const world = syntheticWorld({ name: String(endpoints), pods: endpoints, policies: Math.round(endpoints / 5) }, 1);
      const yaml = worldYaml(world);
      const dir = join(tmp, String(endpoints));
      mkdirSync(join(dir, "manifests"), { recursive: true });
      writeFileSync(join(dir, "manifests/world.yaml"), yaml);
      const row: Row = { endpoints, policies: world.policies.length };
      if (args.only !== "playground") await measureReport(row, dir, args).catch((e) => void (row.reportPaint = fail(e)));
      if (args.only !== "report") await measurePlayground(row, world, yaml, args).catch((e) => void (row.playgroundLoad = fail(e)));
      rows.push(row);
      progress(`${endpoints} done`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const text = `${host}\n\n${table(rows)}`;
  console.log(text);
  if (args.write) writeDoc(`Produced by \`npm run bench:views -- --sizes ${args.sizes.join(",")}${args.only ? ` --only ${args.only}` : ""} --write\` on ${new Date().toISOString().slice(0, 10)}.\n\nMachine: ${text}`);
  const failedStep = rows.some((r) => Object.values(r).some((v) => typeof v === "string" && v.startsWith("failed")));
  return failedStep ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`bench:views: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
  },
);
