// Bundles the HTML report's page script (src/views/report/page.ts with the library
// and the shared views) into one minified classic script and writes it, as a string,
// to src/views/report/page.generated.ts, which the CLI inlines into every report: a
// report is one self-contained file. Run by `npm run build:wasm` after the WASM core
// and the worker script (the bundle includes both).
import { bundleScript } from "./bundle-script.mjs";

await bundleScript({
  script: import.meta.url,
  tag: "build:views",
  entry: "src/views/report/page.ts",
  target: "src/views/report/page.generated.ts",
  exportName: "REPORT_SCRIPT",
  doc: "The HTML report's page script (library and views bundled, minified).",
  platform: "browser",
  generatedInputs: true,
  check: (script) => {
    // the script is inlined into a <script> element: it must not end it early
    if (/<\/script|<!--/i.test(script)) throw new Error("build:views: the report script contains `</script` or `<!--`");
  },
});
