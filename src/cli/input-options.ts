/**
 * The options every command that reads manifests shares, in one place: files
 * (`-f`), namespace (`-n`), `--validate`, the network plugin's behaviour, the
 * evaluator, `-q`/`--verbose`; and their reading into the settings `load` takes,
 * with `.netpol.yaml` under the command line.
 */
import { EVALUATORS } from "../engine/create.js";
import type { EvaluatorName } from "../api/engine.js";
import { FIELD_VALIDATIONS } from "../decode/unknown-fields.js";
import type { Options } from "../ir/types.js";
import { readConfig } from "./config.js";
import type { ReadOptions } from "./load.js";
import { usageFailure, type Args, type OptionSpec, type Parsed } from "./options.js";

/** The options that say how the network plugin behaves where the API leaves it open (docs/semantics.md). */
export const PLUGIN_OPTIONS: readonly OptionSpec[] = [
  {
    name: "self-traffic",
    value: "MODE",
    choices: ["allow", "policy"],
    help: "a pod reaching itself: allow (default: always, as the upstream e2e\ntests and most plugins) or policy (decided like any other flow)",
  },
  {
    name: "ipblock-matches-pods",
    value: "BOOL",
    choices: ["true", "false"],
    help: "whether ipBlock peers match pods whose IP lies in the block\n(default true)",
  },
  {
    name: "host-network",
    value: "MODE",
    choices: ["host", "pod"],
    help: "host-network pods: host (default: never selected, seen by ipBlocks\nonly) or pod (treated like every other pod)",
  },
  {
    name: "node-local",
    value: "MODE",
    choices: ["allow", "policy"],
    help: "traffic between a pod and its own node: allow (default: NetworkPolicy\nnever blocks it, as the NetworkPolicy documentation says) or policy",
  },
];

/** Settings `.netpol.yaml` may hold: the plugin options, `validate` and `evaluator`. */
const VALIDATE: OptionSpec = { name: "validate", value: "MODE", choices: FIELD_VALIDATIONS, help: "unknown fields in policies: strict (default: an error), warn, ignore" };
const EVALUATOR: OptionSpec = { name: "evaluator", value: "NAME", choices: EVALUATORS, help: `the evaluation path: ${EVALUATORS.join(" (default) or ")}` };

/** Every setting of `.netpol.yaml`. */
export const CONFIG_OPTIONS: readonly OptionSpec[] = [...PLUGIN_OPTIONS, VALIDATE, EVALUATOR];

/**
 * The shared options. `namespace: "filter"` makes `-n` repeatable (the commands
 * that list endpoints show only those namespaces); with one `-n`, it is also the
 * namespace of objects that name none.
 */
export function inputOptions(namespace: "default" | "filter" = "default"): OptionSpec[] {
  return [
    { name: "filename", short: "f", value: "PATH", multiple: true, help: "a manifest file or folder, or - for standard input (positional\npaths work too)" },
    namespace === "default"
      ? { name: "namespace", short: "n", value: "NS", help: "the namespace of objects that name none (as kubectl apply -n;\ndefault: default)" }
      : { name: "namespace", short: "n", value: "NS", multiple: true, help: "only endpoints of this namespace; given once, also the namespace\nof objects that name none (as kubectl apply -n)" },
    VALIDATE,
    { name: "skip-invalid", help: "go on with what could be read when some documents are invalid" },
    ...PLUGIN_OPTIONS,
    EVALUATOR,
    { name: "quiet", short: "q", help: "no warnings (errors still show)" },
    { name: "verbose", help: "every warning on its own line (default: skipped kinds summed up)" },
    { name: "help", short: "h", help: "show this help" },
  ];
}

/** How a command reads and evaluates its input. */
export interface InputSettings {
  /** Positional paths, then `-f` ones. */
  readonly files: readonly string[];
  readonly read: ReadOptions;
  readonly evaluator: EvaluatorName | undefined;
  /** The plugin behaviour chosen. */
  readonly options: Partial<Options>;
  /** The `-n` values (a filter where the command filters). */
  readonly namespaces: readonly string[];
}

/** Reads the shared options of `args`, with `.netpol.yaml` (in `cwd`) as defaults. */
export async function inputSettings(args: Args, cwd: string): Promise<Parsed<InputSettings>> {
  if (args.has("quiet") && args.has("verbose")) return usageFailure("--quiet and --verbose: choose one");
  const config = await readConfig(cwd, CONFIG_OPTIONS);
  if (!config.ok) return config;
  const setting = (name: string): string | undefined => args.one(name) ?? config.value.get(name);
  const namespaces = args.many("namespace");
  const options: { -readonly [K in keyof Options]?: Options[K] } = {};
  const self = setting("self-traffic");
  if (self !== undefined) options.selfTraffic = self as Options["selfTraffic"];
  const ipBlock = setting("ipblock-matches-pods");
  if (ipBlock !== undefined) options.ipBlockMatchesPods = ipBlock === "true";
  const host = setting("host-network");
  if (host !== undefined) options.hostNetwork = host as Options["hostNetwork"];
  const nodeLocal = setting("node-local");
  if (nodeLocal !== undefined) options.nodeLocal = nodeLocal as Options["nodeLocal"];
  return {
    ok: true,
    value: {
      files: [...args.positionals, ...args.many("filename")],
      read: {
        skipInvalid: args.has("skip-invalid"),
        validate: (setting("validate") ?? "strict") as ReadOptions["validate"],
        ...(namespaces.length === 1 ? { namespace: namespaces[0]! } : {}),
        warnings: args.has("quiet") ? "none" : args.has("verbose") ? "all" : "summary",
      },
      evaluator: setting("evaluator") as EvaluatorName | undefined,
      options,
      namespaces,
    },
  };
}
