/**
 * `npm run bench:bundle`: what a browser application pays for netpol. Bundles, with
 * esbuild as an application's bundler would (platform browser, minified, every
 * dependency inlined), the built package (`dist/`, through package.json `exports`) for
 * two applications: one that imports `createEngine` from `netpol` (it hands the engine
 * objects it already has) and one that also reads manifest text with `parseManifests`
 * from `netpol/manifests`. Prints one Markdown row per application: minified and
 * gzipped size, the bytes the `yaml` package contributes, and the Node built-ins
 * reached (none, or the bundle would not run in a browser). test/bundle.test.ts checks
 * the same figures' facts: no YAML parser and no Node built-in in the first.
 */
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { ensureBuilt, PACKAGE_BUILD, ROOT } from "../test/browser/build.js";

/** One application's bundle. */
export interface BundleRow {
  readonly application: string;
  /** Minified bytes. */
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Minified bytes from the `yaml` package (0: no YAML parser). */
  readonly yamlBytes: number;
  /** The package files the bundle is made of, relative to the root (`dist/…`, `node_modules/…`). */
  readonly inputs: readonly string[];
  /** Node built-in modules the bundle imports (`node:fs`, `path`, …). */
  readonly nodeBuiltins: readonly string[];
}

/** The two applications: what each imports and does. */
export const APPLICATIONS: ReadonlyArray<{ readonly application: string; readonly source: string }> = [
  {
    application: "`createEngine` from `netpol`",
    source: `import { createEngine } from "netpol";\nglobalThis.run = (input) => createEngine(input);\n`,
  },
  {
    application: "+ `parseManifests` from `netpol/manifests`",
    source: `import { createEngine } from "netpol";\nimport { parseManifests } from "netpol/manifests";\nglobalThis.run = (text) => { const m = parseManifests(text); return createEngine({ cluster: m, policies: m.policies }); };\n`,
  },
];

/** Bundles `source` against the built package as a browser application's bundler would. */
async function bundle(application: string, source: string): Promise<BundleRow> {
  const builtins = new Set<string>();
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, sourcefile: "app.js", loader: "js" },
    bundle: true,
    write: false,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        // a Node built-in reached is recorded and left out, so the row can name it
        name: "node-builtins",
        setup(b) {
          b.onResolve({ filter: /^(node:|fs$|path$|url$|os$|child_process$|zlib$|events$|string_decoder$)/ }, (args) => {
            builtins.add(args.path);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const output = result.outputFiles[0]!.contents;
  const meta = Object.values(result.metafile.outputs)[0]!;
  const yamlBytes = Object.entries(meta.inputs)
    .filter(([file]) => file.includes("node_modules/yaml/"))
    .reduce((sum, [, v]) => sum + v.bytesInOutput, 0);
  return {
    application,
    bytes: output.length,
    gzipBytes: gzipSync(output).length,
    yamlBytes,
    inputs: Object.keys(result.metafile.inputs).filter((i) => i !== "app.js"),
    nodeBuiltins: [...builtins].sort(),
  };
}

/** Builds the package when it is stale (tsup), then bundles each application. */
export async function measureBundles(): Promise<BundleRow[]> {
  ensureBuilt(PACKAGE_BUILD);
  const rows: BundleRow[] = [];
  for (const { application, source } of APPLICATIONS) rows.push(await bundle(application, source));
  return rows;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

/** The rows as a Markdown table. */
export function bundleTable(rows: readonly BundleRow[]): string {
  const lines = ["| application | minified | gzip | of which `yaml` | Node built-ins |", "| --- | ---: | ---: | ---: | --- |"];
  for (const r of rows) lines.push(`| ${r.application} | ${kb(r.bytes)} | ${kb(r.gzipBytes)} | ${r.yamlBytes === 0 ? "none" : kb(r.yamlBytes)} | ${r.nodeBuiltins.length === 0 ? "none" : r.nodeBuiltins.join(", ")} |`);
  return `${lines.join("\n")}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(bundleTable(await measureBundles()));
}
