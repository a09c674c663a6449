// The playground (docs/playground) in Chromium: it opens on its example, its heatmap
// agrees cell for cell with the library in Node, a click explains a cell, the port and
// protocol switch, dropped files replace the manifests, problems are listed, the page
// renders (a screenshot, test/.artifacts/playground.png, holds both colours), and it
// works opened as a file too.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { test as suite } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, explanationText, parseManifests, type Engine, type Protocol } from "../src/index.js";
import { ARTIFACTS, ensureBuilt, PLAYGROUND_BUILD, ROOT } from "./browser/build.js";
import { closeSessionAfter, needsChromium, openSession, watchedPage, type BrowserSession } from "./browser/chromium.js";
import { serveStatic } from "./browser/server.js";

/** Every test here drives Chromium. */
const test = needsChromium(suite);

const SCREENSHOT = join(ARTIFACTS, "playground.png");

type Session = BrowserSession;

async function start(): Promise<Session> {
  ensureBuilt(PLAYGROUND_BUILD);
  const server = await serveStatic(join(ROOT, "docs/playground"));
  return openSession(server, (page) => page.waitForSelector("#heatmap td.cell"));
}

let session: Promise<Session> | undefined;
const open = (): Promise<Session> => (session ??= start());

/** Runs `expression` in the page and returns its (JSON) value. */
const inPage = async <T>(page: Page, expression: string): Promise<T> => (await page.evaluate(expression)) as T;

/** The engine Node builds from the text the page shows. */
async function nodeEngine(page: Page): Promise<Engine> {
  const manifests = parseManifests(await page.inputValue("#manifests"));
  return createEngine({ cluster: { namespaces: manifests.namespaces, pods: manifests.pods }, policies: manifests.policies });
}

async function pagePort(page: Page): Promise<{ protocol: Protocol; port: number }> {
  return { protocol: (await page.inputValue("#protocol")) as Protocol, port: Number(await page.inputValue("#port")) };
}

/** The heatmap's cells as `from>to` → allowed, read from their classes. */
const pageCells = (page: Page) =>
  inPage<Record<string, boolean>>(
    page,
    `Object.fromEntries([...document.querySelectorAll("#heatmap td.cell")].map((td) => [td.dataset.from + ">" + td.dataset.to, td.classList.contains("allowed")]))`,
  );

function nodeCells(engine: Engine, query: { protocol: Protocol; port: number }): Record<string, boolean> {
  const matrix = engine.matrix(query);
  const cells: Record<string, boolean> = {};
  engine.pods.forEach((_, i) => engine.pods.forEach((__, j) => (cells[`${i}>${j}`] = matrix.allowed(i, j))));
  return cells;
}

/** The first cell off the diagonal with this verdict. */
function findCell(engine: Engine, query: { protocol: Protocol; port: number }, allowed: boolean): { from: number; to: number } {
  const matrix = engine.matrix(query);
  for (let from = 0; from < engine.pods.length; from++) {
    for (let to = 0; to < engine.pods.length; to++) if (from !== to && matrix.allowed(from, to) === allowed) return { from, to };
  }
  throw new Error(`the example has no ${allowed ? "allowed" : "denied"} pair on ${query.protocol}/${query.port}`);
}

test("opens on the example: a heatmap grouped by namespace that agrees with the library", async () => {
  const { page } = await open();
  const engine = await nodeEngine(page);
  const port = await pagePort(page);
  assert.equal(await pageCells(page), nodeCells(engine, port));
  const namespaces = [...new Set(engine.pods.map((id) => id.split("/")[0]))];
  assert.ok(namespaces.length > 1, "the example spans namespaces");
  assert.equal(await inPage(page, `[...document.querySelectorAll("#heatmap thead th.ns")].map((th) => th.textContent)`), namespaces);
  assert.equal(await inPage(page, `[...document.querySelectorAll("#heatmap tbody th.ns")].map((th) => th.textContent)`), namespaces);
  assert.match(await page.textContent("#summary") ?? "", `${engine.matrix(port).count()} of ${engine.pods.length ** 2} pairs allowed on ${port.protocol}/${port.port}`);
});

for (const allowed of [true, false]) {
  const verdict = allowed ? "allowed" : "denied";
  test(`a click on an ${verdict} cell explains it as the library does`, async () => {
    const { page } = await open();
    const engine = await nodeEngine(page);
    const port = await pagePort(page);
    const { from, to } = findCell(engine, port, allowed);
    await page.click(`#heatmap td.cell[data-from="${from}"][data-to="${to}"]`);
    await page.waitForSelector(`#explanation[data-verdict="${verdict}"]`);
    const flow = { from: engine.pods[from]!, to: engine.pods[to]!, ...port };
    const decision = engine.decide(flow);
    assert.is(await page.textContent("#explanation-text"), explanationText(decision.explanation, flow.from, flow.to, engine.rules));
    const sides = await inPage<string[]>(page, `[...document.querySelectorAll("#explanation .side .badge")].map((b) => b.textContent)`);
    const side = (s: { allowed: boolean }) => (s.allowed ? "allowed" : "denied");
    assert.equal(sides, [side(decision.explanation.egress), side(decision.explanation.ingress)]);
    assert.match((await page.getAttribute(`#heatmap td.cell[data-from="${from}"][data-to="${to}"]`, "class")) ?? "", / selected$/);
  });
}

test("a policy named in an explanation links to its place in the manifests", async () => {
  const { page } = await open();
  const engine = await nodeEngine(page);
  const { from, to } = findCell(engine, await pagePort(page), false);
  await page.click(`#heatmap td.cell[data-from="${from}"][data-to="${to}"]`);
  const name = await page.textContent("#explanation .side button.link");
  await page.click("#explanation .side button.link");
  const text = await page.inputValue("#manifests");
  const selection = await inPage<[number, number]>(page, `[document.querySelector("#manifests").selectionStart, document.querySelector("#manifests").selectionEnd]`);
  const manifests = parseManifests(text);
  const index = manifests.policies.findIndex((p) => `${p.metadata?.namespace ?? "default"}/${p.metadata?.name}` === name);
  const line = manifests.policyLocations[index]?.line;
  assert.ok(line !== undefined, `policy ${name} has a line`);
  assert.is(text.slice(0, selection[0]).split("\n").length, line);
  assert.ok(selection[1] > selection[0], "the line is selected");
});

test("switching the port and the protocol redraws the heatmap", async () => {
  const { page } = await open();
  const engine = await nodeEngine(page);
  const before = await pagePort(page);
  const other = { protocol: "UDP" as Protocol, port: before.port === 53 ? 54 : 53 };
  await page.fill("#port", String(other.port));
  await page.selectOption("#protocol", other.protocol);
  await page.waitForFunction(`document.querySelector("#summary").textContent.includes(" on UDP/${other.port}")`);
  assert.equal(await pageCells(page), nodeCells(engine, other));
  assert.not.equal(nodeCells(engine, other), nodeCells(engine, before), "the example's matrix depends on the port");
  await page.fill("#port", String(before.port));
  await page.selectOption("#protocol", before.protocol);
  await page.waitForFunction(`document.querySelector("#summary").textContent.includes(" on ${before.protocol}/${before.port}")`);
  assert.equal(await pageCells(page), nodeCells(engine, before));
});

test("the rendered page shows the heatmap in both colours (screenshot)", async () => {
  const { page } = await open();
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  const png = readFileSync(SCREENSHOT).toString("base64");
  // the browser decodes the PNG; pixels within a small distance of each CSS colour are counted
  const counts = await inPage<{ allowed: number; denied: number; colours: number }>(
    page,
    `(async () => {
      const bitmap = await createImageBitmap(await (await fetch("data:image/png;base64,${png}")).blob());
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const context = canvas.getContext("2d");
      context.drawImage(bitmap, 0, 0);
      const data = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
      const css = getComputedStyle(document.documentElement);
      const rgb = (name) => { const hex = css.getPropertyValue(name).trim(); return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)); };
      const targets = { allowed: rgb("--allowed"), denied: rgb("--denied") };
      const counts = { allowed: 0, denied: 0 };
      const colours = new Set();
      for (let i = 0; i < data.length; i += 4) {
        colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
        for (const [name, [r, g, b]] of Object.entries(targets)) {
          if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 24) counts[name]++;
        }
      }
      return { ...counts, colours: colours.size };
    })()`,
  );
  const cell = 24 * 24;
  assert.ok(counts.allowed > 2 * cell, `allowed pixels: ${counts.allowed}`);
  assert.ok(counts.denied > 2 * cell, `denied pixels: ${counts.denied}`);
  assert.ok(counts.colours > 50, `distinct colours: ${counts.colours}`);
});

test("dropped files replace the manifests and pick a port they name", async () => {
  const { page } = await open();
  const fixture = readFileSync(join(ROOT, "test/browser/fixture.yaml"), "utf8");
  await page.evaluate(`(() => {
    const files = new DataTransfer();
    files.items.add(new File([${JSON.stringify(fixture)}], "fixture.yaml", { type: "text/yaml" }));
    document.querySelector("#editor").dispatchEvent(new DragEvent("drop", { dataTransfer: files, bubbles: true, cancelable: true }));
  })()`);
  await page.waitForFunction(`document.querySelector("#summary").textContent.includes("3 pods in 2 namespaces")`);
  assert.is(await page.inputValue("#manifests"), fixture.trimEnd());
  assert.equal(await pagePort(page), { protocol: "TCP", port: 5432 });
  assert.equal(await pageCells(page), nodeCells(await nodeEngine(page), { protocol: "TCP", port: 5432 }));
  await page.click("#reset");
  await page.waitForFunction(`!document.querySelector("#summary").textContent.includes("3 pods in 2 namespaces")`);
});

test("problems in the manifests are listed with their line", async () => {
  const { page } = await open();
  await page.fill("#manifests", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad}\nspec: {podSelector: 5}\n");
  await page.waitForSelector("#problems li.error");
  assert.match((await page.textContent("#problems li.error")) ?? "", "spec.podSelector");
  assert.match((await page.textContent("#summary")) ?? "", "no pods yet");
  await page.click("#reset");
  await page.waitForSelector("#heatmap td.cell");
});

test("opened as a file, with no server, the page works as well", async () => {
  const { browser } = await open();
  const folder = `file://${join(ROOT, "docs/playground")}`;
  const { page, problems } = await watchedPage(browser, folder);
  await page.goto(`${folder}/index.html`);
  await page.waitForSelector("#heatmap td.cell");
  assert.equal(await pageCells(page), nodeCells(await nodeEngine(page), await pagePort(page)));
  await page.close();
  assert.equal(problems, []);
});

closeSessionAfter(test, open, () => session);

test.run();
