// The playground (docs/playground) in Chromium: it opens on its example, its heatmap
// agrees cell for cell with the library in Node and names and orders endpoints as the
// CLI does, a click explains a pair, the port and protocol switch, new manifests reset
// the port, dropped files and a picked folder replace the manifests, diff mode shows
// what a change changes, a link reproduces the view, problems are listed, the page
// renders (screenshots test/.artifacts/playground.png and playground-diff.png hold both colours, and changed cells), and it
// works opened as a file too.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { test as suite } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, Endpoints, explanationText, type Engine, type Protocol } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { PALETTE } from "../src/views/heatmap/palette.js";
import { ARTIFACTS, ensureBuilt, PLAYGROUND_BUILD, ROOT } from "./browser/build.js";
import { closeSessionAfter, needsChromium, openSession, watchedPage, type BrowserSession } from "./browser/chromium.js";
import { colourCounts } from "./browser/pixels.js";
import { serveStatic } from "./browser/server.js";

/** Every test here drives Chromium. */
const test = needsChromium(suite);

const SCREENSHOT = join(ARTIFACTS, "playground.png");
const FIXTURE = readFileSync(join(ROOT, "test/browser/fixture.yaml"), "utf8");

async function start(): Promise<BrowserSession> {
  ensureBuilt(PLAYGROUND_BUILD);
  const server = await serveStatic(join(ROOT, "docs/playground"));
  return openSession(server, (page) => page.waitForSelector("#heatmap[data-painted]"));
}

let session: Promise<BrowserSession> | undefined;
const open = (): Promise<BrowserSession> => (session ??= start());

/** Runs `expression` in the page and returns its (JSON) value. */
const inPage = async <T>(page: Page, expression: string): Promise<T> => (await page.evaluate(expression)) as T;

interface NodeSide {
  readonly engine: Engine;
  readonly endpoints: Endpoints;
}

/** The engine and the CLI's endpoints Node builds from the text the page shows. */
async function nodeSide(page: Page): Promise<NodeSide> {
  const manifests = parseManifests(await page.inputValue("#manifests"));
  const engine = await createEngine({ cluster: { namespaces: manifests.namespaces, pods: manifests.pods, nodes: manifests.nodes }, policies: manifests.policies });
  return { engine, endpoints: new Endpoints(engine.pods, manifests.nodes) };
}

async function pagePort(page: Page): Promise<{ protocol: Protocol; port: number }> {
  return { protocol: (await page.inputValue("#protocol")) as Protocol, port: Number(await page.inputValue("#port")) };
}

/** The heatmap's cells as `from>to` → verdict, from its screen-reader table (pod level). */
const pageCells = (page: Page) =>
  inPage<Record<string, string>>(
    page,
    `(() => {
      const t = document.querySelector("#heatmap .hm-table");
      const cols = [...t.querySelectorAll("thead th")].slice(1).map((th) => th.textContent);
      return Object.fromEntries([...t.querySelectorAll("tbody tr")].flatMap((tr) => {
        const [row, ...cells] = [...tr.children].map((c) => c.textContent);
        return cells.map((cell, k) => [row + ">" + cols[k], cell]);
      }));
    })()`,
  );

function nodeCells({ engine, endpoints }: NodeSide, query: { protocol: Protocol; port: number }): Record<string, string> {
  const matrix = engine.matrix(query);
  const cells: Record<string, string> = {};
  for (const i of endpoints.order()) for (const j of endpoints.order()) cells[`${endpoints.ids[i]}>${endpoints.ids[j]}`] = matrix.allowed(i, j) ? "allowed" : "denied";
  return cells;
}

/** Clicks the cell of pair (from, to), display ids, by finding its headers. */
async function clickPair(page: Page, from: string, to: string): Promise<void> {
  const at = await inPage<{ x: number; y: number }>(
    page,
    `(() => {
      const row = [...document.querySelectorAll("#heatmap .hm-rows .hm-name")].find((el) => el.dataset.key === ${JSON.stringify(from)}).getBoundingClientRect();
      const col = [...document.querySelectorAll("#heatmap .hm-cols .hm-name")].find((el) => el.dataset.key === ${JSON.stringify(to)}).getBoundingClientRect();
      return { x: col.left + col.width / 2, y: row.top + row.height / 2 };
    })()`,
  );
  await page.mouse.click(at.x, at.y);
}

/** The first pair off the diagonal with this verdict, as display ids. */
function findPair({ engine, endpoints }: NodeSide, query: { protocol: Protocol; port: number }, allowed: boolean): { from: string; to: string } {
  const matrix = engine.matrix(query);
  for (const i of endpoints.order()) for (const j of endpoints.order()) if (i !== j && matrix.allowed(i, j) === allowed) return { from: endpoints.ids[i]!, to: endpoints.ids[j]! };
  throw new Error(`no ${allowed ? "allowed" : "denied"} pair on ${query.protocol}/${query.port}`);
}

const summaryHas = (page: Page, text: string) => page.waitForFunction(`document.querySelector("#summary").textContent.includes(${JSON.stringify(text)})`);

test("opens on the example: the heatmap agrees with the library, names and order are the CLI's", async () => {
  const { page } = await open();
  const node = await nodeSide(page);
  const port = await pagePort(page);
  assert.equal(await pageCells(page), nodeCells(node, port));
  const rows = await inPage<string[]>(page, `[...document.querySelectorAll("#heatmap .hm-table tbody th")].map((th) => th.textContent)`);
  assert.equal(rows, node.endpoints.order().map((i) => node.endpoints.ids[i]));
  await summaryHas(page, `${node.engine.matrix(port).count()} of ${node.engine.pods.length ** 2} pairs allowed on ${port.protocol}/${port.port}`);
});

for (const allowed of [true, false]) {
  const verdict = allowed ? "allowed" : "denied";
  test(`a click on an ${verdict} cell explains it as the library does`, async () => {
    const { page } = await open();
    const node = await nodeSide(page);
    const port = await pagePort(page);
    const { from, to } = findPair(node, port, allowed);
    await clickPair(page, from, to);
    await page.waitForSelector(`#explanation[data-verdict="${verdict}"]`);
    const decision = node.engine.decide({ from: node.engine.pods[node.endpoints.ids.indexOf(from)]!, to: node.engine.pods[node.endpoints.ids.indexOf(to)]!, ...port });
    assert.is(await page.textContent("#explanation .np-text"), explanationText(decision.explanation, from, to, node.engine.rules));
    const sides = await inPage<string[]>(page, `[...document.querySelectorAll("#explanation .np-side .np-badge")].map((b) => b.textContent)`);
    const side = (s: { allowed: boolean }) => (s.allowed ? "allowed" : "denied");
    assert.equal(sides, [side(decision.explanation.egress), side(decision.explanation.ingress)]);
  });
}

test("a policy named in an explanation links to its place in the manifests", async () => {
  const { page } = await open();
  const node = await nodeSide(page);
  const { from, to } = findPair(node, await pagePort(page), false);
  await clickPair(page, from, to);
  const name = await page.textContent("#explanation .np-side button.np-link");
  await page.click("#explanation .np-side button.np-link");
  const text = await page.inputValue("#manifests");
  const selection = await inPage<[number, number]>(page, `[document.querySelector("#manifests").selectionStart, document.querySelector("#manifests").selectionEnd]`);
  const manifests = parseManifests(text);
  const index = manifests.policies.findIndex((p) => `${p.metadata?.namespace ?? "default"}/${p.metadata?.name}` === name);
  assert.is(text.slice(0, selection[0]).split("\n").length, manifests.policyLocations[index]?.line);
});

test("switching the port and the protocol redraws the heatmap; the any-port chip shows the union", async () => {
  const { page } = await open();
  const node = await nodeSide(page);
  const before = await pagePort(page);
  const other = { protocol: "UDP" as Protocol, port: before.port === 53 ? 54 : 53 };
  await page.fill("#port", String(other.port));
  await page.selectOption("#protocol", other.protocol);
  await summaryHas(page, ` on UDP/${other.port}`);
  assert.equal(await pageCells(page), nodeCells(node, other));
  assert.not.equal(nodeCells(node, other), nodeCells(node, before), "the example's matrix depends on the port");
  await page.click("[data-port=any]");
  await summaryHas(page, " on any of ");
  const chips = await inPage<string[]>(page, `[...document.querySelectorAll("#ports [data-port]")].map((c) => c.dataset.port).filter((p) => p !== "any")`);
  const matrices = chips.map((c) => node.engine.matrix({ protocol: c.split("/")[0] as Protocol, port: Number(c.split("/")[1]) }));
  const union = Object.fromEntries(Object.keys(nodeCells(node, before)).map((key) => {
    const [from, to] = key.split(">").map((id) => node.endpoints.ids.indexOf(id));
    return [key, matrices.some((m) => m.allowed(from!, to!)) ? "allowed" : "denied"];
  }));
  assert.equal(await pageCells(page), union);
  await page.click(`[data-port='${before.protocol}/${before.port}']`);
  await summaryHas(page, ` on ${before.protocol}/${before.port}`);
});

test("the rendered page shows the heatmap in both colours (screenshot)", async () => {
  const { page } = await open();
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  const counts = await colourCounts(page, SCREENSHOT, { allowed: PALETTE.allowed, denied: PALETTE.denied });
  const cell = 20 * 20;
  assert.ok(counts.allowed > 2 * cell, `allowed pixels: ${counts.allowed}`);
  assert.ok(counts.denied > 2 * cell, `denied pixels: ${counts.denied}`);
  assert.ok(counts.colours > 50, `distinct colours: ${counts.colours}`);
});

test("dropped files replace the manifests and reset the port to one they name", async () => {
  const { page } = await open();
  await page.fill("#port", "6379");
  await summaryHas(page, " on TCP/6379");
  await page.evaluate(`(() => {
    const files = new DataTransfer();
    files.items.add(new File([${JSON.stringify(FIXTURE)}], "fixture.yaml", { type: "text/yaml" }));
    document.querySelector("#editor").dispatchEvent(new DragEvent("drop", { dataTransfer: files, bubbles: true, cancelable: true }));
  })()`);
  await summaryHas(page, "3 endpoints in 2 namespaces");
  assert.is(await page.inputValue("#manifests"), FIXTURE.trimEnd());
  assert.equal(await pagePort(page), { protocol: "TCP", port: 5432 });
  assert.equal(await pageCells(page), nodeCells(await nodeSide(page), { protocol: "TCP", port: 5432 }));
});

test("a picked folder is read as the CLI reads one: manifest files at any depth, in path order, hidden ones skipped", async () => {
  const { page } = await open();
  const dir = mkdtempSync(join(tmpdir(), "netpol-folder-"));
  try {
    mkdirSync(join(dir, "b"));
    mkdirSync(join(dir, ".hidden"));
    writeFileSync(join(dir, "a.yaml"), FIXTURE);
    writeFileSync(join(dir, "b", "extra.yml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: extra}\n");
    writeFileSync(join(dir, ".hidden", "x.yaml"), "kind: Widget\n");
    writeFileSync(join(dir, "notes.txt"), "not a manifest");
    await page.setInputFiles("#folder", dir);
    await summaryHas(page, "3 endpoints in 2 namespaces");
    assert.is(await page.inputValue("#manifests"), `${FIXTURE.trimEnd()}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: extra}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("diff mode highlights the pairs a change changes, counts them as netpol diff does, and explains both sides", async () => {
  const { page } = await open();
  await page.check("#diff");
  const before = await page.inputValue("#before");
  const after = before.replace("ports: [{port: pg}]", "ports: [{port: 5433}]");
  assert.not.equal(after, before, "the fixture's rule names port pg");
  await page.fill("#manifests", after);
  const manifests = { before: parseManifests(before), after: parseManifests(after) };
  const cluster = { namespaces: manifests.before.namespaces, pods: manifests.before.pods };
  const old = (await createEngine({ cluster, policies: manifests.before.policies })).matrix({ port: 5432 });
  const now = (await createEngine({ cluster, policies: manifests.after.policies })).matrix({ port: 5432 });
  let gained = 0;
  let lost = 0;
  old.pods.forEach((_, i) => old.pods.forEach((__, j) => ((gained += +(!old.allowed(i, j) && now.allowed(i, j))), (lost += +(old.allowed(i, j) && !now.allowed(i, j))))));
  assert.ok(gained + lost > 0, "the change changes something");
  await summaryHas(page, `${gained + lost} pairs change, ${gained} newly allowed, ${lost} newly denied`).catch(async (e) => { throw new Error(`${e}: ${await page.textContent("#summary")}`); });
  const status = await inPage<{ gained: string; lost: string }>(page, `({ ...document.querySelector("#heatmap .hm-status").dataset })`);
  assert.equal([Number(status.gained), Number(status.lost)], [gained, lost]);
  const changed = Object.entries(await pageCells(page)).find(([, v]) => v.includes("newly"))!;
  const [from, to] = changed[0].split(">") as [string, string];
  await clickPair(page, from, to);
  await page.waitForSelector("#explanation[data-changed]");
  assert.is(await inPage<number>(page, `document.querySelectorAll("#explanation [data-side] .np-text").length`), 2);
  const shot = join(ARTIFACTS, "playground-diff.png");
  await page.screenshot({ path: shot, fullPage: true });
  const counts = await colourCounts(page, shot, { changed: gained > 0 ? PALETTE.gained : PALETTE.lost, unchanged: PALETTE.allowedPale });
  assert.ok(counts.changed > 200 && counts.unchanged > 200, `changed and unchanged cells in the picture: ${JSON.stringify(counts)}`);
});

test("the address holds the manifests and the view: opening it elsewhere shows the same", async () => {
  const { page, browser, server } = await open();
  await page.click("#copy-link").catch(() => undefined);
  await page.waitForFunction(`location.hash.includes("m=") && location.hash.includes("b=")`);
  const url = page.url();
  const other = await watchedPage(browser, server.origin);
  await other.page.goto(url);
  await other.page.waitForSelector("#heatmap[data-painted]");
  await other.page.waitForFunction(`document.querySelector("#summary").textContent.includes("pairs change")`);
  assert.is(await other.page.inputValue("#manifests"), await page.inputValue("#manifests"));
  assert.is(await other.page.inputValue("#before"), await page.inputValue("#before"));
  assert.ok(await other.page.isChecked("#diff"));
  assert.is(await other.page.textContent("#summary"), await page.textContent("#summary"));
  await other.page.close();
  assert.equal(other.problems, []);
  await page.uncheck("#diff");
});

test("problems in the manifests are listed with their line", async () => {
  const { page } = await open();
  await page.fill("#manifests", "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad}\nspec: {podSelector: 5}\n");
  await page.waitForSelector("#problems li.error");
  assert.match((await page.textContent("#problems li.error")) ?? "", "spec.podSelector");
  assert.match((await page.textContent("#summary")) ?? "", "no pods yet");
  await page.click("#reset");
  await page.waitForSelector("#heatmap[data-painted]:not([hidden])");
});

test("ClusterNetworkPolicies: the heatmap agrees, an explanation names the tier and links to the policy, ties are listed (issue 8)", async () => {
  const { page } = await open();
  const tiers = ["cluster.yaml", "policies.yaml", "tie.yaml"].map((f) => readFileSync(join(ROOT, "test/fixtures/cli/tiers", f), "utf8")).join("---\n");
  const pods = parseManifests(tiers).pods.length;
  await page.fill("#manifests", tiers);
  await summaryHas(page, `${pods} endpoints in 3 namespaces`);
  await page.fill("#port", "8080");
  await page.selectOption("#protocol", "TCP");
  await summaryHas(page, " on TCP/8080");
  const node = await nodeSide(page);
  assert.equal(await pageCells(page), nodeCells(node, { protocol: "TCP", port: 8080 }));
  assert.match((await page.textContent("#problems li.warning")) ?? "", /ClusterNetworkPolicy also-ten: spec\.priority: same tier \(Admin\) and priority \(10\)/);
  // prod/db-0 → prod/api-0: the Admin tier passes, the Baseline tier denies
  const id = (pod: string) => node.endpoints.ids[node.engine.pods.indexOf(pod)]!;
  await clickPair(page, id("prod/db-0"), id("prod/api-0"));
  await page.waitForSelector(`#explanation[data-verdict="denied"]`);
  const tiersShown = await inPage<string[]>(page, `[...document.querySelectorAll("#explanation .np-side[data-direction=Ingress] p.np-tier")].map((p) => p.dataset.tier + ": " + p.textContent)`);
  assert.equal(tiersShown, [
    'Admin: Pass by ClusterNetworkPolicy no-dev-in-prod ingress rule 1 "prod": from[0] all pods in namespaces with label env=prod, every port',
    "Baseline: Deny by ClusterNetworkPolicy baseline-deny ingress rule 0: from[0] all pods in every namespace, every port",
  ]);
  await page.click("#explanation .np-side[data-direction=Ingress] p.np-tier[data-tier=Baseline] button.np-link");
  const text = await page.inputValue("#manifests");
  const start = await inPage<number>(page, `document.querySelector("#manifests").selectionStart`);
  const line = text.slice(0, start).split("\n").length;
  assert.match(text.split("\n").slice(line - 1, line + 3).join("\n"), /name: baseline-deny/);
});

test("opened as a file, with no server, the page works as well", async () => {
  const { browser } = await open();
  const folder = `file://${join(ROOT, "docs/playground")}`;
  const { page, problems } = await watchedPage(browser, folder);
  await page.goto(`${folder}/index.html`);
  await page.waitForSelector("#heatmap[data-painted]");
  assert.equal(await pageCells(page), nodeCells(await nodeSide(page), await pagePort(page)));
  await page.close();
  assert.equal(problems, []);
});

closeSessionAfter(test, open, () => session);

test.run();
