/**
 * Why one cell is what it is: the verdict, then each side (the source's egress, the
 * destination's ingress) as the library describes it (`describeDecision`), with every
 * policy named linking to its place in the manifests, and the library's text below.
 * Nothing here decides or words a reason itself.
 */
import { describeDecision, explanationText, type Decision, type DescribedRule, type DescribedSide, type PolicyRef, type RuleSet } from "../../../src/index.js";
import type { PortChoice } from "./analysis.js";
import { h } from "./dom.js";

/** The flow a decision is about. */
export interface ExplainedFlow extends PortChoice {
  readonly from: string;
  readonly to: string;
}

/** Where the view sends a click on a policy: its index in the policy list. */
export type ShowPolicy = (policy: PolicyRef) => void;

function policyLink(policy: PolicyRef, show: ShowPolicy): HTMLButtonElement {
  const button = h("button", { type: "button", class: "link", title: "show in the manifests" }, policy.name);
  button.addEventListener("click", () => show(policy));
  return button;
}

function ruleItem(rule: DescribedRule, show: ShowPolicy): HTMLLIElement {
  return h("li", {}, policyLink(rule.ref.policy, show), ` ${rule.rule}: ${rule.peer}, ${rule.port}`);
}

function sideView(side: DescribedSide, show: ShowPolicy): HTMLElement {
  const verdict = side.allowed ? "allowed" : "denied";
  const section = h(
    "section",
    { class: "side", "data-direction": side.direction },
    h("h3", {}, `${side.direction} of `, h("code", {}, side.end ?? ""), " ", h("span", { class: `badge ${verdict}` }, verdict)),
    h("p", {}, side.summary),
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

/** Fills `container` with the explanation of `decision` for `flow`; `rules` (the engine's) names peers and ports. */
export function renderExplanation(container: HTMLElement, decision: Decision, flow: ExplainedFlow, rules: RuleSet, show: ShowPolicy): void {
  const verdict = decision.allowed ? "allowed" : "denied";
  const described = describeDecision(decision.explanation, { rules, from: flow.from, to: flow.to });
  container.dataset.verdict = verdict;
  container.replaceChildren(
    h("h2", {}, h("span", { class: `badge ${verdict}` }, verdict), " ", h("code", {}, flow.from), " → ", h("code", {}, flow.to), ` on ${flow.protocol}/${flow.port}`),
    h("div", { class: "sides" }, sideView(described.egress, show), sideView(described.ingress, show)),
    h("details", {}, h("summary", {}, "as text"), h("pre", { id: "explanation-text" }, explanationText(decision.explanation, flow.from, flow.to, rules))),
  );
}

/** Shows `message` in place of an explanation. */
export function clearExplanation(container: HTMLElement, message: string): void {
  delete container.dataset.verdict;
  container.replaceChildren(h("p", { class: "hint" }, message));
}
