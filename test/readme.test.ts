// The README's API example runs as written, on the bundled example.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";

const root = new URL("../", import.meta.url);

test("the README's 20-line API example runs and prints the verdict", async () => {
  const readme = readFileSync(new URL("README.md", root), "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme);
  assert.ok(block, "README has a ts code block");
  const code = block![1]!;
  assert.ok(code.split("\n").length <= 23, "the example stays short");
  const yamlText = ["cluster.yaml", "test-network-policy.yaml"].map((f) => readFileSync(new URL(`examples/${f}`, root), "utf8")).join("\n---\n");
  const dir = new URL("test/.artifacts/", root);
  mkdirSync(dir, { recursive: true });
  const file = new URL("readme-example.ts", dir);
  writeFileSync(
    file,
    `const yamlText = ${JSON.stringify(yamlText)};\n${code
      .replace(`from "netpol/manifests"`, `from ${JSON.stringify(new URL("src/manifests-entry.js", root).pathname)}`)
      .replace(`from "netpol"`, `from ${JSON.stringify(new URL("src/index.js", root).pathname)}`)}`,
  );
  const lines: unknown[][] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args);
  try {
    await import(file.href);
  } finally {
    console.log = log;
  }
  assert.is(lines.length, 1);
  assert.is(lines[0]![0], true);
  assert.match(String(lines[0]![1]), "default/test-network-policy ingress rule 0: from[2] pods with label role=frontend in namespace default, ports[0] TCP port 6379");
});

test.run();
