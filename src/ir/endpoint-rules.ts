/**
 * The rules that decide how policies see a pod, shared by every evaluator, the
 * compiler and the CLI (one place each, so that they cannot drift apart).
 *
 * A host-network pod's traffic is its node's traffic: it carries the node's
 * addresses, not pod IPs. Under `hostNetwork: "host"` no policy selects it and no pod
 * selector matches it; in every mode, ipBlocks match it by those addresses, just as
 * they match any other address of the node, whatever `ipBlockMatchesPods` says (that
 * option is about pod IPs). See docs/semantics.md.
 */
import type { Options, Pod } from "./types.js";

/** Whether policies may select the pod and pod selectors match it (host-network pods are outside their reach under `hostNetwork: "host"`). */
export function policiesSelect(pod: Pick<Pod, "hostNetwork">, options: Pick<Options, "hostNetwork">): boolean {
  return !(pod.hostNetwork && options.hostNetwork === "host");
}

/** Whether ipBlock peers match the pod by its addresses: every pod under `ipBlockMatchesPods`, host-network pods always. */
export function ipBlocksSee(pod: Pick<Pod, "hostNetwork">, options: Pick<Options, "ipBlockMatchesPods">): boolean {
  return options.ipBlockMatchesPods || pod.hostNetwork;
}

/**
 * Whether the cluster-scoped tiers see the pod as a pod: as a subject and as the pod
 * of a `namespaces` or `pods` peer. Never a host-network pod, whatever `hostNetwork`
 * says ("host-networked pods are not included", in ClusterNetworkPolicy's API text);
 * the tiers reach it at its node instead (`nodes` peers) and by its addresses
 * (`networks` peers).
 */
export function tiersSeePod(pod: Pick<Pod, "hostNetwork">): boolean {
  return !pod.hostNetwork;
}
