/**
 * Nodes of the compact cluster: each node's name, labels and addresses (the
 * InternalIP and ExternalIP entries of a Node's `status.addresses`), and the checks
 * `decodeCluster` runs on them. A node's address stands for the node; host-network
 * pods share their node's addresses, no other pod may.
 */
import type { ClusterDecoded } from "../decode/codecs.js";
import { quote } from "../primitives/issues.js";
import { dns1123Subdomain } from "./names.js";
import { validateLabels } from "./network-policy.js";
import { scanAddress, wordsToBigInt } from "../primitives/address.js";
import { isFinished } from "../primitives/pod-phase.js";

/** The Node address types that are IP addresses of the node itself (`Hostname`, `InternalDNS`... are not). */
export const NODE_ADDRESS_TYPES: readonly string[] = ["InternalIP", "ExternalIP"];

/**
 * Checks `cluster.nodes` and the pods' `nodeName`: node names present, well formed and
 * unique, labels valid, addresses valid and owned by one node, never by a pod that is
 * not host-networked.
 */
export function checkNodes(cluster: ClusterDecoded, report: (path: string, message: string) => void): void {
  const names = new Set<string>();
  // each node address by value (IPv4 a number, IPv6 a BigInt): no canonical text is built
  const owners = new Map<number | bigint, string>();
  (cluster.nodes ?? []).forEach((node, i) => {
    const at = `nodes[${i}]`;
    if (!node.name) report(`${at}.name`, "required value");
    else {
      for (const m of dns1123Subdomain(node.name)) report(`${at}.name`, `invalid value ${quote(node.name)}: ${m}`);
      if (names.has(node.name)) report(`${at}.name`, `duplicate node ${quote(node.name)}`);
      names.add(node.name);
    }
    if (node.labels) validateLabels(node.labels, `${at}.labels`, report);
    (node.ips ?? []).forEach((ip, j) => {
      const address = addressKey(ip);
      if (address === null) report(`${at}.ips[${j}]`, `invalid value ${quote(ip)}: must be a valid IP address`);
      else {
        const owner = owners.get(address);
        if (owner !== undefined && owner !== node.name) report(`${at}.ips[${j}]`, `IP ${quote(ip)} already belongs to node ${quote(owner)}`);
        else owners.set(address, node.name ?? "");
      }
    });
  });
  const pods = cluster.pods ?? [];
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i]!;
    if (pod.nodeName && dns1123Subdomain(pod.nodeName).length > 0) {
      for (const m of dns1123Subdomain(pod.nodeName)) report(`pods[${i}].nodeName`, `invalid value ${quote(pod.nodeName)}: ${m}`);
    }
    // a host-network pod shares its node's address; a finished pod's addresses belong to no one
    if (pod.hostNetwork === true || isFinished(pod.phase) || owners.size === 0) continue;
    const ips = pod.ips ?? [];
    for (let j = 0; j < ips.length; j++) {
      const address = addressKey(ips[j]!);
      const owner = address === null ? undefined : owners.get(address);
      if (owner !== undefined) report(`pods[${i}].ips[${j}]`, `IP ${quote(ips[j]!)} belongs to node ${quote(owner)}; only a host-network pod may share its node's address`);
    }
  }
}

const scanned = new Uint32Array(4);

/** An address's value, equal for equal addresses however written (IPv4 a u32, IPv6 a BigInt); null when `text` is none. */
function addressKey(text: string): number | bigint | null {
  const family = scanAddress(text, scanned);
  return family === 0 ? null : family === 4 ? scanned[0]! : wordsToBigInt(scanned);
}
