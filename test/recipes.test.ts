// Every recipe of docs/recipes: its YAML loads without a problem, and every
// `# expect: FROM -> TO PORT/PROTOCOL allowed|denied` line in it holds, on every
// evaluator. Each recipe has its Markdown page, which links the YAML.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Protocol } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { onEveryEvaluator } from "./support/evaluators.js";
import { Endpoints } from "../src/manifests/endpoints.js";

const dir = new URL("../docs/recipes/", import.meta.url).pathname;
const recipes = readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort();
const EXPECT = /^# expect: (\S+) -> (\S+) (\d+)\/(TCP|UDP|SCTP) (allowed|denied)$/;

test("there are at least ten recipes, each with its page", () => {
  assert.ok(recipes.length >= 10, `found ${recipes.length}`);
  for (const file of recipes) {
    const page = `${dir}${file.replace(/\.yaml$/, ".md")}`;
    assert.ok(existsSync(page), `${file} has no page`);
    assert.match(readFileSync(page, "utf8"), file);
  }
  const index = readFileSync(`${dir}README.md`, "utf8");
  for (const file of recipes) assert.match(index, file.replace(/\.yaml$/, ".md"));
});

for (const file of recipes) {
  const text = readFileSync(`${dir}${file}`, "utf8");
  const lines = text.split("\n");
  const expectations = lines.filter((l) => l.startsWith("# expect:"));
  onEveryEvaluator(`recipe ${file}`, async (create) => {
    const m = parseManifests(text, { file });
    assert.equal(m.issues, [], "the recipe loads cleanly");
    assert.ok(expectations.length >= 3, "a recipe states at least three expectations");
    const engine = await create({ cluster: { namespaces: m.namespaces, pods: m.pods, nodes: m.nodes, services: m.services }, policies: m.policies });
    const endpoints = new Endpoints(engine.pods, m.nodes);
    const verdicts = new Set<string>();
    for (const line of expectations) {
      const e = EXPECT.exec(line);
      assert.ok(e, `malformed expectation: ${line}`);
      const [, from, to, port, protocol, verdict] = e!;
      const ends = [endpoints.resolve(from!), endpoints.resolve(to!)];
      for (const end of ends) if (!end.ok) assert.unreachable(`${line}: ${end.message}`);
      const decision = engine.decide({ from: (ends[0] as { engine: string }).engine, to: (ends[1] as { engine: string }).engine, port: Number(port), protocol: protocol as Protocol });
      assert.is(decision.allowed ? "allowed" : "denied", verdict, line);
      verdicts.add(verdict!);
    }
    assert.equal([...verdicts].sort(), ["allowed", "denied"], "a recipe shows both an allowed and a denied flow");
  });
}

test.run();
