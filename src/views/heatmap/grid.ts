/**
 * What each cell of the heatmap holds: for a row entry and a column entry, how many of
 * their member pairs the engine allows, and (in diff mode) how many became allowed or
 * denied. Read from packed matrix bits, never recomputed from policies.
 *
 * Bit layout (`Layer`): that of `ReachabilityMatrix.bits`: row-major over engine
 * indexes, `words = ceil(N / 32)` u32 per row, destination j of row i is bit `j & 31`
 * of word `i * words + (j >>> 5)`.
 */
import type { Entry } from "./levels.js";

/** One matrix's verdicts, as packed bits. `ReachabilityMatrix` is one. */
export interface Layer {
  readonly bits: Uint32Array;
  readonly words: number;
}

/** The pairs of one cell: allowed now, all of them, newly allowed and newly denied (0 outside diff mode). */
export interface CellValue {
  allowed: number;
  total: number;
  gained: number;
  lost: number;
}

/** An empty value to fill. */
export const cellValue = (): CellValue => ({ allowed: 0, total: 0, gained: 0, lost: 0 });

/** Set bits of a u32. */
export function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Whether pair (i, j) is set in `layer`. */
export const bitAt = (layer: Layer, i: number, j: number): boolean => ((layer.bits[i * layer.words + (j >>> 5)]! >>> (j & 31)) & 1) === 1;

/** Above this many cells a grid of groups counts cells as they are shown rather than all at once. */
const BLOCK_LIMIT = 4_000_000;

/** The cells of a row axis by a column axis over one layer (and the layer before, in diff mode). */
export class Grid {
  private readonly direct: boolean;
  private blocks: { allowed: Uint32Array; gained: Uint32Array | null; lost: Uint32Array | null } | null = null;
  private readonly memo = new Map<number, CellValue>();

  constructor(
    readonly rows: readonly Entry[],
    readonly cols: readonly Entry[],
    /** The engine's size: bits per row. */
    readonly n: number,
    readonly after: Layer,
    readonly before: Layer | null,
  ) {
    this.direct = rows.every((e) => e.members.length === 1) && cols.every((e) => e.members.length === 1);
    if (!this.direct && rows.length * cols.length <= BLOCK_LIMIT) this.blocks = this.countBlocks();
  }

  /** Fills `out` with cell (r, c). */
  value(r: number, c: number, out: CellValue): void {
    const row = this.rows[r]!;
    const col = this.cols[c]!;
    if (this.direct) {
      const i = row.members[0]!;
      const j = col.members[0]!;
      const now = bitAt(this.after, i, j);
      const was = this.before === null ? now : bitAt(this.before, i, j);
      out.allowed = now ? 1 : 0;
      out.total = 1;
      out.gained = now && !was ? 1 : 0;
      out.lost = was && !now ? 1 : 0;
      return;
    }
    out.total = row.members.length * col.members.length;
    if (this.blocks !== null) {
      const k = r * this.cols.length + c;
      out.allowed = this.blocks.allowed[k]!;
      out.gained = this.blocks.gained?.[k] ?? 0;
      out.lost = this.blocks.lost?.[k] ?? 0;
      return;
    }
    const k = r * this.cols.length + c;
    let v = this.memo.get(k);
    if (v === undefined) this.memo.set(k, (v = this.countCell(row, col)));
    out.allowed = v.allowed;
    out.gained = v.gained;
    out.lost = v.lost;
  }

  /** The sums over every cell: the pairs of the shown rows and columns. */
  totals(): CellValue {
    const words = this.after.words;
    const mask = new Uint32Array(words);
    let columns = 0;
    for (const e of this.cols) {
      for (const j of e.members) mask[j >>> 5]! |= 1 << (j & 31);
      columns += e.members.length;
    }
    const out = cellValue();
    for (const e of this.rows) {
      for (const i of e.members) {
        out.total += columns;
        const base = i * words;
        for (let w = 0; w < words; w++) {
          const m = mask[w]!;
          if (m === 0) continue;
          const now = this.after.bits[base + w]! & m;
          out.allowed += popcount(now);
          if (this.before !== null) {
            const was = this.before.bits[base + w]! & m;
            out.gained += popcount(now & ~was);
            out.lost += popcount(was & ~now);
          }
        }
      }
    }
    return out;
  }

  /**
   * Every cell at once: for each row member, each non-zero word of its bits adds to
   * the column entry its bits belong to; a word whose 32 destinations all sit in one
   * entry (the common case, namespaces being runs of pods) adds its popcount.
   */
  private countBlocks(): { allowed: Uint32Array; gained: Uint32Array | null; lost: Uint32Array | null } {
    const { words } = this.after;
    const cols = this.cols.length;
    const colOf = new Int32Array(words * 32).fill(-1);
    this.cols.forEach((e, c) => e.members.forEach((j) => (colOf[j] = c)));
    // per word: the one column entry all its destinations belong to, -1 none, -2 several
    const uniform = new Int32Array(words);
    for (let w = 0; w < words; w++) {
      let u = colOf[w * 32]!;
      for (let b = 1; b < 32 && u !== -2; b++) {
        const j = w * 32 + b;
        const c = j < this.n ? colOf[j]! : u;
        if (c !== u) u = -2;
      }
      uniform[w] = u;
    }
    const size = this.rows.length * cols;
    const allowed = new Uint32Array(size);
    const gained = this.before === null ? null : new Uint32Array(size);
    const lost = this.before === null ? null : new Uint32Array(size);
    const add = (target: Uint32Array, rowBase: number, w: number, x: number): void => {
      const u = uniform[w]!;
      if (u >= 0) target[rowBase + u]! += popcount(x);
      else if (u === -2) {
        for (let b = 0; x !== 0; b++, x >>>= 1) {
          const c = colOf[w * 32 + b]!;
          if (x & 1 && c >= 0) target[rowBase + c]!++;
        }
      }
    };
    this.rows.forEach((e, r) => {
      const rowBase = r * cols;
      for (const i of e.members) {
        const base = i * words;
        for (let w = 0; w < words; w++) {
          const now = this.after.bits[base + w]!;
          if (now !== 0) add(allowed, rowBase, w, now);
          if (this.before !== null) {
            const was = this.before.bits[base + w]!;
            if (now !== was) {
              if (now & ~was) add(gained!, rowBase, w, now & ~was);
              if (was & ~now) add(lost!, rowBase, w, was & ~now);
            }
          }
        }
      }
    });
    return { allowed, gained, lost };
  }

  /** One cell, member by member (grids too large to count whole). */
  private countCell(row: Entry, col: Entry): CellValue {
    const out = cellValue();
    for (const i of row.members) {
      for (const j of col.members) {
        const now = bitAt(this.after, i, j);
        const was = this.before === null ? now : bitAt(this.before, i, j);
        if (now) out.allowed++;
        if (now && !was) out.gained++;
        if (was && !now) out.lost++;
      }
    }
    return out;
  }
}
