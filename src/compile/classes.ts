/**
 * Compile step 3, pod classes: pods every table row treats alike share one class, so
 * that bitsets, profiles and named ports are per class and the tables grow with
 * classes, not with pods squared. Two pods share a class when they have the same
 * namespace, labels (in the same order), host-network flag, container ports, and,
 * where they matter, the same node (a host-network pod is reached at its node, which
 * `nodes` peers select by label) and the same ip sets holding their addresses (where
 * an address peer sees pods by their addresses).
 * Everything a selector, a policy's isolation, a named port or an address peer reads
 * of a pod is in that key, so a class's verdicts are its every pod's: between two
 * distinct pods, a verdict reads nothing else of them (their indexes only tell a pod
 * reaching itself apart).
 *
 * This is netpol's one definition of "pods no rule tells apart": the tables are per
 * class, and `connections` (`engine/class-tables.ts`) asks an engine over one pod per
 * class, taking these classes from the compiled tables (or, on the reference engine,
 * from `compilePodClasses`). The address part is the ip sets holding the pod, not the
 * range of the address space cut at every ipBlock / `networks` boundary its address
 * falls in: a pod's addresses are read only through the ip sets holding them (and
 * only where `ipBlocksSee` lets address peers see the pod), so two pods in the same
 * ip sets have the same verdicts even in different ranges; that key is exact for
 * both uses and coarser, so there are fewer classes. Ranges stay where outside
 * addresses are enumerated (`engine/connection-space.ts`).
 *
 * Classes are numbered by their first pod, in pod order: a cluster whose pods all
 * differ keeps pod `i` as class `i`.
 */
import type { Pod } from "../ir/types.js";

/** The pod classes of a compile. */
export interface PodClasses {
  /** `N` u32: each pod's class. */
  readonly ofPod: Uint32Array;
  /** Each class's first pod (-1 for a class without pods, which only `classLayout` makes). */
  readonly reps: readonly number[];
  /** Each class's pod count. */
  readonly sizes: Uint32Array;
  /** `C + 1` CSR offsets (in pairs) into `runs`. */
  readonly runStart: Uint32Array;
  /** `(first pod, end pod)` pairs: each class's pods as maximal runs of consecutive indexes. */
  readonly runs: Uint32Array;
}

/** Pod classes with each class's key (`classKey`), for patching a compile (`compile/patch.ts`). */
export interface KeyedClasses extends PodClasses {
  /** Each class's key. */
  readonly keys: readonly string[];
}

/**
 * Groups `pods` into classes; `addressKey(pod)` tells which ip sets hold the pod by
 * its addresses (`addressKeys`). A class's key (`classKey`) is built once, for its
 * first pod: the others find their class by a hash of the key's parts, compared
 * field by field with the class's first pod (`sameClass`).
 */
export function podClasses(pods: readonly Pod[], addressKey: (pod: Pod) => string, byNode = false): KeyedClasses {
  const n = pods.length;
  const ofPod = new Uint32Array(n);
  const keys: string[] = [];
  // per class: its first pod, the ip sets holding it, its labels flat (key, value, ...)
  const firsts: Pod[] = [];
  const addresses: string[] = [];
  const labels: string[][] = [];
  const byHash = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const pod = pods[i]!;
    const address = addressKey(pod);
    // replicas usually follow one another: the previous pod's class first
    const last = i > 0 ? ofPod[i - 1]! : -1;
    if (last >= 0 && sameClass(firsts[last]!, addresses[last]!, labels[last]!, pod, address, byNode)) {
      ofPod[i] = last;
      continue;
    }
    const hash = classHash(pod, address, byNode);
    let group = byHash.get(hash);
    if (group === undefined) byHash.set(hash, (group = []));
    let c = -1;
    for (let k = 0; k < group.length && c < 0; k++) {
      const g = group[k]!;
      if (sameClass(firsts[g]!, addresses[g]!, labels[g]!, pod, address, byNode)) c = g;
    }
    if (c < 0) {
      c = keys.length;
      keys.push(keyOf(pod, address, byNode));
      firsts.push(pod);
      addresses.push(address);
      const flat: string[] = [];
      pod.labels.forEach((value, key) => flat.push(key, value));
      labels.push(flat);
      group.push(c);
    }
    ofPod[i] = c;
  }
  return { ofPod, keys, ...classLayout(ofPod, keys.length) };
}

/** A 32-bit FNV-1a step. */
const mix = (h: number, v: number): number => Math.imul(h ^ v, 16777619);

/** A hash of a string's length and ends (equal hashes are compared in full). */
const ends = (s: string): number => (s.length << 16) ^ (s.length > 0 ? (s.charCodeAt(0) << 8) ^ s.charCodeAt(s.length - 1) : 0);

/** The labels hash being summed by `hashLabel` (a module-level accumulator: no closure per pod). */
let labelsHash = 0;

function hashLabel(value: string, key: string): void {
  labelsHash = mix(mix(labelsHash, ends(key)), ends(value));
}

/** A hash of what `keyOf` reads of `pod`: equal keys have equal hashes. */
function classHash(pod: Pod, address: string, byNode: boolean): number {
  labelsHash = mix(2166136261, ends(pod.namespace));
  pod.labels.forEach(hashLabel);
  let h = mix(mix(labelsHash, ends(address)), pod.ports.length);
  for (let k = 0; k < pod.ports.length; k++) h = mix(h, pod.ports[k]!.port);
  if (pod.hostNetwork || byNode) h = mix(h, pod.node ?? -1);
  return mix(h, pod.hostNetwork ? 1 : 0);
}

/** The labels `compareLabel` compares with, flat, and where it is in them. */
let expected: readonly string[] = [];
let at = 0;
let same = true;

function compareLabel(value: string, key: string): void {
  if (expected[at] !== key || expected[at + 1] !== value) same = false;
  at += 2;
}

/**
 * Whether `pod` (ip sets `address`) has the key of `first` (ip sets `firstAddress`,
 * labels `firstLabels` flat): `keyOf` of the two equal, without building either
 * (label keys and values never hold the key's separators).
 */
function sameClass(first: Pod, firstAddress: string, firstLabels: readonly string[], pod: Pod, address: string, byNode: boolean): boolean {
  if (pod.namespace !== first.namespace || pod.hostNetwork !== first.hostNetwork || address !== firstAddress) return false;
  if ((pod.hostNetwork || byNode) && pod.node !== first.node) return false;
  if (pod.labels.size !== firstLabels.length >> 1) return false;
  if (pod.ports !== first.ports) {
    if (pod.ports.length !== first.ports.length) return false;
    for (let k = 0; k < pod.ports.length; k++) {
      const a = pod.ports[k]!;
      const b = first.ports[k]!;
      if (a.name !== b.name || a.protocol !== b.protocol || a.port !== b.port) return false;
    }
  }
  expected = firstLabels;
  at = 0;
  same = true;
  pod.labels.forEach(compareLabel);
  return same;
}

/**
 * The per-class parts of `PodClasses` from each pod's class (`ofPod`) over class ids
 * `0..count-1`: a class without pods has size 0, no runs and first pod -1 (the tables
 * of a patched compile keep such classes; see `compile/patch.ts`).
 */
export function classLayout(ofPod: Uint32Array, count: number): Omit<PodClasses, "ofPod"> {
  const n = ofPod.length;
  const reps: number[] = new Array<number>(count).fill(-1);
  const sizes = new Uint32Array(count);
  // runs: counted per class first, then laid out class by class
  const runCount = new Uint32Array(count + 1);
  for (let i = 0; i < n; i++) {
    const c = ofPod[i]!;
    if (sizes[c]!++ === 0) reps[c] = i;
    if (i === 0 || ofPod[i - 1] !== c) runCount[c + 1]!++;
  }
  const runStart = new Uint32Array(count + 1);
  for (let c = 0; c < count; c++) runStart[c + 1] = runStart[c]! + runCount[c + 1]!;
  const runs = new Uint32Array(2 * runStart[count]!);
  const fill = runStart.slice(0, count);
  for (let i = 0; i < n; ) {
    const c = ofPod[i]!;
    let end = i + 1;
    while (end < n && ofPod[end] === c) end++;
    const at = 2 * fill[c]!++;
    runs[at] = i;
    runs[at + 1] = end;
    i = end;
  }
  return { reps, sizes, runStart, runs };
}

/**
 * The classes of `ofPod` numbered again by first pod, classes without pods dropped:
 * what `podClasses` would give for the same partition of the pods.
 */
export function compactClasses(ofPod: Uint32Array, count: number): PodClasses {
  const renumbered = new Int32Array(count).fill(-1);
  const out = new Uint32Array(ofPod.length);
  let next = 0;
  for (let i = 0; i < ofPod.length; i++) {
    const c = ofPod[i]!;
    if (renumbered[c] === -1) renumbered[c] = next++;
    out[i] = renumbered[c]!;
  }
  return { ofPod: out, ...classLayout(out, next) };
}

/** The text two pods of one class share, and pods of two classes never do. */
export function classKey(pod: Pod, addressKey: (pod: Pod) => string, byNode: boolean): string {
  return keyOf(pod, addressKey(pod), byNode);
}

/** `classKey` of `pod`, the ip sets holding it being `address`. */
function keyOf(pod: Pod, address: string, byNode: boolean): string {
  let key = pod.namespace;
  for (const [k, v] of pod.labels) key += `\u0000${k}\u0001${v}`;
  key += "\u0002";
  for (const p of pod.ports) key += `${p.name ?? ""}\u0001${p.protocol}\u0001${p.port}\u0000`;
  if (pod.hostNetwork) key += `\u0002h${pod.node ?? ""}`;
  // the node-local clause tells apart ordinary pods on different nodes too
  else if (byNode) key += `\u0002n${pod.node ?? ""}`;
  return `${key}\u0002${address}`;
}

/**
 * The distinct classes of the pods `pods` (indexes), ascending, through `ofPod`;
 * `mark` is a scratch array of one slot per class, left all zero.
 */
export function classesOf(pods: ArrayLike<number>, ofPod: Uint32Array, mark: Uint8Array): Int32Array {
  const out: number[] = [];
  for (let k = 0; k < pods.length; k++) {
    const c = ofPod[pods[k]!]!;
    if (mark[c] === 0) {
      mark[c] = 1;
      out.push(c);
    }
  }
  for (const c of out) mark[c] = 0;
  return Int32Array.from(out).sort();
}

/** The bit planes of the class sizes: plane `j`, `w` words, holds bit `j` of each class's size. */
export function sizePlanes(sizes: Uint32Array, w: number): { planes: number; bits: Uint32Array } {
  const largest = sizes.reduce((a, b) => Math.max(a, b), 0);
  const planes = 32 - Math.clz32(largest);
  const bits = new Uint32Array(planes * w);
  sizes.forEach((size, c) => {
    for (let j = 0; j < planes; j++) if ((size >>> j) & 1) bits[j * w + (c >>> 5)]! |= 1 << (c & 31);
  });
  return { planes, bits };
}
