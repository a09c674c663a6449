/**
 * `netpol validate FILES`: every problem of the input. Exit 0 when there is no
 * error (warnings allowed), 1 when errors were found, 2 for usage or unreadable files.
 */
import { parseSources } from "../../manifests/manifests.js";
import type { Io } from "../io.js";
import { EXIT, printIssues } from "../load.js";
import { readPaths } from "../read-files.js";
import { commandInput, usageError } from "../usage.js";

/** Runs `validate`. */
export async function validate(argv: readonly string[], io: Io): Promise<number> {
  const input = await commandInput(io, "validate", argv);
  if (!input.ok) return input.status;
  const { skipInvalid: _, warnings: shown, ...sourceOptions } = input.value.settings.read;
  const paths = input.value.settings.files;
  if (paths.length === 0) return usageError(io, "validate", { usage: "no input: give manifest files or folders, or `-` for standard input" });
  const read = await readPaths(paths, io.stdin);
  for (const p of read.problems) io.error(`${io.err.red("error")}: ${p}`);
  const manifests = parseSources(read.sources, sourceOptions);
  printIssues(io, manifests.issues, shown);
  const errors = manifests.issues.filter((i) => i.severity === "error").length;
  const warnings = manifests.issues.length - errors;
  const standIns = manifests.pods.filter((p) => p.workload !== undefined);
  // a StatefulSet stands in as several ordinal pods: count workloads, not endpoints
  const workloads = new Set(standIns.map((p) => `${p.namespace}/${p.workload!.kind}/${p.workload!.name}`)).size;
  const summary =
    `${read.sources.length} file${read.sources.length === 1 ? "" : "s"}: ${manifests.policies.length} policies, ` +
    `${manifests.namespaces.length} namespaces, ${manifests.pods.length - standIns.length} pods, ${workloads} workloads; ` +
    `${errors} error${errors === 1 ? "" : "s"}, ${warnings} warning${warnings === 1 ? "" : "s"}`;
  await io.write(`${errors > 0 ? io.out.red("invalid") : io.out.green("valid")}: ${summary}\n`);
  if (read.problems.length > 0) return EXIT.invalid;
  return errors > 0 ? EXIT.failed : EXIT.ok;
}
