/**
 * Lint findings: what is probably wrong with a policy set, found with the engine.
 */

/** How bad a finding is. */
export type LintSeverity = "error" | "warning" | "info";

/** The lint rules, by id. */
export const LINT_RULES = {
  "policy-selects-no-pod": { id: "NP001", severity: "warning", summary: "a policy selects no pod" },
  "peer-selects-nothing": { id: "NP002", severity: "warning", summary: "a peer selects no pod" },
  "rule-never-decides": { id: "NP003", severity: "warning", summary: "a rule never decides any connection" },
  "named-port-unresolved": { id: "NP004", severity: "warning", summary: "a named port resolves on no pod" },
  "no-dns-egress": { id: "NP005", severity: "warning", summary: "an egress-isolated pod may not reach DNS" },
  "namespace-without-default-deny": { id: "NP006", severity: "info", summary: "a namespace with pods has no default-deny" },
  "ipblock-covers-pods": { id: "NP007", severity: "warning", summary: "an ipBlock covers pod addresses" },
} as const satisfies Record<string, { id: string; severity: LintSeverity; summary: string }>;

/** A lint rule's name. */
export type LintRuleName = keyof typeof LINT_RULES;

/** One finding. */
export interface LintFinding {
  /** The rule's name (`LINT_RULES`); its id is `LINT_RULES[rule].id`. */
  readonly rule: LintRuleName;
  readonly severity: LintSeverity;
  readonly message: string;
  /** The policy it is about (index into `Engine.rules.policies`), or null (a namespace, a pod). */
  readonly policy: number | null;
  /** The field of that policy, as the API server names fields (`spec.ingress[0].from[1]`); "" for the whole object. */
  readonly path: string;
  /** How to fix it. */
  readonly fix: string;
}
