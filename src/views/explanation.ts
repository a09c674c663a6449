/**
 * Why one pair is what it is, for the report and the playground alike: the verdict,
 * then each side (the source's egress, the destination's ingress) from the
 * `Explanation` data, every policy named as a link the page decides what to do with,
 * and the library's own text rendering (`explanationText`) below. In diff mode the
 * decisions before and after stand side by side.
 *
 * A new kind of explanation part (e.g. ClusterNetworkPolicy tiers) goes in `sideView`,
 * next to the isolating policies and the allowing rules.
 */
import { explanationText, type Decision, type PolicyRef, type Protocol, type RuleRef, type SideExplanation } from "../index.js";
import { h } from "./dom.js";
import { ensureStyle } from "./style.js";

/** The flow a decision is about, by display id. */
export interface ExplainedFlow {
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  readonly port: number;
}

/** What a click on a policy name does (show it in the manifests, ...). */
export type ShowPolicy = (policy: PolicyRef) => void;

const REASONS: Readonly<Record<SideExplanation["reason"], string>> = {
  outside: "this end is outside the cluster, so nothing isolates it",
  "host-network": "a host-network pod, which no policy selects",
  "not-isolated": "no policy selects this pod for this direction",
  rule: "the pod is isolated, and a rule allows the flow",
  "no-rule": "the pod is isolated, and no rule allows the flow",
  self: "a pod may always reach itself (option selfTraffic: allow)",
};

const verdictOf = (allowed: boolean): "allowed" | "denied" => (allowed ? "allowed" : "denied");

function policyLink(policy: PolicyRef, show: ShowPolicy | null): HTMLElement {
  if (show === null) return h("code", {}, policy.name);
  const button = h("button", { type: "button", class: "np-link", title: "show this policy" }, policy.name);
  button.addEventListener("click", () => show(policy));
  return button;
}

function ruleItem(rule: RuleRef, show: ShowPolicy | null): HTMLLIElement {
  const peer = rule.peer === null ? "any peer" : `peer ${rule.peer}`;
  const port = rule.port === null ? "any port" : `port ${rule.port}`;
  return h("li", {}, policyLink(rule.policy, show), ` ${rule.direction.toLowerCase()} rule ${rule.rule} (${peer}, ${port})`);
}

function sideView(side: SideExplanation, end: string, show: ShowPolicy | null): HTMLElement {
  const verdict = verdictOf(side.allowed);
  const section = h(
    "section",
    { class: "np-side", "data-direction": side.direction },
    h("h3", {}, `${side.direction} of `, h("code", {}, end), " ", h("span", { class: `np-badge ${verdict}` }, verdict)),
    h("p", {}, REASONS[side.reason]),
  );
  if (side.isolatedBy.length > 0) {
    section.append(h("p", { class: "np-label" }, "isolated by"), h("ul", {}, ...side.isolatedBy.map((p) => h("li", {}, policyLink(p, show)))));
  }
  if (side.allowedBy.length > 0) {
    section.append(h("p", { class: "np-label" }, "allowed by"), h("ul", {}, ...side.allowedBy.map((r) => ruleItem(r, show))));
  }
  return section;
}

/** One decision: its sides and the library's text. */
function decisionView(decision: Decision, flow: ExplainedFlow, show: ShowPolicy | null, heading: string | null): HTMLElement[] {
  const { egress, ingress } = decision.explanation;
  return [
    ...(heading === null ? [] : [h("h3", {}, heading, " ", h("span", { class: `np-badge ${verdictOf(decision.allowed)}` }, verdictOf(decision.allowed)))]),
    h("div", { class: "np-sides" }, sideView(egress, flow.from, show), sideView(ingress, flow.to, show)),
    h("details", {}, h("summary", {}, "as text"), h("pre", { class: "np-text" }, explanationText(decision.explanation, flow.from, flow.to))),
  ];
}

/**
 * Fills `container` with the explanation of `after` for `flow`; with `before`, the
 * decision before the change beside it. `data-verdict` on the container is the verdict
 * shown (after the change), `data-changed` is set when the verdict changed.
 */
export function renderExplanation(container: HTMLElement, flow: ExplainedFlow, after: Decision, before: Decision | null, show: ShowPolicy | null): void {
  ensureStyle(container.ownerDocument);
  const verdict = verdictOf(after.allowed);
  container.classList.add("np-explanation");
  container.dataset.verdict = verdict;
  if (before !== null && before.allowed !== after.allowed) container.dataset.changed = "";
  else delete container.dataset.changed;
  const title = h("h2", {}, h("span", { class: `np-badge ${verdict}` }, verdict), " ", h("code", {}, flow.from), " → ", h("code", {}, flow.to), ` on ${flow.protocol}/${flow.port}`);
  if (before === null) {
    container.replaceChildren(title, ...decisionView(after, flow, show, null));
    return;
  }
  const change = before.allowed === after.allowed ? `unchanged: ${verdict} before and after` : `changed: ${verdictOf(before.allowed)} → ${verdict}`;
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
