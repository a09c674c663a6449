/**
 * The published build. `dist/` is emptied once, then two builds run side by side:
 *
 * - the library, `src/index.ts` → `dist/index.js` (ESM), `dist/index.cjs` (CJS) and
 *   their declarations `dist/index.d.ts` / `dist/index.d.cts`. `platform: "neutral"`
 *   gives it no Node built-ins to fall back on (an `import "node:fs"` fails the build)
 *   and the WASM core is part of the source (`src/engine/core-wasm.generated.ts`,
 *   base64), so the ESM file runs in a browser through any bundler with no shims and
 *   no fetch. Dependencies stay external for the user's bundler to share.
 * - the CLI, `src/cli/main.ts` → `dist/cli.js`, an ES module for Node. The entry's own
 *   `#!/usr/bin/env node` line is kept, and tsup marks the file executable (a banner
 *   would repeat the line, which Node rejects).
 */
import { existsSync, rmSync } from "node:fs";
import { defineConfig, type Options } from "tsup";

const OUT_DIR = "dist";
const CLI_ENTRY = "src/cli/main.ts";

const library: Options = {
  name: "library",
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  platform: "neutral",
  removeNodeProtocol: false, // tsup would otherwise quietly externalize `node:*`
  target: "es2022",
  treeshake: true,
  outDir: OUT_DIR,
};

const cli: Options = {
  name: "cli",
  entry: { cli: CLI_ENTRY },
  format: ["esm"],
  platform: "node",
  target: "node20",
  outDir: OUT_DIR,
};

export default defineConfig((flags) => {
  // one clean for both builds: tsup runs them concurrently, so a per-build `clean` races
  if (!flags.watch) rmSync(OUT_DIR, { recursive: true, force: true });
  return existsSync(CLI_ENTRY) ? [library, cli] : [library];
});
