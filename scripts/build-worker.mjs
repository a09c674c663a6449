// Bundles the worker threads' body (src/engine/threads/worker.ts with the core loader
// and the loops it shares with the calling thread) into one minified classic script
// and writes it, as a string, to src/engine/threads/worker-source.generated.ts: the
// pool starts workers from this text (Node `eval` workers, browser Blob URLs), so no
// worker file has to be found at run time in any bundle. The WASM bytes are not in it
// (the compiled module is posted to each worker). Run by `npm run build:wasm` after the
// core and before the report script (which bundles the library, this text included).
import { bundleScript } from "./bundle-script.mjs";

await bundleScript({
  script: import.meta.url,
  tag: "build:worker",
  entry: "src/engine/threads/worker.ts",
  target: "src/engine/threads/worker-source.generated.ts",
  exportName: "WORKER_SOURCE",
  doc: "The worker threads' script (classic, minified; see src/engine/threads/worker.ts).",
  platform: "neutral",
  generatedInputs: false,
  check: (script) => {
    if (script.includes("CORE_WASM_BASE64") || script.length > 200_000) throw new Error("build:worker: the worker script holds the WASM bytes; it must receive the compiled module instead");
  },
});
