/**
 * Domain names as ClusterNetworkPolicy's `domainNames` peers read them, one place for
 * the pattern, the canonical form and the wildcard rule (validation, normalization,
 * the cluster's DNS records and both evaluators use these).
 *
 * From `DomainName` in network-policy-api `apis/v1alpha2/clusternetworkpolicy_types.go`:
 * "DomainName can be an exact match, or use the wildcard specifier '*' to match one or
 * more labels. '*', the wildcard specifier, matches one or more entire labels. It does
 * not support partial matches. '*' may only be specified as a prefix." So
 * `*.kubernetes.io` matches `www.kubernetes.io` and `latest.blog.kubernetes.io`, not
 * `kubernetes.io`. DNS names compare without regard to case (RFC 4343), and a
 * trailing dot (the pattern allows one) names the same fully qualified name.
 */

/** The `domainNames` item pattern of the CRDs (v1alpha2 and v1alpha1 ANP), as written upstream (`A-z` included). */
export const DOMAIN_NAME_PATTERN = /^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

/** The same pattern without the wildcard prefix: a name a DNS record may have. */
export const DNS_NAME_PATTERN = /^([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

/** The canonical form of a name or wildcard: lower case, without a trailing dot. */
export function canonicalDomainName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/**
 * Whether `pattern` (a canonical `domainNames` entry) matches `name` (a canonical DNS
 * name): the same name, or for `*.rest`, a name ending in `.rest` with one or more
 * labels before it.
 */
export function domainNameMatches(pattern: string, name: string): boolean {
  if (!pattern.startsWith("*.")) return pattern === name;
  const suffix = pattern.slice(1); // ".rest"
  return name.length > suffix.length && name.endsWith(suffix);
}
