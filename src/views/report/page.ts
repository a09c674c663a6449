/**
 * The HTML report's script (bundled into the report by scripts/build-views.mjs): reads
 * the report's data (`data.ts`), paints the heatmap from the packed bits at once, then
 * builds the library's engine from the packed input in the background, which answers
 * explanations (hover, click) and the ports the report did not carry. The view (level,
 * searches, zoom, chosen pair, port) lives in the URL fragment, so a link reproduces it.
 */
import { createEngineFromJson, policyPosition, type ClusterPolicyRef, type Engine, type PodEntry, type PolicyRef } from "../../index.js";
import { anyCaption, choiceKey, parseChoice, renderChips, type LayerChoice } from "../chips.js";
import { h } from "../dom.js";
import { endpointNames } from "../endpoints.js";
import { clearExplanation, renderExplanation } from "../explanation.js";
import type { Layer } from "../heatmap/grid.js";
import { Heatmap, type HeatmapHost } from "../heatmap/heatmap.js";
import { initialState, readState, writeState } from "../heatmap/state.js";
import { decidePair, pairText } from "../layers.js";
import { DATA_ELEMENT, REPORT_FORMAT, type ReportData } from "./data.js";

/** Raw DEFLATE + base64 (as `data.ts` describes) back to bytes. */
async function inflate(base64: string): Promise<Uint8Array> {
  const packed = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A layer from packed matrix bits over `n` endpoints. */
async function layerOf(base64: string, n: number): Promise<Layer> {
  const bytes = await inflate(base64);
  const words = (n + 31) >>> 5;
  if (bytes.byteLength !== words * n * 4) throw new Error(`the report's bits hold ${bytes.byteLength} bytes, expected ${words * n * 4}`);
  return { bits: new Uint32Array(bytes.buffer, bytes.byteOffset, words * n), words };
}

const byId = (id: string): HTMLElement => document.getElementById(id) ?? document.body.appendChild(h("div", { id }));

async function main(): Promise<void> {
  const data = JSON.parse(document.getElementById(DATA_ELEMENT)!.textContent!) as ReportData;
  if (data.format !== REPORT_FORMAT) throw new Error(`this page reads ${REPORT_FORMAT} data, the report holds ${String(data.format)}`);
  const n = data.ids.length;
  const labels = data.labels.map((k) => data.labelSets[k]!);
  const layers = new Map<string, Layer>([[choiceKey(data.port), await layerOf(data.layers.port, n)]]);
  if (data.layers.any !== null) layers.set("any", await layerOf(data.layers.any, n));
  const fragment = new URLSearchParams(location.hash.slice(1));
  let choice: LayerChoice = parseChoice(fragment.get("port") ?? "") ?? data.port;
  if (choice === "any" && !layers.has("any")) choice = data.port;
  let engine: Engine | null = null;
  let engineFailed: string | null = null;
  const chips = byId("ports");
  const explanation = byId("explanation");
  const policyPanel = byId("policy");
  let policies: readonly unknown[] = [];

  const showPolicy = (ref: PolicyRef | ClusterPolicyRef): void => {
    // policies and locations are in input order, every kind; a NetworkPolicy's ref.index is its rank among NetworkPolicies
    const at = policyPosition(policies, ref);
    const where = data.locations[at];
    const title = "kind" in ref ? `${ref.kind} ${ref.name}` : `policy ${ref.name}`;
    policyPanel.replaceChildren(h("h2", {}, title, where ? h("span", { class: "np-hint" }, ` (${where})`) : ""), h("pre", {}, JSON.stringify(policies[at], null, 2)));
    policyPanel.scrollIntoView({ block: "nearest" });
  };

  const host: HeatmapHost = {
    describe(from, to) {
      if (engine === null) return engineFailed;
      const pair = decidePair(engine, from, to, choice, data.ports);
      return pair === null ? null : pairText(pair, data.ids[from]!, data.ids[to]!);
    },
    choose(chosen) {
      if (chosen === null) return clearExplanation(explanation, "click a cell to see why it is allowed or denied");
      if (engine === null) return clearExplanation(explanation, engineFailed ?? "loading the explanations…");
      const pair = decidePair(engine, chosen.from, chosen.to, choice, data.ports);
      if (pair === null) return clearExplanation(explanation, "no port to explain on");
      renderExplanation(explanation, { from: data.ids[chosen.from]!, to: data.ids[chosen.to]!, ...pair.port }, pair, null, showPolicy);
      if (pair.allowedOn !== null) explanation.prepend(h("p", {}, `allowed on ${pair.allowedOn.length === 0 ? "none" : pair.allowedOn.map(choiceKey).join(", ")} of the ${data.ports.length} named ports; explained on ${choiceKey(pair.port)}:`));
    },
    stateChanged(state) {
      const params = new URLSearchParams(location.hash.slice(1));
      writeState(state, params);
      params.set("port", choiceKey(choice));
      history.replaceState(null, "", `#${params}`);
    },
  };

  const heatmap = new Heatmap(host, readState(fragment, initialState(data.order.length)));
  byId("heatmap").replaceWith(heatmap.element);
  heatmap.element.id = "heatmap";

  const caption = (c: LayerChoice): string => (c === "any" ? anyCaption(data.ports.length) : choiceKey(c));
  const show = (): void => {
    const layer = layers.get(choiceKey(choice));
    if (layer === undefined) return;
    renderChips(chips, data.ports, choice, pick);
    heatmap.setData({ ids: data.ids, order: data.order, labels, after: layer, before: null, caption: caption(choice) });
    host.stateChanged!(heatmap.state);
    explainSelected();
  };
  const explainSelected = (): void => {
    const selected = heatmap.state.selected;
    const from = selected === null ? -1 : data.ids.indexOf(selected.from);
    const to = selected === null ? -1 : data.ids.indexOf(selected.to);
    host.choose(from < 0 || to < 0 ? null : { from, to });
  };
  const pick = (next: LayerChoice): void => {
    choice = next;
    if (!layers.has(choiceKey(next))) {
      if (engine === null || next === "any") return renderChips(chips, data.ports, choice, pick);
      layers.set(choiceKey(next), engine.matrix(next));
    }
    show();
  };
  show();

  // the engine, after the first picture: explanations and other ports
  await new Promise((resolve) => setTimeout(resolve, 0));
  try {
    const input = JSON.parse(new TextDecoder().decode(await inflate(data.input))) as { cluster: { namespaces: unknown[]; pods: PodEntry[]; nodes: unknown[] }; policies: unknown[]; options: unknown };
    policies = input.policies;
    const built = await createEngineFromJson(input);
    const names = endpointNames(built.pods).ids;
    if (names.length !== n || names.some((id, i) => id !== data.ids[i])) throw new Error("the engine built in the page orders the endpoints differently from the report");
    engine = built;
  } catch (error) {
    engineFailed = `explanations unavailable: ${error instanceof Error ? error.message : String(error)}`;
  }
  document.documentElement.dataset.engine = engine === null ? "failed" : "ready";
  if (layers.get(choiceKey(choice)) === undefined) pick(choice);
  heatmap.refreshTip();
  explainSelected();
}

main().catch((error: unknown) => {
  document.body.prepend(h("p", { class: "np-error" }, `the report could not be shown: ${error instanceof Error ? error.message : String(error)}`));
  throw error;
});
