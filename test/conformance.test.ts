// Every conformance case (the project's copy of the shared ones, test/conformance), and
// every case of netpol's own suite (test/conformance/netpol-extra/, see its README), on
// every evaluation path the library has.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { onEveryEvaluator } from "./support/evaluators.js";
import { checkCase, findCaseFiles, readCase } from "./support/conformance.js";

const shared = findCaseFiles([new URL("./conformance/cases", import.meta.url).pathname]);
const extra = findCaseFiles([new URL("./conformance/netpol-extra", import.meta.url).pathname]);
const files = [...shared, ...extra];

test("the conformance cases and netpol's own are there", () => {
  assert.ok(shared.length >= 40, `found ${shared.length} shared cases`);
  assert.ok(extra.length >= 14, `found ${extra.length} netpol-extra cases`);
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
