/**
 * The rules that decide how policies see a pod, shared by every evaluator, the
 * compiler and the CLI (one place each, so that they cannot drift apart).
 *
 * A host-network pod's traffic is its node's traffic: it carries the node's
 * addresses, not pod IPs. Under `hostNetwork: "host"` no policy selects it and no pod
 * selector matches it; in every mode, ipBlocks match it by those addresses, just as
 * they match any other address of the node, whatever `ipBlockMatchesPods` says (that
 * option is about pod IPs). See docs/semantics.md.
 *
 * The node-local clause: "traffic to and from the node where a Pod is running is
 * always allowed, regardless of the IP address of the Pod or the node" (the
 * NetworkPolicy concept page). Under `nodeLocal: "allow"` a side NetworkPolicy
 * isolates still allows a flow `nodeLocal` holds for; the cluster-scoped tiers are
 * not bound by it (their `nodes` peers exist to control that traffic).
 */
import type { Cluster, Endpoint, Options, Pod } from "./types.js";

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

/** The node an endpoint is on (null: unknown, or an address outside the cluster) and whether it is that node's own traffic. */
function placement(end: Endpoint, cluster: Pick<Cluster, "pods">): { readonly node: number | null; readonly host: boolean } {
  if (end.kind === "node") return { node: end.node, host: true };
  if (end.kind === "outside") return { node: null, host: false };
  const pod = cluster.pods[end.pod]!;
  return { node: pod.node, host: pod.hostNetwork };
}

/**
 * Whether a flow between `a` and `b` is node-local: both ends are on one known node
 * and one of them is that node's own traffic (the node, at any of its addresses, or
 * a host-network pod on it). A pod reaching itself is self traffic, never node-local;
 * two ordinary pods sharing a node are not node-local either.
 */
export function nodeLocal(a: Endpoint, b: Endpoint, cluster: Pick<Cluster, "pods">): boolean {
  if (a.kind === "pod" && b.kind === "pod" && a.pod === b.pod) return false;
  const [x, y] = [placement(a, cluster), placement(b, cluster)];
  return x.node !== null && x.node === y.node && (x.host || y.host);
}

/** Whether the node-local clause lets a side NetworkPolicy isolates allow the flow between `self` and `other`. */
export function nodeLocalAllows(self: Endpoint, other: Endpoint, cluster: Pick<Cluster, "pods">, options: Pick<Options, "nodeLocal">): boolean {
  return options.nodeLocal === "allow" && nodeLocal(self, other, cluster);
}
