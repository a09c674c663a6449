/**
 * Connection sets (`Engine.connections`) as text, one connection at a time so that
 * output streams: txt, JSON (the contract of docs/cli.md), CSV, Markdown, Graphviz
 * dot. Ports read `TCP 80,8000-8100`; all three protocols fully open read
 * `All Connections`.
 */
import type { AllowedPorts, Connection, ConnectionRule, PortSpan } from "../../api/connections.js";
import { PROTOCOLS } from "../../primitives/kubernetes.js";

/** `80,8000-8100`; all ports read `all ports`. */
export const spansText = (spans: readonly PortSpan[]): string =>
  spans.length === 1 && spans[0]![0] === 1 && spans[0]![1] === 65535 ? "all ports" : spans.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(",");

/** Whether every port of every protocol is allowed. */
const everything = (allowed: AllowedPorts): boolean => PROTOCOLS.every((p) => allowed[p].length === 1 && allowed[p][0]![0] === 1 && allowed[p][0]![1] === 65535);

/** `TCP 80,8000-8100; UDP 53`, or `All Connections`. */
export function portsText(allowed: AllowedPorts): string {
  if (everything(allowed)) return "All Connections";
  return PROTOCOLS.filter((p) => allowed[p].length > 0)
    .map((p) => `${p} ${spansText(allowed[p])}`)
    .join("; ");
}

/** `Ingress rule 0 of a/web (NetworkPolicy): TCP 8080`. */
export const ruleText = (r: ConnectionRule): string => `${r.direction} rule ${r.rule} of ${r.policy} (${r.tier}): ${r.protocol} ${spansText(r.ports)}`;

/** One connection as txt lines: `FROM => TO : PORTS`, then its rules when explained. */
export function connectionText(c: Connection): string {
  const lines = [`${c.from} => ${c.to} : ${portsText(c.allowed)}`];
  for (const r of c.allowedBy ?? []) lines.push(`    allowed by ${ruleText(r)}`);
  if (c.allowedBy !== undefined && c.allowedBy.length === 0) lines.push("    allowed by no rule: neither end is isolated for it");
  return `${lines.join("\n")}\n`;
}

/** A streamed document: a head, each item, a tail. */
export interface Streamed<T> {
  readonly head: string;
  item(value: T, index: number): string;
  readonly tail: (count: number) => string;
}

/** txt: one connection per line (rules indented below it). */
export const textConnections: Streamed<Connection> = { head: "", item: connectionText, tail: (n) => (n === 0 ? "no connection is allowed\n" : "") };

/** The JSON of each `allowed` written so far: the engine hands out one object per distinct port set. */
const allowedJson = new WeakMap<AllowedPorts, string>();

/** `JSON.stringify(allowed)`, once per object. */
function allowedText(allowed: AllowedPorts): string {
  let text = allowedJson.get(allowed);
  if (text === undefined) allowedJson.set(allowed, (text = JSON.stringify(allowed)));
  return text;
}

/** JSON: `{"connections":[{"from","to","allowed":{"TCP":[[lo,hi]],...},"allowedBy"?}]}`, one entry per line. */
export const jsonConnections: Streamed<Connection> = {
  head: '{"connections":[',
  item: (c, i) =>
    `${i === 0 ? "\n" : ",\n"}{"from":${JSON.stringify(c.from)},"to":${JSON.stringify(c.to)},"allowed":${allowedText(c.allowed)}${c.allowedBy !== undefined ? `,"allowedBy":${JSON.stringify(c.allowedBy)}` : ""}}`,
  tail: (n) => `${n === 0 ? "" : "\n"}]}\n`,
};

const csvField = (text: string): string => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);

/** CSV: `from,to,TCP,UDP,SCTP` with each protocol's ports (`80,8000-8100`, `all ports`, or empty). */
export const csvConnections: Streamed<Connection> = {
  head: "from,to,TCP,UDP,SCTP\n",
  item: (c) => `${[c.from, c.to, ...PROTOCOLS.map((p) => spansText(c.allowed[p]))].map(csvField).join(",")}\n`,
  tail: () => "",
};

const mdCell = (text: string): string => text.replace(/\|/g, "\\|");

/** Markdown: a table of from, to and the allowed ports. */
export const markdownConnections: Streamed<Connection> = {
  head: "| from | to | allowed |\n|---|---|---|\n",
  item: (c) => `| ${mdCell(c.from)} | ${mdCell(c.to)} | ${mdCell(portsText(c.allowed))} |\n`,
  tail: () => "",
};

const dotId = (text: string): string => `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** Whether an endpoint name is an outside range (`FIRST-LAST`) rather than a pod or workload. */
export const isRange = (id: string): boolean => !id.includes("/");

/**
 * Graphviz dot: endpoints as boxes in one cluster per namespace, outside ranges as
 * ellipses, an edge per connection labelled with its ports. Needs every connection
 * (the nodes come first), so it is built whole.
 */
export function dotConnections(connections: readonly Connection[]): string {
  const names = [...new Set(connections.flatMap((c) => [c.from, c.to]))];
  const namespaces = new Map<string, string[]>();
  for (const id of names.filter((n) => !isRange(n))) {
    const ns = id.slice(0, id.indexOf("/"));
    namespaces.set(ns, [...(namespaces.get(ns) ?? []), id]);
  }
  const lines = ["digraph connections {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];', '  edge [fontname="Helvetica", fontsize=10];'];
  [...namespaces].forEach(([ns, ids], n) => {
    lines.push(`  subgraph cluster_${n} {`, `    label=${dotId(ns)};`, "    style=rounded;");
    for (const id of ids) lines.push(`    ${dotId(id)} [label=${dotId(id.slice(ns.length + 1))}];`);
    lines.push("  }");
  });
  for (const id of names.filter(isRange)) lines.push(`  ${dotId(id)} [shape=ellipse, style=dashed];`);
  for (const c of connections) lines.push(`  ${dotId(c.from)} -> ${dotId(c.to)} [label=${dotId(portsText(c.allowed))}];`);
  lines.push("}");
  return `${lines.join("\n")}\n`;
}

/** svg: the dot graph laid out by Graphviz (`@viz-js/viz`, Graphviz compiled to WebAssembly). */
export async function svgConnections(connections: readonly Connection[]): Promise<string> {
  const { instance } = await import("@viz-js/viz");
  return (await instance()).renderString(dotConnections(connections), { format: "svg", engine: "dot" });
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** html: one self-contained page, the svg graph above a table of every connection (and its rules). */
export async function htmlConnections(connections: readonly Connection[]): Promise<string> {
  const svg = connections.length > 0 && connections.length <= 2000 ? await svgConnections(connections) : "";
  const rows = connections
    .map((c) => `<tr><td>${escapeHtml(c.from)}</td><td>${escapeHtml(c.to)}</td><td>${escapeHtml(portsText(c.allowed))}</td><td>${(c.allowedBy ?? []).map((r) => escapeHtml(ruleText(r))).join("<br>")}</td></tr>`)
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>netpol connections</title>
<style>body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}svg{max-width:100%;height:auto}</style>
</head><body>
<h1>Allowed connections</h1>
<p>${connections.length} connection${connections.length === 1 ? "" : "s"}${svg === "" && connections.length > 0 ? " (too many to draw)" : ""}</p>
${svg.replace(/^<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?/, "")}
<table><thead><tr><th>from</th><th>to</th><th>allowed</th><th>allowed by</th></tr></thead><tbody>
${rows}
</tbody></table>
</body></html>
`;
}
