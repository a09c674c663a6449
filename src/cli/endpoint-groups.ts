/**
 * How the connection commands name the engine's pods: by pod (the engine's ids: a
 * workload standing for its pods is already `namespace/kind/name`) or by workload (a
 * pod of a workload, given or a StatefulSet's ordinal stand-in, its workload's
 * `namespace/kind/name`, from the pod's `workload`; any other pod itself).
 */
import { podEntryId } from "../manifests/entries.js";
import { workloadId } from "../primitives/endpoint-names.js";
import type { Loaded } from "./load.js";

/** The `--by` values. */
export const GROUPINGS = ["pod", "workload"] as const;

/** A `--by` value. */
export type Grouping = (typeof GROUPINGS)[number];

/** The endpoint name of each engine pod, in engine order (`ConnectionOptions.groups`). */
export function endpointGroups(loaded: Loaded, by: Grouping): string[] {
  const { engine, manifests } = loaded;
  if (by === "pod") return [...engine.pods];
  const entries = new Map(manifests.pods.map((p) => [podEntryId(p), p]));
  return engine.pods.map((id) => {
    const workload = entries.get(id)?.workload;
    return workload !== undefined ? workloadId(entries.get(id)!.namespace, workload.kind, workload.name) : id;
  });
}
