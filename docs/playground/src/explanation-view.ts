/**
 * Why one cell is what it is: the verdict, then each side (the source's egress, the
 * destination's ingress) as the library describes it (`describeDecision`), with every
 * policy named linking to its place in the manifests, and the library's text below.
 * Nothing here decides or words a reason itself.
 */
import {
  describeDecision,
  explanationText,
  type ClusterPolicyRef,
  type Decision,
  type DescribedRule,
  type DescribedSide,
  type DescribedTier,
  type PolicyRef,
  type RuleSet,
} from "../../../src/index.js";
import type { PortChoice } from "./analysis.js";
import { h } from "./dom.js";

/** The flow a decision is about. */
export interface ExplainedFlow extends PortChoice {
  readonly from: string;
  readonly to: string;
}

/** Where the view sends a click on a policy: a NetworkPolicy, or a cluster-scoped policy of a tier. */
export type ShowPolicy = (policy: PolicyRef | ClusterPolicyRef) => void;

function policyLink(policy: PolicyRef | ClusterPolicyRef, show: ShowPolicy): HTMLButtonElement {
  const label = "kind" in policy ? `${policy.kind} ${policy.name}` : policy.name;
  const button = h("button", { type: "button", class: "link", title: "show in the manifests" }, label);
  button.addEventListener("click", () => show(policy));
  return button;
}

function ruleItem(rule: DescribedRule, show: ShowPolicy): HTMLLIElement {
  return h("li", {}, policyLink(rule.ref.policy, show), ` ${rule.rule}: ${rule.peer}, ${rule.port}`);
}

/** A tier as the side walked it: the rule that decided (or passed), linking to its policy, or that none matched. */
function tierView(tier: DescribedTier, show: ShowPolicy): HTMLElement[] {
  const label = h("p", { class: "label" }, `${tier.tier} tier`);
  const matched = tier.matched;
  if (matched === null) return [label, h("p", { class: "tier", "data-tier": tier.tier }, tier.text.replace(/^[A-Za-z]+ tier: /, ""))];
  const ties = matched.ties.length > 0 ? ` (tied with ${matched.ties.join(", ")}, broken by name)` : "";
  const line = h("p", { class: "tier", "data-tier": tier.tier }, `${matched.ref.action} by `, policyLink(matched.ref.policy, show), ` ${matched.rule}: ${matched.peer}, ${matched.port}${ties}`);
  return [label, line];
}

function sideView(side: DescribedSide, show: ShowPolicy): HTMLElement {
  const verdict = side.allowed ? "allowed" : "denied";
  const section = h(
    "section",
    { class: "side", "data-direction": side.direction },
    h("h3", {}, `${side.direction} of `, h("code", {}, side.end ?? ""), " ", h("span", { class: `badge ${verdict}` }, verdict)),
    h("p", {}, side.summary),
  );
  // the chain as walked: Admin tier, NetworkPolicies, Baseline tier
  if (side.admin !== null) section.append(...tierView(side.admin, show));
  if (side.isolatedBy.length > 0) {
    const list = h("ul", {}, ...side.isolatedBy.map((p) => h("li", {}, policyLink(p, show))));
    section.append(h("p", { class: "label" }, "isolated by"), list);
  }
  if (side.allowedBy.length > 0) {
    section.append(h("p", { class: "label" }, "allowed by"), h("ul", {}, ...side.allowedBy.map((r) => ruleItem(r, show))));
  }
  if (side.baseline !== null) section.append(...tierView(side.baseline, show));
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
