/**
 * Finished pods: a pod in phase `Succeeded` or `Failed` has stopped for good (core/v1
 * PodPhase: "All containers in the Pod have terminated ... and will not be
 * restarted") and is no endpoint: its sandbox and IP are released while
 * `status.podIP` keeps the old address (kubernetes/kubernetes#47806 keeps it on
 * purpose), and the IP is handed to new pods. Kubernetes and network plugins ignore
 * such pods: the EndpointSlice controller (`ShouldPodBeInEndpoints`: "Terminal" pods
 * are left out), Calico (`IsFinished` in libcalico-go's conversion), kube-router,
 * Antrea and Azure NPM (their issues about reused IPs of completed Jobs).
 *
 * This is the one place that decides it; every reader of pods calls `isFinished`.
 */
import { quote } from "./issues.js";

/** The values of core/v1 PodPhase. */
export const POD_PHASES = ["Pending", "Running", "Succeeded", "Failed", "Unknown"] as const;

/** Whether a pod in `phase` (`status.phase`; absent for a pod not yet reported) has finished. */
export function isFinished(phase: string | null | undefined): boolean {
  return phase === "Succeeded" || phase === "Failed";
}

/** The warning for a finished pod that is left out. */
export function finishedPodMessage(id: string, phase: string): string {
  return `pod ${quote(id)} has finished (phase ${quote(phase)}): not an endpoint, its IPs may belong to another pod now`;
}
