// Fuzzing the public API with hostile input: valid manifests broken at one value
// (wrong types, huge numbers, odd IPs, `__proto__` keys, control characters), then
// as text (edits, truncation, alias bombs, deep nesting, duplicate keys) and as
// bytes (UTF-16, bad UTF-8). What must hold for every input:
// - nothing but a NetpolValidationError ever escapes, and parseManifests throws
//   nothing at all for text or bytes;
// - one notion of validity: createEngine accepts what parseManifests accepted, on
//   every evaluator, and both evaluators answer alike on it; for the same input as
//   a compact cluster, parseManifests finds an error exactly when createEngine
//   refuses it;
// - no hang: every input is a few kilobytes and each run ends (the suite would not).
// The budget is small in `npm test`; NETPOL_FUZZ_RUNS=5000 runs longer.
import fc from "fast-check";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, createEngineFromJson, NetpolValidationError, type Engine, type Manifests } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { FACTORIES } from "./support/evaluators.js";
import { breakAt, editText, encode, hostileDocument, hostileValue, input, kubernetesObjects, textEdit, writeObjects, writing, type Json } from "./support/hostile.js";

const RUNS = Number(process.env.NETPOL_FUZZ_RUNS ?? 60);

/** Runs `f`; a NetpolValidationError is an answer (returned), anything else fails the property. */
async function typed<T>(f: () => T | Promise<T>): Promise<T | NetpolValidationError> {
  try {
    return await f();
  } catch (error) {
    if (error instanceof NetpolValidationError) return error;
    throw new Error(`untyped error: ${error instanceof Error ? error.stack : String(error)}`);
  }
}

/** The engine on every evaluator over what was parsed; every one must accept it. */
async function engines(m: Manifests): Promise<Engine[]> {
  const out: Engine[] = [];
  for (const create of FACTORIES) {
    const engine = await typed(() => create({ cluster: { namespaces: m.namespaces, pods: m.pods }, policies: m.policies }));
    if (engine instanceof NetpolValidationError) throw new Error(`parseManifests accepted what createEngine (${create.evaluator}) refuses: ${engine.message}`);
    out.push(engine);
  }
  return out;
}

/** A few questions to every engine: the same answers, or the same typed refusal. */
async function sameAnswers(list: readonly Engine[]): Promise<void> {
  const pods = list[0]!.pods;
  const flows = [...pods.slice(0, 3).flatMap((a) => pods.slice(0, 3).map((b) => ({ from: a, to: b, port: 80 }))), { from: "10.0.0.1", to: pods[0] ?? "10.0.0.2", port: 53, protocol: "UDP" as const }];
  const answers = await Promise.all(list.map((e) => typed(() => [...e.decideBatch(flows)].join("") + (pods.length > 0 ? e.matrix({ port: 8080 }).count() : ""))));
  const shown = answers.map((a) => (a instanceof NetpolValidationError ? `error ${a.issues.map((i) => i.path).join()}` : a));
  if (new Set(shown).size !== 1) throw new Error(`evaluators disagree: ${shown.join(" / ")}`);
}

test("hostile manifests: no untyped error, and createEngine accepts what parseManifests accepts", async () => {
  await fc.assert(
    fc.asyncProperty(input, fc.nat(), hostileValue, fc.option(fc.constantFrom("__proto__", "constructor", "kind", "metadata", "items", "<<")), writing, hostileDocument, fc.array(textEdit, { maxLength: 2 }), fc.nat(7), async (inp, pick, value, addKey, w, extra, edits, how) => {
      const objects = kubernetesObjects(inp.cluster, inp.policies);
      const broken = breakAt(objects as Json, pick, value, addKey) as Json[];
      let text = writeObjects(Array.isArray(broken) ? broken : [broken], w) + (w.format.startsWith("yaml") ? extra : "");
      for (const e of edits) text = editText(text, e);
      const m = await typed(() => parseManifests(encode(text, how)));
      if (m instanceof NetpolValidationError) throw new Error(`parseManifests threw for text input: ${m.message}`);
      await sameAnswers(await engines(m));
    }),
    { numRuns: RUNS },
  );
});

test("hostile compact clusters: parseManifests finds an error exactly when createEngine refuses the input", async () => {
  await fc.assert(
    fc.asyncProperty(input, fc.nat(), hostileValue, fc.option(fc.constantFrom("__proto__", "constructor", "namespace", "ips", "labels")), async (inp, pick, value, addKey) => {
      const broken = breakAt({ cluster: inp.cluster, policies: inp.policies } as unknown as Json, pick, value, addKey) as Record<string, Json>;
      // not the objects' kind: a NetworkPolicy turned into a Pod is a Pod to the reader
      if (JSON.stringify(broken).includes('"kind":') && /"kind":"(?!NetworkPolicy")/.test(JSON.stringify(broken))) return;
      if (typeof broken !== "object" || broken === null || Array.isArray(broken) || !("cluster" in broken) || !("policies" in broken)) return;
      const text = JSON.stringify(broken);
      const same = JSON.parse(text) as Record<string, Json>;
      const m = parseManifests(text);
      const parseErrors = m.issues.filter((i) => i.severity === "error");
      const verdicts = await Promise.all(FACTORIES.map((create) => typed(() => create.fromJson({ cluster: same.cluster, policies: same.policies }))));
      const refused = verdicts.map((v) => v instanceof NetpolValidationError);
      if (new Set(refused).size !== 1) throw new Error(`evaluators disagree on validity: ${refused}`);
      if (refused[0] !== parseErrors.length > 0) {
        const engineSays = verdicts[0] instanceof NetpolValidationError ? verdicts[0].message : "accepted";
        throw new Error(`${text}\nparseManifests: ${parseErrors.map((i) => `${i.path}: ${i.message}`).join("; ") || "no error"}\ncreateEngine: ${engineSays}`);
      }
    }),
    { numRuns: RUNS },
  );
});

test("the public API's arguments of every wrong type: typed errors only", async () => {
  const engines = await Promise.all(FACTORIES.map((create) => create({ cluster: { pods: [{ namespace: "a", name: "p", ips: ["10.0.0.1"] }] }, policies: [] })));
  await fc.assert(
    fc.asyncProperty(hostileValue, hostileValue, async (a, b) => {
      for (const e of engines) {
        await typed(() => e.decide(a as never));
        await typed(() => e.decideBatch(a as never));
        await typed(() => e.decideBatch([a, b] as never));
        await typed(() => e.matrix(a as never));
        await typed(() => e.sideMatrix(a as never, b as never));
        await typed(() => e.counts(a as never));
        await typed(() => e.update(a as never));
        await typed(() => e.matrix({ port: 80 }).allowed(a as never, b as never));
      }
      await typed(() => createEngine(a as never));
      await typed(() => createEngineFromJson(a));
      await typed(() => createEngineFromJson({ cluster: a, policies: b }));
      await typed(() => parseManifests(a as never, b as never));
    }),
    { numRuns: RUNS },
  );
  assert.ok(true);
});

test.run();
