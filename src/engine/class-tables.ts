/**
 * The pod-to-pod verdicts of `connections`, over pod classes (`compile/classes.ts`): per
 * group of port classes (`portGroups`), a class table, deduplicated into patterns.
 *
 * A verdict between two distinct pods reads of them only what their class key holds,
 * and their indexes only to tell a pod reaching itself apart: so any two distinct
 * pods of classes a and b have the verdict of a's representative (first pod) towards
 * b's (towards a's second pod when a = b), and a pod reaching itself has its
 * representative's. Verdicts between representatives do not depend on the other pods
 * either, so an engine over the representatives alone (`representativeModel`)
 * answers them: its matrices are classes × classes instead of pods × pods.
 *
 * A class table over Q classes is Q + 1 row ids into a `RowStore` of Q-bit rows
 * (`ceil(Q / 32)` u32 words each, bit b of word b >>> 5 for class b): row a, for
 * a ≠ b, says whether a pod of class a may reach a pod of class b, and its bit a
 * whether a pod of class a may reach another pod of class a; row Q says, at bit a,
 * whether a pod of class a may reach itself. Rows come from the matrix of an engine
 * over the class representatives (whose diagonal is each representative reaching
 * itself), the distinct-pods diagonal from the engine over all pods. Rows repeat
 * within and across tables (pods that policies select alike reach alike), so each
 * distinct row is stored once.
 */
import { PROTOCOLS } from "../primitives/kubernetes.js";
import type { Engine } from "../api/engine.js";
import type { PortClass } from "./connection-space.js";
import type { PodClasses } from "../compile/classes.js";

/** A 32-bit FNV-1a hash of `length` words of `words` from `at`. */
export function hashWords(words: Uint8Array | Uint32Array, at = 0, length = words.length): number {
  let h = 0x811c9dc5;
  for (let k = at; k < at + length; k++) h = Math.imul(h ^ words[k]!, 0x01000193);
  return h >>> 0;
}

const equalWords = (a: Uint8Array | Uint32Array, b: Uint8Array | Uint32Array): boolean => a.length === b.length && a.every((v, k) => v === b[k]);

/** Verdict tables deduplicated: each distinct table with the port classes that have it. */
export class Patterns<T extends Uint8Array | Uint32Array> {
  readonly tables: T[] = [];
  readonly classes: PortClass[][] = [];
  private readonly byHash = new Map<number, number[]>();

  /** Adds the table of a group of port classes. */
  add(table: T, group: readonly PortClass[]): void {
    const h = hashWords(table);
    const same = this.byHash.get(h) ?? [];
    const found = same.find((k) => equalWords(this.tables[k]!, table));
    if (found !== undefined) return void this.classes[found]!.push(...group);
    same.push(this.tables.length);
    this.byHash.set(h, same);
    this.tables.push(table);
    this.classes.push([...group]);
  }
}

/** Distinct bit rows of `words` u32 words each; a row's id is its index, row `id` is `data[id * words ..]`. */
export class RowStore {
  data: Uint32Array;
  private count = 0;
  private readonly byHash = new Map<number, number | number[]>();

  constructor(readonly words: number) {
    this.data = new Uint32Array(Math.max(1, words) * 64);
  }

  /** Whether bit `j` of row `id` is set. */
  has(id: number, j: number): boolean {
    return ((this.data[id * this.words + (j >>> 5)]! >>> (j & 31)) & 1) === 1;
  }

  /** The id of `row` (its first `words` words), storing it when new. */
  intern(row: Uint32Array): number {
    const w = this.words;
    const h = hashWords(row, 0, w);
    const same = this.byHash.get(h);
    const ids = same === undefined ? [] : typeof same === "number" ? [same] : same;
    for (const id of ids) {
      let k = 0;
      while (k < w && this.data[id * w + k] === row[k]) k++;
      if (k === w) return id;
    }
    if ((this.count + 1) * w > this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data.set(row.subarray(0, w), this.count * w);
    this.byHash.set(h, ids.length === 0 ? this.count : [...ids, this.count]);
    return this.count++;
  }
}

/** The class tables of every group of port classes, and the rows they name. */
export interface ClassTables {
  readonly rows: RowStore;
  /** Per pattern, Q + 1 row ids (see the module comment). */
  readonly patterns: Patterns<Uint32Array>;
}

/** The second pod of class `a` (of two pods or more): in its first run, or the next run's first. */
function secondPod(pods: PodClasses, a: number): number {
  const at = 2 * pods.runStart[a]!;
  return pods.runs[at + 1]! - pods.runs[at]! > 1 ? pods.runs[at]! + 1 : pods.runs[at + 2]!;
}

/**
 * The class tables of `groups` (see the module comment): `byClass` answers over the
 * class representatives, `engine` over all pods.
 */
export function classTables(engine: Pick<Engine, "decideBatch">, byClass: Pick<Engine, "matrix">, pods: PodClasses, groups: readonly (readonly PortClass[])[]): ClassTables {
  const q = pods.reps.length;
  const words = (q + 31) >>> 5;
  const rows = new RowStore(words);
  const patterns = new Patterns<Uint32Array>();
  if (q === 0) return { rows, patterns };
  // each class of two pods or more, asked from its first pod to its second
  const pairs = [...pods.sizes.keys()].filter((a) => pods.sizes[a]! > 1);
  const from = Uint32Array.from(pairs, (a) => pods.reps[a]!);
  const to = Uint32Array.from(pairs, (a) => secondPod(pods, a));
  const ports = new Uint32Array(pairs.length);
  const distinctPods = new Uint8Array(q);
  const row = new Uint32Array(words);
  const self = new Uint32Array(words);
  let buffer: Uint32Array | undefined;
  for (const group of groups) {
    const c = group[0]!;
    const m = byClass.matrix({ protocol: c.protocol, port: c.first }, buffer === undefined ? undefined : { into: buffer });
    buffer = m.bits;
    distinctPods.fill(0);
    if (pairs.length > 0) {
      const verdicts = engine.decideBatch({ from, to, ports: ports.fill(c.first | (PROTOCOLS.indexOf(c.protocol) << 16)) });
      pairs.forEach((a, k) => void (distinctPods[a] = verdicts[k]!));
    }
    const table = new Uint32Array(q + 1);
    self.fill(0);
    for (let a = 0; a < q; a++) {
      row.set(m.bits.subarray(a * words, (a + 1) * words));
      const [at, mask] = [a >>> 5, 1 << (a & 31)];
      // the matrix's diagonal is the representative reaching itself: moved to row Q
      if ((row[at]! & mask) !== 0) self[at]! |= mask;
      row[at] = distinctPods[a] === 1 ? row[at]! | mask : row[at]! & ~mask;
      table[a] = rows.intern(row);
    }
    table[q] = rows.intern(self);
    patterns.add(table, group);
  }
  return { rows, patterns };
}
