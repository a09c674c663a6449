/**
 * The heatmap's colours: blue for allowed, orange for denied (told apart with every
 * common colour-vision deficiency, and by lightness alone in grey), marks ✓ and × on
 * cells large enough to hold them, and a diverging orange → grey → blue scale for the
 * share of allowed pairs in a group. In diff mode unchanged cells are pale and changed
 * ones deep, marked + (newly allowed) and − (newly denied).
 *
 * The same values are CSS custom properties on the heatmap (`--hm-allowed`, ...), so
 * legends and tests read them from the page.
 */
import type { CellValue } from "./grid.js";

/** The colours, by role. */
export const PALETTE = {
  allowed: "#2166ac",
  denied: "#f4a259",
  deniedGroup: "#fbd5ad",
  allowedFew: "#d6e6f4",
  allowedPale: "#c6dbef",
  deniedPale: "#fde3c8",
  gained: "#08306b",
  lost: "#b54708",
  allowedMark: "#ffffff",
  deniedMark: "#5c2c00",
  empty: "#ffffff",
  gridLine: "#ffffff",
  cursor: "#111111",
} as const;

/** Marks drawn on cells, by role. */
export const MARKS = { allowed: "✓", denied: "×", gained: "+", lost: "−" } as const;

type Rgb = readonly [number, number, number];

const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as unknown as Rgb;
const hex = (c: Rgb): string => `#${c.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];

const FEW = rgb(PALETTE.allowedFew);
const ALLOWED = rgb(PALETTE.allowed);

/** Steps of the blue scale: shares map to one of these, so colours are few. */
const STEPS = 20;
const SCALE: readonly string[] = Array.from({ length: STEPS + 1 }, (_, k) => hex(mix(FEW, ALLOWED, k / STEPS)));

/** The fill of a group with `allowed` of `total` pairs allowed. */
function groupFill(allowed: number, total: number): string {
  if (total === 0) return PALETTE.empty;
  if (allowed === 0) return PALETTE.deniedGroup;
  return SCALE[Math.round(Math.sqrt(allowed / total) * STEPS)]!;
}

/** Relative luminance (WCAG) of a `#rrggbb` colour. */
function luminance(colour: string): number {
  const [r, g, b] = rgb(colour).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as unknown as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Ink readable on `background`. */
export const inkOn = (background: string): string => (luminance(background) > 0.33 ? "#1f1f1f" : "#ffffff");

/** How a cell looks: its fill, and the mark (or count) to draw when there is room. */
export interface CellLook {
  readonly fill: string;
  readonly mark: string;
  readonly ink: string;
}

const LOOK = {
  allowed: { fill: PALETTE.allowed, mark: MARKS.allowed, ink: PALETTE.allowedMark },
  denied: { fill: PALETTE.denied, mark: MARKS.denied, ink: PALETTE.deniedMark },
  allowedPale: { fill: PALETTE.allowedPale, mark: MARKS.allowed, ink: PALETTE.allowed },
  deniedPale: { fill: PALETTE.deniedPale, mark: MARKS.denied, ink: PALETTE.lost },
  gained: { fill: PALETTE.gained, mark: MARKS.gained, ink: "#ffffff" },
  lost: { fill: PALETTE.lost, mark: MARKS.lost, ink: "#ffffff" },
} as const satisfies Record<string, CellLook>;

/** A count in at most four characters: `7`, `812`, `1.2k`, `34k`, `1.5M`. */
export function shortCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 10_000) return `${(n / 1000).toFixed(1)}k`;
  if (n < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

/** The look of a cell: one pair (`total` 1) or a group; `diff` when a before layer is shown. */
export function cellLook(v: CellValue, diff: boolean): CellLook {
  if (v.total === 1) {
    if (!diff) return v.allowed === 1 ? LOOK.allowed : LOOK.denied;
    if (v.gained === 1) return LOOK.gained;
    if (v.lost === 1) return LOOK.lost;
    return v.allowed === 1 ? LOOK.allowedPale : LOOK.deniedPale;
  }
  if (diff && (v.gained > 0 || v.lost > 0)) {
    const look = v.gained >= v.lost ? LOOK.gained : LOOK.lost;
    const mark = v.gained > 0 && v.lost > 0 ? `±${shortCount(v.gained + v.lost)}` : v.gained > 0 ? `+${shortCount(v.gained)}` : `−${shortCount(v.lost)}`;
    return { fill: look.fill, mark, ink: look.ink };
  }
  const fill = groupFill(v.allowed, v.total);
  return { fill: diff ? hex(mix(rgb(fill), [255, 255, 255], 0.55)) : fill, mark: shortCount(v.allowed), ink: diff ? "#1f1f1f" : inkOn(fill) };
}

/** The palette as CSS custom properties for the heatmap's root. */
export const paletteCss = (): string =>
  Object.entries(PALETTE)
    .map(([name, value]) => `--hm-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}:${value}`)
    .join(";");
