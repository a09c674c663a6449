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

/** Groups `pods` into classes; `addressKey(pod)` tells which ip sets hold the pod by its addresses (`addressKeys`). */
export function podClasses(pods: readonly Pod[], addressKey: (pod: Pod) => string, byNode = false): KeyedClasses {
  const n = pods.length;
  const ofPod = new Uint32Array(n);
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  let previous: Pod | null = null;
  let previousAddress = "";
  for (let i = 0; i < n; i++) {
    const pod = pods[i]!;
    const address = addressKey(pod);
    // replicas usually follow one another: compared field by field with the previous pod, no key built
    if (previous !== null && sameClass(previous, previousAddress, pod, address, byNode)) {
      ofPod[i] = ofPod[i - 1]!;
      continue;
    }
    const key = keyOf(pod, address, byNode);
    let c = byKey.get(key);
    if (c === undefined) {
      c = keys.length;
      keys.push(key);
      byKey.set(key, c);
    }
    ofPod[i] = c;
    previous = pod;
    previousAddress = address;
    run.length = 0;
    pod.labels.forEach(recordLabel);
  }
  return { ofPod, keys, ...classLayout(ofPod, keys.length) };
}

/** The labels of the pod `podClasses` compares the next pods with, flat (key, value, ...): read without an entry array per label. */
const run: string[] = [];
let runAt = 0;
let runSame = true;

function recordLabel(value: string, key: string): void {
  run.push(key, value);
}

function compareLabel(value: string, key: string): void {
  if (run[runAt] !== key || run[runAt + 1] !== value) runSame = false;
  runAt += 2;
}

/**
 * Whether `pod` (ip sets `address`) has the key of `previous` (ip sets
 * `previousAddress`, labels in `run`): `keyOf` of the two equal, without building
 * either (label keys and values never hold the key's separators).
 */
function sameClass(previous: Pod, previousAddress: string, pod: Pod, address: string, byNode: boolean): boolean {
  if (pod.namespace !== previous.namespace || pod.hostNetwork !== previous.hostNetwork || address !== previousAddress) return false;
  if ((pod.hostNetwork || byNode) && pod.node !== previous.node) return false;
  if (pod.labels.size !== run.length >> 1) return false;
  if (pod.ports !== previous.ports) {
    if (pod.ports.length !== previous.ports.length) return false;
    for (let k = 0; k < pod.ports.length; k++) {
      const a = pod.ports[k]!;
      const b = previous.ports[k]!;
      if (a.name !== b.name || a.protocol !== b.protocol || a.port !== b.port) return false;
    }
  }
  runAt = 0;
  runSame = true;
  pod.labels.forEach(compareLabel);
  return runSame;
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
export function classesOf(pods: Iterable<number>, ofPod: Uint32Array, mark: Uint8Array): Int32Array {
  const out: number[] = [];
  for (const i of pods) {
    const c = ofPod[i]!;
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
