/**
 * The terminal table: rows (sources) and columns (destinations) grouped by
 * namespace, columns numbered (digits stacked) so a row is two characters a pod,
 * split into blocks of columns that fit the terminal's width.
 */
import type { Style } from "../io.js";
import { shortName } from "../../views/endpoints.js";
import { allowedCount, groups, type Group, type MatrixView } from "./view.js";

const MAX_LABEL = 40;

const fit = (text: string, width: number): string => (text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`);

/**
 * Column blocks that fit `width`: whole groups where they fit in a fresh block,
 * otherwise cut. A column takes two characters, a group's separator two more.
 */
function blocks(all: readonly Group[], width: number): Group[][] {
  const out: Group[][] = [];
  let current: Group[] = [];
  let used = 0;
  const flush = (): void => {
    out.push(current);
    current = [];
    used = 0;
  };
  for (const g of all) {
    let start = g.start;
    while (start < g.end) {
      const room = Math.floor((width - used - 2) / 2);
      const wholeFitsLater = start === g.start && (g.end - g.start) * 2 + 2 <= width;
      if (current.length > 0 && (room < 1 || (room < g.end - start && wholeFitsLater))) {
        flush();
        continue;
      }
      const end = Math.min(g.end, start + Math.max(1, room));
      current.push({ namespace: g.namespace, start, end });
      used += (end - start) * 2 + 2;
      start = end;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Renders the table for a terminal `columns` wide. */
export function tableFormat(view: MatrixView, style: Style, columns: number): string {
  const { matrix, order, ids } = view;
  const all = groups(view);
  const n = order.length;
  const lines: string[] = [];
  const allowed = allowedCount(view);
  lines.push(
    `${style.bold(`${matrix.port}/${matrix.protocol}`)}: ${allowed} of ${n * n} pairs allowed ` +
      `(rows: from, columns: to; ${style.green("✓")} allowed, ${style.red("·")} denied)`,
  );
  if (n === 0) return `${lines[0]}\nno endpoints\n`;
  const digits = String(n - 1).length;
  const labels = order.map((engine, position) => `${String(position).padStart(digits)} ${shortName(ids[engine]!)}`);
  // two spaces of indent, the label, one space before the cells
  const labelWidth = Math.min(MAX_LABEL, Math.max(...labels.map((l) => l.length), ...all.map((g) => g.namespace.length - 2))) + 3;
  const cut = all.filter((g) => g.namespace.length > (g.end - g.start) * 2);
  if (cut.length > 0) lines.push(style.dim(`columns: ${all.map((g) => `${g.start === g.end - 1 ? g.start : `${g.start}-${g.end - 1}`} ${g.namespace}`).join(", ")}`));
  for (const block of blocks(all, Math.max(columns - labelWidth, 8))) {
    lines.push("");
    let header = " ".repeat(labelWidth);
    for (const g of block) header += `${fit(g.namespace, (g.end - g.start) * 2)}│ `;
    lines.push(style.bold(header.trimEnd()));
    for (let d = 0; d < digits; d++) {
      let line = " ".repeat(labelWidth);
      for (const g of block) {
        for (let p = g.start; p < g.end; p++) line += `${String(p).padStart(digits)[d]} `;
        line += "│ ";
      }
      lines.push(style.dim(line.trimEnd()));
    }
    for (const rowGroup of all) {
      lines.push(style.bold(rowGroup.namespace));
      for (let r = rowGroup.start; r < rowGroup.end; r++) {
        let line = `  ${fit(labels[r]!, labelWidth - 3)} `;
        for (const g of block) {
          for (let c = g.start; c < g.end; c++) line += matrix.allowed(order[r]!, order[c]!) ? `${style.green("✓")} ` : `${style.red("·")} `;
          line += "│ ";
        }
        lines.push(line.trimEnd());
      }
    }
  }
  return `${lines.join("\n")}\n`;
}
