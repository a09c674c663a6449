/**
 * `npm run conformance -- [--evaluator reference|wasm] [DIR...]`: checks every case
 * under the folders (default: the project's copy of the shared cases, test/conformance/cases
 * and test/conformance/cnp, then netpol's own, test/conformance/netpol-extra) on every
 * evaluation path,
 * prints each wrong verdict and ends with `N passed, N failed`. Exit status 1 on any
 * failure, 2 on bad usage.
 */
import { EVALUATORS } from "../src/engine/create.js";
import type { EvaluatorName } from "../src/api/engine.js";
import { CONFORMANCE_FOLDERS, checkCase, findCaseFiles, readCase } from "../test/support/conformance.js";

async function main(argv: string[]): Promise<number> {
  const dirs: string[] = [];
  let evaluators: readonly EvaluatorName[] = EVALUATORS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--evaluator") {
      const name = argv[++i];
      if (!EVALUATORS.includes(name as EvaluatorName)) {
        console.error(`conformance: --evaluator takes one of ${EVALUATORS.join(", ")}`);
        return 2;
      }
      evaluators = [name as EvaluatorName];
    } else if (arg === "--help" || arg === "-h") {
      console.log("usage: npm run conformance -- [--evaluator reference|wasm] [DIR...]");
      return 0;
    } else dirs.push(arg);
  }
  if (dirs.length === 0) dirs.push(...CONFORMANCE_FOLDERS);
  let files: string[];
  try {
    files = findCaseFiles(dirs);
  } catch (error) {
    console.error(`conformance: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    let c;
    try {
      c = readCase(file);
    } catch (error) {
      console.log(`FAIL ${file}: cannot read case: ${error instanceof Error ? error.message : String(error)}`);
      failed++;
      continue;
    }
    for (const evaluator of evaluators) {
      const result = await checkCase(c, evaluator);
      passed += result.passed;
      failed += result.failures.length;
      for (const f of result.failures) console.log(`FAIL [${f.evaluator}] ${f.case}: ${f.message}`);
    }
  }
  console.log(`${files.length} cases, evaluators: ${evaluators.join(", ")}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
