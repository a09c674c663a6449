/**
 * Builds that the browser tests need, run only when their output is missing or stale.
 * Staleness is by content, not by time, so a generator that rewrites a file with the
 * same bytes costs no rebuild: a stamp in `test/.artifacts/` holds a hash of the inputs
 * and one of the outputs as last built, and the build runs again when either differs.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, relative } from "node:path";

/** The repository root. */
export const ROOT = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
/** Where tests leave what they produce (gitignored). */
export const ARTIFACTS = join(ROOT, "test/.artifacts");

/** One build: what it reads, what it writes, and the Node script (with arguments) that runs it. */
export interface BuildStep {
  readonly name: string;
  /** Files and folders, relative to the root; folders are read whole. */
  readonly inputs: readonly string[];
  /** Files, relative to the root. */
  readonly outputs: readonly string[];
  readonly command: readonly string[];
}

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => files(join(path, name)));
}

function hash(paths: readonly string[]): string {
  const digest = createHash("sha256");
  for (const file of paths.flatMap((p) => files(join(ROOT, p)))) {
    digest.update(relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return digest.digest("hex");
}

/** Runs `step` unless its outputs exist and were built from the inputs as they are now. */
export function ensureBuilt(step: BuildStep): void {
  const stampFile = join(ARTIFACTS, `${step.name}.stamp`);
  const inputs = hash(step.inputs); // before building: an edit made meanwhile must show as stale
  const built = step.outputs.every((o) => existsSync(join(ROOT, o)));
  if (built && existsSync(stampFile) && readFileSync(stampFile, "utf8") === `${inputs} ${hash(step.outputs)}`) return;
  const run = spawnSync(process.execPath, step.command, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`${step.name} failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  const missing = step.outputs.filter((o) => !existsSync(join(ROOT, o)));
  if (missing.length > 0) throw new Error(`${step.name} did not write ${missing.join(", ")}`);
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(stampFile, `${inputs} ${hash(step.outputs)}`);
}

/** Whether the CLI's sources are there (tsup.config.ts builds it only then). */
export const HAS_CLI = existsSync(join(ROOT, "src/cli/main.ts"));

/** The published package (library and CLI), by `tsup` (tsup.config.ts). */
export const PACKAGE_BUILD: BuildStep = {
  name: "package",
  inputs: ["src", "tsup.config.ts", "package.json", "tsconfig.json"],
  outputs: [
    ...["index", "manifests"].flatMap((entry) => [`dist/${entry}.js`, `dist/${entry}.cjs`, `dist/${entry}.d.ts`, `dist/${entry}.d.cts`]),
    ...(HAS_CLI ? ["dist/cli.js"] : []),
  ],
  command: ["node_modules/tsup/dist/cli-default.js"],
};

/** The playground's script, by scripts/build-playground.mjs. */
export const PLAYGROUND_BUILD: BuildStep = {
  name: "playground",
  inputs: ["src", "docs/playground/src", "examples/cluster.yaml", "examples/test-network-policy.yaml", "scripts/build-playground.mjs", "package.json"],
  outputs: ["docs/playground/app.js"],
  command: ["scripts/build-playground.mjs"],
};
