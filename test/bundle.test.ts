// What the published package costs an application and how its files share code: an
// engine-only browser bundle (`createEngine` from `netpol`) carries no YAML parser and
// reaches no Node built-in; reading manifests (`netpol/manifests`) adds the `yaml`
// package and still runs in a browser; `dist/cli.js` imports the library's chunks
// instead of carrying a second copy. Sizes are printed by `npm run bench:bundle`
// (benchmarks/bundle.ts), not asserted.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type * as Netpol from "../src/index.js";
import type * as NetpolManifests from "../src/manifests-entry.js";
import { measureBundles, type BundleRow } from "../benchmarks/bundle.js";
import { HAS_CLI, ROOT } from "./browser/build.js";

let rows: Promise<BundleRow[]> | undefined;
const measured = (): Promise<BundleRow[]> => (rows ??= measureBundles());

test("createEngine from netpol: no YAML parser, no Node built-in, made of dist/", async () => {
  const [engineOnly] = await measured();
  assert.is(engineOnly!.yamlBytes, 0);
  assert.equal(engineOnly!.inputs.filter((i) => i.includes("node_modules/yaml/")), []);
  assert.equal(engineOnly!.nodeBuiltins, []);
  assert.ok(engineOnly!.inputs.includes("dist/index.js"), engineOnly!.inputs.join(", "));
  assert.equal(engineOnly!.inputs.filter((i) => i.startsWith("src/")), []);
});

test("netpol/manifests brings the YAML parser, and still no Node built-in", async () => {
  const [engineOnly, withManifests] = await measured();
  assert.ok(withManifests!.yamlBytes > 0);
  assert.ok(withManifests!.inputs.includes("dist/manifests.js"), withManifests!.inputs.join(", "));
  assert.equal(withManifests!.nodeBuiltins, []);
  assert.ok(withManifests!.bytes > engineOnly!.bytes);
});

/** The chunks an ES module file imports (`./chunk-….js`). */
const chunksOf = (file: string): string[] => [...readFileSync(join(ROOT, "dist", file), "utf8").matchAll(/from\s*['"]\.\/(chunk-[\w-]+\.js)['"]/g)].map((m) => m[1]!);

test("one copy of the library: its classes are defined once per format, and both entries share them", async () => {
  await measured(); // the package is built
  const files = readdirSync(join(ROOT, "dist")).filter((f) => /\.c?js$/.test(f));
  for (const ext of [".js", ".cjs"]) {
    const defining = files.filter((f) => f.endsWith(ext) && /NetpolValidationError = class\b|class NetpolValidationError\b/.test(readFileSync(join(ROOT, "dist", f), "utf8")));
    assert.is(defining.length, 1, `${ext}: ${defining.join(", ")}`);
  }
  // by the package's own name (a variable: the built files may not exist when tsc runs)
  const [name, manifestsName] = ["netpol", "netpol/manifests"];
  const require = createRequire(import.meta.url);
  const cjs = require(name) as typeof Netpol;
  const thrown = (() => {
    try {
      (require(manifestsName) as typeof NetpolManifests).parseManifests(42 as never);
    } catch (error) {
      return error;
    }
  })();
  assert.ok(thrown instanceof cjs.NetpolValidationError, "netpol/manifests throws netpol's NetpolValidationError (CommonJS)");
  const esm = (await import(name)) as typeof Netpol;
  const esmManifests = (await import(manifestsName)) as typeof NetpolManifests;
  assert.throws(() => esmManifests.parseManifests(42 as never), (error: unknown) => error instanceof esm.NetpolValidationError);
});

if (HAS_CLI) {
  test("dist/cli.js imports the library's chunks instead of bundling a second copy", () => {
    const cli = readFileSync(join(ROOT, "dist/cli.js"), "utf8");
    const library = new Set([...chunksOf("index.js"), ...chunksOf("manifests.js")]);
    assert.ok(library.size > 0);
    for (const chunk of library) assert.ok(chunksOf("cli.js").includes(chunk), `dist/cli.js imports ${chunk}`);
    assert.not.match(cli, /NetpolValidationError = class\b/);
    assert.not.match(cli, /function createEngineSync\(/);
  });
}

test.run();
