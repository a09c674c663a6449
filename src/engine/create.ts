/**
 * `createEngine`: the one entry every user of netpol goes through.
 */
import { NetpolValidationError, quote, unsupportedValue, type Issue } from "../primitives/issues.js";
import { loadModel, type Model, type UncheckedInput } from "./model.js";
import { ReferenceEngine } from "./reference-engine.js";
import type { Engine, EngineInput, EvaluatorName } from "../api/engine.js";
import { loadModule, loadModuleSync } from "./wasm/core.js";
import { WasmEngine, type ThreadSettings } from "./wasm/engine.js";
import { workerPlatform, type WorkerPlatform } from "./threads/platform.js";
import { DEFAULT_SPLIT, type SplitPolicy } from "./threads/split.js";

/** Every evaluation path this build offers; the first is the default. */
export const EVALUATORS: readonly EvaluatorName[] = ["wasm", "reference"];

/** The most threads `EngineInput.threads` may ask for. */
export const MAX_THREADS = 64;
/** The most threads the default takes, however many cores the host has. */
const DEFAULT_MAX_THREADS = 8;

/** Checks the input (typed or not: it is all checked at run time) and loads its model; throws `NetpolValidationError`. */
function load(input: unknown): { model: Model; evaluator: EvaluatorName; threads: number | undefined } {
  if (typeof input !== "object" || input === null) throw new NetpolValidationError([{ path: "", message: "expected an object with cluster and policies" }]);
  const fields = input as UncheckedInput & { readonly evaluator?: unknown; readonly threads?: unknown };
  const evaluator = (fields.evaluator ?? EVALUATORS[0]!) as EvaluatorName;
  const issues: Issue[] = EVALUATORS.includes(evaluator)
    ? []
    : [{ path: "evaluator", message: unsupportedValue(evaluator, EVALUATORS) }];
  const threads = fields.threads;
  if (threads !== undefined && !(Number.isInteger(threads) && (threads as number) >= 1 && (threads as number) <= MAX_THREADS)) {
    issues.push({ path: "threads", message: `expected an integer from 1 to ${MAX_THREADS}, got ${quote(threads)}` });
  }
  const model = loadModel(fields);
  if (!model.ok) issues.push(...model.issues);
  if (issues.length > 0 || !model.ok) throw new NetpolValidationError(issues);
  return { model: model.value, evaluator, threads: threads as number | undefined };
}

/**
 * The threads an engine gets: as asked (the default: the host's cores, at most 8),
 * or 1 where the host has no threads that share memory. `split` says when splitting
 * pays (tests shrink it to split small inputs); `host` defaults to `workerPlatform()`,
 * which is not asked when one thread is (it loads Node's worker and os modules).
 */
export function threadsFor(requested: number | undefined, split: SplitPolicy = DEFAULT_SPLIT, host?: WorkerPlatform | null): ThreadSettings {
  const platform = requested === 1 ? null : host === undefined ? workerPlatform() : host;
  if (platform === null) return { threads: 1, platform: null, split };
  const threads = requested ?? Math.min(platform.cores, DEFAULT_MAX_THREADS);
  return threads < 2 ? { threads: 1, platform: null, split } : { threads, platform, split };
}

/** The engine on its evaluation path. */
function build(loaded: { model: Model; evaluator: EvaluatorName; threads: number | undefined }, module: () => WebAssembly.Module, host?: ThreadHost): Engine {
  return loaded.evaluator === "wasm" ? new WasmEngine(loaded.model, module(), threadsFor(loaded.threads, host?.split, host?.platform)) : new ReferenceEngine(loaded.model);
}

/** What `createEngineWith` changes: when splitting pays, and where workers come from. */
export interface ThreadHost {
  readonly split?: SplitPolicy;
  readonly platform?: WorkerPlatform | null;
}

/**
 * Builds an engine from a cluster and NetworkPolicies (evaluator `"wasm"` unless
 * told otherwise; the WASM module compiles asynchronously, once per process).
 * Rejects with a `NetpolValidationError` listing every problem when the input is invalid.
 */
export async function createEngine(input: EngineInput): Promise<Engine> {
  const module = startCompile(input);
  const loaded = load(input);
  const compiled = loaded.evaluator === "wasm" ? await (module ?? loadModule()) : null;
  return build(loaded, () => compiled!);
}

/** `createEngine` with another split policy or worker host (for tests of the threads on small inputs; not public). */
export async function createEngineWith(input: EngineInput, host: ThreadHost): Promise<Engine> {
  const loaded = load(input);
  const module = loaded.evaluator === "wasm" ? await loadModule() : null;
  return build(loaded, () => module!, host);
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
  return build(load(input), loadModuleSync);
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
