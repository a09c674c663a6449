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
 * NetworkPolicies added, replaced or removed are `patch-rules.ts`'s: it extends the
 * interned rules and names the classes the changed policies select, whose entries
 * are then made again here.
 *
 * A touched class takes the profile with its rules (`profileKey`), or a new one.
 * A patch applies when the nodes, DNS records and options are those of the tables,
 * the new classes fit the ids the tables keep free, and patches have added fewer
 * than a quarter more profiles than the compile made (unused ones stay). Otherwise
 * `patchTables` returns false and the caller compiles again; it may then have
 * patched part of the tables.
 *
 * Sections that grow past their room move to the end of the tables (the header says
 * where each section is); once the room they left exceeds half of the tables, a
 * patch declines and the next compile lays them out afresh.
 */
import type { Cluster, Namespace, Options, Pod, RuleSet } from "../ir/types.js";
import { selectorMatches } from "../primitives/selector.js";
import type { CompileCache } from "./cache.js";
import type { CompiledState, CompileState } from "./state.js";
import { classKey, classLayout, sizePlanes } from "./classes.js";
import { FLAG_NODE_LOCAL, H, NONE } from "./layout.js";
import { appendProfiles, offset, place, profileKey, profileKeys, representatives, sideFields, SIDES, tablePairs, type NewProfile, type TableMemory } from "./patch-sections.js";
import { patchRules } from "./patch-rules.js";
import { fillPeerBits, inlinedRules, markNodeRows, peerSetsNear, type CompiledParts } from "./sections.js";
import { podSelected, type PodQuery } from "./selection.js";
import { assemble } from "./tables.js";

/** Pods and namespaces changed, in the order of `UpdateEffect` (`engine/update.ts`): each `before.index` is the pod's index once the earlier entries are applied. */
export interface ClusterChange {
  readonly pods: ReadonlyArray<{ readonly before: Pod | undefined; readonly after: Pod | undefined }>;
  /** Namespaces added, relabelled (`after` set) or removed (their pods removed before). */
  readonly namespaces: ReadonlyArray<{ readonly name: string; readonly after: Namespace | undefined }>;
}

/**
 * Patches the tables `compile` last made (in `memory`) for `change`, already applied
 * to the model (`rules`, `cluster`, `options`; its rule set changed only when a
 * policy did); returns false when a patch does not apply (see the module
 * comment). `selectPods` gives the pods (indexes) a query selects in `cluster`.
 * Each pod's profiles are read from the patched tables when asked for (`podProfiles` in `tables.ts`).
 */
export function patchTables(
  compile: CompileState,
  model: { readonly rules: RuleSet; readonly cluster: Cluster; readonly options: Options },
  change: ClusterChange,
  memory: TableMemory,
  selectPods: (query: PodQuery) => Int32Array,
): boolean {
  const { rules, cluster, options } = model;
  const { compiled: state, cache } = compile;
  if (state === null) return false;
  const same = state.options === options && state.cluster.nodes === cluster.nodes && state.cluster.dns === cluster.dns;
  const full = state.garbage * 4 > memory.view()[H.TOTAL_BYTES]! / 2 || state.profilesAdded * 4 > state.profilesCompiled + 256;
  if (!same || full) return false;
  const { capacity, keys, reps, byKey, sizes } = state;
  // class ids whose entries are to be made again, with a pod of each
  const fresh = new Map<number, Pod>();
  if (state.rules !== rules) {
    if (change.pods.length + change.namespaces.length > 0) return false;
    const touched = patchRules(state, rules, memory, selectPods, cache);
    if (touched === null) return false;
    for (const c of touched) fresh.set(c, reps[c]!);
  }
  let ofPod = change.pods.length > 0 ? state.ofPod.slice() : state.ofPod;
  const freeId = (): number => {
    const pinned = representatives(state, memory.view());
    for (let c = 0; c < capacity; c++) if (sizes[c] === 0 && !pinned.has(c) && !fresh.has(c)) return c;
    return -1;
  };
  for (const { before, after } of change.pods) {
    if (before !== undefined && after !== undefined && before.index !== after.index) return false;
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
    const key = classKey(after, state.front.addressKey, state.front.nodeLocal);
    let c = byKey.get(key);
    if (c === undefined) {
      c = freeId();
      if (c < 0) return false;
      if (keys[c] !== null) byKey.delete(keys[c]!);
      [keys[c], reps[c]] = [key, after];
      byKey.set(key, c);
      fresh.set(c, after);
    }
    if (after.index === ofPod.length) {
      const grown = new Uint32Array(ofPod.length + 1);
      grown.set(ofPod);
      ofPod = grown;
    } else if (after.index > ofPod.length) return false;
    ofPod[after.index] = c;
    sizes[c]!++;
  }
  if (ofPod.length !== cluster.pods.length) return false;
  for (const { name, after } of change.namespaces) {
    for (let c = 0; c < capacity; c++) {
      const rep = reps[c];
      if (keys[c] === null || rep === null || rep === undefined || rep.namespace !== name) continue;
      if (after !== undefined) fresh.set(c, rep);
      else if (sizes[c] !== 0) return false;
      else {
        byKey.delete(keys[c]!);
        keys[c] = null;
        fresh.delete(c);
      }
    }
  }
  // classes a policy change touched keep their key, and so every entry but their profiles
  const profilesOnly = change.pods.length + change.namespaces.length === 0;
  if (fresh.size > 0) spliceClasses(state, rules, cluster, options, [...fresh.keys()], [...fresh.values()], memory, cache, profilesOnly);
  if (change.pods.length > 0) writePodSections(state, ofPod, memory);
  state.cluster = cluster;
  compile.front = { rules, nodes: cluster.nodes, dns: cluster.dns, options, value: state.front };
  return true;
}

/**
 * Makes the entries of classes `ids` (a pod of each in `pods`) again: the compile
 * steps over just them, their bits spliced into the tables (unless `profilesOnly`),
 * each given the profile with its rules on each side (added when the tables have none).
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
  profilesOnly: boolean,
): void {
  const k = ids.length;
  const own = Uint32Array.from(ids, (_, j) => j);
  // most queries are scoped to a namespace none of the classes is in, or by a namespace
  // selector none of their namespaces (a few, shared by the classes) matches
  const spaces = [...new Set(pods.map((pod) => pod.namespace))];
  const spaceLabels = spaces.map((name) => cluster.namespaces.get(name)!.labels);
  const none = new Int32Array(0);
  const select = (query: PodQuery): Int32Array => {
    const scope = query.scope;
    if (scope.kind === "namespace" ? !spaces.includes(scope.name) : !spaceLabels.some((labels) => selectorMatches(scope.selector, labels))) return none;
    let out: number[] | null = null;
    for (let j = 0; j < k; j++) if (podSelected(query, pods[j]!, cluster.namespaces, options)) (out ??= []).push(j);
    return out === null ? none : Int32Array.from(out);
  };
  const parts = assemble(state.front, rules, cluster, options, pods, { ofPod: own, ...classLayout(own, k) }, k, select, cache);
  if (!profilesOnly) spliceEntries(state, ids, parts, peerSetsNear(parts.rules.peerSets, spaces, cache), memory);
  const view = memory.view();
  // profiles: each class's profile on each side, found by key among the tables' own or added
  const inlined = inlinedRules(parts);
  const keys = profileKeys(state, view);
  const sides = [...parts.profiles, ...parts.tierProfiles];
  const added: NewProfile[][] = [];
  for (let s = 0; s < SIDES; s++) {
    const f = sideFields(s);
    const profiles = sides[s]!;
    const ruleWords = s < 2 ? inlined.np : inlined.tiers;
    const adds: NewProfile[] = [];
    // the classes of one local profile share its key (an ingress profile naming ports holds classes with the same ports)
    const idOf = new Map<number, number>();
    for (let j = 0; j < k; j++) {
      const p = profiles.ofClass[j]!;
      let id = p === NONE ? NONE : idOf.get(p);
      if (id === undefined) {
        const words = profiles.ruleLists[p]!.flatMap(ruleWords);
        const key = profileKey(words, f, () => pairsOf(parts, j));
        id = keys[s]!.get(key);
        if (id === undefined) {
          keys[s]!.set(key, (id = view[f.count]! + adds.length));
          adds.push({ words, rep: ids[j]! });
        }
        idOf.set(p, id);
      }
      view[offset(view, f.classes) + ids[j]!] = id;
    }
    added.push(adds);
  }
  added.forEach((adds, s) => {
    if (adds.length > 0) appendProfiles(state, memory, s, adds);
  });
}

/** Class `j`'s named container ports in `parts`: `(nameKey, number)` pairs. */
const pairsOf = (parts: CompiledParts, j: number): Uint32Array => parts.named.classPairs.subarray(2 * parts.named.classStart[j]!, 2 * parts.named.classStart[j + 1]!);

/**
 * Splices the peer-set bits, node entries and named container ports of classes `ids`
 * (the compile steps' over them in `parts`) into the tables; `near` are the
 * NetworkPolicy peer sets whose pod peers may hold them (`peerSetsNear`).
 */
function spliceEntries(state: CompiledState, ids: readonly number[], parts: CompiledParts, near: Iterable<number>, memory: TableMemory): void {
  const view = memory.view();
  const w = view[H.WORDS]!;
  const wk = parts.words;
  // the peer-set bits: made over the k classes, then spliced a table word at a time
  // (the classes' bits there cleared, then those of the rows that hold one set)
  const peerSets = view[H.PEER_SETS]!;
  const bits = new Uint32Array(peerSets * wk);
  fillPeerBits(bits, 0, wk, parts, 0, near);
  const peerBase = offset(view, H.O_PEER_BITS);
  const byWord = new Map<number, number[]>();
  ids.forEach((c, j) => {
    const list = byWord.get(c >>> 5);
    if (list === undefined) byWord.set(c >>> 5, [j]);
    else list.push(j);
  });
  for (const [word, js] of byWord) {
    let clear = 0;
    for (const j of js) clear |= 1 << (ids[j]! & 31);
    for (let ps = 0, at = peerBase + word; ps < peerSets; ps++, at += w) {
      let set = 0;
      const row = ps * wk;
      for (let b = 0; b < wk; b++) {
        if (bits[row + b] === 0) continue;
        for (const j of js) if (j >>> 5 === b && (bits[row + b]! >>> (j & 31)) & 1) set |= 1 << (ids[j]! & 31);
      }
      view[at] = (view[at]! & ~clear) | set;
    }
  }
  // where each class runs
  const classNode = offset(view, H.O_CLASS_NODE);
  const nodeLocal = (view[H.FLAGS]! & FLAG_NODE_LOCAL) !== 0;
  const nodeRows = offset(view, H.O_NODE_ROWS);
  ids.forEach((c, j) => {
    view[classNode + c] = parts.classNodes[j]!;
    if (!nodeLocal) return;
    for (let row = 0; row < 2 * view[H.NODES]!; row++) view[nodeRows + row * w + (c >>> 5)]! &= ~(1 << (c & 31));
    markNodeRows(view, nodeRows, w, c, parts.classNodes[j]!);
  });
  // named container ports: the CSR is written again when a class's pairs changed
  const changed = new Map<number, Uint32Array>();
  ids.forEach((c, j) => {
    const [was, now] = [tablePairs(view, c), pairsOf(parts, j)];
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
