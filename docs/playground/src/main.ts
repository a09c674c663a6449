/**
 * The playground page: manifests in (typed, pasted, dropped or picked), the
 * reachability matrix out as a heatmap for one port and protocol, and a click on a
 * cell explains its verdict. Opens on the repository's example.
 */
import cluster from "../../../examples/cluster.yaml";
import policy from "../../../examples/test-network-policy.yaml";
import type { Engine, PolicyRef, Protocol } from "../../../src/index.js";
import { analyze, groupByNamespace, type Analysis, type PortChoice, type Problem } from "./analysis.js";
import { byId, h } from "./dom.js";
import { clearExplanation, renderExplanation } from "./explanation-view.js";
import { acceptDrops, readManifestFiles } from "./files.js";
import { cellAt, markSelected, renderHeatmap, type Cell } from "./heatmap.js";

const editor = byId<HTMLTextAreaElement>("manifests");
const fileInput = byId<HTMLInputElement>("files");
const portInput = byId<HTMLInputElement>("port");
const protocolSelect = byId<HTMLSelectElement>("protocol");
const portChips = byId<HTMLElement>("ports");
const problemList = byId<HTMLUListElement>("problems");
const summary = byId<HTMLElement>("summary");
const table = byId<HTMLTableElement>("heatmap");
const explanation = byId<HTMLElement>("explanation");

/** The example: the NetworkPolicy of the Kubernetes documentation and a cluster around it. */
const EXAMPLE = `${policy.trimEnd()}\n---\n${cluster}`;

let analysis: Analysis | null = null;
/** The clicked cell, by pod id so that it survives edits that keep both pods. */
let selected: { readonly from: string; readonly to: string } | null = null;
/** Bumped by every reload; an older reload that finishes late is dropped. */
let generation = 0;

function currentPort(): PortChoice | null {
  const port = Number(portInput.value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { protocol: protocolSelect.value as Protocol, port };
}

function choosePort(choice: PortChoice): void {
  portInput.value = String(choice.port);
  protocolSelect.value = choice.protocol;
}

/** Selects line `line` (1-based) of the editor and scrolls it into view. */
function showLine(line: number): void {
  const lines = editor.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((n, text) => n + text.length + 1, 0);
  editor.focus();
  editor.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  const lineHeight = Number.parseFloat(getComputedStyle(editor).lineHeight) || 18;
  editor.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

function showPolicy(policy: PolicyRef): void {
  const line = analysis?.manifests.policyLocations[policy.index]?.line;
  if (line !== undefined) showLine(line);
}

function renderProblems(problems: readonly Problem[]): void {
  problemList.replaceChildren(
    ...problems.map((problem) => {
      const item = h("li", { class: problem.severity }, problem.text);
      const line = problem.line;
      if (line !== undefined) {
        const link = h("button", { type: "button", class: "link" }, `line ${line}`);
        link.addEventListener("click", () => showLine(line));
        item.prepend(link, " ");
      }
      return item;
    }),
  );
}

function renderPortChips(choice: PortChoice | null): void {
  portChips.replaceChildren(
    ...(analysis?.ports ?? []).map((p) => {
      const active = choice !== null && p.port === choice.port && p.protocol === choice.protocol;
      const chip = h("button", { type: "button", class: active ? "chip active" : "chip" }, `${p.protocol}/${p.port}`);
      chip.addEventListener("click", () => {
        choosePort(p);
        render();
      });
      return chip;
    }),
  );
}

function selectedCell(pods: readonly string[]): Cell | null {
  if (selected === null) return null;
  const from = pods.indexOf(selected.from);
  const to = pods.indexOf(selected.to);
  return from < 0 || to < 0 ? null : { from, to };
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

function showNothing(message: string): void {
  table.replaceChildren();
  summary.textContent = message;
  clearExplanation(explanation, "");
}

/** Marks the selected cell and explains it. */
function explain(engine: Engine, choice: PortChoice): void {
  const cell = selectedCell(engine.pods);
  markSelected(table, cell);
  if (cell === null || selected === null) return clearExplanation(explanation, "click a cell to see why it is allowed or denied");
  const flow = { ...selected, ...choice };
  renderExplanation(explanation, engine.decide(flow), flow, engine.rules, showPolicy);
}

/** Draws the matrix and the summary, then the selection. */
function render(): void {
  const choice = currentPort();
  renderPortChips(choice);
  const engine = analysis?.engine ?? null;
  if (analysis === null || engine === null) return showNothing("fix the errors above to see the matrix");
  if (engine.pods.length === 0) return showNothing("no pods yet: add Pod and Namespace manifests, or a compact cluster");
  if (choice === null) return showNothing("choose a port between 1 and 65535");
  const matrix = engine.matrix(choice);
  renderHeatmap(table, matrix, groupByNamespace(engine.pods));
  const n = engine.pods.length;
  const namespaces = new Set(engine.pods.map((id) => id.slice(0, id.indexOf("/")))).size;
  summary.textContent =
    `${matrix.count()} of ${n * n} pairs allowed on ${choice.protocol}/${choice.port}` +
    ` · ${count(analysis.manifests.policies.length, "policy", "policies")}, ${count(n, "pod", "pods")} in ${count(namespaces, "namespace", "namespaces")}` +
    ` · ${engine.evaluator} evaluator`;
  explain(engine, choice);
}

/** Analyzes the editor's text again; `newInput` also picks the first port it names. */
async function reload(newInput: boolean): Promise<void> {
  const mine = ++generation;
  const result = await analyze(editor.value);
  if (mine !== generation) return;
  analysis = result;
  const first = result.ports[0];
  if (newInput && first !== undefined) choosePort(first);
  renderProblems(result.problems);
  render();
}

function load(text: string): void {
  editor.value = text;
  selected = null;
  void reload(true);
}

let typing: ReturnType<typeof setTimeout> | undefined;
editor.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => void reload(false), 250);
});
portInput.addEventListener("input", render);
protocolSelect.addEventListener("change", render);
table.addEventListener("click", (event) => {
  const cell = cellAt(event.target);
  const engine = analysis?.engine;
  const choice = currentPort();
  if (cell === null || !engine || choice === null) return;
  selected = { from: engine.pods[cell.from]!, to: engine.pods[cell.to]! };
  explain(engine, choice);
});
fileInput.addEventListener("change", () => {
  void readManifestFiles(fileInput.files ?? []).then(load);
  fileInput.value = "";
});
byId<HTMLButtonElement>("reset").addEventListener("click", () => load(EXAMPLE));
acceptDrops(byId("editor"), load);
// a file dropped beside the editor must not make the browser leave the page
window.addEventListener("dragover", (event) => event.preventDefault());
window.addEventListener("drop", (event) => event.preventDefault());

byId("status").remove();
load(EXAMPLE);
