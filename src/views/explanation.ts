/**
 * Why one pair is what it is, for the report and the playground alike: the verdict,
 * then each side (the source's egress, the destination's ingress) as the library's one
 * renderer describes it (`describeDecision`: the reason in words, the isolating
 * policies, every allowing rule with its peer and port in words, and the cluster-scoped
 * tiers as walked: the Admin tier before them, the Baseline tier after), every policy
 * named as a link the page decides what to do with, and the library's text
 * (`explanationText`) below. In diff mode the decisions before and after stand side
 * by side. Nothing here decides or words a reason itself.
 *
 * Each side shows the chain as the engine walked it: the Admin tier's rule (when a
 * cluster-scoped policy applies), the NetworkPolicies, then the Baseline tier's rule.
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
  type Protocol,
  type RuleSet,
} from "../index.js";
import { h } from "./dom.js";
import { ensureStyle } from "./style.js";

/** The flow a decision is about, by display id. */
export interface ExplainedFlow {
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  readonly port: number;
}

/** A decision and the rule set it was made under (`engine.rules`, which names peers and ports). */
export interface RuledDecision {
  readonly decision: Decision;
  readonly rules: RuleSet;
}

/** What a click on a policy name does (show it in the manifests, ...): a NetworkPolicy, or a cluster-scoped policy of a tier. */
export type ShowPolicy = (policy: PolicyRef | ClusterPolicyRef) => void;

const verdictOf = (allowed: boolean): "allowed" | "denied" => (allowed ? "allowed" : "denied");

function policyLink(policy: PolicyRef | ClusterPolicyRef, show: ShowPolicy | null): HTMLElement {
  const label = "kind" in policy ? `${policy.kind} ${policy.name}` : policy.name;
  if (show === null) return h("code", {}, label);
  const button = h("button", { type: "button", class: "np-link", title: "show this policy" }, label);
  button.addEventListener("click", () => show(policy));
  return button;
}

function ruleItem(rule: DescribedRule, show: ShowPolicy | null): HTMLLIElement {
  return h("li", {}, policyLink(rule.ref.policy, show), ` ${rule.rule}: ${rule.peer}, ${rule.port}`);
}

/** A tier as the side walked it: the rule that decided (or passed), linking to its policy, or that none matched. */
function tierView(tier: DescribedTier, show: ShowPolicy | null): HTMLElement[] {
  const label = h("p", { class: "np-label" }, `${tier.tier} tier`);
  const matched = tier.matched;
  if (matched === null) return [label, h("p", { class: "np-tier", "data-tier": tier.tier }, tier.text.replace(/^[A-Za-z]+ tier: /, ""))];
  const ties = matched.ties.length > 0 ? ` (tied with ${matched.ties.join(", ")}, broken by name)` : "";
  return [label, h("p", { class: "np-tier", "data-tier": tier.tier }, `${matched.ref.action} by `, policyLink(matched.ref.policy, show), ` ${matched.rule}: ${matched.peer}, ${matched.port}${ties}`)];
}

function sideView(side: DescribedSide, show: ShowPolicy | null): HTMLElement {
  const verdict = verdictOf(side.allowed);
  const section = h(
    "section",
    { class: "np-side", "data-direction": side.direction },
    h("h3", {}, `${side.direction} of `, h("code", {}, side.end ?? ""), " ", h("span", { class: `np-badge ${verdict}` }, verdict)),
    h("p", {}, side.summary),
  );
  // the chain as walked: Admin tier, NetworkPolicies, Baseline tier
  if (side.admin !== null) section.append(...tierView(side.admin, show));
  if (side.isolatedBy.length > 0) {
    section.append(h("p", { class: "np-label" }, "isolated by"), h("ul", {}, ...side.isolatedBy.map((p) => h("li", {}, policyLink(p, show)))));
  }
  if (side.allowedBy.length > 0) {
    section.append(h("p", { class: "np-label" }, "allowed by"), h("ul", {}, ...side.allowedBy.map((r) => ruleItem(r, show))));
  }
  if (side.baseline !== null) section.append(...tierView(side.baseline, show));
  return section;
}

/** One decision: its sides and the library's text. */
function decisionView({ decision, rules }: RuledDecision, flow: ExplainedFlow, show: ShowPolicy | null, heading: string | null): HTMLElement[] {
  const described = describeDecision(decision.explanation, { rules, from: flow.from, to: flow.to });
  return [
    ...(heading === null ? [] : [h("h3", {}, heading, " ", h("span", { class: `np-badge ${verdictOf(decision.allowed)}` }, verdictOf(decision.allowed)))]),
    h("div", { class: "np-sides" }, sideView(described.egress, show), sideView(described.ingress, show)),
    h("details", {}, h("summary", {}, "as text"), h("pre", { class: "np-text" }, explanationText(decision.explanation, flow.from, flow.to, rules))),
  ];
}

/**
 * Fills `container` with the explanation of `after` for `flow`; with `before`, the
 * decision before the change beside it. `data-verdict` on the container is the verdict
 * shown (after the change), `data-changed` is set when the verdict changed.
 */
export function renderExplanation(container: HTMLElement, flow: ExplainedFlow, after: RuledDecision, before: RuledDecision | null, show: ShowPolicy | null): void {
  ensureStyle(container.ownerDocument);
  const verdict = verdictOf(after.decision.allowed);
  container.classList.add("np-explanation");
  container.dataset.verdict = verdict;
  if (before !== null && before.decision.allowed !== after.decision.allowed) container.dataset.changed = "";
  else delete container.dataset.changed;
  const title = h("h2", {}, h("span", { class: `np-badge ${verdict}` }, verdict), " ", h("code", {}, flow.from), " → ", h("code", {}, flow.to), ` on ${flow.protocol}/${flow.port}`);
  if (before === null) {
    container.replaceChildren(title, ...decisionView(after, flow, show, null));
    return;
  }
  const change = before.decision.allowed === after.decision.allowed ? `unchanged: ${verdict} before and after` : `changed: ${verdictOf(before.decision.allowed)} → ${verdict}`;
  container.replaceChildren(
    title,
    h("p", {}, change),
    h("div", { class: "np-diff" }, h("div", { "data-side": "before" }, ...decisionView(before, flow, show, "before")), h("div", { "data-side": "after" }, ...decisionView(after, flow, show, "after"))),
  );
}

/** Shows `message` in place of an explanation. */
export function clearExplanation(container: HTMLElement, message: string): void {
  ensureStyle(container.ownerDocument);
  delete container.dataset.verdict;
  delete container.dataset.changed;
  container.replaceChildren(h("p", { class: "np-hint" }, message));
}
