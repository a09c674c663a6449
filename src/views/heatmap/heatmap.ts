/**
 * The reachability heatmap both the HTML report and the playground show: rows are
 * sources, columns destinations, at the level of namespaces, workloads or pods per
 * axis, filtered by a search per axis, drawn on a canvas from the matrix bits with
 * headers that stay in view. Hover shows the cell and the library's explanation
 * (asked of the host); a click or Enter explains a pair or opens a group one level
 * down; Escape goes back; + and − zoom; arrow keys move a cursor.
 *
 * The heatmap owns no meaning: verdicts come as bits (`Layer`), explanations as text
 * from the host (which asks the engine), names and order as the host gives them.
 */
import { h } from "../dom.js";
import { ensureStyle } from "../style.js";
import { headerSizes, viewport, type Viewport } from "./geometry.js";
import { Grid, cellValue, type CellValue, type Layer } from "./grid.js";
import { entryTitle, renderHeader } from "./headers.js";
import { axisEntries, finer, LEVELS, workloadOf, type Entry, type Labels, type Level } from "./levels.js";
import { fitCanvas, paint } from "./paint.js";
import { MARKS, PALETTE } from "./palette.js";
import { matches, narrowed, parseQuery } from "./search.js";
import { fitZoom, ZOOMS, type AxisState, type ViewState } from "./state.js";

/** What the heatmap draws. Engine indexes address `ids`, `labels` and the layers' bits. */
export interface HeatmapData {
  /** Display id of each endpoint, in engine order. */
  readonly ids: readonly string[];
  /** Engine indexes in display order: the endpoints that may be shown. */
  readonly order: readonly number[];
  /** Labels of each endpoint, in engine order (for search and workload grouping). */
  readonly labels: readonly Labels[];
  /** The verdicts shown. */
  readonly after: Layer;
  /** In diff mode, the verdicts before the change; cells that differ stand out. */
  readonly before: Layer | null;
  /** What the verdicts are about, e.g. `TCP/8080` or `any of 9 ports`. */
  readonly caption: string;
}

/** What the page around the heatmap provides. */
export interface HeatmapHost {
  /** The library's explanation of pair (from, to) as text, or null while it cannot be had yet. */
  describe(from: number, to: number): string | null;
  /** A pair was chosen (click, Enter), or the choice cleared. */
  choose(pair: { readonly from: number; readonly to: number } | null): void;
  /** The view changed (to keep it in the URL). */
  stateChanged?(state: ViewState): void;
}

const NOUNS: Record<Level, [string, string]> = { namespace: ["namespace", "namespaces"], workload: ["workload", "workloads"], pod: ["endpoint", "endpoints"] };
const count = (n: number, level: Level): string => `${n.toLocaleString("en")} ${NOUNS[level][n === 1 ? 0 : 1]}`;
const percent = (part: number, whole: number): string => (whole === 0 ? "" : ` (${((part / whole) * 100).toFixed(part === whole || part === 0 ? 0 : 1)}%)`);
type Cell = { r: number; c: number };
/** Grids of up to this many cells are also a table for screen readers. */
const TABLE_LIMIT = 2500;

const LEVEL_BUTTONS: Record<Level, string> = { namespace: "Namespaces", workload: "Workloads", pod: "Pods" };

/** The heatmap's elements. */
function parts() {
  return {
    levels: LEVELS.map((level) => h("button", { type: "button", "data-level": level }, LEVEL_BUTTONS[level])),
    back: h("button", { type: "button", class: "hm-btn", title: "back to the previous view (Escape)", disabled: true }, "← Back"),
    rowsSearch: h("input", { type: "search", placeholder: "name, ns:x, app=web", "aria-label": "search rows (sources): a name, ns:NAMESPACE, KEY=VALUE", spellcheck: "false" }),
    colsSearch: h("input", { type: "search", placeholder: "name, ns:x, app=web", "aria-label": "search columns (destinations): a name, ns:NAMESPACE, KEY=VALUE", spellcheck: "false" }),
    zoomOut: h("button", { type: "button", class: "hm-btn", title: "smaller cells (−)", "aria-label": "zoom out" }, "−"),
    zoomIn: h("button", { type: "button", class: "hm-btn", title: "larger cells (+)", "aria-label": "zoom in" }, "+"),
    legend: h("span", { class: "hm-legend" }),
    status: h("div", { class: "hm-status" }),
    corner: h("div", { class: "hm-corner" }),
    cols: h("div", { class: "hm-cols" }),
    rows: h("div", { class: "hm-rows" }),
    canvas: h("canvas", { class: "hm-canvas" }),
    cells: h("div", { class: "hm-cells" }),
    content: h("div", { class: "hm-content" }),
    scroll: h("div", {
      class: "hm-scroll",
      tabindex: 0,
      role: "application",
      "aria-roledescription": "reachability heatmap",
      "aria-label": "reachability heatmap, rows are sources, columns destinations: arrow keys move, Enter explains a pair or opens a group, Escape goes back, plus and minus zoom",
    }),
    tip: h("div", { class: "hm-tip", role: "tooltip" }),
    live: h("div", { class: "hm-sr", "aria-live": "polite" }),
    table: h("table", { class: "hm-sr hm-table" }),
  };
}

type Parts = ReturnType<typeof parts>;

/** A heatmap, mounted wherever its `element` is put. */
export class Heatmap {
  /** The heatmap's root; `data-painted` is set once the first picture is drawn. */
  readonly element: HTMLElement;
  private data: HeatmapData | null = null;
  private workloads: string[] = [];
  private byId = new Map<string, number>();
  private grid: Grid | null = null;
  private view: ViewState;
  private history: ViewState[] = [];
  private hover: Cell | null = null;
  private pointer: { x: number; y: number } | null = null;
  private cursor: Cell | null = null;
  private selectedCell: Cell | null = null;
  private vp: Viewport | null = null;
  private head = headerSizes("pod", "pod");
  /** The cell size drawn: the view's zoom, or the fitting size when that is 0. */
  private cell = 14;
  private frame = 0;
  private readonly ui: Parts;

  constructor(
    private readonly host: HeatmapHost,
    state: ViewState,
  ) {
    ensureStyle(document);
    this.view = state;
    const ui = (this.ui = parts());
    ui.cells.append(ui.canvas);
    ui.content.append(h("div", { class: "hm-top" }, ui.corner, ui.cols), h("div", { class: "hm-main" }, ui.rows, ui.cells));
    ui.scroll.append(ui.content);
    this.element = h(
      "div",
      { class: "hm" },
      h(
        "div",
        { class: "hm-bar" },
        h("span", { class: "hm-seg", role: "group", "aria-label": "level of detail" }, ...ui.levels),
        ui.back,
        h("label", {}, "rows", ui.rowsSearch),
        h("label", {}, "columns", ui.colsSearch),
        h("span", { class: "hm-seg", role: "group", "aria-label": "zoom" }, ui.zoomOut, ui.zoomIn),
        ui.legend,
      ),
      ui.status,
      ui.scroll,
      ui.tip,
      ui.live,
      ui.table,
    );
    this.listen();
    this.syncControls();
  }

  /** The view shown. */
  get state(): ViewState {
    return this.view;
  }

  /** Shows new verdicts (or names, or order); the view and the chosen pair stay where they still apply. */
  setData(data: HeatmapData): void {
    if (this.data === null || this.data.ids !== data.ids || this.data.labels !== data.labels) {
      this.workloads = data.ids.map((id, i) => workloadOf(id, data.labels[i] ?? {}));
      this.byId = new Map(data.ids.map((id, i) => [id, i]));
    }
    this.data = data;
    this.rebuild();
  }

  /** Shows `state`; `remember` keeps the current view for Back. */
  setState(state: ViewState, remember = false): void {
    if (remember) this.history.push(this.view);
    this.view = state;
    this.syncControls();
    this.rebuild();
    this.host.stateChanged?.(state);
  }

  private update(change: Partial<ViewState>, remember = false): void {
    this.setState({ ...this.view, ...change }, remember);
  }

  private syncControls(): void {
    const { rows, cols, zoom } = this.view;
    for (const b of this.ui.levels) b.setAttribute("aria-pressed", String(rows.level === b.dataset.level && cols.level === b.dataset.level));
    if (this.ui.rowsSearch.value.trim() !== rows.query.trim()) this.ui.rowsSearch.value = rows.query;
    if (this.ui.colsSearch.value.trim() !== cols.query.trim()) this.ui.colsSearch.value = cols.query;
    this.ui.back.disabled = this.history.length === 0;
    this.ui.zoomOut.disabled = zoom !== 0 && zoom <= ZOOMS[0]!;
    this.ui.zoomIn.disabled = zoom >= ZOOMS[ZOOMS.length - 1]!;
  }

  /** The endpoints an axis keeps, in display order. */
  private shown(axis: AxisState): number[] {
    const data = this.data!;
    const terms = parseQuery(axis.query);
    if (terms.length === 0) return data.order as number[];
    return data.order.filter((i) => matches(terms, data.ids[i]!, data.labels[i] ?? {}, this.workloads[i]!));
  }

  private rebuild(): void {
    const data = this.data;
    if (data === null) return;
    const { rows, cols } = this.view;
    const rowEntries = axisEntries(rows.level, this.shown(rows), data.ids, this.workloads);
    const colEntries = axisEntries(cols.level, this.shown(cols), data.ids, this.workloads);
    this.grid = new Grid(rowEntries, colEntries, data.ids.length, data.after, data.before);
    this.head = headerSizes(rows.level, cols.level);
    const cell = (this.cell = this.view.zoom > 0 ? this.view.zoom : this.fit(rowEntries.length, colEntries.length));
    this.ui.content.style.width = `${this.head.rowHead + colEntries.length * cell}px`;
    this.ui.content.style.height = `${this.head.colHead + rowEntries.length * cell}px`;
    this.ui.corner.style.width = this.ui.rows.style.width = `${this.head.rowHead}px`;
    this.ui.corner.style.height = this.ui.cols.style.height = `${this.head.colHead}px`;
    this.ui.cols.style.width = this.ui.cells.style.width = `${colEntries.length * cell}px`;
    this.ui.rows.style.height = this.ui.cells.style.height = `${rowEntries.length * cell}px`;
    this.ui.canvas.style.top = `${this.head.colHead}px`;
    this.ui.canvas.style.left = `${this.head.rowHead}px`;
    this.ui.corner.replaceChildren(h("b", {}, data.caption), h("span", {}, "rows: from ↓"), h("span", {}, "columns: to →"));
    this.selectedCell = this.locate(this.view.selected);
    if (this.cursor !== null && (this.cursor.r >= rowEntries.length || this.cursor.c >= colEntries.length)) this.cursor = null;
    this.hover = null;
    this.renderLegend(data.before !== null, rows.level !== "pod" || cols.level !== "pod");
    this.renderStatus();
    this.renderTable();
    this.schedule();
  }

  /**
   * The grid as a table for screen readers (and tests), while it is small enough to
   * read that way: a header per column and row (their keys), a cell's verdict or its
   * `allowed of total` count.
   */
  private renderTable(): void {
    const grid = this.grid!;
    const table = this.ui.table;
    if (grid.rows.length * grid.cols.length > TABLE_LIMIT) {
      table.replaceChildren(h("caption", {}, `${grid.rows.length} × ${grid.cols.length} cells: too many to list; search or open a group`));
      return;
    }
    const v = cellValue();
    const head = h("tr", {}, h("th", {}, "from \\ to"), ...grid.cols.map((e) => h("th", { scope: "col" }, e.key)));
    const body = grid.rows.map((e, r) =>
      h(
        "tr",
        {},
        h("th", { scope: "row" }, e.key),
        ...grid.cols.map((_, c) => {
          grid.value(r, c, v);
          const verdict = v.total === 1 ? (v.allowed === 1 ? "allowed" : "denied") : `${v.allowed} of ${v.total} allowed`;
          const change = v.gained > 0 || v.lost > 0 ? ` (${v.gained} newly allowed, ${v.lost} newly denied)` : "";
          return h("td", {}, verdict + change);
        }),
      ),
    );
    table.replaceChildren(h("caption", {}, `reachability on ${this.data!.caption}`), h("thead", {}, head), h("tbody", {}, ...body));
  }

  /** The fitting cell size for a grid of this many rows and columns (zoom 0). */
  private fit(rows: number, cols: number): number {
    const s = this.ui.scroll;
    const width = (s.clientWidth || innerWidth - 40) - this.head.rowHead;
    const height = (Number.parseFloat(getComputedStyle(s).maxHeight) || innerHeight * 0.75) - this.head.colHead;
    const { rows: r, cols: c } = this.view;
    return fitZoom(LEVELS[Math.max(LEVELS.indexOf(r.level), LEVELS.indexOf(c.level))]!, rows, cols, width, height);
  }

  /** Where a chosen pair is, when both axes list pods and show both ends. */
  private locate(pair: ViewState["selected"]): Cell | null {
    const grid = this.grid;
    if (pair === null || grid === null) return null;
    const i = this.byId.get(pair.from);
    const j = this.byId.get(pair.to);
    if (i === undefined || j === undefined) return null;
    const r = grid.rows.findIndex((e) => e.level === "pod" && e.members[0] === i);
    const c = grid.cols.findIndex((e) => e.level === "pod" && e.members[0] === j);
    return r < 0 || c < 0 ? null : { r, c };
  }

  private renderLegend(diff: boolean, groups: boolean): void {
    const swatch = (fill: string, ink: string, mark: string, text: string): Array<Node | string> => [h("span", { class: "hm-swatch", style: `background:${fill};color:${ink}` }, mark), ` ${text} `];
    const items = diff
      ? [
          ...swatch(PALETTE.gained, "#fff", MARKS.gained, "newly allowed"),
          ...swatch(PALETTE.lost, "#fff", MARKS.lost, "newly denied"),
          ...swatch(PALETTE.allowedPale, PALETTE.allowed, MARKS.allowed, "allowed"),
          ...swatch(PALETTE.deniedPale, PALETTE.lost, MARKS.denied, "denied"),
        ]
      : [...swatch(PALETTE.allowed, PALETTE.allowedMark, MARKS.allowed, "allowed"), ...swatch(PALETTE.denied, PALETTE.deniedMark, MARKS.denied, "denied")];
    if (groups && !diff) {
      items.push(
        " · groups: ",
        ...swatch(PALETTE.deniedGroup, PALETTE.deniedMark, "", "none allowed"),
        h("span", { class: "hm-swatch", style: `width:36px;background:linear-gradient(90deg,${PALETTE.allowedFew},${PALETTE.allowed})` }),
        " share allowed",
      );
    }
    this.ui.legend.replaceChildren(...items);
  }

  private renderStatus(): void {
    const grid = this.grid!;
    const t = grid.totals();
    const { rows, cols } = this.view;
    const status = this.ui.status;
    status.dataset.allowed = String(t.allowed);
    status.dataset.total = String(t.total);
    status.dataset.gained = String(t.gained);
    status.dataset.lost = String(t.lost);
    let text =
      `rows: ${count(grid.rows.length, rows.level)} · columns: ${count(grid.cols.length, cols.level)} · ` +
      `${t.allowed.toLocaleString("en")} of ${t.total.toLocaleString("en")} pairs allowed${percent(t.allowed, t.total)}`;
    if (this.data!.before !== null) text += ` · ${t.gained.toLocaleString("en")} newly allowed, ${t.lost.toLocaleString("en")} newly denied`;
    if (grid.rows.length === 0 || grid.cols.length === 0) text += " · no endpoint matches the search";
    status.textContent = text;
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const grid = this.grid;
    if (grid === null) return;
    const s = this.ui.scroll;
    const vp = viewport({ left: s.scrollLeft, top: s.scrollTop, width: s.clientWidth, height: s.clientHeight }, this.head, grid.rows.length, grid.cols.length, this.cell);
    this.vp = vp;
    const context = fitCanvas(this.ui.canvas, vp);
    paint(context, grid, vp, { hover: this.hover, cursor: this.cursor, selected: this.selectedCell }, this.data!.before !== null);
    renderHeader(this.ui.rows, "row", grid.rows, vp, { hot: this.hover?.r ?? null, cursor: this.cursor?.r ?? null });
    renderHeader(this.ui.cols, "col", grid.cols, vp, { hot: this.hover?.c ?? null, cursor: this.cursor?.c ?? null });
    this.element.dataset.painted = "";
  }

  /** The cell at a viewport point, if it is over the cells in view. */
  private cellAt(clientX: number, clientY: number): Cell | null {
    const vp = this.vp;
    const grid = this.grid;
    if (vp === null || grid === null) return null;
    const box = this.ui.canvas.getBoundingClientRect();
    const x = clientX - box.left;
    const y = clientY - box.top;
    if (x < 0 || y < 0 || x >= vp.width || y >= vp.height) return null;
    const r = Math.floor((vp.y0 + y) / vp.cell);
    const c = Math.floor((vp.x0 + x) / vp.cell);
    return r < grid.rows.length && c < grid.cols.length ? { r, c } : null;
  }

  /** The pair a cell stands for, when it is one pod pair. */
  private pairOf(cell: Cell): { from: number; to: number } | null {
    const row = this.grid!.rows[cell.r]!;
    const col = this.grid!.cols[cell.c]!;
    return row.level === "pod" && col.level === "pod" ? { from: row.members[0]!, to: col.members[0]! } : null;
  }

  /** The tooltip's content for a cell. */
  private describe(cell: Cell): Node[] {
    const grid = this.grid!;
    const data = this.data!;
    const row = grid.rows[cell.r]!;
    const col = grid.cols[cell.c]!;
    const v: CellValue = cellValue();
    grid.value(cell.r, cell.c, v);
    const title = h("div", {}, h("b", {}, row.key), " → ", h("b", {}, col.key), ` on ${data.caption}`);
    const pair = this.pairOf(cell);
    if (pair !== null) {
      const verdict = v.allowed === 1 ? "allowed" : "denied";
      const change = v.gained === 1 ? "denied → allowed" : v.lost === 1 ? "allowed → denied" : data.before !== null ? `${verdict}, unchanged` : verdict;
      const text = this.host.describe(pair.from, pair.to);
      if (text === null) return [title, h("div", {}, change), h("div", { class: "hm-hint" }, "loading the explanation…")];
      return data.before === null ? [title, h("pre", {}, text)] : [title, h("div", {}, change), h("pre", {}, text)];
    }
    const lines: Node[] = [title, h("div", {}, `${v.allowed.toLocaleString("en")} of ${v.total.toLocaleString("en")} pairs allowed${percent(v.allowed, v.total)}`)];
    if (data.before !== null) lines.push(h("div", {}, `${v.gained.toLocaleString("en")} newly allowed, ${v.lost.toLocaleString("en")} newly denied`));
    lines.push(h("div", { class: "hm-hint" }, `click or Enter: open ${entryTitle(row).split(":")[0]} → ${entryTitle(col).split(":")[0]}`));
    return lines;
  }

  private showTip(cell: Cell, clientX: number, clientY: number): void {
    const tip = this.ui.tip;
    tip.replaceChildren(...this.describe(cell));
    tip.style.display = "block";
    const left = Math.min(clientX + 14, innerWidth - tip.offsetWidth - 8);
    const top = clientY + 14 + tip.offsetHeight > innerHeight - 8 ? clientY - tip.offsetHeight - 10 : clientY + 14;
    tip.style.left = `${Math.max(4, left)}px`;
    tip.style.top = `${Math.max(4, top)}px`;
  }

  private hideTip(): void {
    this.ui.tip.style.display = "none";
  }

  /** Refreshes an open tooltip (the host's explanations became available). */
  refreshTip(): void {
    if (this.hover !== null && this.pointer !== null) this.showTip(this.hover, this.pointer.x, this.pointer.y);
  }

  /** Explains a pod pair, or opens a group cell one level down on each grouped axis. */
  private activate(cell: Cell): void {
    const pair = this.pairOf(cell);
    const data = this.data!;
    if (pair !== null) {
      this.update({ selected: { from: data.ids[pair.from]!, to: data.ids[pair.to]! } });
      this.host.choose(pair);
      return;
    }
    const rows = this.opened(this.view.rows, this.grid!.rows[cell.r]!);
    const cols = this.opened(this.view.cols, this.grid!.cols[cell.c]!);
    this.cursor = null;
    this.update({ rows, cols, zoom: 0 }, true);
    this.ui.scroll.scrollTo(0, 0);
  }

  /** An axis narrowed to one group entry, one level down. */
  private opened(axis: AxisState, entry: Entry): AxisState {
    const level = finer(entry.level);
    if (level === null) return axis;
    return { level, query: narrowed(axis.query, entry.level === "namespace" ? `ns:${entry.key}` : `workload:${entry.key}`) };
  }

  private back(): void {
    const previous = this.history.pop();
    if (previous === undefined) return;
    this.cursor = null;
    this.setState(previous);
  }

  /** Changes the cell size, keeping the point at `anchor` (viewport coordinates in the cell area) in place. */
  private zoom(step: number, anchor?: { x: number; y: number }): void {
    const at = ZOOMS.indexOf(this.cell);
    const next = ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, (at < 0 ? ZOOMS.indexOf(14) : at) + step))]!;
    if (next === this.cell) return;
    const s = this.ui.scroll;
    const a = anchor ?? { x: (s.clientWidth - this.head.rowHead) / 2, y: (s.clientHeight - this.head.colHead) / 2 };
    const fx = (s.scrollLeft + a.x) / this.cell;
    const fy = (s.scrollTop + a.y) / this.cell;
    this.update({ zoom: next });
    s.scrollLeft = fx * next - a.x;
    s.scrollTop = fy * next - a.y;
  }

  /** Moves the keyboard cursor, scrolls it into view, shows its tooltip and says what it is. */
  private moveCursor(r: number, c: number): void {
    const grid = this.grid!;
    if (grid.rows.length === 0 || grid.cols.length === 0) return;
    const cell = { r: Math.max(0, Math.min(grid.rows.length - 1, r)), c: Math.max(0, Math.min(grid.cols.length - 1, c)) };
    this.cursor = cell;
    const s = this.ui.scroll;
    const z = this.cell;
    const w = s.clientWidth - this.head.rowHead;
    const hgt = s.clientHeight - this.head.colHead;
    if (cell.c * z < s.scrollLeft) s.scrollLeft = cell.c * z;
    else if ((cell.c + 1) * z > s.scrollLeft + w) s.scrollLeft = (cell.c + 1) * z - w;
    if (cell.r * z < s.scrollTop) s.scrollTop = cell.r * z;
    else if ((cell.r + 1) * z > s.scrollTop + hgt) s.scrollTop = (cell.r + 1) * z - hgt;
    this.draw();
    const box = this.ui.canvas.getBoundingClientRect();
    const vp = this.vp!;
    this.hover = null;
    this.showTip(cell, box.left + (cell.c + 1) * z - vp.x0, box.top + (cell.r + 1) * z - vp.y0);
    const v = cellValue();
    grid.value(cell.r, cell.c, v);
    const what = v.total === 1 ? (v.allowed ? "allowed" : "denied") : `${v.allowed} of ${v.total} pairs allowed`;
    this.ui.live.textContent = `from ${grid.rows[cell.r]!.key} to ${grid.cols[cell.c]!.key}: ${what}`;
  }

  private onKey(event: KeyboardEvent): void {
    const grid = this.grid;
    if (grid === null) return;
    const at = this.cursor ?? { r: 0, c: 0 };
    const page = Math.max(1, Math.floor((this.ui.scroll.clientHeight - this.head.colHead) / this.cell) - 1);
    const step = event.shiftKey ? 10 : 1;
    const moves: Record<string, () => void> = {
      ArrowUp: () => this.moveCursor(at.r - step, at.c),
      ArrowDown: () => this.moveCursor(this.cursor === null ? 0 : at.r + step, at.c),
      ArrowLeft: () => this.moveCursor(at.r, at.c - step),
      ArrowRight: () => this.moveCursor(at.r, this.cursor === null ? 0 : at.c + step),
      PageUp: () => this.moveCursor(at.r - page, at.c),
      PageDown: () => this.moveCursor(at.r + page, at.c),
      Home: () => this.moveCursor(event.ctrlKey ? 0 : at.r, 0),
      End: () => this.moveCursor(event.ctrlKey ? grid.rows.length - 1 : at.r, grid.cols.length - 1),
      Enter: () => this.cursor !== null && this.activate(this.cursor),
      " ": () => this.cursor !== null && this.activate(this.cursor),
      Escape: () => this.back(),
      Backspace: () => this.back(),
      "+": () => this.zoom(1),
      "=": () => this.zoom(1),
      "-": () => this.zoom(-1),
    };
    const move = moves[event.key];
    if (move === undefined || event.altKey || event.metaKey) return;
    event.preventDefault();
    move();
  }

  private listen(): void {
    const { scroll, canvas, rows, cols } = this.ui;
    scroll.addEventListener("scroll", () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(scroll);
    canvas.addEventListener("mousemove", (event) => {
      const cell = this.cellAt(event.clientX, event.clientY);
      this.pointer = { x: event.clientX, y: event.clientY };
      if (cell === null) {
        this.hover = null;
        this.hideTip();
      } else {
        if (this.hover?.r !== cell.r || this.hover?.c !== cell.c) {
          this.hover = cell;
          this.schedule();
        }
        this.showTip(cell, event.clientX, event.clientY);
      }
    });
    canvas.addEventListener("mouseleave", () => {
      this.hover = null;
      this.pointer = null;
      this.hideTip();
      this.schedule();
    });
    canvas.addEventListener("click", (event) => {
      const cell = this.cellAt(event.clientX, event.clientY);
      if (cell === null) return;
      this.cursor = cell;
      this.activate(cell);
    });
    for (const [strip, axis] of [
      [rows, "rows"],
      [cols, "cols"],
    ] as const) {
      strip.addEventListener("click", (event) => {
        const name = (event.target as Element).closest<HTMLElement>(".hm-name.hm-group");
        const grid = this.grid;
        if (name === null || grid === null) return;
        const entry = (axis === "rows" ? grid.rows : grid.cols)[Number(name.dataset.index)];
        if (entry !== undefined) this.update({ [axis]: this.opened(this.view[axis], entry), zoom: 0 }, true);
      });
    }
    scroll.addEventListener("keydown", (event) => this.onKey(event));
    scroll.addEventListener("blur", () => this.hideTip());
    scroll.addEventListener(
      "wheel",
      (event) => {
        if (!event.ctrlKey) return;
        event.preventDefault();
        const box = canvas.getBoundingClientRect();
        this.zoom(event.deltaY < 0 ? 1 : -1, { x: event.clientX - box.left, y: event.clientY - box.top });
      },
      { passive: false },
    );
    for (const button of this.ui.levels) {
      button.addEventListener("click", () => {
        const level = button.dataset.level as Level;
        this.cursor = null;
        this.update({ rows: { ...this.view.rows, level }, cols: { ...this.view.cols, level }, zoom: 0 }, true);
      });
    }
    this.ui.back.addEventListener("click", () => this.back());
    this.ui.zoomIn.addEventListener("click", () => this.zoom(1));
    this.ui.zoomOut.addEventListener("click", () => this.zoom(-1));
    for (const [input, axis] of [
      [this.ui.rowsSearch, "rows"],
      [this.ui.colsSearch, "cols"],
    ] as const) {
      let typing: ReturnType<typeof setTimeout> | undefined;
      input.addEventListener("input", () => {
        clearTimeout(typing);
        typing = setTimeout(() => this.update({ [axis]: { ...this.view[axis], query: input.value.trim() } }), 120);
      });
    }
  }
}
