/**
 * `netpol lint FILES [-o txt|json|sarif] [--fail-on warning|error]`: the engine's
 * findings (`Engine.lint`), placed at the file, document and line of their policy.
 */
import { parse, parseChoice, COMMON_OPTIONS } from "../args.js";
import { LINT_RULES } from "../../api/lint.js";
import { lintJson, lintSarif, lintText, type PlacedFinding } from "../format/lint.js";
import type { Io } from "../io.js";
import { EXIT, load } from "../load.js";
import { usageError } from "../usage.js";
import { createRequire } from "node:module";

/** The formats `-o` takes. */
export const LINT_FORMATS = ["txt", "json", "sarif"] as const;

/** netpol's own version, for the SARIF tool entry. */
function version(): string {
  try {
    return (createRequire(import.meta.url)("../../../package.json") as { version: string }).version;
  } catch {
    return "0.0.0"; // bundled where package.json is not beside it
  }
}

/** Runs `lint`. */
export async function lint(argv: readonly string[], io: Io): Promise<number> {
  const args = parse(argv, { ...COMMON_OPTIONS, format: { type: "string", short: "o" }, "fail-on": { type: "string" } });
  if (!args.ok) return usageError(io, "lint", args.error);
  const { values, positionals } = args.value;
  if (values.help) return usageError(io, "lint", null);
  const format = parseChoice("format", values.format, LINT_FORMATS, "txt");
  if (!format.ok) return usageError(io, "lint", format.error);
  const failOn = parseChoice("fail-on", values["fail-on"], ["warning", "error", "never"] as const, "error");
  if (!failOn.ok) return usageError(io, "lint", failOn.error);

  const loaded = await load(positionals, io, { skipInvalid: values["skip-invalid"] === true, evaluator: values.evaluator });
  if (!loaded.ok) return loaded.status;
  const { engine, manifests, endpoints } = loaded.value;
  // messages name pods as the engine does (`deployment.web`); users know `default/deployment/web`
  const aliases = engine.pods.map((id, i) => [id, endpoints.ids[i]!] as const).filter(([a, b]) => a !== b);
  const named = (text: string): string => aliases.reduce((t, [a, b]) => t.split(a).join(b), text);
  const findings: PlacedFinding[] = engine.lint().map((f) => ({ ...f, message: named(f.message), id: LINT_RULES[f.rule].id, location: f.policy === null ? null : (manifests.policyLocations[f.policy] ?? null) }));
  if (format.value === "txt") await io.write(lintText(findings));
  else if (format.value === "json") await io.write(lintJson(findings));
  else await io.write(lintSarif(findings, version()));
  const failing = failOn.value === "never" ? [] : findings.filter((f) => f.severity === "error" || (failOn.value === "warning" && f.severity === "warning"));
  return failing.length > 0 ? EXIT.failed : EXIT.ok;
}
