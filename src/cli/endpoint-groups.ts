/**
 * How the connection commands name the engine's pods: by pod (the user-facing ids of
 * `Endpoints`: a workload standing for its pods is already `namespace/kind/name`) or
 * by workload (a given pod its controller's workload, from `Manifests.podWorkloads`;
 * a StatefulSet's ordinal pods their StatefulSet; an orphan pod itself).
 */
import { namespacedName } from "../primitives/kubernetes.js";
import { workloadId } from "../manifests/workloads.js";
import type { Loaded } from "./load.js";

/** The `--by` values. */
export const GROUPINGS = ["pod", "workload"] as const;

/** A `--by` value. */
export type Grouping = (typeof GROUPINGS)[number];

/** The endpoint name of each engine pod, in engine order (`ConnectionOptions.groups`). */
export function endpointGroups(loaded: Loaded, by: Grouping): string[] {
  const { engine, endpoints, manifests } = loaded;
  if (by === "pod") return [...endpoints.ids];
  const entries = new Map(manifests.pods.map((p) => [namespacedName(p), p]));
  return engine.pods.map((id, i) => {
    const entry = entries.get(id);
    if (entry?.workload?.ordinal !== undefined) return workloadId(entry.namespace, entry.workload.kind, entry.workload.name);
    return manifests.podWorkloads?.get(id) ?? endpoints.ids[i]!;
  });
}
