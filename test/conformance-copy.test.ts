// The project keeps its own copy of the shared conformance cases (test/conformance), so
// that a clone of the project alone passes its tests. When `../shared/conformance` is
// beside the project, the copy must equal it file for file (the shared folder is the
// authority; refresh the copy with `cp -r ../shared/conformance/{cases,cnp,FORMAT.md,README.md} test/conformance/`).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const COPY = new URL("./conformance", import.meta.url).pathname;
const SHARED = new URL("../../shared/conformance", import.meta.url).pathname;
/** The shared entries the copy mirrors; the project's own extra cases live beside them. */
const MIRRORED = ["cases", "cnp", "FORMAT.md", "README.md"];

/** Every file below `path`, relative to `root`, sorted. */
function filesBelow(root: string, path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [relative(root, path)];
  return readdirSync(path)
    .flatMap((name) => filesBelow(root, join(path, name)))
    .sort();
}

test("the project carries its copy of the conformance cases", () => {
  const cases = filesBelow(COPY, join(COPY, "cases")).filter((f) => f.endsWith(".json"));
  const cnp = filesBelow(COPY, join(COPY, "cnp")).filter((f) => f.endsWith(".json"));
  assert.ok(cases.length >= 40, `test/conformance/cases holds ${cases.length} cases`);
  assert.ok(cnp.length >= 50, `test/conformance/cnp holds ${cnp.length} cases`);
});

if (existsSync(SHARED)) {
  test("the copy equals ../shared/conformance, file for file", () => {
    const shared = MIRRORED.flatMap((entry) => filesBelow(SHARED, join(SHARED, entry)));
    const copy = MIRRORED.flatMap((entry) => filesBelow(COPY, join(COPY, entry)));
    assert.equal(copy, shared, "the same files");
    const differing = shared.filter((file) => !readFileSync(join(SHARED, file)).equals(readFileSync(join(COPY, file))));
    assert.equal(differing, [], "files whose content differs from ../shared/conformance");
  });
} else {
  console.error("conformance-copy: ../shared/conformance is not beside the project; the copy is used as it is");
}

test.run();
