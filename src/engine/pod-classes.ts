/**
 * Pod classes for `connections`: pods that no policy tells apart.
 *
 * What a pod-to-pod verdict reads of a pod (the reference evaluator, `reference/`):
 * its namespace (name, and labels through it), its labels, its container ports (named
 * ports), whether it is on the host network and its node (node peers, and where a
 * host-network pod is reached), its addresses (ipBlock and `networks` peers), and its
 * index only to know whether a flow is a pod reaching itself. Every verdict between
 * two distinct pods therefore depends on the pods only through their signatures:
 * those fields, with each address replaced by the address range it falls in when the
 * address space is cut at every ipBlock / `networks` boundary (`AddressCuts`): within
 * such a range every peer matches every address or none. Pods of one signature are
 * one class: any two distinct pods of classes a and b have the verdicts of a's
 * representative towards b's (towards a's second pod when a = b), and a pod reaching
 * itself has its representative's.
 *
 * Verdicts between representatives do not depend on the other pods either, so an
 * engine over the representatives alone (`representativeModel`) answers them: its
 * matrices are classes × classes instead of pods × pods.
 */
import { clusterLookups, type Model } from "./model.js";

/** Per address family, the sorted first addresses of the ranges the address space is cut into (the first is 0). */
export interface AddressCuts {
  readonly 4: readonly bigint[];
  readonly 6: readonly bigint[];
}

/** Pods grouped by signature (see the module comment). */
export interface PodClasses {
  /** Each pod's class (pod index space → class index space). */
  readonly classOf: Uint32Array;
  /** Each class's first pod, ascending: its representative. */
  readonly reps: Uint32Array;
  /** Each class's second pod, or -1 when the class has one pod. */
  readonly seconds: Int32Array;
}

/** The index of the range of `cuts` holding `value`: the last cut at or below it. */
function rangeIndex(cuts: readonly bigint[], value: bigint): number {
  let lo = 0;
  let hi = cuts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (cuts[mid]! <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The classes of `model`'s pods, with addresses placed in the ranges of `cuts`. */
export function podClasses(model: Model, cuts: AddressCuts): PodClasses {
  const pods = model.cluster.pods;
  const classOf = new Uint32Array(pods.length);
  const reps: number[] = [];
  const seconds: number[] = [];
  const bySignature = new Map<string, number>();
  // label maps and port lists are often shared between pods: key each object once
  const labelKeys = new Map<object, string>();
  const portKeys = new Map<object, string>();
  for (const pod of pods) {
    let labels = labelKeys.get(pod.labels);
    if (labels === undefined) labelKeys.set(pod.labels, (labels = JSON.stringify([...pod.labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))));
    let ports = portKeys.get(pod.ports);
    if (ports === undefined) portKeys.set(pod.ports, (ports = JSON.stringify(pod.ports)));
    const addresses = pod.ips.map((ip) => `${ip.family}:${rangeIndex(cuts[ip.family], ip.value)}`).join(",");
    const signature = `${pod.namespace}\0${labels}\0${ports}\0${pod.hostNetwork}\0${pod.node ?? ""}\0${addresses}`;
    const found = bySignature.get(signature);
    if (found === undefined) {
      bySignature.set(signature, reps.length);
      classOf[pod.index] = reps.length;
      reps.push(pod.index);
      seconds.push(-1);
    } else {
      classOf[pod.index] = found;
      if (seconds[found] === -1) seconds[found] = pod.index;
    }
  }
  return { classOf, reps: Uint32Array.from(reps), seconds: Int32Array.from(seconds) };
}

/** `model` with only the pods `pods` (ascending pod indexes), re-indexed in that order; rules, nodes and options unchanged. */
export function representativeModel(model: Model, pods: ArrayLike<number>): Model {
  const cluster = {
    namespaces: model.cluster.namespaces,
    nodes: model.cluster.nodes,
    pods: Array.from(pods, (p, index) => ({ ...model.cluster.pods[p]!, index })),
    services: model.cluster.services,
  };
  return { ...model, cluster, ...clusterLookups(cluster) };
}

