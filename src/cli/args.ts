/**
 * Command-line arguments: node:util's parseArgs with errors as values, and the
 * value syntaxes shared by commands (`80/TCP`, formats).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { unsupportedValue } from "../primitives/issues.js";
import { isProtocol, PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import { FIELD_VALIDATIONS } from "../decode/unknown-fields.js";
import type { ReadOptions } from "./load.js";

/** A usage problem, answered with exit status 2 and the command's usage line. */
export interface UsageError {
  readonly usage: string;
}

/** Either parsed values or a usage problem. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: UsageError };

const fail = (usage: string): { ok: false; error: UsageError } => ({ ok: false, error: { usage } });

/** The options every command reading manifests takes. */
export const COMMON_OPTIONS = {
  help: { type: "boolean", short: "h" },
  evaluator: { type: "string" },
  "skip-invalid": { type: "boolean" },
  validate: { type: "string" },
} as const satisfies ParseArgsConfig["options"];

/** Runs parseArgs; unknown options and missing values become a usage error. */
export function parse<O extends NonNullable<ParseArgsConfig["options"]>>(
  argv: readonly string[],
  options: O,
): Parsed<{ values: ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>["values"]; positionals: string[] }> {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { ok: true, value: { values, positionals } };
  } catch (error) {
    return fail(error instanceof Error ? error.message.split("\n")[0]!.replace(/\.$/, "") : String(error));
  }
}

/** A port and protocol given as `80`, `80/TCP` or `53/udp`. */
export function parsePort(text: string): Parsed<{ port: number; protocol: Protocol }> {
  const m = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(text.trim());
  if (m === null) return fail(`invalid port \`${text}\`: expected PORT or PORT/PROTOCOL, e.g. 80/TCP`);
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return fail(`invalid port \`${text}\`: must be between 1 and 65535, inclusive`);
  const protocol = (m[2] ?? "TCP").toUpperCase();
  if (!isProtocol(protocol)) return fail(`invalid port \`${text}\`: protocol: ${unsupportedValue(m[2], PROTOCOLS)}`);
  return { ok: true, value: { port, protocol } };
}

/** Checks that `value` is one of `choices`. */
export function parseChoice<C extends string>(name: string, value: string | undefined, choices: readonly C[], fallback: C): Parsed<C> {
  if (value === undefined) return { ok: true, value: fallback };
  if (!(choices as readonly string[]).includes(value)) return fail(`invalid --${name} \`${value}\`: expected one of ${choices.join(", ")}`);
  return { ok: true, value: value as C };
}

/** The reading options of `COMMON_OPTIONS`: `--validate` checked, `--skip-invalid`. */
export function readOptionsOf(values: { readonly validate?: string | undefined; readonly "skip-invalid"?: boolean | undefined }): Parsed<ReadOptions> {
  const validate = parseChoice("validate", values.validate, FIELD_VALIDATIONS, "strict");
  if (!validate.ok) return validate;
  return { ok: true, value: { skipInvalid: values["skip-invalid"] === true, validate: validate.value } };
}
