/**
 * `createEngine`: the one entry every user of netpol goes through.
 */
import { NetpolValidationError, unsupportedValue, type Issue } from "../primitives/issues.js";
import { loadModel, type Model, type UncheckedInput } from "./model.js";
import { ReferenceEngine } from "./reference-engine.js";
import type { Engine, EngineInput, EvaluatorName } from "../api/engine.js";
import { loadModule, loadModuleSync } from "./wasm/core.js";
import { WasmEngine } from "./wasm/engine.js";

/** Every evaluation path this build offers; the first is the default. */
export const EVALUATORS: readonly EvaluatorName[] = ["wasm", "reference"];

/** Checks the input (typed or not: it is all checked at run time) and loads its model; throws `NetpolValidationError`. */
function load(input: unknown): { model: Model; evaluator: EvaluatorName } {
  if (typeof input !== "object" || input === null) throw new NetpolValidationError([{ path: "", message: "expected an object with cluster and policies" }]);
  const fields = input as UncheckedInput & { readonly evaluator?: unknown };
  const evaluator = (fields.evaluator ?? EVALUATORS[0]!) as EvaluatorName;
  const issues: Issue[] = EVALUATORS.includes(evaluator)
    ? []
    : [{ path: "evaluator", message: unsupportedValue(evaluator, EVALUATORS) }];
  const model = loadModel(fields);
  if (!model.ok) issues.push(...model.issues);
  if (issues.length > 0 || !model.ok) throw new NetpolValidationError(issues);
  return { model: model.value, evaluator };
}

/**
 * Builds an engine from a cluster and NetworkPolicies (evaluator `"wasm"` unless
 * told otherwise; the WASM module compiles asynchronously, once per process).
 * Rejects with a `NetpolValidationError` listing every problem when the input is invalid.
 */
export async function createEngine(input: EngineInput): Promise<Engine> {
  const module = startCompile(input);
  const { model, evaluator } = load(input);
  return evaluator === "wasm" ? new WasmEngine(model, await (module ?? loadModule())) : new ReferenceEngine(model);
}

/**
 * Starts compiling the WASM module (once per process) when `input` asks for the WASM
 * evaluator, so that it compiles off the main thread while the input is checked; null
 * otherwise, or when compiling cannot start (then `loadModule` reports why, after the
 * input's own problems).
 */
function startCompile(input: unknown): Promise<WebAssembly.Module> | null {
  const evaluator = typeof input === "object" && input !== null ? (input as { readonly evaluator?: unknown }).evaluator : undefined;
  if ((evaluator ?? EVALUATORS[0]) !== "wasm") return null;
  try {
    const module = loadModule();
    // a failure is reported where the module is awaited, or not at all when the input is refused first
    module.catch(() => undefined);
    return module;
  } catch {
    return null;
  }
}

/** `createEngine` without the Promise, for Node and workers (compiles the WASM module synchronously). Throws `NetpolValidationError`. */
export function createEngineSync(input: EngineInput): Engine {
  const { model, evaluator } = load(input);
  return evaluator === "wasm" ? new WasmEngine(model, loadModuleSync()) : new ReferenceEngine(model);
}

/**
 * `createEngine` for a value of unknown type, such as parsed JSON or YAML: the explicitly
 * untyped path. The checks are the same (all of them run at run time either way).
 */
export function createEngineFromJson(input: unknown): Promise<Engine> {
  return createEngine(input as EngineInput);
}

/** `createEngineSync` for a value of unknown type; see `createEngineFromJson`. */
export function createEngineFromJsonSync(input: unknown): Engine {
  return createEngineSync(input as EngineInput);
}
