/**
 * The matrix as data for other tools: CSV, JSON, Markdown and Graphviz dot.
 */
import { csvRecord } from "./csv.js";
import { shortName } from "../../views/endpoints.js";
import { allowedCount, groups, type MatrixView } from "./view.js";


/** Wide CSV (RFC 4180): a header of destinations, then one row per source of 1 (allowed) and 0. */
export function csvFormat(view: MatrixView): string {
  const names = view.order.map((i) => view.ids[i]!);
  let out = csvRecord(["from\\to", ...names]);
  for (const i of view.order) out += csvRecord([view.ids[i]!, ...view.order.map((j) => (view.matrix.allowed(i, j) ? "1" : "0"))]);
  return out;
}

/** JSON: the port, the endpoints in display order and one row string of 1s and 0s per source. */
export function jsonFormat(view: MatrixView): string {
  const matrix = Object.create(null) as Record<string, string>;
  for (const i of view.order) matrix[view.ids[i]!] = view.order.map((j) => (view.matrix.allowed(i, j) ? "1" : "0")).join("");
  const body = {
    protocol: view.matrix.protocol,
    port: view.matrix.port,
    endpoints: view.order.map((i) => view.ids[i]!),
    allowed: allowedCount(view),
    matrix,
  };
  return `${JSON.stringify(body, null, 2)}\n`;
}

const mdCell = (text: string): string => text.replace(/\|/g, "\\|");

/** A Markdown table per the display order; a namespace column starts each row. */
export function markdownFormat(view: MatrixView): string {
  const names = view.order.map((i) => view.ids[i]!);
  const lines = [
    `**${view.matrix.port}/${view.matrix.protocol}**: ${allowedCount(view)} of ${names.length * names.length} pairs allowed (rows: from, columns: to)`,
    "",
    `| from \\ to | ${names.map(mdCell).join(" | ")} |`,
    `|---|${names.map(() => ":-:").join("|")}|`,
  ];
  for (const i of view.order) lines.push(`| ${mdCell(view.ids[i]!)} | ${view.order.map((j) => (view.matrix.allowed(i, j) ? "✓" : "✗")).join(" | ")} |`);
  return `${lines.join("\n")}\n`;
}

const dotId = (text: string): string => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** Graphviz: a cluster per namespace, an edge per allowed pair (a pod reaching itself left out). */
export function dotFormat(view: MatrixView): string {
  const lines = [`digraph netpol {`, `  label=${dotId(`allowed on ${view.matrix.port}/${view.matrix.protocol}`)};`, "  node [shape=box];"];
  groups(view).forEach((g, n) => {
    lines.push(`  subgraph cluster_${n} {`, `    label=${dotId(g.namespace)};`);
    for (let p = g.start; p < g.end; p++) {
      const id = view.ids[view.order[p]!]!;
      lines.push(`    ${dotId(id)} [label=${dotId(shortName(id))}];`);
    }
    lines.push("  }");
  });
  for (const i of view.order) {
    for (const j of view.order) if (i !== j && view.matrix.allowed(i, j)) lines.push(`  ${dotId(view.ids[i]!)} -> ${dotId(view.ids[j]!)};`);
  }
  lines.push("}");
  return `${lines.join("\n")}\n`;
}
