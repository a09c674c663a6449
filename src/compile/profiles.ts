/**
 * Compile step 4, class profiles: per side, the distinct lists of policies isolating a
 * pod class. Classes sharing their isolating policies share every table row, whatever
 * their labels; so do classes whose policies differ but give the same rules (a policy
 * without rules on the side, such as a deny-all, beside others). An ingress profile
 * whose rules name ports also splits by the classes' container ports, so that one
 * class of it (its representative) resolves them for all.
 */
import type { Pod } from "../ir/types.js";
import type { CompileCache, PortSignature } from "./cache.js";
import { NONE } from "./layout.js";
import type { Side } from "./rules.js";

/** What grouping one side's pods needs from the interned rules (NetworkPolicy's, or one tier side's). */
export interface ProfileInput {
  /** Each policy's rule ids on this side, in order, or undefined when the policy does not govern it. */
  readonly policyRules: readonly (readonly number[] | undefined)[];
  /** Per policy: whether one of its ingress rules names a port (its ingress profiles then split by container ports). */
  readonly namedIngress: readonly boolean[];
  /** How many distinct rule ids there are. */
  readonly ruleCount: number;
}

/** One side's profiles. */
export interface Profiles {
  /** Each class's profile id, or `NONE` when no policy isolates it on this side. */
  readonly ofClass: Uint32Array;
  /** Each profile's first class (its representative). */
  readonly reps: readonly number[];
  /** Each profile's distinct rule ids, in first-seen order over its policies. */
  readonly ruleLists: readonly number[][];
}

/** A 32-bit FNV-1a step. */
function mix(h: number, v: number): number {
  return Math.imul(h ^ v, 16777619) >>> 0;
}

/** A pod's port signature, remembered in the cache per ports array (shared by a pod's re-indexed copies). */
function portSignature(pod: Pod, cache: CompileCache): PortSignature {
  let sig = cache.portSignatures.get(pod.ports);
  if (sig === undefined) {
    // numbers, protocols and the names' ends: equal lists are then compared in full
    let hash = 2166136261;
    for (const c of pod.ports) {
      const name = c.name === null ? 0xffff : (c.name.length << 16) ^ (c.name.charCodeAt(0) << 8) ^ c.name.charCodeAt(c.name.length - 1);
      hash = mix(mix(mix(hash, c.port), c.protocol.charCodeAt(0)), name);
    }
    cache.portSignatures.set(pod.ports, (sig = { ports: pod.ports, hash }));
  }
  return sig;
}

/** Whether two signatures are of equal port lists. */
function samePorts(a: PortSignature | null, b: PortSignature | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.hash !== b.hash || a.ports.length !== b.ports.length) return false;
  for (let i = 0; i < a.ports.length; i++) {
    const [p, q] = [a.ports[i]!, b.ports[i]!];
    if (p.port !== q.port || p.protocol !== q.protocol || p.name !== q.name) return false;
  }
  return true;
}

/** Whether pods `a` and `b` have the same list in the CSR `start`/`list`. */
function sameList(start: Uint32Array, list: Int32Array, a: number, b: number): boolean {
  const a0 = start[a]!;
  const b0 = start[b]!;
  const length = start[a + 1]! - a0;
  if (start[b + 1]! - b0 !== length) return false;
  for (let k = 0; k < length; k++) if (list[a0 + k] !== list[b0 + k]) return false;
  return true;
}

/**
 * Groups classes by their isolating-policy list (CSR `start`/`list`, ascending policy
 * indexes per class), splitting by port signature where `split(class)` gives one, and
 * returns each class's profile and each profile's first class. Keys are hashes checked
 * against the group's first class, so no string is built per class.
 */
function groupPods(
  start: Uint32Array,
  list: Int32Array,
  split: (pod: number) => PortSignature | null,
): { ofClass: Uint32Array; reps: number[] } {
  const n = start.length - 1;
  const ofPod = new Uint32Array(n).fill(NONE);
  const reps: number[] = [];
  const signature: (PortSignature | null)[] = [];
  const byHash = new Map<number, number[]>();
  let previous = -1;
  for (let pod = 0; pod < n; pod++) {
    const a = start[pod]!;
    const b = start[pod + 1]!;
    if (a === b) continue;
    const sig = split(pod);
    // neighbours usually share a profile: try the previous class's first
    if (previous >= 0 && samePorts(signature[ofPod[previous]!]!, sig) && sameList(start, list, previous, pod)) {
      ofPod[pod] = ofPod[previous]!;
      previous = pod;
      continue;
    }
    let h = 2166136261;
    for (let k = a; k < b; k++) h = mix(h, list[k]!);
    if (sig !== null) h = mix(h, sig.hash);
    let group = byHash.get(h);
    if (group === undefined) byHash.set(h, (group = []));
    let id = -1;
    for (const g of group) if (samePorts(signature[g]!, sig) && sameList(start, list, reps[g]!, pod)) id = g;
    if (id < 0) {
      id = reps.length;
      reps.push(pod);
      signature.push(sig);
      group.push(id);
    }
    ofPod[pod] = id;
    previous = pod;
  }
  return { ofClass: ofPod, reps };
}

/**
 * The profiles of one side over the classes, given by a pod of each (`pods`).
 * `targets[p]` holds the classes policy `p` selects (its `spec.podSelector` in its
 * namespace, host-network rule applied; or a tier policy's subject). A profile's rules
 * keep the order of its policies (ascending index) and of their rules, the first
 * occurrence of a repeated rule id kept: first-match order.
 */
export function classProfiles(side: Side, pods: readonly Pod[], targets: readonly Int32Array[], input: ProfileInput, cache: CompileCache): Profiles {
  const n = pods.length;
  const policyRules = input.policyRules;
  // each pod's isolating policies as a CSR: counts, prefix sums, then the lists
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < targets.length; i++) {
    if (policyRules[i] === undefined) continue;
    const target = targets[i]!;
    for (let k = 0; k < target.length; k++) start[target[k]! + 1]!++;
  }
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const list = new Int32Array(start[n]!);
  const fill = start.slice(0, n);
  for (let i = 0; i < targets.length; i++) {
    if (policyRules[i] === undefined) continue;
    const target = targets[i]!;
    for (let k = 0; k < target.length; k++) list[fill[target[k]!]!++] = i;
  }
  const split = (pod: number): PortSignature | null => {
    if (side === 0) return null;
    for (let k = start[pod]!; k < start[pod + 1]!; k++) if (input.namedIngress[list[k]!] === true) return portSignature(pods[pod]!, cache);
    return null;
  };
  const groups = groupPods(start, list, split);
  // each group's distinct rule ids, in first-seen order (`seen` marks them per group)
  const seen = new Int32Array(input.ruleCount).fill(-1);
  const groupRules = groups.reps.map((pod, group) => {
    const ids: number[] = [];
    for (let k = start[pod]!; k < start[pod + 1]!; k++) {
      for (const r of policyRules[list[k]!]!) {
        if (seen[r] === group) continue;
        seen[r] = group;
        ids.push(r);
      }
    }
    return ids;
  });
  return mergeSameRules(groups, groupRules, split);
}

/**
 * The profiles of policy-list groups (`groups`, each group's rules `groupRules`), groups
 * with the same rules (and port signature) made one, numbered by first class still:
 * their classes get every verdict alike, and each profile costs `W` words of work rows
 * and of batch screen (42% of a 1M-pod cluster's ingress groups were copies of another).
 */
function mergeSameRules(groups: { ofClass: Uint32Array; reps: number[] }, groupRules: number[][], split: (pod: number) => PortSignature | null): Profiles {
  const profileOf = new Uint32Array(groups.reps.length);
  const reps: number[] = [];
  const ruleLists: number[][] = [];
  const byRules = new Map<string, number[]>();
  groupRules.forEach((ids, group) => {
    const rep = groups.reps[group]!;
    const key = ids.join(",");
    let candidates = byRules.get(key);
    if (candidates === undefined) byRules.set(key, (candidates = []));
    let profile = candidates.find((p) => samePorts(split(reps[p]!), split(rep)));
    if (profile === undefined) {
      profile = reps.length;
      reps.push(rep);
      ruleLists.push(ids);
      candidates.push(profile);
    }
    profileOf[group] = profile;
  });
  const ofClass = groups.ofClass.map((group) => (group === NONE ? NONE : profileOf[group]!));
  return { ofClass, reps, ruleLists };
}
