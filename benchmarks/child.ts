/**
 * One measurement in a child process of its own (so that its memory figures are its
 * own and a crash costs one row): the parent runs a benchmark file with `--worker`
 * and its arguments, and reads the row the child prints as its last line of JSON.
 */
import { spawnSync } from "node:child_process";

/**
 * Runs `file --worker ...args` under node with `flags` (before tsx) and returns the
 * row it printed, or, when it failed, the message for the row's `error` (its stderr
 * passed on).
 */
export function rowFromChild<T>(file: string, flags: readonly string[], args: readonly string[]): T | string {
  const run = spawnSync(process.execPath, [...flags, "--import", "tsx", file, "--worker", ...args], { encoding: "utf8", maxBuffer: 1 << 24 });
  const last = run.stdout.trim().split("\n").pop() ?? "";
  if (run.status === 0 && last.startsWith("{")) return JSON.parse(last) as T;
  process.stderr.write(run.stderr);
  return `measurement failed (exit status ${run.status ?? run.signal})`;
}

/**
 * The child's side, when `file` is the script node runs with `--worker`: prints the
 * row `measure` makes of the arguments after it as one line of JSON (exit status 1
 * and the error on stderr when it throws). Returns whether this process is that child.
 */
export function childMode(file: string, measure: (args: readonly string[]) => Promise<unknown>): boolean {
  if (process.argv[1] !== file || process.argv[2] !== "--worker") return false;
  measure(process.argv.slice(3)).then(
    (row) => console.log(JSON.stringify(row)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.stack : String(error));
      process.exitCode = 1;
    },
  );
  return true;
}
