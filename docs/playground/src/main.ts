/**
 * The playground page: manifests in (typed, pasted, dropped or picked, files or a
 * folder), the reachability heatmap out (the same heatmap as the CLI's HTML report,
 * src/views), for one port or for any port the manifests name; a click explains a
 * pair. Diff mode compares the manifests before and after a change as `netpol diff`
 * does. The whole state lives in the URL fragment, so a link reproduces the view.
 * Opens on the repository's example.
 */
import cluster from "../../../examples/cluster.yaml";
import policy from "../../../examples/test-network-policy.yaml";
import type { ClusterPolicyRef, PolicyRef, Protocol } from "../../../src/index.js";
import { anyCaption, choiceKey, parseChoice, renderChips, type LayerChoice, type PortChoice } from "../../../src/views/chips.js";
import { h } from "../../../src/views/dom.js";
import { clearExplanation, renderExplanation } from "../../../src/views/explanation.js";
import { popcount, type Layer } from "../../../src/views/heatmap/grid.js";
import { Heatmap } from "../../../src/views/heatmap/heatmap.js";
import { initialState, readState, writeState, type ViewState } from "../../../src/views/heatmap/state.js";
import { anyPortLayer, decidePair, pairText } from "../../../src/views/layers.js";
import { Analyzer, type Analysis, type EditorName, type Problem } from "./analysis.js";
import { acceptDrops, readFolderFiles, readManifestFiles } from "./files.js";
import { MAX_PACKED, pack, readFragment, unpack, writeFragment } from "./fragment.js";

const byId = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element as T;
};

const editors: Record<EditorName, HTMLTextAreaElement> = { after: byId("manifests"), before: byId("before") };
const beforePane = byId("before-pane");
const diffToggle = byId<HTMLInputElement>("diff");
const portInput = byId<HTMLInputElement>("port");
const protocolSelect = byId<HTMLSelectElement>("protocol");
const portChips = byId("ports");
const problemList = byId<HTMLUListElement>("problems");
const summary = byId("summary");
const explanation = byId("explanation");
const linkNote = byId("link-note");

/** The example: the NetworkPolicy of the Kubernetes documentation and a cluster around it. */
const EXAMPLE = `${policy.trimEnd()}\n---\n${cluster}`;
/** Pause after the last keystroke before the manifests are read again. */
const TYPING_PAUSE = 200;

const analyzer = new Analyzer();
let analysis: Analysis | null = null;
let choice: LayerChoice = { protocol: "TCP", port: 80 };
/** Layers of the current analysis by choice key: verdicts after, and before in diff mode. */
let layers = new Map<string, { after: Layer; before: Layer | null }>();
/** Bumped by every reload; an older reload that finishes late is dropped. */
let generation = 0;
/** The length of the manifests when last read. */
let readLength = 0;

const heatmap = new Heatmap(
  {
    describe(from, to) {
      const texts = decisions(from, to);
      if (texts === null) return null;
      const { ids } = analysis!.endpoints!;
      if (texts.before === null) return pairText(texts.after, ids[from]!, ids[to]!);
      return `before: ${pairText(texts.before, ids[from]!, ids[to]!)}\nafter: ${pairText(texts.after, ids[from]!, ids[to]!)}`;
    },
    choose: () => explainSelected(),
    stateChanged: () => scheduleFragment(),
  },
  initialState(0),
);
byId("heatmap").replaceWith(heatmap.element);
heatmap.element.id = "heatmap";

/** The pair's decisions on the current choice, after (and before, in diff mode). */
function decisions(from: number, to: number) {
  const engine = analysis?.engine;
  if (!engine || !analysis) return null;
  const after = decidePair(engine, from, to, choice, analysis.ports);
  const before = analysis.beforeEngine === null ? null : decidePair(analysis.beforeEngine, from, to, choice, analysis.ports);
  return after === null ? null : { after, before };
}

/** Selects line `line` (1-based) of an editor and scrolls it into view. */
function showLine(editor: HTMLTextAreaElement, line: number): void {
  const lines = editor.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((n, text) => n + text.length + 1, 0);
  editor.focus();
  editor.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  const lineHeight = Number.parseFloat(getComputedStyle(editor).lineHeight) || 18;
  editor.scrollTop = Math.max(0, (line - 3) * lineHeight);
}

function showPolicy(ref: PolicyRef | ClusterPolicyRef): void {
  const locations = analysis?.locations;
  const line = "kind" in ref ? locations?.clusterPolicies.get(`${ref.kind}/${ref.name}`)?.line : locations?.networkPolicies[ref.index]?.line;
  if (line !== undefined) showLine(editors.after, line);
}

function renderProblems(problems: readonly Problem[]): void {
  problemList.replaceChildren(
    ...problems.map((problem) => {
      const item = h("li", { class: problem.severity }, problem.text);
      const line = problem.line;
      if (line !== undefined) {
        const link = h("button", { type: "button", class: "link" }, `${problem.editor === "before" ? "before, " : ""}line ${line}`);
        link.addEventListener("click", () => showLine(editors[problem.editor], line));
        item.prepend(link, " ");
      }
      return item;
    }),
  );
}

const count = (n: number, one: string, many: string): string => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
const sameChoice = (a: LayerChoice, b: LayerChoice): boolean => choiceKey(a) === choiceKey(b);

function showNothing(message: string): void {
  summary.textContent = message;
  heatmap.element.hidden = true;
  clearExplanation(explanation, "");
}

/** The verdicts of the current choice (computed once per analysis and choice). */
function layersOf(current: Analysis): { after: Layer; before: Layer | null } {
  const key = choiceKey(choice);
  let found = layers.get(key);
  if (found === undefined) {
    const of = (engine: NonNullable<Analysis["engine"]>): Layer => (choice === "any" ? anyPortLayer(engine, current.ports) : engine.matrix(choice));
    found = { after: of(current.engine!), before: current.beforeEngine === null ? null : of(current.beforeEngine) };
    layers.set(key, found);
  }
  return found;
}

/** Explains the chosen pair, if both its ends are still there. */
function explainSelected(): void {
  const selected = heatmap.state.selected;
  const endpoints = analysis?.endpoints;
  const from = selected === null || !endpoints ? -1 : endpoints.ids.indexOf(selected.from);
  const to = selected === null || !endpoints ? -1 : endpoints.ids.indexOf(selected.to);
  const found = from < 0 || to < 0 ? null : decisions(from, to);
  if (found === null || selected === null) return clearExplanation(explanation, "click a cell to see why it is allowed or denied");
  const flow = { ...selected, ...found.after.port };
  renderExplanation(explanation, flow, found.after, found.before, showPolicy);
  const allowedOn = found.after.allowedOn;
  if (allowedOn !== null) explanation.prepend(h("p", {}, `allowed on ${allowedOn.length === 0 ? "none" : allowedOn.map(choiceKey).join(", ")} of the ${analysis!.ports.length} named ports; explained on ${choiceKey(found.after.port)}:`));
}

/** Draws the heatmap and the summary for the current choice, then the explanation. */
function render(): void {
  renderChips(portChips, analysis?.ports ?? [], choice, pick);
  const current = analysis;
  const engine = current?.engine ?? null;
  if (current === null || engine === null || current.endpoints === null) return showNothing("fix the errors above to see the matrix");
  if (engine.pods.length === 0) return showNothing("no pods yet: add Pod and Namespace manifests, or a compact cluster");
  if (choice === "any" && current.ports.length === 0) choice = { protocol: protocolSelect.value as Protocol, port: Number(portInput.value) || 80 };
  const { after, before } = layersOf(current);
  const caption = choice === "any" ? anyCaption(current.ports.length) : choiceKey(choice);
  heatmap.element.hidden = false;
  heatmap.setData({ ...current.endpoints, after, before, caption });
  const n = engine.pods.length;
  let allowed = 0;
  for (const w of after.bits) allowed += popcount(w);
  const namespaces = new Set(current.endpoints.ids.map((id) => id.slice(0, id.indexOf("/")))).size;
  let text =
    `${allowed.toLocaleString("en")} of ${(n * n).toLocaleString("en")} pairs allowed on ${caption}` +
    ` · ${count(current.manifests.policies.length, "policy", "policies")}, ${count(n, "endpoint", "endpoints")} in ${count(namespaces, "namespace", "namespaces")}` +
    ` · ${engine.evaluator} evaluator`;
  if (before !== null) {
    let gained = 0;
    let lost = 0;
    for (let k = 0; k < after.bits.length; k++) {
      gained += popcount(after.bits[k]! & ~before.bits[k]!);
      lost += popcount(before.bits[k]! & ~after.bits[k]!);
    }
    text += ` · diff: ${count(current.before!.policies.length, "policy", "policies")} before; ${gained + lost} pairs change, ${gained} newly allowed, ${lost} newly denied`;
  }
  summary.textContent = text;
  explainSelected();
}

/** Shows the verdicts for `next` (a chip, or the port fields). */
function pick(next: LayerChoice): void {
  choice = next;
  if (next !== "any") {
    portInput.value = String(next.port);
    protocolSelect.value = next.protocol;
  }
  render();
  scheduleFragment();
}

/** Reads the editors again. `fresh`: new manifests (loaded, pasted whole), whose first named port is shown. */
async function reload(fresh: boolean): Promise<void> {
  const mine = ++generation;
  readLength = editors.after.value.length;
  const previous = analysis;
  const result = await analyzer.analyze(editors.after.value, diffToggle.checked ? editors.before.value : null);
  if (mine !== generation) return;
  analysis = result;
  layers = new Map();
  // a port the old manifests named and the new ones do not is gone: show the first named one
  const named = (ports: readonly PortChoice[] | undefined, c: LayerChoice) => c === "any" || (ports ?? []).some((p) => sameChoice(p, c));
  const first = result.ports[0];
  if (first !== undefined && (fresh || (named(previous?.ports, choice) && !named(result.ports, choice)))) choice = first;
  if (fresh) heatmap.setState(initialState(result.endpoints?.order.length ?? 0));
  if (choice !== "any") {
    portInput.value = String(choice.port);
    protocolSelect.value = choice.protocol;
  }
  renderProblems(result.problems);
  render();
  scheduleFragment();
}

let fragmentTimer: ReturnType<typeof setTimeout> | undefined;
/** Puts the state into the URL fragment, once things settle. */
function scheduleFragment(): void {
  clearTimeout(fragmentTimer);
  fragmentTimer = setTimeout(() => void saveFragment(), 400);
}

async function saveFragment(): Promise<void> {
  const params = new URLSearchParams();
  const manifests = await pack(editors.after.value);
  const before = diffToggle.checked ? await pack(editors.before.value) : null;
  const fits = manifests.length + (before?.length ?? 0) <= MAX_PACKED;
  if (fits) {
    params.set("m", manifests);
    if (before !== null) params.set("b", before);
  }
  linkNote.textContent = fits ? "The address of this page holds the manifests and the view: copy it to share them." : "The manifests are too large to fit in the address: only the view is in it.";
  params.set("port", choiceKey(choice));
  writeState(heatmap.state, params);
  writeFragment(params);
}

/** Replaces the manifests (loaded, dropped, picked). */
function load(text: string): void {
  editors.after.value = text;
  heatmap.setState({ ...heatmap.state, selected: null });
  void reload(true);
}

function setDiff(on: boolean, before?: string): void {
  diffToggle.checked = on;
  beforePane.hidden = !on;
  if (on) editors.before.value = before ?? editors.after.value;
  void reload(false);
}

for (const editor of Object.values(editors)) {
  let typing: ReturnType<typeof setTimeout> | undefined;
  editor.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      // a text that grew or shrank by more than half since it was last read was replaced (pasted over): new manifests
      const length = editor.value.length;
      const fresh = editor === editors.after && Math.abs(length - readLength) > Math.max(length, readLength) / 2;
      void reload(fresh);
    }, TYPING_PAUSE);
  });
}
const portFields = (): void => {
  const port = Number(portInput.value);
  if (Number.isInteger(port) && port >= 1 && port <= 65535) pick({ protocol: protocolSelect.value as Protocol, port });
};
portInput.addEventListener("input", portFields);
protocolSelect.addEventListener("change", portFields);
diffToggle.addEventListener("change", () => setDiff(diffToggle.checked));
const fileInput = byId<HTMLInputElement>("files");
fileInput.addEventListener("change", () => {
  void readManifestFiles(fileInput.files ?? []).then(load);
  fileInput.value = "";
});
const folderInput = byId<HTMLInputElement>("folder");
folderInput.addEventListener("change", () => {
  void readFolderFiles(folderInput.files ?? []).then(load);
  folderInput.value = "";
});
byId("reset").addEventListener("click", () => {
  setDiff(false);
  load(EXAMPLE);
});
byId("copy-link").addEventListener("click", () => {
  void saveFragment().then(() => navigator.clipboard?.writeText(location.href));
});
acceptDrops(byId("editor"), load);
// a file dropped beside the editor must not make the browser leave the page
window.addEventListener("dragover", (event) => event.preventDefault());
window.addEventListener("drop", (event) => event.preventDefault());

/** Opens on the fragment's state when it has one, else on the example. */
async function start(): Promise<void> {
  const fragment = readFragment();
  const text = fragment.has("m") ? await unpack(fragment.get("m")!) : null;
  const before = fragment.has("b") ? await unpack(fragment.get("b")!) : null;
  editors.after.value = text ?? EXAMPLE;
  const view: ViewState = readState(fragment, initialState(0));
  const port = parseChoice(fragment.get("port") ?? "");
  if (port !== null) choice = port;
  byId("status").remove();
  if (before !== null) {
    diffToggle.checked = true;
    beforePane.hidden = false;
    editors.before.value = before;
  }
  const fresh = port === null;
  await reload(fresh);
  const endpoints = analysis?.endpoints;
  // the view from the link, or the opening one for this many endpoints
  heatmap.setState(fragment.has("rl") ? view : { ...initialState(endpoints?.order.length ?? 0), selected: view.selected });
  explainSelected();
}

void start();
