/**
 * Why one cell is what it is: the verdict, then each side (the source's egress, the
 * destination's ingress) from the `Explanation` data, with every policy named linking
 * to its place in the manifests, and the library's own text rendering below.
 */
import { explanationText, type Decision, type PolicyRef, type RuleRef, type SideExplanation } from "../../../src/index.js";
import type { PortChoice } from "./analysis.js";
import { h } from "./dom.js";

/** The flow a decision is about. */
export interface ExplainedFlow extends PortChoice {
  readonly from: string;
  readonly to: string;
}

/** Where the view sends a click on a policy: its index in the policy list. */
export type ShowPolicy = (policy: PolicyRef) => void;

const REASONS: Readonly<Record<SideExplanation["reason"], string>> = {
  outside: "this end is outside the cluster, so nothing isolates it",
  node: "this end is a node, which no policy selects",
  admin: "an Admin-tier cluster network policy rule decided",
  baseline: "a Baseline-tier cluster network policy rule decided",
  "host-network": "a host-network pod, which no policy selects",
  "not-isolated": "no policy selects this pod for this direction",
  rule: "the pod is isolated, and a rule allows the flow",
  "no-rule": "the pod is isolated, and no rule allows the flow",
  self: "a pod may always reach itself (option selfTraffic: allow)",
};

function policyLink(policy: PolicyRef, show: ShowPolicy): HTMLButtonElement {
  const button = h("button", { type: "button", class: "link", title: "show in the manifests" }, policy.name);
  button.addEventListener("click", () => show(policy));
  return button;
}

function ruleItem(rule: RuleRef, show: ShowPolicy): HTMLLIElement {
  const peer = rule.peer === null ? "any peer" : `peer ${rule.peer}`;
  const port = rule.port === null ? "any port" : `port ${rule.port}`;
  return h("li", {}, policyLink(rule.policy, show), ` ${rule.direction.toLowerCase()} rule ${rule.rule} (${peer}, ${port})`);
}

function sideView(side: SideExplanation, end: string, show: ShowPolicy): HTMLElement {
  const verdict = side.allowed ? "allowed" : "denied";
  const section = h(
    "section",
    { class: "side", "data-direction": side.direction },
    h("h3", {}, `${side.direction} of `, h("code", {}, end), " ", h("span", { class: `badge ${verdict}` }, verdict)),
    h("p", {}, REASONS[side.reason]),
  );
  if (side.isolatedBy.length > 0) {
    const list = h("ul", {}, ...side.isolatedBy.map((p) => h("li", {}, policyLink(p, show))));
    section.append(h("p", { class: "label" }, "isolated by"), list);
  }
  if (side.allowedBy.length > 0) {
    section.append(h("p", { class: "label" }, "allowed by"), h("ul", {}, ...side.allowedBy.map((r) => ruleItem(r, show))));
  }
  return section;
}

/** Fills `container` with the explanation of `decision` for `flow`. */
export function renderExplanation(container: HTMLElement, decision: Decision, flow: ExplainedFlow, show: ShowPolicy): void {
  const verdict = decision.allowed ? "allowed" : "denied";
  const { egress, ingress } = decision.explanation;
  container.dataset.verdict = verdict;
  container.replaceChildren(
    h("h2", {}, h("span", { class: `badge ${verdict}` }, verdict), " ", h("code", {}, flow.from), " → ", h("code", {}, flow.to), ` on ${flow.protocol}/${flow.port}`),
    h("div", { class: "sides" }, sideView(egress, flow.from, show), sideView(ingress, flow.to, show)),
    h("details", {}, h("summary", {}, "as text"), h("pre", { id: "explanation-text" }, explanationText(decision.explanation, flow.from, flow.to))),
  );
}

/** Shows `message` in place of an explanation. */
export function clearExplanation(container: HTMLElement, message: string): void {
  delete container.dataset.verdict;
  container.replaceChildren(h("p", { class: "hint" }, message));
}
