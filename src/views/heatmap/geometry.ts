/**
 * Where things are on the heatmap. Content coordinates (CSS pixels) put the row
 * headers in [0, rowHead) and the column headers in [0, colHead); cell (r, c) spans
 * [rowHead + c * cell, + cell) by [colHead + r * cell, + cell). The canvas covers the
 * part of the cell area in view: its top-left is cell-area point (x0, y0).
 */
import type { Level } from "./levels.js";

/** Width of the namespace band left of row names, and height of the one above column names. */
export const BAND = { rows: 92, cols: 22 } as const;
/** Room for row names (width) and column names (height). */
export const NAMES = { rows: 172, cols: 124 } as const;
/** Below this cell size names are left out; namespace bands stay. */
export const MIN_NAMED_CELL = 10;
/** From this cell size single pairs carry ✓ or ×; groups carry their count from `MIN_COUNT_CELL`. */
export const MIN_MARK_CELL = 14;
export const MIN_COUNT_CELL = 28;

/** Header sizes for axes at these levels: no band where the axis lists namespaces. */
export function headerSizes(rowLevel: Level, colLevel: Level): { rowHead: number; colHead: number } {
  return {
    rowHead: NAMES.rows + (rowLevel === "namespace" ? 0 : BAND.rows),
    colHead: NAMES.cols + (colLevel === "namespace" ? 0 : BAND.cols),
  };
}

/** The visible window of cells. */
export interface Viewport {
  /** Cell-area point at the canvas's top-left. */
  readonly x0: number;
  readonly y0: number;
  /** Canvas size, CSS pixels. */
  readonly width: number;
  readonly height: number;
  readonly cell: number;
  /** First row and column in view, and one past the last. */
  readonly r0: number;
  readonly r1: number;
  readonly c0: number;
  readonly c1: number;
}

/**
 * The window for a scroller `scrollLeft`/`scrollTop` and client size, over `rows` ×
 * `cols` cells of `cell` pixels behind headers `rowHead` × `colHead`. The canvas is
 * sticky, so at the far end of a scroll it stops where the grid does.
 */
export function viewport(scroll: { left: number; top: number; width: number; height: number }, head: { rowHead: number; colHead: number }, rows: number, cols: number, cell: number): Viewport {
  const gridW = cols * cell;
  const gridH = rows * cell;
  const width = Math.max(0, Math.min(gridW, scroll.width - head.rowHead));
  const height = Math.max(0, Math.min(gridH, scroll.height - head.colHead));
  const x0 = Math.max(0, Math.min(scroll.left, gridW - width));
  const y0 = Math.max(0, Math.min(scroll.top, gridH - height));
  return {
    x0,
    y0,
    width,
    height,
    cell,
    r0: Math.floor(y0 / cell),
    r1: Math.min(rows, Math.ceil((y0 + height) / cell)),
    c0: Math.floor(x0 / cell),
    c1: Math.min(cols, Math.ceil((x0 + width) / cell)),
  };
}
