/**
 * A policy in plain English: whom it isolates for which directions, which endpoints of
 * the cluster it selects (as the engine answers it), and what each rule allows; a
 * cluster-scoped policy likewise, with its tier, priority and each rule's action in
 * evaluation order. What `netpol explain` prints.
 */
import type { ClusterPolicy, Policy, PortMatch, Rule, TierRule } from "../ir/types.js";
import { listText, peerText, portsText, selectorText, subjectText, tierPeerText, tierPortText } from "./words.js";

/** One rule as lines: what it allows, from or to whom. */
export function ruleLines(rule: Rule): string[] {
  const towards = rule.origin.direction === "Ingress" ? "from" : "to";
  const field = rule.origin.direction === "Ingress" ? "from" : "to";
  if (rule.peers === null) return [`allows connections ${towards} anywhere (every pod and every address) ${portsText(rule.ports)}`];
  if (rule.peers.length === 1) return [`allows connections ${towards} ${peerText(rule.peers[0]!)} ${portsText(rule.ports)}`];
  return [
    `allows connections ${portsText(rule.ports)} ${towards} any of:`,
    ...rule.peers.map((p) => `  - ${peerText(p)} (${field}[${p.index}])`),
  ];
}

/** The directions a policy isolates, e.g. `ingress and egress`. */
export function directionsText(policy: Policy): string {
  const dirs = [policy.ingress !== null ? "ingress" : null, policy.egress !== null ? "egress" : null].filter((d) => d !== null);
  return dirs.join(" and ");
}

/** A whole policy in plain English; `selected` lists the endpoints it selects in this cluster. */
export function policyLines(policy: Policy, selected: readonly string[]): string[] {
  const lines = [
    `isolates ${selectorText(policy.target, "pods")} in namespace ${policy.namespace} for ${directionsText(policy)} (if they were not already isolated)`,
    selected.length === 0 ? "selects no endpoint of this cluster" : `selects ${selected.join(", ")}`,
  ];
  for (const [name, rules] of [
    ["ingress", policy.ingress],
    ["egress", policy.egress],
  ] as const) {
    if (rules === null) continue;
    if (rules.length === 0) lines.push(`${name}: allows no connections (deny all ${name})`);
    rules.forEach((rule, i) => {
      const [first, ...rest] = ruleLines(rule);
      lines.push(`${name} rule ${i}: ${first}`, ...rest.map((l) => `  ${l}`));
    });
  }
  return lines;
}

/** A tier rule's ports in words: `on TCP port 80 or the port named web`, `on every port`; a named entry once. */
function tierPortsText(ports: readonly PortMatch[] | null): string {
  if (ports === null) return "on every port";
  const words = [...new Set(ports.map(tierPortText))];
  return words.length === 0 ? "on no port (none of its entries can match)" : `on ${listText(words)}`;
}

/** One tier rule as lines: what its action does to which connections. */
export function tierRuleLines(rule: TierRule): string[] {
  const towards = rule.origin.direction === "Ingress" ? "from" : "to";
  const verb = rule.action === "Accept" ? "accepts" : rule.action === "Deny" ? "denies" : "passes to the next tier";
  if (rule.peers.length === 1) return [`${verb} connections ${towards} ${tierPeerText(rule.peers[0]!)} ${tierPortsText(rule.ports)}`];
  return [`${verb} connections ${tierPortsText(rule.ports)} ${towards} any of:`, ...rule.peers.map((p) => `  - ${tierPeerText(p)} (${towards}[${p.index}])`)];
}

/**
 * A cluster-scoped policy in plain English: its tier and priority, its subject and
 * the endpoints of the cluster it holds (`subject`), then each rule in the order it is
 * evaluated. What `netpol explain` prints after the NetworkPolicies.
 */
export function clusterPolicyLines(policy: ClusterPolicy, subject: readonly string[]): string[] {
  const place = policy.priority === null ? "after every Baseline ClusterNetworkPolicy (a BaselineAdminNetworkPolicy has no priority)" : `priority ${policy.priority}`;
  const lines = [
    `${policy.tier} tier, ${place}: applies to ${subjectText(policy.subject)} (never host-network pods)`,
    subject.length === 0 ? "holds no endpoint of this cluster" : `holds ${subject.join(", ")}`,
  ];
  for (const [name, rules] of [
    ["ingress", policy.ingress],
    ["egress", policy.egress],
  ] as const) {
    if (rules.length === 0) lines.push(`${name}: no rules, so it does not affect ${name}`);
    rules.forEach((rule, i) => {
      const [first, ...rest] = tierRuleLines(rule);
      lines.push(`${name} rule ${i}${rule.name === null ? "" : ` "${rule.name}"`}: ${first}`, ...rest.map((l) => `  ${l}`));
    });
  }
  return lines;
}
