/**
 * Draws the cells in view on the canvas: one filled square per cell (fills batched by
 * colour), a white gap between cells when they are large enough to spare it, a line
 * between namespaces, marks or counts where they fit, the hovered row and column
 * tinted, and the keyboard cursor and the chosen cell outlined. Nothing outside the
 * window is touched, so the cost follows the screen, not the cluster.
 */
import { MIN_COUNT_CELL, MIN_MARK_CELL, type Viewport } from "./geometry.js";
import { cellValue, type Grid } from "./grid.js";
import { cellLook, PALETTE } from "./palette.js";

/** Cells to point out: hovered (tinted row and column), cursor and chosen (outlined). */
export interface Highlights {
  readonly hover: { r: number; c: number } | null;
  readonly cursor: { r: number; c: number } | null;
  readonly selected: { r: number; c: number } | null;
}

/** Sizes the canvas's backing store to `vp` at the screen's pixel ratio. */
export function fitCanvas(canvas: HTMLCanvasElement, vp: Viewport): CanvasRenderingContext2D {
  const ratio = globalThis.devicePixelRatio || 1;
  const w = Math.round(vp.width * ratio);
  const h = Math.round(vp.height * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${vp.width}px`;
    canvas.style.height = `${vp.height}px`;
  }
  const context = canvas.getContext("2d", { alpha: false })!;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  return context;
}

/** Paints `grid` in window `vp`; `diff` when a before layer is shown. */
export function paint(context: CanvasRenderingContext2D, grid: Grid, vp: Viewport, marks: Highlights, diff: boolean): void {
  const { cell, x0, y0 } = vp;
  context.fillStyle = PALETTE.empty;
  context.fillRect(0, 0, vp.width, vp.height);
  const gap = cell >= 6 ? 1 : 0;
  const single = grid.rows.every((e) => e.members.length === 1) && grid.cols.every((e) => e.members.length === 1);
  const text = single ? cell >= MIN_MARK_CELL : cell >= MIN_COUNT_CELL;
  const fills = new Map<string, number[]>();
  const labels: Array<{ x: number; y: number; mark: string; ink: string }> = [];
  const v = cellValue();
  for (let r = vp.r0; r < vp.r1; r++) {
    const y = r * cell - y0;
    for (let c = vp.c0; c < vp.c1; c++) {
      grid.value(r, c, v);
      const look = cellLook(v, diff);
      const x = c * cell - x0;
      let list = fills.get(look.fill);
      if (list === undefined) fills.set(look.fill, (list = []));
      list.push(x, y);
      if (text) labels.push({ x, y, mark: look.mark, ink: look.ink });
    }
  }
  const side = cell - gap;
  for (const [fill, points] of fills) {
    context.fillStyle = fill;
    for (let k = 0; k < points.length; k += 2) context.fillRect(points[k]!, points[k + 1]!, side, side);
  }
  if (labels.length > 0) {
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.font = single ? `${Math.round(cell * 0.62)}px system-ui, sans-serif` : `600 ${Math.max(10, Math.round(cell * 0.3))}px system-ui, sans-serif`;
    for (const l of labels) {
      context.fillStyle = l.ink;
      context.fillText(l.mark, l.x + side / 2, l.y + side / 2 + 0.5, side - 2);
    }
  }
  namespaceLines(context, grid, vp);
  if (marks.hover !== null && cell >= 4) {
    context.fillStyle = "rgba(0, 0, 0, 0.10)";
    context.fillRect(0, marks.hover.r * cell - y0, vp.width, cell);
    context.fillRect(marks.hover.c * cell - x0, 0, cell, vp.height);
  }
  for (const [at, width] of [
    [marks.selected, 3],
    [marks.cursor, 2],
  ] as const) {
    if (at === null) continue;
    context.lineWidth = width;
    context.strokeStyle = PALETTE.cursor;
    context.strokeRect(at.c * cell - x0 + width / 2, at.r * cell - y0 + width / 2, Math.max(1, cell - width), Math.max(1, cell - width));
  }
}

/** A grey line where one namespace's rows or columns end and the next one's begin. */
function namespaceLines(context: CanvasRenderingContext2D, grid: Grid, vp: Viewport): void {
  const { cell, x0, y0 } = vp;
  context.fillStyle = "#8c8c8c";
  const thick = cell >= 6 ? 2 : 1;
  for (let r = Math.max(1, vp.r0); r < vp.r1 + 1 && r < grid.rows.length; r++) {
    if (grid.rows[r]!.namespace !== grid.rows[r - 1]!.namespace && grid.rows[r]!.level !== "namespace") context.fillRect(0, r * cell - y0 - thick / 2 - 0.5, vp.width, thick);
  }
  for (let c = Math.max(1, vp.c0); c < vp.c1 + 1 && c < grid.cols.length; c++) {
    if (grid.cols[c]!.namespace !== grid.cols[c - 1]!.namespace && grid.cols[c]!.level !== "namespace") context.fillRect(c * cell - x0 - thick / 2 - 0.5, 0, thick, vp.height);
  }
}
