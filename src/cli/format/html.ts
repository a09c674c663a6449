/**
 * The matrix as one self-contained HTML page (nothing fetched, works offline): the
 * shared heatmap of `src/views` (canvas, sticky headers, zoom, levels, search, port
 * chips, explanations on hover and click), with the data the page needs packed in
 * (`src/views/report/data.ts`): the matrix bits on the asked port and on "any port"
 * (the union over the ports the manifests name), names, order and labels, and the
 * engine's input, from which the page builds the library's engine for explanations.
 * Its size follows the input's, not the number of cells.
 */
import { deflateRawSync } from "node:zlib";
import { mentionedPorts } from "../../ir/mentioned-ports.js";
import { podEntryId } from "../../manifests/entries.js";
import { anyPortLayer } from "../../views/layers.js";
import { DATA_ELEMENT, REPORT_FORMAT, type ReportData } from "../../views/report/data.js";
import { REPORT_SCRIPT } from "../../views/report/page.generated.js";
import type { Layer } from "../../views/heatmap/grid.js";
import type { Loaded } from "../load.js";
import { allowedCount, groups, type MatrixView } from "./view.js";

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside a script element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

/** Bytes deflated and base64-encoded, as `ReportData` packs them. */
const pack = (bytes: Uint8Array): string => deflateRawSync(bytes, { level: 9 }).toString("base64");
const packBits = (layer: Layer): string => pack(new Uint8Array(layer.bits.buffer, layer.bits.byteOffset, layer.bits.byteLength));

/** The page around the heatmap (the heatmap brings its own style). */
const PAGE_STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;margin:16px 20px}
h1{font-size:19px;margin:0 0 2px}
header p{color:#59636e;margin:2px 0 10px}
.ports{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin:0 0 8px;color:#59636e}
#explanation,#policy{margin-top:14px;max-width:1100px}
#policy pre{background:#f6f8fa;border:1px solid #d1d9e0;border-radius:6px;padding:8px;max-height:50vh;overflow:auto;font:12.5px/1.45 ui-monospace,Menlo,Consolas,monospace}
#policy h2{font-size:15px}
.np-error{color:#b42318;font-weight:600}
`;

/** Renders the report for `view` (from `loaded`'s engine). */
export function htmlFormat(view: MatrixView, loaded: Loaded): string {
  const { engine, manifests } = loaded;
  const { matrix, order, ids } = view;
  const port = { protocol: matrix.protocol, port: matrix.port };
  const ports = mentionedPorts(engine.rules, manifests.pods);
  const labelsOf = new Map(manifests.pods.map((p) => [podEntryId(p), p.labels]));
  const labelSets: Array<Readonly<Record<string, string>>> = [];
  const setIndex = new Map<string, number>();
  const labels = engine.pods.map((id) => {
    const set = labelsOf.get(id) ?? {};
    const key = JSON.stringify(Object.entries(set));
    let k = setIndex.get(key);
    if (k === undefined) {
      setIndex.set(key, (k = labelSets.length));
      labelSets.push(set);
    }
    return k;
  });
  const input = { cluster: { namespaces: manifests.namespaces, pods: manifests.pods, nodes: manifests.nodes, services: manifests.services, dns: manifests.dns }, policies: manifests.policies, options: engine.options };
  const data: ReportData = {
    format: REPORT_FORMAT,
    title: `netpol: reachability on ${port.protocol}/${port.port}`,
    port,
    ports,
    ids,
    order,
    labelSets,
    labels,
    layers: { port: packBits(matrix), any: ports.length === 0 ? null : packBits(anyPortLayer(engine, ports)) },
    input: pack(new TextEncoder().encode(JSON.stringify(input))),
    locations: manifests.policyLocations.map((l) => (l.file === undefined ? null : `${l.file}${l.line !== undefined ? `:${l.line}` : ""}`)),
  };
  const n = order.length;
  const namespaces = groups(view).length;
  const summary =
    `${n} endpoint${n === 1 ? "" : "s"} in ${namespaces} namespace${namespaces === 1 ? "" : "s"}, ${manifests.policies.length} polic${manifests.policies.length === 1 ? "y" : "ies"}; ` +
    `on ${port.protocol}/${port.port}, ${allowedCount(view)} of ${n * n} pairs allowed. Rows are sources, columns destinations.`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(data.title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>${PAGE_STYLE}</style></head>
<body>
<header><h1>${escapeHtml(data.title)}</h1><p>${escapeHtml(summary)}</p></header>
<div class="ports">verdicts on <span id="ports"></span></div>
<div id="heatmap"><p>drawing the heatmap…</p></div>
<section id="explanation" aria-live="polite"></section>
<section id="policy"></section>
<noscript><p class="np-error">This report draws its picture with JavaScript; the data is in the page (netpol-report JSON).</p></noscript>
<script type="application/json" id="${DATA_ELEMENT}">${scriptJson(data)}</script>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}
