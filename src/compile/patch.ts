/**
 * Patching compiled tables after pods or namespaces change, in time that grows with
 * the change rather than with the cluster: the classes a change touches get their
 * table entries from the same compile steps run over just those classes
 * (`assemble`), spliced into the tables in place, and the pod-indexed sections are
 * written again.
 *
 * Which classes a change touches: a pod whose key (`classKey`) has no class yet gets
 * a class id of its own (an id no class took, or that of a class left without
 * pods); a namespace added or relabelled touches every class of its own (its labels
 * decide only which namespace selectors hold its pods). Any other class keeps every
 * bit: a class's entries read its key alone.
 *
 * A patch applies when the tables answer for the same rule set, nodes, DNS records
 * and options (the compile's front is the same), the new classes fit the ids the
 * tables keep free, and every touched class's profiles exist already (a patch never
 * adds a profile, so profile ids and rows stay). Otherwise `patchTables` returns null
 * and the caller compiles again; it may then have patched part of the tables.
 *
 * Sections that grow past their room move to the end of the tables (the header says
 * where each section is); once the room they left exceeds half of the tables, a
 * patch declines and the next compile lays them out afresh.
 */
import type { Cluster, Namespace, Options, Pod, RuleSet } from "../ir/types.js";
import type { CompileCache } from "./cache.js";
import type { CompiledState } from "./state.js";
import { classKey, classLayout, sizePlanes } from "./classes.js";
import { FLAG_NODE_LOCAL, H, NAMED_BIT, NONE, T, TIER_SIDES, tierField } from "./layout.js";
import { fillPeerBits, inlinedRules, markNodeRows } from "./sections.js";
import { podSelected, type PodQuery } from "./selection.js";
import { assemble } from "./tables.js";

/** Pods and namespaces changed, in the order of `UpdateEffect` (`engine/update.ts`): each `before.index` is the pod's index once the earlier entries are applied. */
export interface ClusterChange {
  readonly pods: ReadonlyArray<{ readonly before: Pod | undefined; readonly after: Pod | undefined }>;
  /** Namespaces added, relabelled (`after` set) or removed (their pods removed before). */
  readonly namespaces: ReadonlyArray<{ readonly name: string; readonly after: Namespace | undefined }>;
}

/** The memory the tables live in. */
export interface TableMemory {
  /** The tables' words now (a view that dies when they grow). */
  view(): Uint32Array;
  /** Makes the tables `words` words long, keeping what they hold; returns the new view. */
  grow(words: number): Uint32Array;
}

/** What the host keeps beside patched tables. */
export interface Patched {
  /** Each pod's egress and ingress profile id (as `Tables.profileOfPod`). */
  readonly profileOfPod: readonly [Uint32Array, Uint32Array];
}

/** The profile sides of the tables: NetworkPolicy's egress and ingress, then the tier sides `k`. */
const SIDES = 2 + TIER_SIDES;

/** Where side `s`'s profiles are: its class entries, CSR offsets, rules, rule width, count, and its representatives (null when named ports never split it). */
function sideFields(view: Uint32Array, s: number): { classes: number; start: number; rules: number; width: number; count: number; rep: number | null } {
  const at = (field: number): number => view[field]! >>> 2;
  if (s < 2) {
    return s === 0
      ? { classes: at(H.O_CLASS_PROFILE_E), start: at(H.O_PROFILE_START_E), rules: at(H.O_PROFILE_RULES_E), width: 3, count: view[H.PROFILES_E]!, rep: null }
      : { classes: at(H.O_CLASS_PROFILE_I), start: at(H.O_PROFILE_START_I), rules: at(H.O_PROFILE_RULES_I), width: 3, count: view[H.PROFILES_I]!, rep: at(H.O_PROFILE_REP_I) };
  }
  const k = s - 2;
  return {
    classes: at(tierField(k, T.O_CLASS_PROFILE)),
    start: at(tierField(k, T.O_PROFILE_START)),
    rules: at(tierField(k, T.O_PROFILE_RULES)),
    width: 4,
    count: view[tierField(k, T.PROFILES)]!,
    // an ingress side resolves named ports on its profiles' representatives
    rep: (k & 1) === 1 ? at(tierField(k, T.O_PROFILE_REP)) : null,
  };
}

/** Whether an inlined rule's port word names ports (`NONE`, every port, has the bit set too). */
const namesPorts = (portWord: number): boolean => portWord !== NONE && (portWord & NAMED_BIT) !== 0;

/**
 * A profile's key: its inlined rule words, and where they name ports on an ingress
 * side, the named container ports of the class that resolves them. Profiles with
 * one key give every class the same verdicts.
 */
function profileKey(words: ArrayLike<number>, width: number, ingress: boolean, pairs: () => ArrayLike<number>): string {
  let key = Array.prototype.join.call(words, ",");
  if (!ingress) return key;
  for (let i = 2; i < words.length; i += width) {
    if (namesPorts(words[i]!)) return `${key}|${Array.prototype.join.call(pairs(), ",")}`;
  }
  return key;
}

/** Class `c`'s named container ports in the tables: `(nameKey, number)` pairs. */
function tablePairs(view: Uint32Array, c: number): Uint32Array {
  const start = view[H.O_CLASS_PORT_START]! >>> 2;
  const pairs = view[H.O_CLASS_PORTS]! >>> 2;
  return view.subarray(pairs + 2 * view[start + c]!, pairs + 2 * view[start + c + 1]!);
}

/** Per side, profile ids by key, made once per compile (a patch adds no profile). */
function profileKeys(state: CompiledState, view: Uint32Array): Map<string, number>[] {
  if (state.profileKeys !== null) return state.profileKeys;
  const out: Map<string, number>[] = [];
  for (let s = 0; s < SIDES; s++) {
    const f = sideFields(view, s);
    const keys = new Map<string, number>();
    for (let p = 0; p < f.count; p++) {
      const words = view.subarray(f.rules + view[f.start + p]! * f.width, f.rules + view[f.start + p + 1]! * f.width);
      const key = profileKey(words, f.width, f.rep !== null, () => tablePairs(view, view[f.rep! + p]!));
      if (!keys.has(key)) keys.set(key, p);
    }
    out.push(keys);
  }
  return (state.profileKeys = out);
}

/** Class ids no new class may take: the representatives named ports resolve on. */
function representatives(view: Uint32Array): Set<number> {
  const out = new Set<number>();
  for (let s = 0; s < SIDES; s++) {
    const f = sideFields(view, s);
    if (f.rep !== null) for (let p = 0; p < f.count; p++) out.add(view[f.rep + p]!);
  }
  return out;
}

/**
 * Patches the tables of `state` (in `memory`) for `change`, already applied to
 * `cluster`; returns null when a patch does not apply (see the module comment).
 * `rules` and `options` must be the model's after the change.
 */
export function patchTables(
  state: CompiledState,
  rules: RuleSet,
  cluster: Cluster,
  options: Options,
  change: ClusterChange,
  memory: TableMemory,
  cache: CompileCache,
): Patched | null {
  const same = state.rules === rules && state.options === options && state.cluster.nodes === cluster.nodes && state.cluster.dns === cluster.dns;
  if (!same || state.garbage * 4 > memory.view()[H.TOTAL_BYTES]! / 2) return null;
  const { front, capacity, keys, reps, byKey, sizes } = state;
  let ofPod = change.pods.length > 0 ? state.ofPod.slice() : state.ofPod;
  // class ids whose entries are to be made again, with a pod of each
  const fresh = new Map<number, Pod>();
  let pinned: Set<number> | null = null;
  const freeId = (): number => {
    pinned ??= representatives(memory.view());
    for (let c = 0; c < capacity; c++) if (sizes[c] === 0 && !pinned.has(c) && !fresh.has(c)) return c;
    return -1;
  };
  for (const { before, after } of change.pods) {
    if (before !== undefined && after !== undefined && before.index !== after.index) return null;
    if (before !== undefined) {
      sizes[ofPod[before.index]!]!--;
      if (after === undefined) {
        const rest = new Uint32Array(ofPod.length - 1);
        rest.set(ofPod.subarray(0, before.index));
        rest.set(ofPod.subarray(before.index + 1), before.index);
        ofPod = rest;
      }
    }
    if (after === undefined) continue;
    const key = classKey(after, front.addressKey, front.nodeLocal);
    let c = byKey.get(key);
    if (c === undefined) {
      c = freeId();
      if (c < 0) return null;
      if (keys[c] !== null) byKey.delete(keys[c]!);
      [keys[c], reps[c]] = [key, after];
      byKey.set(key, c);
      fresh.set(c, after);
    }
    if (after.index === ofPod.length) {
      const grown = new Uint32Array(ofPod.length + 1);
      grown.set(ofPod);
      ofPod = grown;
    } else if (after.index > ofPod.length) return null;
    ofPod[after.index] = c;
    sizes[c]!++;
  }
  if (ofPod.length !== cluster.pods.length) return null;
  for (const { name, after } of change.namespaces) {
    for (let c = 0; c < capacity; c++) {
      const rep = reps[c];
      if (rep === null || rep === undefined || rep.namespace !== name) continue;
      if (after !== undefined) fresh.set(c, rep);
      else if (sizes[c] !== 0) return null;
      else {
        byKey.delete(keys[c]!);
        [keys[c], reps[c]] = [null, null];
        fresh.delete(c);
      }
    }
  }
  if (fresh.size > 0 && !spliceClasses(state, rules, cluster, options, [...fresh.keys()], [...fresh.values()], memory, cache)) return null;
  if (change.pods.length > 0) writePodSections(state, ofPod, memory);
  state.cluster = cluster;
  const view = memory.view();
  const [e, i] = [view[H.O_CLASS_PROFILE_E]! >>> 2, view[H.O_CLASS_PROFILE_I]! >>> 2];
  const profileOfPod = [new Uint32Array(ofPod.length), new Uint32Array(ofPod.length)] as const;
  for (let pod = 0; pod < ofPod.length; pod++) {
    profileOfPod[0][pod] = view[e + ofPod[pod]!]!;
    profileOfPod[1][pod] = view[i + ofPod[pod]!]!;
  }
  return { profileOfPod };
}

/**
 * Makes the entries of classes `ids` (a pod of each in `pods`) again: the compile
 * steps over just them, their bits and profiles spliced into the tables; false when
 * a class needs a profile the tables do not have.
 */
function spliceClasses(
  state: CompiledState,
  rules: RuleSet,
  cluster: Cluster,
  options: Options,
  ids: readonly number[],
  pods: readonly Pod[],
  memory: TableMemory,
  cache: CompileCache,
): boolean {
  const k = ids.length;
  const own = Uint32Array.from(ids, (_, j) => j);
  // most queries are scoped to a namespace none of the classes is in
  const spaces = new Set(pods.map((pod) => pod.namespace));
  const none = new Int32Array(0);
  const select = (query: PodQuery): Int32Array => {
    if (query.scope.kind === "namespace" && !spaces.has(query.scope.name)) return none;
    const out: number[] = [];
    pods.forEach((pod, j) => {
      if (podSelected(query, pod, cluster.namespaces, options)) out.push(j);
    });
    return Int32Array.from(out);
  };
  const parts = assemble(state.front, rules, cluster, options, pods, { ofPod: own, ...classLayout(own, k) }, k, select, cache);
  const view = memory.view();
  const w = view[H.WORDS]!;
  const wk = parts.words;
  // the peer-set bits: made over the k classes, then each class's column copied
  const peerSets = view[H.PEER_SETS]!;
  const bits = new Uint32Array(peerSets * wk);
  fillPeerBits(bits, 0, wk, parts);
  const peerBase = view[H.O_PEER_BITS]! >>> 2;
  ids.forEach((c, j) => {
    const mask = 1 << (c & 31);
    for (let ps = 0, at = peerBase + (c >>> 5); ps < peerSets; ps++, at += w) {
      view[at] = (bits[ps * wk + (j >>> 5)]! >>> (j & 31)) & 1 ? view[at]! | mask : view[at]! & ~mask;
    }
  });
  // profiles: each class's profile on each side, found by key among the tables' own
  const inlined = inlinedRules(parts);
  const keys = profileKeys(state, view);
  const sides = [...parts.profiles, ...parts.tierProfiles];
  const pairsOf = (j: number): Uint32Array => parts.named.classPairs.subarray(2 * parts.named.classStart[j]!, 2 * parts.named.classStart[j + 1]!);
  for (let s = 0; s < SIDES; s++) {
    const f = sideFields(view, s);
    const profiles = sides[s]!;
    const ruleWords = s < 2 ? inlined.np : inlined.tiers;
    for (let j = 0; j < k; j++) {
      const p = profiles.ofClass[j]!;
      let id = NONE;
      if (p !== NONE) {
        const words = profiles.ruleLists[p]!.flatMap((r) => ruleWords[r]!);
        const found = keys[s]!.get(profileKey(words, f.width, f.rep !== null, () => pairsOf(j)));
        if (found === undefined) return false;
        id = found;
      }
      view[f.classes + ids[j]!] = id;
    }
  }
  // where each class runs
  const classNode = view[H.O_CLASS_NODE]! >>> 2;
  const nodeLocal = (view[H.FLAGS]! & FLAG_NODE_LOCAL) !== 0;
  const nodeRows = view[H.O_NODE_ROWS]! >>> 2;
  ids.forEach((c, j) => {
    view[classNode + c] = parts.classNodes[j]!;
    if (!nodeLocal) return;
    for (let row = 0; row < 2 * view[H.NODES]!; row++) view[nodeRows + row * w + (c >>> 5)]! &= ~(1 << (c & 31));
    markNodeRows(view, nodeRows, w, c, parts.classNodes[j]!);
  });
  // named container ports: the CSR is written again when a class's pairs changed
  const changed = new Map<number, Uint32Array>();
  ids.forEach((c, j) => {
    const [was, now] = [tablePairs(view, c), pairsOf(j)];
    if (was.length !== now.length || was.some((v, i) => v !== now[i])) changed.set(c, now);
  });
  if (changed.size > 0) {
    const start = new Uint32Array(state.capacity + 1);
    const lists: Uint32Array[] = [];
    for (let c = 0; c < state.capacity; c++) {
      const pairs = changed.get(c) ?? tablePairs(view, c).slice();
      lists.push(pairs);
      start[c + 1] = start[c]! + pairs.length / 2;
    }
    const flat = new Uint32Array(2 * start[state.capacity]!);
    lists.forEach((pairs, c) => flat.set(pairs, 2 * start[c]!));
    place(state, memory, H.O_CLASS_PORT_START, start);
    place(state, memory, H.O_CLASS_PORTS, flat);
  }
  return true;
}

/** Writes the sections indexed by pod, and the class sizes, for each pod's class `ofPod`. */
function writePodSections(state: CompiledState, ofPod: Uint32Array, memory: TableMemory): void {
  const layout = classLayout(ofPod, state.capacity);
  state.ofPod = ofPod;
  state.sizes.set(layout.sizes);
  place(state, memory, H.O_POD_CLASS, ofPod);
  place(state, memory, H.O_CLASS_RUN_START, layout.runStart);
  place(state, memory, H.O_CLASS_RUNS, layout.runs);
  const planes = sizePlanes(layout.sizes, memory.view()[H.WORDS]!);
  place(state, memory, H.O_SIZE_PLANES, planes.bits);
  const view = memory.view();
  view[H.SIZE_PLANES] = planes.planes;
  view[H.PODS] = ofPod.length;
}

/**
 * Writes section `field` as `data`: at its place when its room holds it, else at the
 * end of the tables with room to grow (an eighth more), the room it left counted as garbage.
 */
function place(state: CompiledState, memory: TableMemory, field: number, data: Uint32Array): void {
  const room = state.room.get(field)!;
  let view = memory.view();
  if (data.length <= room) {
    view.set(data, view[field]! >>> 2);
    return;
  }
  const end = view[H.TOTAL_BYTES]! >>> 2;
  const words = data.length + (data.length >>> 3) + 16;
  view = memory.grow(end + words);
  view.set(data, end);
  view[field] = end * 4;
  view[H.TOTAL_BYTES] = (end + words) * 4;
  state.garbage += room;
  state.room.set(field, words);
}
