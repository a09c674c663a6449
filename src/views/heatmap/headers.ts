/**
 * The row and column headers, as DOM elements for only the rows and columns in view
 * (rebuilt on every scroll frame; a screen holds a few hundred at most). Each name
 * carries `data-key` (the entry's key: display id, workload key or namespace) and its
 * position (`data-index`); namespace bands span their run of entries and keep their
 * label in view. Headers sit in sticky strips, so they stay while the cells scroll.
 */
import { BAND, MIN_NAMED_CELL, NAMES, type Viewport } from "./geometry.js";
import type { Entry } from "./levels.js";

/** Which header entries to mark: hovered and under the keyboard cursor. */
export interface HeaderMarks {
  readonly hot: number | null;
  readonly cursor: number | null;
}

/** Average width of a header character, CSS pixels (11.5px system-ui, with room to spare). */
const CHAR_WIDTH = 7;

/** `text` cut in the middle to `room` pixels: pod names differ at their ends. */
export function fitText(text: string, room: number): string {
  const max = Math.max(4, Math.floor(room / CHAR_WIDTH));
  if (text.length <= max) return text;
  const tail = Math.ceil((max - 1) * 0.55);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}

const LEVEL_NOUN = { namespace: "namespace", workload: "workload", pod: "endpoint" } as const;

/** The tooltip of a header entry. */
export function entryTitle(e: Entry): string {
  const key = e.level === "namespace" ? `namespace ${e.key}` : e.key;
  return e.members.length === 1 && e.level === "pod" ? key : `${key}: ${e.members.length} endpoint${e.members.length === 1 ? "" : "s"} (click to open)`;
}

function label(e: Entry, index: number, axis: "row" | "col", start: number, size: number, marks: HeaderMarks): HTMLElement {
  const el = document.createElement("div");
  el.className = `hm-name${index === marks.hot ? " hm-hot" : ""}${index === marks.cursor ? " hm-cur" : ""}${e.members.length > 1 || e.level !== "pod" ? " hm-group" : ""}`;
  el.dataset.key = e.key;
  el.dataset.index = String(index);
  el.title = entryTitle(e);
  const room = (axis === "row" ? NAMES.rows : NAMES.cols) - 12;
  el.textContent = fitText(e.level === "pod" ? e.label : `${e.label} (${e.members.length})`, room);
  el.setAttribute("aria-label", `${axis === "row" ? "from" : "to"} ${LEVEL_NOUN[e.level]} ${e.key}`);
  if (axis === "row") {
    el.style.top = `${start}px`;
    el.style.height = `${size}px`;
    el.style.lineHeight = `${size}px`;
  } else {
    el.style.left = `${start}px`;
    el.style.width = `${size}px`;
  }
  return el;
}

/** Runs of consecutive entries in one namespace that reach into [first, end). */
function bands(entries: readonly Entry[], first: number, end: number): Array<{ namespace: string; from: number; to: number }> {
  const out: Array<{ namespace: string; from: number; to: number }> = [];
  if (first >= end) return out;
  let from = first;
  while (from > 0 && entries[from - 1]!.namespace === entries[first]!.namespace) from--;
  for (let k = from; k < entries.length; k++) {
    const last = out[out.length - 1];
    if (last !== undefined && last.namespace === entries[k]!.namespace) last.to = k + 1;
    else {
      if (k >= end) break;
      out.push({ namespace: entries[k]!.namespace, from: k, to: k + 1 });
    }
  }
  return out;
}

/**
 * Fills a header strip for `entries` in view: `offset` is the scroll position along
 * the axis (the cell-area coordinate at the strip's start), `length` how much of it
 * is in view.
 */
export function renderHeader(strip: HTMLElement, axis: "row" | "col", entries: readonly Entry[], vp: Viewport, marks: HeaderMarks): void {
  const { cell } = vp;
  const [first, end, offset, length] = axis === "row" ? [vp.r0, vp.r1, vp.y0, vp.height] : [vp.c0, vp.c1, vp.x0, vp.width];
  const children: HTMLElement[] = [];
  const banded = entries.length > 0 && entries[0]!.level !== "namespace";
  if (banded) {
    for (const b of bands(entries, first, end)) {
      const el = document.createElement("div");
      el.className = "hm-band";
      el.dataset.namespace = b.namespace;
      el.title = `namespace ${b.namespace}`;
      // the band's label stays at the start of the part in view
      const start = Math.max(b.from * cell, offset);
      const stop = Math.min(b.to * cell, offset + length);
      if (stop - start < 4) continue;
      const text = document.createElement("span");
      text.textContent = b.namespace;
      el.append(text);
      if (axis === "row") {
        el.style.top = `${b.from * cell}px`;
        el.style.height = `${(b.to - b.from) * cell}px`;
        text.style.top = `${start - b.from * cell}px`;
        text.style.maxHeight = `${stop - start}px`;
      } else {
        el.style.left = `${b.from * cell}px`;
        el.style.width = `${(b.to - b.from) * cell}px`;
        text.style.left = `${start - b.from * cell}px`;
        text.style.maxWidth = `${stop - start}px`;
      }
      children.push(el);
    }
  }
  if (cell >= MIN_NAMED_CELL) {
    for (let k = first; k < end; k++) children.push(label(entries[k]!, k, axis, k * cell, cell, marks));
  }
  strip.replaceChildren(...children);
  const names = axis === "row" ? NAMES.rows : NAMES.cols;
  strip.style.setProperty("--hm-band", `${banded ? (axis === "row" ? BAND.rows : BAND.cols) : 0}px`);
  strip.style.setProperty("--hm-names", `${names}px`);
}
