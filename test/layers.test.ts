// The layers of src/ point one way: every import (type-only ones included) goes to
// the importer's own folder or to a folder below it in LAYERS, and no chain of
// imports comes back to where it started. docs/architecture.md draws the same order.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const SRC = new URL("../src/", import.meta.url).pathname;

/**
 * The folders of src/, bottom first: a module may import from its own folder and from
 * folders listed before it. `.` is src/index.ts, the public entry.
 */
const LAYERS = [
  "primitives",
  "read",
  "decode",
  "validate",
  "ir",
  "normalize",
  "manifests",
  "api",
  "compile",
  "reference",
  "explain",
  "engine",
  ".",
  "views",
  "cli",
] as const;

/** Every .ts file under `dir`, relative to src/. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith(".ts") ? [relative(SRC, path)] : [];
  });
}

/** The relative module specifiers a file imports or re-exports, type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.[^"]+)"|^\s*import\s+"(\.[^"]+)"|import\(\s*"(\.[^"]+)"\s*\)/gm)) {
    out.push((m[1] ?? m[2] ?? m[3])!);
  }
  return out;
}

/** The layer (top folder of src/) of a file; `.` for files directly in src/. */
const layerOf = (file: string): string => (file.includes("/") ? file.slice(0, file.indexOf("/")) : ".");

const files = sources(SRC);
const graph = new Map<string, string[]>(
  files.map((file) => [
    file,
    importsOf(file).map((spec) => relative(SRC, resolve(SRC, dirname(file), spec)).replace(/\.js$/, ".ts")),
  ]),
);

test("every folder of src/ has a place in the layer order", () => {
  const folders = new Set(files.map(layerOf));
  for (const folder of folders) assert.ok((LAYERS as readonly string[]).includes(folder), `src/${folder} is not in LAYERS`);
});

test("every relative import names a file that exists", () => {
  for (const [file, targets] of graph) for (const t of targets) assert.ok(graph.has(t), `${file} imports ${t}, which is not a source file`);
});

/** The imports of `graph` that point from a lower layer to a higher one. */
function upwardImports(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const rank = (file: string): number => (LAYERS as readonly string[]).indexOf(layerOf(file));
  const out: string[] = [];
  for (const [file, targets] of graph) {
    for (const t of targets) if (rank(t) > rank(file)) out.push(`${file} (${layerOf(file)}) imports ${t} (${layerOf(t)})`);
  }
  return out;
}

/** The import cycles of `graph`, one per back edge of a depth-first search. */
function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const out: string[] = [];
  const visit = (file: string): void => {
    state.set(file, "open");
    stack.push(file);
    for (const t of graph.get(file) ?? []) {
      if (state.get(t) === "open") out.push([...stack.slice(stack.indexOf(t)), t].join(" → "));
      else if (!state.has(t)) visit(t);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return out;
}

test("no import goes from a lower layer to a higher one", () => {
  const upward = upwardImports(graph);
  assert.equal(upward, [], `imports pointing up:\n${upward.join("\n")}`);
});

test("no import cycle", () => {
  const cycles = importCycles(graph);
  assert.equal(cycles, [], `import cycles:\n${cycles.join("\n")}`);
});

test("the checks catch a planted cycle and a planted upward import", () => {
  const planted = new Map([
    ["primitives/a.ts", ["primitives/b.ts"]],
    ["primitives/b.ts", ["engine/c.ts"]],
    ["engine/c.ts", ["primitives/a.ts"]],
  ]);
  assert.equal(upwardImports(planted), ["primitives/b.ts (primitives) imports engine/c.ts (engine)"]);
  assert.equal(importCycles(planted), ["primitives/a.ts → primitives/b.ts → engine/c.ts → primitives/a.ts"]);
});

test.run();
