// Text outputs too large for one string are refused before they are built, with the
// figure: the CLI's matrix formats (and, in engine-api.test.ts, ReachabilityMatrix.toJSON).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ReachabilityMatrix } from "../src/api/matrix.js";
import { matrixTextIssue } from "../src/cli/format/text-size.js";
import { MAX_TEXT_LENGTH, checkTextLength, textLengthIssue } from "../src/primitives/limits.js";
import { NetpolValidationError } from "../src/primitives/issues.js";

/** A view of every pod of an all-denied matrix over `n` pods. */
function view(n: number) {
  const ids = Array.from({ length: n }, (_, i) => `ns/pod-${i}`);
  const matrix = new ReachabilityMatrix(ids, "TCP", 80, new Uint32Array(n * Math.ceil(n / 32)));
  return { matrix, order: ids.map((_, i) => i), ids };
}

test("the limit is V8's longest string, and a text at it still passes", () => {
  assert.is(textLengthIssue(MAX_TEXT_LENGTH, "", "x", "y"), null);
  assert.match(textLengthIssue(MAX_TEXT_LENGTH + 1, "", "the text", "do less")!.message, "the text would be 536,870,889 characters, more than the 536,870,888 one string can hold: do less");
  assert.throws(() => checkTextLength(MAX_TEXT_LENGTH + 1, "", "x", "y"), (e: unknown) => e instanceof NetpolValidationError);
});

test("matrix formats: refused past the limit, by their own size per cell", () => {
  const big = view(17_000); // 289 M cells: too many for csv (2 per cell), not for json (1 per cell)
  assert.match(matrixTextIssue("csv", big)!.message, "the csv text of a matrix of 17000 endpoints would be");
  assert.match(matrixTextIssue("md", big)!.message, "--namespace");
  assert.is(matrixTextIssue("json", big), null);
  // no allowed pair: no edge for dot to write
  assert.is(matrixTextIssue("dot", big), null);
  assert.is(matrixTextIssue("csv", view(100)), null);
});

test.run();
