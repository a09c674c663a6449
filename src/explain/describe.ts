/**
 * Policies and verdicts in plain English, built from the IR and the `Explanation`
 * data: the reading the NetworkPolicy documentation gives of its own example
 * ("isolates role=db pods in namespace default for ingress; allows connections from
 * ... on TCP port 6379").
 */
import type { Explanation, RuleRef, SideExplanation } from "../api/explanation.js";
import type { Peer, Policy, PortMatch, Rule, RuleSet } from "../ir/types.js";
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
export function selectorText(selector: Selector, noun: "pods" | "namespaces"): string {
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

const listText = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;

/** `on TCP port 80 or UDP port 53`, or `on every port`. */
export function portsText(ports: readonly PortMatch[] | null): string {
  return ports === null ? "on every port" : `on ${listText(ports.map(portText))}`;
}

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

/** The rule, peer and port a rule reference points at, in words. */
export function ruleRefText(rules: RuleSet, ref: RuleRef): string {
  const policy = rules.policies[ref.policy.index];
  const list = ref.direction === "Ingress" ? policy?.ingress : policy?.egress;
  const rule = list?.[ref.rule];
  const dir = ref.direction === "Ingress" ? "ingress" : "egress";
  const field = ref.direction === "Ingress" ? "from" : "to";
  const where = `${ref.policy.name} ${dir} rule ${ref.rule}`;
  if (rule === undefined) return where;
  const peer = ref.peer === null ? "any peer" : `${field}[${ref.peer}] ${peerText(rule.peers![ref.peer]!)}`;
  const port = ref.port === null ? "every port" : `ports[${ref.port}] ${portText(rule.ports![ref.port]!)}`;
  return `${where}: ${peer}, ${port}`;
}

/** One side of an explanation as lines; `end` names the endpoint (left out, equal sides read alike). */
export function sideLines(rules: RuleSet, side: SideExplanation, end?: string): string[] {
  const dir = `${side.direction === "Egress" ? "egress" : "ingress"}${end !== undefined ? ` of ${end}` : ""}`;
  switch (side.reason) {
    case "outside":
      return [`${dir}: allowed, an address outside the cluster, which no policy governs`];
    case "host-network":
      return [`${dir}: allowed, a host-network pod, which no policy selects`];
    case "self":
      return [`${dir}: allowed, a pod may always reach itself`];
    case "not-isolated":
      return [`${dir}: allowed, no policy selects it for ${side.direction === "Egress" ? "egress" : "ingress"}`];
    case "rule":
      return [
        `${dir}: allowed, isolated by ${side.isolatedBy.map((p) => p.name).join(", ")}; allowed by:`,
        ...side.allowedBy.map((r) => `  ${ruleRefText(rules, r)}`),
      ];
    case "no-rule":
      return [
        `${dir}: denied, isolated by ${side.isolatedBy.map((p) => p.name).join(", ")} and no ${side.direction === "Egress" ? "egress" : "ingress"} rule allows it`,
      ];
  }
}

/** An explanation as lines: the source's egress, then the destination's ingress. */
export function explanationLines(rules: RuleSet, e: Explanation, from?: string, to?: string): string[] {
  return [...sideLines(rules, e.egress, from), ...sideLines(rules, e.ingress, to)];
}
