/**
 * The words for the IR's parts: selectors, peers and ports in plain English, the way
 * the NetworkPolicy documentation reads its own example ("pods with label role=db",
 * "IP addresses in 172.17.0.0/16 except 172.17.1.0/24", "TCP port 6379"), and the
 * cluster-scoped tiers' subjects, peers and ports likewise. Every view names them
 * through these.
 */
import type { Peer, PortMatch, TierPeer } from "../ir/types.js";
import type { Requirement, Selector } from "../primitives/selector.js";

function requirementText(r: Requirement): string {
  switch (r.operator) {
    case "In":
      return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(", ")})`;
    case "NotIn":
      return `${r.key} not in (${r.values.join(", ")})`;
    case "Exists":
      return `${r.key} (any value)`;
    case "DoesNotExist":
      return `no ${r.key} label`;
  }
}

/** `pods with label role=db`, `all pods`, `namespaces with labels a=b, c in (d, e)`. */
export function selectorText(selector: Selector, noun: "pods" | "namespaces" | "nodes"): string {
  const conditions = selector.requirements.map(requirementText);
  if (conditions.length === 0) return `all ${noun}`;
  return `${noun} with label${conditions.length === 1 ? "" : "s"} ${conditions.join(", ")}`;
}

/** Who a peer admits, e.g. `pods with label role=frontend in namespace default`. */
export function peerText(peer: Peer): string {
  if (peer.kind === "ipBlock") {
    return `IP addresses in ${peer.cidr}${peer.except.length > 0 ? ` except ${peer.except.join(", ")}` : ""}`;
  }
  const pods = selectorText(peer.pods, "pods");
  if (peer.namespaces.kind === "namespace") return `${pods} in namespace ${peer.namespaces.name}`;
  if (peer.namespaces.selector.requirements.length === 0) return `${pods} in every namespace`;
  return `${pods} in ${selectorText(peer.namespaces.selector, "namespaces")}`;
}

/** A port condition, e.g. `TCP port 6379`, `TCP ports 32000-32768`, `the UDP port named dns`. */
export function portText(port: PortMatch): string {
  if (port.kind === "named") return `the ${port.protocol} port named ${port.name}`;
  if (port.first === 1 && port.last === 65535) return `every ${port.protocol} port`;
  return port.first === port.last ? `${port.protocol} port ${port.first}` : `${port.protocol} ports ${port.first}-${port.last}`;
}

/** `a`, `a or b`, `a, b or c`. */
export const listText = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;

/** `on TCP port 80 or UDP port 53`, or `on every port`. */
export function portsText(ports: readonly PortMatch[] | null): string {
  return ports === null ? "on every port" : `on ${listText(ports.map(portText))}`;
}

/** Where a tier peer or subject looks: `every namespace`, or `namespaces with label team=a`. */
function namespacesText(selector: Selector): string {
  return selector.requirements.length === 0 ? "every namespace" : selectorText(selector, "namespaces");
}

/** The pods a cluster-scoped policy's subject holds, e.g. `pods with label app=db in namespaces with label env=prod`. */
export function subjectText(subject: { readonly namespaces: Selector; readonly pods: Selector }): string {
  return `${selectorText(subject.pods, "pods")} in ${namespacesText(subject.namespaces)}`;
}

/** Who a tier rule's peer holds, e.g. `all pods in namespaces with label team=a`, `nodes with label role=worker`, `addresses in 10.0.0.0/8`. */
export function tierPeerText(peer: TierPeer): string {
  switch (peer.kind) {
    case "pods":
      return `${selectorText(peer.pods, "pods")} in ${namespacesText(peer.namespaces)}`;
    case "nodes":
      return peer.selector.requirements.length === 0 ? "every node" : selectorText(peer.selector, "nodes");
    case "networks":
      return `addresses in ${peer.cidrs.join(", ")}`;
    case "domainNames":
      return `domain names ${peer.names.join(", ")} (the addresses of the cluster's DNS records for them)`;
  }
}

/** A tier rule's port condition: as `portText`, a named port without a protocol (it takes the container port's). */
export function tierPortText(port: PortMatch): string {
  return port.kind === "named" ? `the port named ${port.name}` : portText(port);
}
