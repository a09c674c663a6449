/**
 * Lint findings as txt, JSON and SARIF 2.1.0 (the format code-scanning UIs read).
 */
import { LINT_RULES, type LintFinding, type LintSeverity } from "../../api/lint.js";
import type { Location } from "../../manifests/manifests.js";

/** A finding with where its policy was read (none for a namespace-wide finding). */
export interface PlacedFinding extends LintFinding {
  readonly id: string;
  readonly location: Location | null;
}

/** `file:line document N` of a location. */
const where = (l: Location | null): string =>
  l === null ? "" : `${l.file ?? "<input>"}${l.line !== undefined ? `:${l.line}` : ""} document ${l.document}${l.path !== "" ? ` ${l.path}` : ""}: `;

/** txt: `SEVERITY ID file:line document N: path: message` and the fix below it, then counts. */
export function lintText(findings: readonly PlacedFinding[]): string {
  const lines = findings.map((f) => `${f.severity} ${f.id} ${f.rule}: ${where(f.location)}${f.message}\n    fix: ${f.fix}`);
  const count = (s: LintSeverity): number => findings.filter((f) => f.severity === s).length;
  lines.push(`${count("error")} errors, ${count("warning")} warnings, ${count("info")} info`);
  return `${lines.join("\n")}\n`;
}

/** JSON: `{"findings":[{id, rule, severity, message, file, document, line, path, fix}]}`. */
export function lintJson(findings: readonly PlacedFinding[]): string {
  const out = findings.map((f) => ({
    id: f.id,
    rule: f.rule,
    severity: f.severity,
    message: f.message,
    file: f.location?.file ?? null,
    document: f.location?.document ?? null,
    line: f.location?.line ?? null,
    path: f.path,
    fix: f.fix,
  }));
  return `${JSON.stringify({ findings: out }, null, 2)}\n`;
}

const LEVEL: Record<LintSeverity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/** SARIF 2.1.0: one run of the `netpol` tool, its rules, one result per finding. */
export function lintSarif(findings: readonly PlacedFinding[], version: string): string {
  const rules = Object.entries(LINT_RULES).map(([name, r]) => ({
    id: r.id,
    name,
    shortDescription: { text: r.summary },
    defaultConfiguration: { level: LEVEL[r.severity] },
  }));
  const results = findings.map((f) => ({
    ruleId: f.id,
    ruleIndex: rules.findIndex((r) => r.id === f.id),
    level: LEVEL[f.severity],
    message: { text: `${f.message}. Fix: ${f.fix}` },
    ...(f.location?.file !== undefined
      ? {
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: f.location.file }, ...(f.location.line !== undefined ? { region: { startLine: f.location.line } } : {}) },
              logicalLocations: [{ fullyQualifiedName: `document ${f.location.document}${f.location.path !== "" ? ` ${f.location.path}` : ""}${f.path !== "" ? ` ${f.path}` : ""}`, kind: "member" }],
            },
          ],
        }
      : {}),
    properties: { rule: f.rule, path: f.path, fix: f.fix },
  }));
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [{ tool: { driver: { name: "netpol", version, rules } }, results }],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
