/**
 * What a ClusterNetworkPolicy `domainNames` peer holds: the addresses of the cluster's
 * DNS records (`Cluster.dns`) whose names one of its entries matches
 * (`domainNameMatches`: exact, or `*.` for one or more labels). Like a `networks` peer,
 * it holds pods and nodes by those addresses too (NPEP-133: selecting a pod by its DNS
 * record "is analogous to selecting the Pod by its IP address using the Network
 * selector"). Without records it holds nothing. Both evaluators and the compiler read
 * it from here.
 */
import type { Address } from "../primitives/address.js";
import { domainNameMatches } from "../primitives/domain-name.js";
import type { Cluster } from "./types.js";

/** The addresses `names` (canonical `domainNames` entries) resolve to in the cluster's DNS records, each once, in record order. */
export function domainAddresses(names: readonly string[], dns: Cluster["dns"]): Address[] {
  const out = new Map<string, Address>();
  for (const [name, addresses] of dns) {
    if (!names.some((pattern) => domainNameMatches(pattern, name))) continue;
    for (const address of addresses) out.set(address.text, address);
  }
  return [...out.values()];
}
