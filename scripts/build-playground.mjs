// `npm run build:playground`: bundles the playground (docs/playground/src/main.ts, the
// library's sources and their dependencies, the examples' YAML as text) into one
// self-contained, minified classic script, docs/playground/app.js: not a module, so that
// index.html also works opened as a file, offline, as well as from any static host.
// app.js is built, not committed (.gitignore).
import { build } from "tsup";

process.chdir(new URL("..", import.meta.url).pathname);
await build({
  config: false,
  entry: { app: "docs/playground/src/main.ts" },
  outDir: "docs/playground",
  format: ["iife"],
  outExtension: () => ({ js: ".js" }),
  platform: "browser",
  target: "es2022",
  noExternal: [/.*/],
  splitting: false,
  minify: true,
  loader: { ".yaml": "text" },
  tsconfig: "docs/playground/tsconfig.json",
  silent: true,
});
