/**
 * `.netpol.yaml` in the working directory: a team pins its network plugin's
 * behaviour (and `validate`, `evaluator`) once. Its keys are the long names of the
 * options it may set, e.g.
 *
 *     self-traffic: policy
 *     ipblock-matches-pods: false
 *     host-network: pod
 *     node-local: policy
 *
 * A flag on the command line wins over the file.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { didYouMean } from "../primitives/did-you-mean.js";
import { isPlainObject, quote } from "../primitives/issues.js";
import { usageFailure, type OptionSpec, type Parsed } from "./options.js";

/** The config file's name, looked for in the working directory. */
export const CONFIG_FILE = ".netpol.yaml";

/** Settings of the config file, by long option name, as option values (`false` → `"false"`). */
export type Config = ReadonlyMap<string, string>;

/** Reads `CONFIG_FILE` in `dir` (none: empty); its keys must be among `settable`, each value one of the option's choices. */
export async function readConfig(dir: string, settable: readonly OptionSpec[]): Promise<Parsed<Config>> {
  const path = join(dir, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return { ok: true, value: new Map() };
    return usageFailure(`${CONFIG_FILE}: cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) return usageFailure(`${CONFIG_FILE}: invalid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return { ok: true, value: new Map() };
  if (!isPlainObject(value)) return usageFailure(`${CONFIG_FILE}: expected a map of settings, got ${quote(value)}`);
  const out = new Map<string, string>();
  for (const key of Object.keys(value)) {
    const option = settable.find((o) => o.name === key);
    if (option === undefined) return usageFailure(`${CONFIG_FILE}: ${key}: unknown setting${didYouMean(key, settable.map((o) => o.name))}; settable: ${settable.map((o) => o.name).join(", ")}`);
    const setting = value[key];
    const text = typeof setting === "string" || typeof setting === "boolean" || typeof setting === "number" ? String(setting) : null;
    if (text === null || (option.choices !== undefined && !option.choices.includes(text))) {
      return usageFailure(`${CONFIG_FILE}: ${key}: invalid value ${quote(setting)}: expected one of ${option.choices?.join(", ") ?? "a string"}`);
    }
    out.set(key, text);
  }
  return { ok: true, value: out };
}
