/**
 * Which pods policies can select, decided once for the reference evaluator, the
 * compiler and every view: every pod, except host-network pods under
 * `hostNetwork: "host"` (the default), which no policy selects (they are never
 * isolated) and no pod selector matches; only ipBlocks see them, by their IPs.
 */
import type { Options, Pod } from "./types.js";

/** Whether policies may select `pod` (and pod selectors match it) under `options`. */
export function selectable(pod: Pick<Pod, "hostNetwork">, options: Pick<Options, "hostNetwork">): boolean {
  return !(pod.hostNetwork && options.hostNetwork === "host");
}
