// The CLI's HTML report at real size, in Chromium: `netpol matrix --format html` over a
// synthetic cluster of 2,000 endpoints. One self-contained file that asks for nothing;
// the namespace summary adds up to the pod-level count; scrolled to the bottom-right,
// the headers name the cell under the pointer; a click explains a pair as the library
// does; search, keyboard and the "any port" layer; screenshots (test/.artifacts/
// report-*.png) hold both verdict colours. Needs Debian's `chromium`.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { test as suite } from "uvu";
import * as assert from "uvu/assert";
import { worldYaml } from "../benchmarks/manifests.js";
import { syntheticWorld } from "../benchmarks/synthetic.js";
import { matrix as matrixCommand } from "../src/cli/commands/matrix.js";
import { makeStyle, type Io } from "../src/cli/io.js";
import { createEngine, Endpoints, explanationText, podEntryId, type Engine } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { PALETTE } from "../src/views/heatmap/palette.js";
import { ARTIFACTS, ROOT } from "./browser/build.js";
import { closeSessionAfter, needsChromium, openSession, watchedPage, type BrowserSession } from "./browser/chromium.js";
import { colourCounts } from "./browser/pixels.js";
import { serveStatic } from "./browser/server.js";

/** Every test here drives Chromium. */
const test = needsChromium(suite);

const ENDPOINTS = 2000;
const PORT = { protocol: "TCP" as const, port: 8080 };

interface Session extends BrowserSession {
  readonly html: string;
  readonly engine: Engine;
  /** Display ids in engine order, and the display order. */
  readonly ids: readonly string[];
  readonly order: readonly number[];
  readonly labels: ReadonlyArray<Readonly<Record<string, string>>>;
}

/** Runs `netpol matrix` in this process on `paths` and returns what it wrote. */
async function report(...paths: string[]): Promise<string> {
  const out: string[] = [];
  const io: Io = {
    write: async (text) => void out.push(text),
    error: () => undefined,
    status: () => undefined,
    out: makeStyle(false),
    err: makeStyle(false),
    stdin: process.stdin,
    columns: 80,
    progress: false,
  };
  const status = await matrixCommand([...paths, "--port", "8080/TCP", "--format", "html"], io);
  if (status !== 0) throw new Error(`netpol matrix exited ${status}`);
  return out.join("");
}

async function start(): Promise<Session> {
  const world = syntheticWorld({ name: "report", pods: ENDPOINTS, policies: ENDPOINTS / 5 }, 1);
  const yaml = worldYaml(world);
  const dir = mkdtempSync(join(tmpdir(), "netpol-report-"));
  writeFileSync(join(dir, "world.yaml"), yaml);
  let html: string;
  try {
    html = await report(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const manifests = parseManifests(yaml);
  const engine = await createEngine({ cluster: { namespaces: manifests.namespaces, pods: manifests.pods }, policies: manifests.policies });
  const endpoints = new Endpoints(engine.pods);
  const labelsOf = new Map(manifests.pods.map((p) => [podEntryId(p), p.labels]));
  const server = await serveStatic(join(ARTIFACTS, "missing"), { "/": { type: "text/html; charset=utf-8", body: html } });
  const session = await openSession(server, (page) => page.waitForSelector("#heatmap[data-painted]"));
  return { ...session, html, engine, ids: endpoints.ids, order: endpoints.order(), labels: engine.pods.map((id) => labelsOf.get(id) ?? {}) };
}

let session: Promise<Session> | undefined;
const open = (): Promise<Session> => (session ??= start());

const inPage = async <T>(page: Page, expression: string): Promise<T> => (await page.evaluate(expression)) as T;

/** The status line's totals. */
const totals = (page: Page) => inPage<{ allowed: number; total: number }>(page, `(() => { const d = document.querySelector(".hm-status").dataset; return { allowed: +d.allowed, total: +d.total }; })()`);

/** The screen-reader table of the grid: column keys, and rows of [row key, ...cells]. */
const table = (page: Page) =>
  inPage<{ cols: string[]; rows: string[][] }>(
    page,
    `(() => {
      const t = document.querySelector(".hm-table");
      const cols = [...t.querySelectorAll("thead th")].slice(1).map((th) => th.textContent);
      const rows = [...t.querySelectorAll("tbody tr")].map((tr) => [...tr.children].map((c) => c.textContent));
      return { cols, rows };
    })()`,
  );

/** Switches the heatmap's level (both axes) and waits for the new picture. */
async function level(page: Page, name: "namespace" | "workload" | "pod"): Promise<void> {
  await page.click(`button[data-level=${name}]`);
  await page.waitForFunction(`document.querySelector("button[data-level=${name}]").getAttribute("aria-pressed") === "true"`);
  await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
}

/** The header entries whose boxes hold the point: the row name at y, the column name at x. */
const headersAt = (page: Page, x: number, y: number) =>
  inPage<{ row: string | null; col: string | null }>(
    page,
    `(() => {
      const hit = (selector, test) => [...document.querySelectorAll(selector)].find((el) => test(el.getBoundingClientRect()))?.dataset.key ?? null;
      return {
        row: hit(".hm-rows .hm-name", (r) => r.top <= ${y} && ${y} < r.bottom),
        col: hit(".hm-cols .hm-name", (r) => r.left <= ${x} && ${x} < r.right),
      };
    })()`,
  );

const tipTitle = (page: Page) => inPage<string>(page, `document.querySelector(".hm-tip > div")?.textContent ?? ""`);

test("one self-contained file, far under 5 MB, whose page asks for nothing outside it", async () => {
  const { html } = await open();
  assert.ok(html.length < 5 * 2 ** 20, `${html.length} bytes`);
  assert.not.match(html, /(src|href)="?(https?:)?\/\//);
});

test("the namespace summary adds up to the pod-level count, cell by cell", async () => {
  const { page, engine, ids } = await open();
  const m = engine.matrix(PORT);
  assert.equal(await totals(page), { allowed: m.count(), total: ENDPOINTS * ENDPOINTS });
  const { cols, rows } = await table(page);
  const namespaceOf = (i: number) => ids[i]!.slice(0, ids[i]!.indexOf("/"));
  let sum = 0;
  for (const [rowKey, ...cells] of rows) {
    cells.forEach((cell, c) => {
      const [allowed, total] = /^(\d+) of (\d+) allowed$/.exec(cell)!.slice(1).map(Number) as [number, number];
      let expected = 0;
      let pairs = 0;
      ids.forEach((_, i) => {
        if (namespaceOf(i) !== rowKey) return;
        ids.forEach((__, j) => {
          if (namespaceOf(j) !== cols[c]) return;
          pairs++;
          if (m.allowed(i, j)) expected++;
        });
      });
      assert.equal([allowed, total], [expected, pairs], `${rowKey} → ${cols[c]}`);
      sum += allowed;
    });
  }
  assert.is(sum, m.count());
  await page.screenshot({ path: join(ARTIFACTS, "report-namespaces.png") });
});

test("at the pod level, scrolled to the bottom-right, the headers name the cell under the pointer", async () => {
  const { page, ids, order, engine } = await open();
  await level(page, "pod");
  await page.evaluate(`(() => { const s = document.querySelector(".hm-scroll"); s.scrollTo(s.scrollWidth, s.scrollHeight); })()`);
  await page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))");
  const box = (await page.locator(".hm-canvas").boundingBox())!;
  const last = ids[order[order.length - 1]!]!;
  const m = engine.matrix(PORT);
  const points: Array<[number, number]> = [
    [3, 3],
    [40, 17],
    [box.width - 150, 90],
  ];
  for (const [dx, dy] of points) {
    const x = box.x + box.width - dx;
    const y = box.y + box.height - dy;
    await page.mouse.move(x, y);
    await page.waitForFunction(`getComputedStyle(document.querySelector(".hm-tip")).display !== "none"`);
    const headers = await headersAt(page, x, y);
    assert.ok(headers.row !== null && headers.col !== null, `headers at ${x},${y}`);
    if (dx === 3) assert.equal(headers, { row: last, col: last }, "the bottom-right cell is the last endpoint's");
    const title = await tipTitle(page);
    assert.ok(title.startsWith(`${headers.row} → ${headers.col} on TCP/8080`), `tooltip ${title} names ${headers.row} → ${headers.col}`);
    const text = await inPage<string>(page, `document.querySelector(".hm-tip pre")?.textContent ?? ""`);
    const allowed = m.allowed(ids.indexOf(headers.row!), ids.indexOf(headers.col!));
    assert.ok(text.startsWith(allowed ? "allowed" : "denied"), `the tooltip's verdict for ${headers.row} → ${headers.col}`);
  }
  await page.screenshot({ path: join(ARTIFACTS, "report-pods.png") });
});

test("a click on a cell explains the pair as the library does", async () => {
  const { page, ids, engine } = await open();
  const box = (await page.locator(".hm-canvas").boundingBox())!;
  const x = box.x + box.width - 40;
  const y = box.y + box.height - 17;
  await page.mouse.click(x, y);
  const { row, col } = await headersAt(page, x, y);
  await page.waitForSelector("#explanation[data-verdict]");
  const from = engine.pods[ids.indexOf(row!)]!;
  const to = engine.pods[ids.indexOf(col!)]!;
  const decision = engine.decide({ from, to, ...PORT });
  assert.is(await page.textContent("#explanation .np-text"), explanationText(decision.explanation, row!, col!, engine.rules));
  assert.is(await page.getAttribute("#explanation", "data-verdict"), decision.allowed ? "allowed" : "denied");
  assert.match(page.url(), /sel=/, "the chosen pair is in the address");
});

test("the keyboard moves a cursor that the headers follow, and Enter explains its pair", async () => {
  const { page, ids, order } = await open();
  await page.focus(".hm-scroll");
  await page.keyboard.press("Control+Home");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  const cursor = await inPage<{ row: string; col: string }>(page, `({ row: document.querySelector(".hm-rows .hm-cur").dataset.key, col: document.querySelector(".hm-cols .hm-cur").dataset.key })`);
  assert.equal(cursor, { row: ids[order[1]!]!, col: ids[order[2]!]! });
  assert.match((await page.textContent(".hm-sr[aria-live]")) ?? "", `from ${cursor.row} to ${cursor.col}: `);
  await page.keyboard.press("Enter");
  await page.waitForFunction(`document.querySelector("#explanation h2")?.textContent.includes(${JSON.stringify(cursor.row)})`);
});

test("a search by label keeps only the rows that carry it", async () => {
  const { page, ids, order, labels } = await open();
  await page.fill(".hm-bar input[aria-label^='search rows']", "app=db");
  const expected = order.filter((i) => labels[i]!.app === "db").length;
  await page.waitForFunction(`document.querySelector(".hm-status").textContent.startsWith("rows: ${expected.toLocaleString("en")} endpoints")`);
  const shown = await inPage<string[]>(page, `[...document.querySelectorAll(".hm-rows .hm-name")].map((el) => el.dataset.key)`);
  assert.ok(shown.length > 0);
  for (const key of shown) assert.is(labels[ids.indexOf(key)]!.app, "db", key);
  await page.fill(".hm-bar input[aria-label^='search rows']", "");
  await page.waitForFunction(`document.querySelector(".hm-status").textContent.startsWith("rows: ${ENDPOINTS.toLocaleString("en")} endpoints")`);
});

test("the any-port layer counts the pairs some named port allows; Back returns to the previous level", async () => {
  const { page, engine, html } = await open();
  const data = JSON.parse(/id="netpol-report">(.*?)<\/script>/s.exec(html)![1]!) as { ports: typeof PORT[] };
  await page.click("[data-port=any]");
  await page.waitForFunction(`document.querySelector(".hm-corner b").textContent.startsWith("any of")`);
  const matrices = data.ports.map((p) => engine.matrix(p));
  let union = 0;
  engine.pods.forEach((_, i) => engine.pods.forEach((__, j) => (union += matrices.some((m) => m.allowed(i, j)) ? 1 : 0)));
  assert.equal(await totals(page), { allowed: union, total: ENDPOINTS * ENDPOINTS });
  await level(page, "namespace");
  await page.click(".hm-back, button[title^='back']");
  await page.waitForFunction(`document.querySelector("button[data-level=pod]").getAttribute("aria-pressed") === "true"`);
  await page.click("[data-port='TCP/8080']");
});

test("the screenshots hold both verdict colours", async () => {
  const { page } = await open();
  for (const name of ["report-namespaces", "report-pods"]) {
    const counts = await colourCounts(page, join(ARTIFACTS, `${name}.png`), { allowed: PALETTE.allowed, denied: name === "report-pods" ? PALETTE.denied : PALETTE.deniedGroup });
    assert.ok(counts.allowed > 2000, `${name}: allowed pixels ${counts.allowed}`);
    assert.ok(counts.denied > 2000, `${name}: denied pixels ${counts.denied}`);
  }
});

test("with ClusterNetworkPolicies and nodes: an explanation walks the tiers and opens the cluster-scoped policy (issue 8)", async () => {
  const { browser } = await open();
  const tiers = join(ROOT, "test/fixtures/cli/tiers");
  const html = await report(join(tiers, "cluster.yaml"), join(tiers, "policies.yaml"));
  const server = await serveStatic(join(ARTIFACTS, "missing"), { "/": { type: "text/html; charset=utf-8", body: html } });
  const { page, problems } = await watchedPage(browser, server.origin);
  try {
    await page.goto(`${server.origin}/`);
    await page.waitForSelector("#heatmap[data-painted]");
    // prod/db-0 → prod/api-0: the Admin tier passes, the Baseline tier denies
    const at = await inPage<{ x: number; y: number }>(
      page,
      `(() => {
        const row = [...document.querySelectorAll("#heatmap .hm-rows .hm-name")].find((el) => el.dataset.key === "prod/db-0").getBoundingClientRect();
        const col = [...document.querySelectorAll("#heatmap .hm-cols .hm-name")].find((el) => el.dataset.key === "prod/api-0").getBoundingClientRect();
        return { x: col.left + col.width / 2, y: row.top + row.height / 2 };
      })()`,
    );
    await page.waitForFunction(`document.documentElement.dataset.engine !== undefined`);
    assert.is(await page.getAttribute("html", "data-engine"), "ready");
    await page.mouse.click(at.x, at.y);
    await page.waitForSelector(`#explanation[data-verdict="denied"] p.np-tier`);
    const shown = await inPage<string[]>(page, `[...document.querySelectorAll("#explanation .np-side[data-direction=Ingress] p.np-tier")].map((p) => p.dataset.tier + ": " + p.textContent)`);
    assert.equal(shown, [
      'Admin: Pass by ClusterNetworkPolicy no-dev-in-prod ingress rule 1 "prod": from[0] all pods in namespaces with label env=prod, every port',
      "Baseline: Deny by ClusterNetworkPolicy baseline-deny ingress rule 0: from[0] all pods in every namespace, every port",
    ]);
    await page.click("#explanation p.np-tier[data-tier=Baseline] button.np-link");
    assert.match((await page.textContent("#policy h2")) ?? "", /^ClusterNetworkPolicy baseline-deny \(.*policies\.yaml:35\)$/);
    assert.match((await page.textContent("#policy pre")) ?? "", /"tier": "Baseline"/);
    // a NetworkPolicy's link still opens that policy, though cluster-scoped ones precede it in the input
    await page.evaluate("window.scrollTo(0, 0)");
    const np = await inPage<{ x: number; y: number }>(
      page,
      `(() => {
        const row = [...document.querySelectorAll("#heatmap .hm-rows .hm-name")].find((el) => el.dataset.key === "prod/api-0").getBoundingClientRect();
        const col = [...document.querySelectorAll("#heatmap .hm-cols .hm-name")].find((el) => el.dataset.key === "prod/db-0").getBoundingClientRect();
        return { x: col.left + col.width / 2, y: row.top + row.height / 2 };
      })()`,
    );
    await page.mouse.click(np.x, np.y);
    // on 8080 db-0 is isolated by prod/db-from-api, which allows only its port pg
    await page.waitForFunction(`document.querySelector("#explanation .np-side[data-direction=Ingress] h3 code")?.textContent === "prod/db-0"`);
    await page.click("#explanation .np-side[data-direction=Ingress] li button.np-link");
    assert.match((await page.textContent("#policy h2")) ?? "", /^policy prod\/db-from-api/);
    assert.equal(problems, []);
  } finally {
    await page.close();
    await server.close();
  }
});

closeSessionAfter(test, open, () => session);

test.run();
