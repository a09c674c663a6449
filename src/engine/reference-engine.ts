/**
 * The `Engine` over the reference evaluator: every answer computed from the text of
 * the API, one flow at a time.
 */
import * as E from "fp-ts/lib/Either.js";
import { NetpolValidationError } from "../api/issues.js";
import { ReferenceEvaluator } from "../reference/evaluate.js";
import { ReachabilityMatrix } from "./matrix.js";
import { resolveFlow, resolvePort, type Model } from "./model.js";
import type { Decision, Engine, Flow, PortQuery } from "./types.js";
import type { ResolvedFlow } from "../ir/types.js";

/** Resolves a flow or throws the typed validation error. */
export function resolveOrThrow(model: Model, flow: Flow, path: string): ResolvedFlow {
  const resolved = resolveFlow(model, flow, path);
  if (E.isLeft(resolved)) throw new NetpolValidationError(resolved.left);
  return resolved.right;
}

/** An engine that asks the reference evaluator everything. */
export class ReferenceEngine implements Engine {
  readonly evaluator = "reference";
  readonly reference: ReferenceEvaluator;

  constructor(private readonly model: Model) {
    this.reference = new ReferenceEvaluator(model.rules, model.cluster, model.options);
  }

  get options() {
    return this.model.options;
  }

  get pods(): readonly string[] {
    return this.model.podIds;
  }

  decide(flow: Flow): Decision {
    const explanation = this.reference.explain(resolveOrThrow(this.model, flow, ""));
    return { allowed: explanation.allowed, explanation };
  }

  decideBatch(flows: readonly Flow[]): Uint8Array {
    const out = new Uint8Array(flows.length);
    flows.forEach((flow, i) => {
      out[i] = this.reference.allowed(resolveOrThrow(this.model, flow, `flows[${i}]`)) ? 1 : 0;
    });
    return out;
  }

  matrix(query: PortQuery): ReachabilityMatrix {
    const port = resolvePort(query.protocol, query.port, "query");
    if (E.isLeft(port)) throw new NetpolValidationError([port.left]);
    const { protocol, port: number } = port.right;
    return ReachabilityMatrix.fromPredicate(this.pods, protocol, number, (i, j) =>
      this.reference.allowed({ from: { kind: "pod", pod: i }, to: { kind: "pod", pod: j }, protocol, port: number }),
    );
  }
}
