/**
 * What a heatmap shows, as plain data that fits in a URL fragment: per axis a level
 * and a search query, the cell size, and the chosen pair (by display id, so that it
 * survives edits that keep both endpoints). Pages add their own keys to the same
 * fragment (`URLSearchParams` syntax); these use `rl rq cl cq z sel`.
 */
import { LEVELS, type Level } from "./levels.js";

/** One axis: how detailed, and which endpoints. */
export interface AxisState {
  readonly level: Level;
  readonly query: string;
}

/** A heatmap's view. */
export interface ViewState {
  readonly rows: AxisState;
  readonly cols: AxisState;
  /** Cell size in CSS pixels; 0 fits the grid to the screen (see `fitZoom`). */
  readonly zoom: number;
  /** The chosen pod pair, by display id. */
  readonly selected: { readonly from: string; readonly to: string } | null;
}

/** The cell sizes zooming steps through, in CSS pixels. */
export const ZOOMS: readonly number[] = [2, 3, 4, 6, 8, 10, 12, 14, 18, 24, 32, 44, 60];

/** The smallest cell size a level opens at: room for a count on groups, for a mark on pods. */
export const defaultZoom = (level: Level): number => (level === "namespace" ? 44 : level === "workload" ? 24 : 14);

/** The largest cell size fitting opens a level at. */
const MAX_FIT: Record<Level, number> = { namespace: 60, workload: 44, pod: 32 };

/**
 * The cell size for zoom 0: the largest step that shows the whole `rows` × `cols` grid
 * in `width` × `height`, between the level's default and its largest fitting size.
 */
export function fitZoom(level: Level, rows: number, cols: number, width: number, height: number): number {
  const room = Math.min(width / Math.max(1, cols), height / Math.max(1, rows));
  const fits = ZOOMS.filter((z) => z <= room && z <= MAX_FIT[level]);
  return Math.max(defaultZoom(level), fits[fits.length - 1] ?? 0);
}

/** The level to open at: pods while they fit a screen or two, else the namespace summary. */
export const defaultLevel = (endpoints: number): Level => (endpoints <= 150 ? "pod" : "namespace");

/** The opening view for `endpoints` endpoints. */
export function initialState(endpoints: number): ViewState {
  const level = defaultLevel(endpoints);
  return { rows: { level, query: "" }, cols: { level, query: "" }, zoom: 0, selected: null };
}

/** Writes `state` into `params` (keys `rl rq cl cq z sel`), leaving other keys alone. */
export function writeState(state: ViewState, params: URLSearchParams): void {
  params.set("rl", state.rows.level);
  params.set("cl", state.cols.level);
  for (const [key, value] of [
    ["rq", state.rows.query],
    ["cq", state.cols.query],
  ] as const) {
    if (value === "") params.delete(key);
    else params.set(key, value);
  }
  if (state.zoom === 0) params.delete("z");
  else params.set("z", String(state.zoom));
  if (state.selected === null) params.delete("sel");
  else params.set("sel", `${state.selected.from} ${state.selected.to}`);
}

const level = (text: string | null, fallback: Level): Level => (LEVELS.includes(text as Level) ? (text as Level) : fallback);

/** The state `params` describe, `fallback` filling what they leave out or get wrong. */
export function readState(params: URLSearchParams, fallback: ViewState): ViewState {
  const zoom = Number(params.get("z"));
  const selected = params.get("sel")?.split(" ");
  return {
    rows: { level: level(params.get("rl"), fallback.rows.level), query: params.get("rq") ?? fallback.rows.query },
    cols: { level: level(params.get("cl"), fallback.cols.level), query: params.get("cq") ?? fallback.cols.query },
    zoom: ZOOMS.includes(zoom) || zoom === 0 ? zoom : fallback.zoom,
    selected: selected?.length === 2 ? { from: selected[0]!, to: selected[1]! } : fallback.selected,
  };
}
