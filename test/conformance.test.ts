// Every conformance case (the project's copy of the shared ones, test/conformance), on
// every evaluation path the library has.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { EVALUATORS } from "../src/engine/create.js";
import { CONFORMANCE_FOLDERS, checkCase, findCaseFiles, readCase } from "./support/conformance.js";

/** NetworkPolicy cases, then ClusterNetworkPolicy ones: the runner's default folders. */
const files = findCaseFiles(CONFORMANCE_FOLDERS);

test("the conformance cases are there", () => {
  assert.ok(files.filter((f) => f.includes("/cases/")).length >= 40, "NetworkPolicy cases");
  assert.is(files.filter((f) => f.includes("/cnp/")).length, 54, "ClusterNetworkPolicy cases");
});

for (const file of files) {
  const c = readCase(file);
  for (const evaluator of EVALUATORS) {
    test(`conformance [${evaluator}] ${c.name}`, async () => {
      const result = await checkCase(c, evaluator);
      assert.equal(result.failures.map((f) => f.message), []);
      assert.ok(result.passed > 0, "the case checked no verdict");
    });
  }
}

test.run();
