/**
 * The compact cluster's DNS records (`cluster.dns`): the checks `decodeCluster` runs on
 * them. A record names one fully qualified domain (no wildcard: wildcards belong to
 * `domainNames` peers) and lists the addresses it resolves to; names are unique without
 * regard to case or a trailing dot.
 */
import type { ClusterDecoded } from "../decode/codecs.js";
import { parseAddress } from "../primitives/address.js";
import { canonicalDomainName, DNS_NAME_PATTERN } from "../primitives/domain-name.js";
import { quote } from "../primitives/issues.js";

/** Checks `cluster.dns`: names present, well formed and unique, addresses valid. */
export function checkDns(cluster: ClusterDecoded, report: (path: string, message: string) => void): void {
  const names = new Map<string, string>();
  (cluster.dns ?? []).forEach((record, i) => {
    const at = `dns[${i}]`;
    if (!record.name) report(`${at}.name`, "required value");
    else if (!DNS_NAME_PATTERN.test(record.name)) {
      report(`${at}.name`, `invalid value ${quote(record.name)}: must be a fully qualified domain name (labels of letters, digits, '-' and '_', at least two; no wildcard)`);
    } else {
      const canonical = canonicalDomainName(record.name);
      const first = names.get(canonical);
      if (first !== undefined) report(`${at}.name`, `duplicate DNS name ${quote(record.name)} (first as ${quote(first)})`);
      else names.set(canonical, record.name);
    }
    (record.ips ?? []).forEach((ip, j) => {
      if (parseAddress(ip) === null) report(`${at}.ips[${j}]`, `invalid value ${quote(ip)}: must be a valid IP address`);
    });
  });
}
