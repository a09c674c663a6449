// No untyped error out of a public function at any size: large inputs, WASM offsets
// past 2 GiB and sizes past 4 GiB, arguments of the wrong type. Each failure is a
// NetpolValidationError naming what is wrong (and, for a size, the figure).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { explanationText, formatIssue, NetpolValidationError, ReachabilityMatrix } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { alignUp, matrixWords, WASM_MAX_BYTES } from "../src/primitives/limits.js";
import { Core, loadModuleSync } from "../src/engine/wasm/core.js";
import { memo, MEMO_MAX_LENGTH } from "../src/validate/names.js";
import { onEveryEvaluator } from "./support/evaluators.js";

/** Calls `f` and returns the NetpolValidationError it throws (failing on anything else). */
function typedError(f: () => unknown): NetpolValidationError {
  try {
    f();
  } catch (error) {
    assert.instance(error, NetpolValidationError, String(error));
    return error as NetpolValidationError;
  }
  throw new assert.Assertion({ message: "expected a NetpolValidationError", operator: "throws", actual: "no error", expects: "NetpolValidationError", generated: false });
}

test("130,000 namespaces and pods parse (no spread of a huge array onto the stack)", () => {
  const namespaces = Array.from({ length: 130_000 }, (_, i) => ({ name: `n${i}` }));
  const pods = Array.from({ length: 130_000 }, (_, i) => ({ namespace: "n0", name: `p${i}` }));
  const m = parseManifests(JSON.stringify({ namespaces, pods }));
  assert.equal(m.issues, []);
  assert.is(m.namespaces.length, 130_000);
  assert.is(m.pods.length, 130_000);
});

test("WASM offsets past 2 GiB stay positive; past 4 GiB is a typed error with the size", () => {
  // `(n + 15) & ~15` turned 2^31 + 1 into -2147483632
  assert.is(alignUp(2 ** 31 + 1), 2 ** 31 + 16);
  assert.is(alignUp(2 ** 32 - 17), 2 ** 32 - 16);
  assert.is(alignUp(3 * 2 ** 30 + 5), 3 * 2 ** 30 + 16);
  const core = new Core(loadModuleSync());
  const error = typedError(() => core.ensure(WASM_MAX_BYTES + 1));
  assert.match(error.issues[0]!.message, /needs 4,097 MiB, more than the 4,096 MiB allowed/);
  const matrix = typedError(() => matrixWords(400_000));
  assert.match(matrix.issues[0]!.message, /reachability matrix of 400,000 × 400,000 pods needs 19,074 MiB/);
});

test("parseManifests(Buffer | undefined | 123): bytes are read, anything else is a typed error", () => {
  assert.equal(parseManifests(Buffer.from("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")).namespaces.map((n) => n.name), ["a"]);
  for (const bad of [undefined, 123, null, {}, ["a"]]) {
    const error = typedError(() => parseManifests(bad as never));
    assert.equal(error.issues.map((i) => i.path), ["text"]);
  }
  typedError(() => parseManifests("", null as never));
  typedError(() => parseManifests("", { file: 5 } as never));
});

onEveryEvaluator("ReachabilityMatrix: allowed(-1, 0) and allowed('1', 0) are typed errors, not false and true", async (create) => {
  const m = (await create({ cluster: { pods: [{ namespace: "a", name: "p" }, { namespace: "a", name: "q" }] }, policies: [] })).matrix({ port: 80 });
  assert.ok(m.allowed(0, 1));
  for (const [from, to] of [[-1, 0], ["1", 0], [0, 2], [0.5, 0], [0, NaN]] as Array<[unknown, unknown]>) typedError(() => m.allowed(from as number, to as number));
  typedError(() => m.row(5));
  typedError(() => m.column(-1));
  assert.equal([...m.row(0)], [0, 1]);
});

test("ReachabilityMatrix checks its constructor's arguments", () => {
  typedError(() => new ReachabilityMatrix(["a"], "TCP", 80, new Uint32Array(3)));
  typedError(() => new ReachabilityMatrix(["a"], "XTP" as never, 80, new Uint32Array(1)));
});

onEveryEvaluator("a sparse flow array is a typed error naming the hole; so is a sparse update list", async (create) => {
  const engine = await create({ cluster: { pods: [{ namespace: "a", name: "p" }] }, policies: [] });
  const flows = [{ from: "a/p", to: "a/p", port: 80 }];
  flows[2] = { from: "a/p", to: "a/p", port: 80 };
  const error = typedError(() => engine.decideBatch(flows));
  assert.equal(error.issues.map((i) => [i.path, i.message]), [["flows[1]", "expected a flow object, got `undefined`"]]);
  const updates: unknown[] = [];
  updates[1] = { op: "removePod", pod: "a/p" };
  typedError(() => engine.update(updates as never));
});

test("the name-check memo never keeps a long string (it kept every checked string before)", () => {
  let calls = 0;
  const check = memo((v: string) => {
    calls++;
    return v.length > 3 ? ["long"] : [];
  });
  const long = "x".repeat(MEMO_MAX_LENGTH + 1);
  check(long);
  check(long);
  assert.is(calls, 2, "a long string is checked again, not remembered");
  check("abc");
  check("abc");
  assert.is(calls, 3, "short strings are remembered");
});

test("formatIssue, explanationText and NetpolValidationError check their arguments", () => {
  typedError(() => formatIssue(undefined as never));
  typedError(() => formatIssue("x" as never));
  typedError(() => explanationText({} as never, "a", "b"));
  const error = new NetpolValidationError("oops" as never);
  assert.equal(error.issues.map((i) => i.path), ["issues"]);
});

test.run();
