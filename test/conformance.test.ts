// Every conformance case (the project's copy of the shared ones, test/conformance: the
// NetworkPolicy cases and the ClusterNetworkPolicy cases), and every case of netpol's
// own suite (test/conformance/netpol-extra/, see its README), on every evaluation path
// the library has.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { onEveryEvaluator } from "./support/evaluators.js";
import { CONFORMANCE_FOLDERS, checkCase, findCaseFiles, readCase } from "./support/conformance.js";

/** The runner's default folders: the shared NetworkPolicy and ClusterNetworkPolicy cases, then netpol's own. */
const files = findCaseFiles(CONFORMANCE_FOLDERS);

test("the conformance cases and netpol's own are there", () => {
  assert.ok(files.filter((f) => f.includes("/conformance/cases/")).length >= 40, "shared NetworkPolicy cases");
  assert.is(files.filter((f) => f.includes("/conformance/cnp/")).length, 54, "shared ClusterNetworkPolicy cases");
  assert.ok(files.filter((f) => f.includes("/conformance/netpol-extra/")).length >= 14, "netpol-extra cases");
});

for (const file of files) {
  const c = readCase(file);
  onEveryEvaluator(`conformance ${c.name}`, async (create) => {
    const result = await checkCase(c, create.evaluator);
    assert.equal(result.failures.map((f) => f.message), []);
    assert.ok(result.passed > 0, "the case checked no verdict");
  });
}

test.run();
