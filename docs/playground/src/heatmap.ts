/**
 * The reachability matrix as a table: one row per source pod, one column per
 * destination, pods grouped by namespace on both axes. Cells carry their pod indexes
 * (`data-from`, `data-to`) and `allowed` or `denied`.
 */
import type { ReachabilityMatrix } from "../../../src/index.js";
import type { NamespaceGroup } from "./analysis.js";
import { h } from "./dom.js";

/** A (source, destination) pair of pod indexes. */
export interface Cell {
  readonly from: number;
  readonly to: number;
}

function headRows(groups: readonly NamespaceGroup[]): HTMLTableSectionElement {
  const namespaces = h("tr", {}, h("th", { class: "corner", colspan: 2, rowspan: 2 }, "from ↓  to →"));
  const pods = h("tr");
  for (const group of groups) {
    namespaces.append(h("th", { class: "ns group-start", colspan: group.pods.length, scope: "colgroup", title: group.namespace }, h("span", {}, group.namespace)));
    group.pods.forEach((pod, k) => {
      pods.append(h("th", { class: k === 0 ? "pod col group-start" : "pod col", scope: "col", title: `${group.namespace}/${pod.name}` }, h("span", {}, pod.name)));
    });
  }
  return h("thead", {}, namespaces, pods);
}

function bodyRows(matrix: ReachabilityMatrix, groups: readonly NamespaceGroup[]): HTMLTableSectionElement {
  const body = h("tbody");
  const columns = groups.flatMap((g) => g.pods.map((pod, k) => ({ index: pod.index, start: k === 0 })));
  for (const group of groups) {
    group.pods.forEach((pod, k) => {
      const row = h("tr", { class: k === 0 ? "group-start" : undefined });
      if (k === 0) row.append(h("th", { class: "ns", rowspan: group.pods.length, scope: "rowgroup" }, group.namespace));
      row.append(h("th", { class: "pod", scope: "row", title: `${group.namespace}/${pod.name}` }, pod.name));
      for (const column of columns) {
        // built by hand, not with `h`: a cluster of N pods makes N² of these
        const verdict = matrix.allowed(pod.index, column.index) ? "allowed" : "denied";
        const td = document.createElement("td");
        td.className = column.start ? `cell ${verdict} group-start` : `cell ${verdict}`;
        td.dataset.from = String(pod.index);
        td.dataset.to = String(column.index);
        td.title = `${matrix.pods[pod.index]} → ${matrix.pods[column.index]}: ${verdict}`;
        row.append(td);
      }
      body.append(row);
    });
  }
  return body;
}

/** Fills `table` with `matrix`. */
export function renderHeatmap(table: HTMLTableElement, matrix: ReachabilityMatrix, groups: readonly NamespaceGroup[]): void {
  table.replaceChildren(headRows(groups), bodyRows(matrix, groups));
}

/** Moves the `selected` mark to `cell`, or clears it. */
export function markSelected(table: HTMLTableElement, cell: Cell | null): void {
  table.querySelector("td.selected")?.classList.remove("selected");
  if (cell !== null) table.querySelector(`td.cell[data-from="${cell.from}"][data-to="${cell.to}"]`)?.classList.add("selected");
}

/** The cell an event happened in, if any. */
export function cellAt(target: EventTarget | null): Cell | null {
  const td = target instanceof Element ? target.closest<HTMLTableCellElement>("td.cell") : null;
  if (td === null) return null;
  return { from: Number(td.dataset.from), to: Number(td.dataset.to) };
}
