#!/usr/bin/env node
/**
 * The `netpol` command: dispatches to one command module per subcommand. Every
 * command returns its exit status (0 success, 1 a failed check, 2 bad input or
 * usage); nothing reaches the user as a stack trace.
 */
import { check } from "./commands/check.js";
import { connections } from "./commands/connections.js";
import { diff } from "./commands/diff.js";
import { explain } from "./commands/explain.js";
import { exposure } from "./commands/exposure.js";
import { lint } from "./commands/lint.js";
import { flows } from "./commands/flows.js";
import { matrix } from "./commands/matrix.js";
import { validate } from "./commands/validate.js";
import { formatIssue, NetpolValidationError } from "../primitives/issues.js";
import { processIo, type Io } from "./io.js";
import { EXIT } from "./load.js";
import { COMMANDS, usageError, type Command } from "./usage.js";
import { didYouMean } from "../primitives/did-you-mean.js";
import { netpolVersion } from "./version.js";

const RUN: Record<Command, (argv: readonly string[], io: Io) => Promise<number>> = { check, matrix, flows, explain, validate, diff, connections, exposure, lint };

/** Runs `netpol` with its arguments (without `node` and the script). */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "--help" || first === "-h") return usageError(io, null, first === undefined ? { usage: "no command given" } : null);
  if (first === "--version" || first === "version") {
    await io.write(`netpol ${netpolVersion()}\n`);
    return EXIT.ok;
  }
  if (first === "help") {
    const topic = rest[0];
    return usageError(io, (COMMANDS as readonly string[]).includes(topic ?? "") ? (topic as Command) : null, null);
  }
  if (!(COMMANDS as readonly string[]).includes(first)) {
    const what = first.startsWith("-") ? "option" : "command";
    return usageError(io, null, { usage: `unknown ${what} \`${first}\`${didYouMean(first, first.startsWith("-") ? ["--help", "--version"] : COMMANDS)}: expected a command, one of ${COMMANDS.join(", ")}` });
  }
  return RUN[first as Command](rest, io);
}

// `netpol ... | head` closes the pipe early: that is not an error
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(EXIT.ok);
  throw error;
});

const io = processIo();
run(process.argv.slice(2), io).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    if (error instanceof NetpolValidationError) {
      // a question the engine refused (a size over a limit, say): the user's input, not a bug
      for (const issue of error.issues) io.error(`${io.err.red("error")}: ${formatIssue(issue)}`);
      process.exitCode = EXIT.invalid;
      return;
    }
    io.error(`${io.err.red("internal error")}: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.NETPOL_DEBUG && error instanceof Error && error.stack) io.error(error.stack);
    process.exitCode = EXIT.invalid;
  },
);
