/**
 * `createEngine`: the one entry every user of netpol goes through.
 */
import * as E from "fp-ts/lib/Either.js";
import { NetpolValidationError } from "../api/issues.js";
import { loadModel } from "./model.js";
import { ReferenceEngine } from "./reference-engine.js";
import type { Engine, EngineInput, EvaluatorName } from "./types.js";

/** Every evaluation path this build offers. */
export const EVALUATORS: readonly EvaluatorName[] = ["reference"];

/**
 * Builds an engine from a cluster and NetworkPolicies. Rejects with a
 * `NetpolValidationError` listing every problem when the input is invalid.
 */
export async function createEngine(input: EngineInput): Promise<Engine> {
  return createEngineSync(input);
}

/** `createEngine` without the Promise, for Node and workers. Throws `NetpolValidationError`. */
export function createEngineSync(input: EngineInput): Engine {
  if (typeof input !== "object" || input === null) throw new NetpolValidationError([{ path: "", message: "expected an object with cluster and policies" }]);
  const model = loadModel(input);
  if (E.isLeft(model)) throw new NetpolValidationError(model.left);
  const evaluator = input.evaluator ?? "reference";
  switch (evaluator) {
    case "reference":
      return new ReferenceEngine(model.right);
    default:
      throw new NetpolValidationError([{ path: "evaluator", message: `unsupported value \`${String(evaluator)}\`: supported values: "reference"` }]);
  }
}
