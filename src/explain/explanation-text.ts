/**
 * An explanation as two lines of plain text.
 */
import type { Explanation, SideExplanation } from "../api/explanation.js";
import { tierRuleText } from "./tiers.js";

function side(s: SideExplanation, end: string): string {
  const dir = s.direction === "Egress" ? "egress" : "ingress";
  // an Admin-tier Pass that let the side go on to the next tiers
  const passed = s.admin?.matched ? `${tierRuleText(s.admin.matched, s.admin.ties)}, then ` : "";
  switch (s.reason) {
    case "outside":
      return `${dir}: allowed, ${end} is outside the cluster`;
    case "node":
      return `${dir}: allowed, ${end} is a node, which no policy selects`;
    case "admin":
      return `${dir}: ${s.allowed ? "allowed" : "denied"}, ${tierRuleText(s.admin!.matched!, s.admin!.ties)}`;
    case "baseline":
      return `${dir}: ${passed}${s.allowed ? "allowed" : "denied"}, ${tierRuleText(s.baseline!.matched!, s.baseline!.ties)}`;
    case "host-network":
      return `${dir}: allowed, ${end} is a host-network pod, which no policy selects`;
    case "self":
      return `${dir}: allowed, a pod may always reach itself (selfTraffic: allow)`;
    case "not-isolated": {
      const baseline = s.baseline?.matched ? `${tierRuleText(s.baseline.matched, s.baseline.ties)}, then ` : "";
      return `${dir}: ${passed}${baseline}allowed, no policy selects ${end} for ${dir}`;
    }
    case "rule": {
      const r = s.allowedBy[0]!;
      const peer = r.peer === null ? "any peer" : `peer ${r.peer}`;
      const port = r.port === null ? "any port" : `port ${r.port}`;
      return `${dir}: ${passed}allowed by ${r.policy.name} ${dir} rule ${r.rule} (${peer}, ${port})`;
    }
    case "no-rule":
      return `${dir}: ${passed}denied, ${end} is isolated by ${s.isolatedBy.map((p) => p.name).join(", ")} and no ${dir} rule allows the flow`;
  }
}

/** A two-line plain-text rendering of an explanation. */
export function explanationText(e: Explanation, from: string, to: string): string {
  return `${e.allowed ? "allowed" : "denied"}\n  ${side(e.egress, from)}\n  ${side(e.ingress, to)}`;
}
