/**
 * A policy in plain English: whom it isolates for which directions, which endpoints of
 * the cluster it selects (as the engine answers it), and what each rule allows. What
 * `netpol explain` prints.
 */
import type { Policy, Rule } from "../ir/types.js";
import { peerText, portsText, selectorText } from "./words.js";

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
