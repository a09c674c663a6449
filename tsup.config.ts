/**
 * The published build. `dist/` is emptied once, then two builds run side by side:
 *
 * - the ES modules: the entries `netpol` (`src/index.ts` → `dist/index.js`),
 *   `netpol/manifests` (`src/manifests-entry.ts` → `dist/manifests.js`) and the CLI
 *   (`src/cli/main.ts` → `dist/cli.js`, for Node), split into shared chunks, with
 *   declarations `dist/index.d.ts` / `dist/manifests.d.ts`. The WASM core is part of
 *   the source (`src/engine/core-wasm.generated.ts`, base64), so the library runs in a
 *   browser through any bundler with no shims and no fetch. Dependencies stay external
 *   for the user's bundler to share. The CLI entry's own `#!/usr/bin/env node` line is
 *   kept, and tsup marks the file executable (a banner would repeat the line, which
 *   Node rejects).
 * - the CommonJS files of both entries (`.cjs`, `.d.cts`), split the same way.
 */
import { existsSync, rmSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

const OUT_DIR = "dist";
const CLI_ENTRY = "src/cli/main.ts";
const HAS_CLI = existsSync(CLI_ENTRY);

/** The public entries: `netpol` and `netpol/manifests` (reading manifest text, with the YAML parser). */
const ENTRIES = { index: "src/index.ts", manifests: "src/manifests-entry.ts" };

/**
 * The ES modules, library and CLI in one build split into shared chunks: `dist/cli.js`
 * imports the library's code from the same chunks `dist/index.js` and
 * `dist/manifests.js` import (no second copy), and an engine-only import never reaches
 * the chunk that imports `yaml`. Node built-ins are external for the CLI's sake;
 * test/bundle.test.ts checks that `netpol` and `netpol/manifests` reach none of them,
 * so the library still runs in a browser.
 */
const esm: Options = {
  name: "esm",
  entry: HAS_CLI ? { ...ENTRIES, cli: CLI_ENTRY } : ENTRIES,
  format: ["esm"],
  dts: { entry: ENTRIES },
  splitting: true,
  platform: "neutral",
  external: [/^node:/],
  removeNodeProtocol: false, // tsup would otherwise quietly externalize `node:*`
  target: "es2022",
  treeshake: true,
  outDir: OUT_DIR,
};

/**
 * The CommonJS files for `require`, split the same way (tsup's CommonJS splitting), so
 * that `netpol` and `netpol/manifests` share one `NetpolValidationError` class.
 */
const cjs: Options = {
  name: "cjs",
  entry: ENTRIES,
  format: ["cjs"],
  dts: true,
  splitting: true,
  platform: "neutral",
  removeNodeProtocol: false,
  target: "es2022",
  treeshake: true,
  outDir: OUT_DIR,
};

export default defineConfig((flags) => {
  // one clean for both builds: tsup runs them concurrently, so a per-build `clean` races
  if (!flags.watch) rmSync(OUT_DIR, { recursive: true, force: true });
  return [esm, cjs];
});
