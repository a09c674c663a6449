/**
 * The one command-line parser every `netpol` command uses, with kubectl's
 * conventions: `--name value`, `--name=value`, `-x value`, `--` ends options, `-`
 * alone is standard input. Each command declares its options as a `CommandSpec`,
 * so that parsing, did-you-mean, "given twice" errors and `--help` (every option,
 * format and exit status) come from one description; a new command gets all of it
 * by listing its own options beside `inputOptions()`.
 */
import { closest, didYouMean } from "../primitives/did-you-mean.js";

/** One option of a command. */
export interface OptionSpec {
  /** The long name, without `--`. */
  readonly name: string;
  /** Other long names read as this one (`output` for `format`). */
  readonly aliases?: readonly string[];
  /** A one-letter short name, without `-`. */
  readonly short?: string;
  /** The value's name in help (`PORT`); absent for a flag that takes no value. */
  readonly value?: string;
  /** Whether the option may be given more than once (its values collect); otherwise a second one is an error. */
  readonly multiple?: boolean;
  /** The values it takes, when a fixed set. */
  readonly choices?: readonly string[];
  /** One line (or a few) of help. */
  readonly help: string;
}

/** A command's description: what its help prints and what its parser reads. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** The usage line, without `usage: `. */
  readonly usage: string;
  /** What the command does, in a paragraph or two. */
  readonly description: string;
  readonly options: readonly OptionSpec[];
  /** The output formats (`-o`), each with what it prints; absent when there is one. */
  readonly formats?: ReadonlyArray<readonly [name: string, help: string]>;
  /** Exit statuses and what each means. */
  readonly exits: ReadonlyArray<readonly [status: number, meaning: string]>;
  readonly example: string;
}

/** A usage problem, answered with exit status 2 and the command's usage line. */
export interface UsageError {
  readonly usage: string;
}

/** Either parsed values or a usage problem. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: UsageError };

/** A usage problem as a `Parsed`. */
export const usageFailure = (usage: string): { ok: false; error: UsageError } => ({ ok: false, error: { usage } });

/** What the parser read: option values by long name, and the positional arguments. */
export class Args {
  constructor(
    private readonly values: ReadonlyMap<string, readonly string[]>,
    readonly positionals: readonly string[],
  ) {}

  /** The value of a single-value option, or undefined. */
  one(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  /** Every value of a repeatable option, in order. */
  many(name: string): readonly string[] {
    return this.values.get(name) ?? [];
  }

  /** Whether a flag (or any option) was given. */
  has(name: string): boolean {
    return this.values.has(name);
  }
}

/** `--name` for an option, with its short form: `-o, --format`. */
const flagText = (o: OptionSpec): string => `${o.short !== undefined ? `-${o.short}, ` : ""}--${o.name}${o.value !== undefined ? ` ${o.value}` : ""}`;

/** Parses `argv` by `spec`; unknown options (with the closest known one), missing values and repeated single-value options are usage errors. */
export function parseCommand(spec: CommandSpec, argv: readonly string[]): Parsed<Args> {
  const byLong = new Map<string, OptionSpec>();
  const byShort = new Map<string, OptionSpec>();
  for (const o of spec.options) {
    byLong.set(o.name, o);
    for (const a of o.aliases ?? []) byLong.set(a, o);
    if (o.short !== undefined) byShort.set(o.short, o);
  }
  const values = new Map<string, string[]>();
  const positionals: string[] = [];
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-" || !arg.startsWith("-")) {
      positionals.push(arg);
      continue;
    }
    let option: OptionSpec | undefined;
    let inline: string | undefined;
    let written: string;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
      option = byLong.get(name);
      written = `--${name}`;
      if (option === undefined) {
        const known = [...byLong.keys()].map((n) => `--${n}`);
        return usageFailure(`unknown option \`${written}\`${didYouMean(written, known)}`);
      }
    } else {
      const letter = arg.slice(1, 2);
      option = byShort.get(letter);
      written = `-${letter}`;
      if (arg.length > 2) inline = arg.slice(2).replace(/^=/, "");
      if (option === undefined) {
        const known = [...byShort.keys()].map((n) => `-${n}`);
        const long = closest(arg.replace(/^-+/, "--"), [...byLong.keys()].map((n) => `--${n}`));
        return usageFailure(`unknown option \`${arg}\`${long !== null ? ` (did you mean \`${long}\`?)` : didYouMean(written, known)}`);
      }
    }
    let value: string;
    if (option.value === undefined) {
      if (inline !== undefined) return usageFailure(`option \`${written}\` takes no value`);
      value = "true";
    } else if (inline !== undefined) value = inline;
    else {
      const next = argv[i + 1];
      if (next === undefined) return usageFailure(`option \`${written}\` needs a value: ${flagText(option)}`);
      value = next;
      i++;
    }
    if (option.choices !== undefined && !option.choices.includes(value)) {
      return usageFailure(`invalid ${written} \`${value}\`: expected one of ${option.choices.join(", ")}${didYouMean(value, option.choices)}`);
    }
    const before = given.get(option.name);
    if (before !== undefined && option.value !== undefined && option.multiple !== true) {
      return usageFailure(`${written} given twice (\`${before}\` and \`${value}\`): it takes one value`);
    }
    given.set(option.name, value);
    const list = values.get(option.name) ?? [];
    list.push(value);
    values.set(option.name, list);
  }
  return { ok: true, value: new Args(values, positionals) };
}

/** A command's help: summary, usage, description, every option, the formats, the exit statuses and an example. */
export function commandHelp(spec: CommandSpec): string {
  const flags = spec.options.map(flagText);
  const width = Math.min(28, Math.max(...flags.map((f) => f.length)));
  const options = spec.options
    .map((o, i) => {
      const flag = flags[i]!;
      const aliases = o.aliases?.length ? ` (also --${o.aliases.join(", --")})` : "";
      const [first, ...rest] = `${o.help}${aliases}${o.multiple ? "; repeatable" : ""}`.split("\n");
      const pad = " ".repeat(width + 4);
      return flag.length > width ? `  ${flag}\n${pad}${first}${rest.map((r) => `\n${pad}${r}`).join("")}` : `  ${flag.padEnd(width)}  ${first}${rest.map((r) => `\n${pad}${r}`).join("")}`;
    })
    .join("\n");
  const formats =
    spec.formats === undefined
      ? ""
      : `\noutput formats (-o):\n${spec.formats.map(([name, help]) => `  ${name.padEnd(Math.max(...spec.formats!.map(([n]) => n.length)))}  ${help}`).join("\n")}\n`;
  const exits = spec.exits.map(([status, meaning]) => `  ${status}  ${meaning}`).join("\n");
  return `netpol ${spec.name}: ${spec.summary}

usage: ${spec.usage}

${spec.description}

options:
${options}
${formats}
exit status:
${exits}

example:
  ${spec.example}
`;
}
