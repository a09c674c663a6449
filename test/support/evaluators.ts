/**
 * The one helper for suites that must hold on every evaluation path (the reference
 * evaluator and the WASM core): `onEveryEvaluator(title, body)` declares the test once
 * per evaluator, `[wasm] title` and `[reference] title`, and hands `body` that
 * evaluator's engine factory. Every engine suite and every bad-input test goes
 * through it, so that a new evaluation path is tested by adding it to `EVALUATORS`.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine, createEngineFromJson, createEngineFromJsonSync, createEngineSync, EVALUATORS } from "../../src/engine/create.js";
import type { Engine, EngineInput, EvaluatorName } from "../../src/api/engine.js";
import { NetpolValidationError } from "../../src/primitives/issues.js";

/** Builds engines on one evaluation path: the input's own `evaluator` is replaced. */
export interface EngineFactory {
  readonly evaluator: EvaluatorName;
  /** `createEngine` on this path. */
  (input: EngineInput): Promise<Engine>;
  /** `createEngineSync` on this path. */
  sync(input: EngineInput): Engine;
  /** `createEngineFromJson` on this path (a value that is not an object is passed as it is). */
  fromJson(input: unknown): Promise<Engine>;
  /** The `NetpolValidationError` that building an engine from `input` (untyped) on this path rejects with; fails the test when it does not. */
  rejection(input: unknown): Promise<NetpolValidationError>;
  /** `rejection` through `createEngineFromJsonSync`. */
  rejectionSync(input: unknown): NetpolValidationError;
}

/** The typed error `build` throws, or a failed assertion. */
function thrown(build: () => unknown, evaluator: EvaluatorName): NetpolValidationError {
  try {
    build();
  } catch (error) {
    assert.instance(error, NetpolValidationError, `[${evaluator}] rejects with a NetpolValidationError`);
    return error as NetpolValidationError;
  }
  throw new assert.Assertion({ message: `[${evaluator}] expected the input to be rejected`, generated: false, operator: "rejects", expects: "a rejection", actual: "an engine" });
}

const on = (input: unknown, evaluator: EvaluatorName): unknown =>
  typeof input === "object" && input !== null && !Array.isArray(input) ? { ...input, evaluator } : input;

/** The factory of one evaluation path. */
export function engineFactory(evaluator: EvaluatorName): EngineFactory {
  const factory = (input: EngineInput): Promise<Engine> => createEngine({ ...input, evaluator });
  return Object.assign(factory, {
    evaluator,
    sync: (input: EngineInput): Engine => createEngineSync({ ...input, evaluator }),
    fromJson: (input: unknown): Promise<Engine> => createEngineFromJson(on(input, evaluator)),
    rejection: async (input: unknown): Promise<NetpolValidationError> => {
      const outcome = await createEngineFromJson(on(input, evaluator)).then(
        () => ({ rejected: false as const }),
        (error: unknown) => ({ rejected: true as const, error }),
      );
      return thrown(() => {
        if (outcome.rejected) throw outcome.error;
      }, evaluator);
    },
    rejectionSync: (input: unknown): NetpolValidationError => thrown(() => createEngineFromJsonSync(on(input, evaluator)), evaluator),
  });
}

/** Every evaluation path's factory, in `EVALUATORS` order. */
export const FACTORIES: readonly EngineFactory[] = EVALUATORS.map(engineFactory);

/** Declares `[evaluator] title` once per evaluation path, each run with its factory. */
export function onEveryEvaluator(title: string, body: (create: EngineFactory) => unknown): void {
  for (const create of FACTORIES) test(`[${create.evaluator}] ${title}`, async () => void (await body(create)));
}
