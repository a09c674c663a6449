/**
 * `createEngine`: the one entry every user of netpol goes through.
 */
import * as E from "fp-ts/lib/Either.js";
import { NetpolValidationError, type Issue } from "../primitives/issues.js";
import { loadModel, type Model } from "./model.js";
import { ReferenceEngine } from "./reference-engine.js";
import type { Engine, EngineInput, EvaluatorName } from "../api/engine.js";
import { loadModule, loadModuleSync } from "./wasm/core.js";
import { WasmEngine } from "./wasm/engine.js";

/** Every evaluation path this build offers; the first is the default. */
export const EVALUATORS: readonly EvaluatorName[] = ["wasm", "reference"];

/** Checks the input and loads its model; throws `NetpolValidationError`. */
function load(input: EngineInput): { model: Model; evaluator: EvaluatorName } {
  if (typeof input !== "object" || input === null) throw new NetpolValidationError([{ path: "", message: "expected an object with cluster and policies" }]);
  const evaluator = input.evaluator ?? EVALUATORS[0]!;
  const issues: Issue[] = EVALUATORS.includes(evaluator)
    ? []
    : [{ path: "evaluator", message: `unsupported value \`${String(evaluator)}\`: supported values: ${EVALUATORS.map((e) => `"${e}"`).join(", ")}` }];
  const model = loadModel(input);
  if (E.isLeft(model)) issues.push(...model.left);
  if (issues.length > 0 || E.isLeft(model)) throw new NetpolValidationError(issues);
  return { model: model.right, evaluator };
}

/**
 * Builds an engine from a cluster and NetworkPolicies (evaluator `"wasm"` unless
 * told otherwise; the WASM module compiles asynchronously, once per process).
 * Rejects with a `NetpolValidationError` listing every problem when the input is invalid.
 */
export async function createEngine(input: EngineInput): Promise<Engine> {
  const { model, evaluator } = load(input);
  return evaluator === "wasm" ? new WasmEngine(model, await loadModule()) : new ReferenceEngine(model);
}

/** `createEngine` without the Promise, for Node and workers (compiles the WASM module synchronously). Throws `NetpolValidationError`. */
export function createEngineSync(input: EngineInput): Engine {
  const { model, evaluator } = load(input);
  return evaluator === "wasm" ? new WasmEngine(model, loadModuleSync()) : new ReferenceEngine(model);
}
