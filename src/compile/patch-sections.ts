/**
 * Reading and rewriting sections of compiled tables in place, for patches
 * (`patch.ts`, `patch-rules.ts`): where each profile side's sections are, profile
 * keys, and sections that move to the end of the tables when they outgrow their room.
 */
import type { CompiledState } from "./state.js";
import { H, NAMED_BIT, NONE, T, TIER_SIDES, tierField } from "./layout.js";

/** The memory the tables live in. */
export interface TableMemory {
  /** The tables' words now (a view that dies when they grow). */
  view(): Uint32Array;
  /** Makes the tables `words` words long, keeping what they hold; returns the new view. */
  grow(words: number): Uint32Array;
}

/** The profile sides of the tables: NetworkPolicy's egress (0) and ingress (1), then tier side `k` at `2 + k`. */
export const SIDES = 2 + TIER_SIDES;

/** The header fields of one profile side. */
export interface SideFields {
  /** Each class's profile (`C` u32). */
  readonly classes: number;
  /** CSR offsets, in rules, into `rules`. */
  readonly start: number;
  readonly rules: number;
  /** u32 words per inlined rule. */
  readonly width: number;
  /** The profile count's header word. */
  readonly count: number;
  /** Each profile's representative class, or null when the side has none. */
  readonly rep: number | null;
  /** Whether named ports resolve on the profile's own classes (an ingress side). */
  readonly ingress: boolean;
  /** The derived sections of `W` words per profile, filled by the core. */
  readonly derived: readonly number[];
}

/** The header fields of side `s` (see `SIDES`). */
export function sideFields(s: number): SideFields {
  if (s === 0) return { classes: H.O_CLASS_PROFILE_E, start: H.O_PROFILE_START_E, rules: H.O_PROFILE_RULES_E, width: 3, count: H.PROFILES_E, rep: null, ingress: false, derived: [H.O_PROFILE_PEERS_E] };
  if (s === 1) return { classes: H.O_CLASS_PROFILE_I, start: H.O_PROFILE_START_I, rules: H.O_PROFILE_RULES_I, width: 3, count: H.PROFILES_I, rep: H.O_PROFILE_REP_I, ingress: true, derived: [H.O_PROFILE_PEERS_I] };
  const k = s - 2;
  return {
    classes: tierField(k, T.O_CLASS_PROFILE),
    start: tierField(k, T.O_PROFILE_START),
    rules: tierField(k, T.O_PROFILE_RULES),
    width: 4,
    count: tierField(k, T.PROFILES),
    rep: tierField(k, T.O_PROFILE_REP),
    ingress: (k & 1) === 1,
    derived: [tierField(k, T.O_PROFILE_PEERS), tierField(k, T.O_PROFILE_ACCEPT_PEERS)],
  };
}

/** The word offset of section `field`. */
export const offset = (view: Uint32Array, field: number): number => view[field]! >>> 2;

/** Whether an inlined rule's port word names ports (`NONE`, every port, has the bit set too). */
const namesPorts = (portWord: number): boolean => portWord !== NONE && (portWord & NAMED_BIT) !== 0;

/**
 * A profile's key: its inlined rule words, and where they name ports on an ingress
 * side, the named container ports of the class that resolves them. Profiles with
 * one key give every class the same verdicts.
 */
export function profileKey(words: ArrayLike<number>, f: SideFields, pairs: () => ArrayLike<number>): string {
  const key = Array.prototype.join.call(words, ",");
  if (!f.ingress) return key;
  for (let i = 2; i < words.length; i += f.width) {
    if (namesPorts(words[i]!)) return `${key}|${Array.prototype.join.call(pairs(), ",")}`;
  }
  return key;
}

/** Class `c`'s named container ports in the tables: `(nameKey, number)` pairs. */
export function tablePairs(view: Uint32Array, c: number): Uint32Array {
  const start = offset(view, H.O_CLASS_PORT_START);
  const pairs = offset(view, H.O_CLASS_PORTS);
  return view.subarray(pairs + 2 * view[start + c]!, pairs + 2 * view[start + c + 1]!);
}

/** Per side, profile ids by key: made when first needed, kept as profiles are added. */
export function profileKeys(state: CompiledState, view: Uint32Array): Map<string, number>[] {
  if (state.profileKeys !== null) return state.profileKeys;
  const out: Map<string, number>[] = [];
  for (let s = 0; s < SIDES; s++) {
    const f = sideFields(s);
    const [start, rules] = [offset(view, f.start), offset(view, f.rules)];
    const keys = new Map<string, number>();
    for (let p = 0; p < view[f.count]!; p++) {
      const words = view.subarray(rules + view[start + p]! * f.width, rules + view[start + p + 1]! * f.width);
      const key = profileKey(words, f, () => tablePairs(view, view[offset(view, f.rep!) + p]!));
      if (!keys.has(key)) keys.set(key, p);
    }
    out.push(keys);
  }
  return (state.profileKeys = out);
}

/** Class ids no new class may take: the representatives named ports resolve on (made when first needed, kept as profiles are added). */
export function representatives(state: CompiledState, view: Uint32Array): Set<number> {
  if (state.pinned !== null) return state.pinned;
  const out = (state.pinned = new Set<number>());
  for (let s = 0; s < SIDES; s++) {
    const f = sideFields(s);
    if (f.ingress) for (let p = 0; p < view[f.count]!; p++) out.add(view[offset(view, f.rep!) + p]!);
  }
  return out;
}

/**
 * Makes section `field` hold `words` words: in place when its room allows, else at
 * the end of the tables with room to grow (an eighth more), its first `keep` words
 * copied and the rest zero, the room it left counted as garbage.
 */
export function reserve(state: CompiledState, memory: TableMemory, field: number, words: number, keep: number): void {
  const room = state.room.get(field)!;
  if (words <= room) return;
  const size = words + (words >>> 3) + 16;
  let view = memory.view();
  const [from, end] = [offset(view, field), view[H.TOTAL_BYTES]! >>> 2];
  view = memory.grow(end + size);
  view.copyWithin(end, from, from + keep);
  view.fill(0, end + keep, end + size);
  view[field] = end * 4;
  view[H.TOTAL_BYTES] = (end + size) * 4;
  state.garbage += room;
  state.room.set(field, size);
}

/** Writes section `field` as `data` (see `reserve`). */
export function place(state: CompiledState, memory: TableMemory, field: number, data: Uint32Array): void {
  reserve(state, memory, field, data.length, 0);
  const view = memory.view();
  view.set(data, offset(view, field));
}

/** A profile to add: its inlined rule words and the class it was made for (its representative). */
export interface NewProfile {
  readonly words: readonly number[];
  readonly rep: number;
}

/** Adds `added` to side `s`'s profiles (ids from its count on): rules, representatives, derived rows' room. */
export function appendProfiles(state: CompiledState, memory: TableMemory, s: number, added: readonly NewProfile[]): void {
  const f = sideFields(s);
  let view = memory.view();
  const count = view[f.count]!;
  const oldStart = view.subarray(offset(view, f.start), offset(view, f.start) + count + 1);
  const start = new Uint32Array(count + added.length + 1);
  start.set(oldStart);
  added.forEach((p, i) => (start[count + i + 1] = start[count + i]! + p.words.length / f.width));
  const rules = new Uint32Array(start[count + added.length]! * f.width);
  rules.set(view.subarray(offset(view, f.rules), offset(view, f.rules) + oldStart[count]! * f.width));
  added.forEach((p, i) => rules.set(p.words, start[count + i]! * f.width));
  const reps = f.rep === null ? null : Uint32Array.from([...view.subarray(offset(view, f.rep), offset(view, f.rep) + count), ...added.map((p) => p.rep)]);
  place(state, memory, f.start, start);
  place(state, memory, f.rules, rules);
  if (reps !== null) place(state, memory, f.rep!, reps);
  view = memory.view();
  const w = view[H.WORDS]!;
  for (const field of f.derived) reserve(state, memory, field, (count + added.length) * w, 0);
  view = memory.view();
  view[f.count] = count + added.length;
  if (f.ingress) for (const p of added) state.pinned?.add(p.rep);
  if (s >= 2) view[H.TIERS] = 1;
  state.profilesAdded += added.length;
}
