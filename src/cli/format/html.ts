/**
 * The matrix as one self-contained HTML page (no network access): a heatmap of
 * allowed (green) and denied (red) cells grouped by namespace, a tooltip with the
 * verdict and its explanation on hover, and a filter box over endpoint names.
 *
 * The page carries its data as JSON: endpoint ids, one row string of 1s and 0s per
 * source, and the explanations deduplicated (a cell holds an index into `texts`),
 * which keeps big clusters small since most cells share their reasons.
 */
import { groups, type MatrixView } from "./view.js";

/** Above this many cells the page holds verdicts only (explanations would weigh too much). */
export const MAX_EXPLAINED_CELLS = 250_000;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON safe inside a script element. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028|\u2029/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

const STYLE = `
body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}
h1{font-size:18px;margin:0 0 4px}
#filter{padding:4px 8px;width:280px;margin:8px 0}
table{border-collapse:collapse}
th{font-weight:600;text-align:left;white-space:nowrap;padding:0 4px}
th.ns{background:#eef;border:1px solid #ccd;text-align:center}
th.col{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:400;padding:4px 0}
th.rowns{background:#eef;border:1px solid #ccd;vertical-align:top}
td{width:14px;height:14px;border:1px solid #fff;padding:0}
td.a{background:#2e9e4f}td.d{background:#d9534f}
td.gap,th.gap{border-left:3px solid #99a}
tr:hover td{outline:1px solid #0003}
#tip{position:fixed;pointer-events:none;background:#fff;border:1px solid #888;padding:6px 8px;box-shadow:0 2px 6px #0003;max-width:560px;white-space:pre-wrap;display:none;font:12px/1.4 ui-monospace,monospace}
.legend span{display:inline-block;width:12px;height:12px;vertical-align:middle;margin:0 4px 0 12px}
`;

const SCRIPT = `
const D = JSON.parse(document.getElementById("data").textContent);
const tip = document.getElementById("tip");
const root = document.getElementById("grid");
const nsOf = (id) => id.slice(0, id.indexOf("/"));
function render(filter) {
  const shown = D.ids.map((_, i) => i).filter((i) => D.ids[i].includes(filter));
  const runs = [];
  for (const i of shown) {
    const ns = nsOf(D.ids[i]);
    if (runs.length && runs[runs.length - 1].ns === ns) runs[runs.length - 1].items.push(i);
    else runs.push({ ns, items: [i] });
  }
  const firsts = new Set(runs.map((r) => r.items[0]));
  let h = "<thead><tr><th></th><th></th>";
  for (const r of runs) h += '<th class="ns gap" colspan="' + r.items.length + '">' + r.ns + "</th>";
  h += "</tr><tr><th></th><th></th>";
  for (const i of shown) h += '<th class="col' + (firsts.has(i) ? " gap" : "") + '">' + D.ids[i].slice(nsOf(D.ids[i]).length + 1) + "</th>";
  h += "</tr></thead><tbody>";
  for (const r of runs) {
    r.items.forEach((i, k) => {
      h += "<tr>" + (k === 0 ? '<th class="rowns" rowspan="' + r.items.length + '">' + r.ns + "</th>" : "") + "<th>" + D.ids[i].slice(r.ns.length + 1) + "</th>";
      for (const j of shown) h += '<td data-i="' + i + '" data-j="' + j + '" class="' + (D.rows[i][j] === "1" ? "a" : "d") + (firsts.has(j) ? " gap" : "") + '"></td>';
      h += "</tr>";
    });
  }
  root.innerHTML = h + "</tbody>";
}
root.addEventListener("mousemove", (e) => {
  const td = e.target.closest("td");
  if (!td) { tip.style.display = "none"; return; }
  const i = +td.dataset.i, j = +td.dataset.j;
  const ok = D.rows[i][j] === "1";
  let text = D.ids[i] + " → " + D.ids[j] + " on " + D.port + ": " + (ok ? "allowed" : "denied");
  if (D.cells) text += "\\n" + D.texts[D.cells[i * D.ids.length + j]];
  tip.textContent = text;
  tip.style.display = "block";
  tip.style.left = Math.min(e.clientX + 14, innerWidth - tip.offsetWidth - 8) + "px";
  tip.style.top = Math.min(e.clientY + 14, innerHeight - tip.offsetHeight - 8) + "px";
});
root.addEventListener("mouseleave", () => { tip.style.display = "none"; });
document.getElementById("filter").addEventListener("input", (e) => render(e.target.value.trim()));
render("");
`;

/**
 * Renders the page. `explain(i, j)` gives the explanation text of a cell (engine
 * indexes); it is called for every shown cell unless there are more than
 * `MAX_EXPLAINED_CELLS`.
 */
export function htmlFormat(view: MatrixView, explain: (from: number, to: number) => string): string {
  const { order, ids, matrix } = view;
  const n = order.length;
  const rows = order.map((i) => order.map((j) => (matrix.allowed(i, j) ? "1" : "0")).join(""));
  let cells: number[] | null = null;
  const texts: string[] = [];
  if (n * n <= MAX_EXPLAINED_CELLS) {
    const seen = new Map<string, number>();
    cells = [];
    for (const i of order) {
      for (const j of order) {
        const text = explain(i, j);
        let k = seen.get(text);
        if (k === undefined) {
          k = texts.length;
          texts.push(text);
          seen.set(text, k);
        }
        cells.push(k);
      }
    }
  }
  const port = `${matrix.port}/${matrix.protocol}`;
  const data = { ids: order.map((i) => ids[i]!), rows, port, texts, cells };
  const allowed = rows.reduce((sum, r) => sum + r.split("1").length - 1, 0);
  const title = `netpol: reachability on ${port}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>${STYLE}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<div>${allowed} of ${n * n} pairs allowed across ${groups(view).length} namespaces; rows are sources, columns destinations.
<span class="legend"><span style="background:#2e9e4f"></span>allowed<span style="background:#d9534f"></span>denied</span>
${cells === null ? `<br>(more than ${MAX_EXPLAINED_CELLS} cells: hover shows verdicts without explanations)` : ""}</div>
<input id="filter" type="search" placeholder="filter endpoints, e.g. default/ or web" aria-label="filter endpoints">
<table id="grid"></table>
<div id="tip"></div>
<script type="application/json" id="data">${scriptJson(data)}</script>
<script>${SCRIPT}</script>
</body></html>
`;
}
