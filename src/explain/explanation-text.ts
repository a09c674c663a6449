/**
 * An explanation as two lines of plain text.
 */
import type { Explanation, SideExplanation } from "../api/explanation.js";
import { NetpolValidationError, quote } from "../primitives/issues.js";

function side(s: SideExplanation, end: string): string {
  const dir = s.direction === "Egress" ? "egress" : "ingress";
  switch (s.reason) {
    case "outside":
      return `${dir}: allowed, ${end} is outside the cluster`;
    case "host-network":
      return `${dir}: allowed, ${end} is a host-network pod, which no policy selects`;
    case "self":
      return `${dir}: allowed, a pod may always reach itself (selfTraffic: allow)`;
    case "not-isolated":
      return `${dir}: allowed, no policy selects ${end} for ${dir}`;
    case "rule": {
      const r = s.allowedBy[0]!;
      const peer = r.peer === null ? "any peer" : `peer ${r.peer}`;
      const port = r.port === null ? "any port" : `port ${r.port}`;
      return `${dir}: allowed by ${r.policy.name} ${dir} rule ${r.rule} (${peer}, ${port})`;
    }
    case "no-rule":
      return `${dir}: denied, ${end} is isolated by ${s.isolatedBy.map((p) => p.name).join(", ")} and no ${dir} rule allows the flow`;
  }
}

/** A two-line plain-text rendering of an explanation. Throws `NetpolValidationError` for anything but an explanation. */
export function explanationText(e: Explanation, from: string, to: string): string {
  const sideOk = (s: unknown): boolean =>
    typeof s === "object" && s !== null && typeof (s as SideExplanation).reason === "string" && Array.isArray((s as SideExplanation).isolatedBy) && Array.isArray((s as SideExplanation).allowedBy);
  if (typeof e !== "object" || e === null || typeof e.allowed !== "boolean" || !sideOk(e.egress) || !sideOk(e.ingress)) {
    throw new NetpolValidationError([{ path: "explanation", message: `expected an engine's explanation, got ${quote(e)}` }]);
  }
  if (typeof from !== "string" || typeof to !== "string") throw new NetpolValidationError([{ path: typeof from !== "string" ? "from" : "to", message: "expected the endpoint's name" }]);
  return `${e.allowed ? "allowed" : "denied"}\n  ${side(e.egress, from)}\n  ${side(e.ingress, to)}`;
}
