/**
 * `netpol lint FILES [-o txt|json|sarif] [--fail-on warning|error]`: the engine's
 * findings (`Engine.lint`), placed at the file, document and line of their policy.
 */
import { LINT_RULES } from "../../api/lint.js";
import { lintJson, lintSarif, lintText, type PlacedFinding } from "../format/lint.js";
import type { Io } from "../io.js";
import { EXIT, load } from "../load.js";
import { commandInput } from "../usage.js";
import { netpolVersion } from "../version.js";

/** The formats `-o` takes. */
export const LINT_FORMATS = ["txt", "json", "sarif"] as const;

/** The severities `--fail-on` takes (`never`: exit 0 whatever is found). */
export const FAIL_ON = ["warning", "error", "never"] as const;

/** Runs `lint`. */
export async function lint(argv: readonly string[], io: Io): Promise<number> {
  const input = await commandInput(io, "lint", argv);
  if (!input.ok) return input.status;
  const { args, settings } = input.value;
  const format = (args.one("format") ?? "txt") as (typeof LINT_FORMATS)[number];
  const failOn = (args.one("fail-on") ?? "error") as (typeof FAIL_ON)[number];

  const loaded = await load(io, settings);
  if (!loaded.ok) return loaded.status;
  const { engine, manifests } = loaded.value;
  const findings: PlacedFinding[] = engine.lint().map((f) => ({ ...f, id: LINT_RULES[f.rule].id, location: f.policy === null ? null : (manifests.policyLocations[f.policy] ?? null) }));
  if (format === "txt") await io.write(lintText(findings));
  else if (format === "json") await io.write(lintJson(findings));
  else await io.write(lintSarif(findings, netpolVersion()));
  const failing = failOn === "never" ? [] : findings.filter((f) => f.severity === "error" || (failOn === "warning" && f.severity === "warning"));
  return failing.length > 0 ? EXIT.failed : EXIT.ok;
}
