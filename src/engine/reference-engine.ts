/**
 * The `Engine` over the reference evaluator: every answer computed from the text of
 * the API, one flow at a time.
 */
import { NetpolValidationError } from "../primitives/issues.js";
import { checkColumnar, endpointCoder, columnarIssue, columnarPort, isColumnar } from "./columnar.js";
import { ReachabilityMatrix } from "../api/matrix.js";
import { checkDirection, flowIssues, matrixBuffer, queryOrThrow, stripOptions } from "./checks.js";
import { resolveFlow } from "./model.js";
import { endpointIds } from "./endpoints.js";
import type { Explanation } from "../api/explanation.js";
import { ModelEngine } from "./model-engine.js";
import type { ColumnarFlows, Decision, EndpointIds, Engine, Flow, MatrixOptions, MatrixStrip, PortQuery, ReachCounts, EngineUpdate, StripOptions } from "../api/engine.js";
import { applyUpdates } from "./update.js";
import type { Model } from "./model.js";
import { PROTOCOLS, type Direction } from "../primitives/kubernetes.js";
import type { Endpoint, ResolvedFlow } from "../ir/types.js";

/** An engine that asks the reference evaluator everything. */
export class ReferenceEngine extends ModelEngine implements Engine {
  readonly evaluator = "reference";

  protected decideOne(resolved: ResolvedFlow): Decision {
    const explanation = this.reference.explain(resolved);
    return { allowed: explanation.allowed, explanation };
  }

  protected decidePlain(flows: readonly Flow[] | ColumnarFlows): Uint8Array {
    if (isColumnar(flows)) return this.decideColumns(flows);
    // every flow is read before any is decided, so that all bad ones are reported; by
    // index, not forEach: a hole in a sparse array is a missing flow, not one to skip
    const resolved: ResolvedFlow[] = new Array(flows.length);
    for (let i = 0; i < flows.length; i++) {
      const r = resolveFlow(this.model, flows[i]!, `flows[${i}]`);
      if (!r.ok) throw new NetpolValidationError(flowIssues(this.model, flows));
      resolved[i] = r.value;
    }
    const out = new Uint8Array(flows.length);
    for (let i = 0; i < resolved.length; i++) out[i] = this.reference.allowed(resolved[i]!) ? 1 : 0;
    return out;
  }

  endpointIds(refs: readonly string[]): EndpointIds {
    return endpointIds(this.model, refs);
  }

  private decideColumns(flows: ColumnarFlows): Uint8Array {
    const coder = endpointCoder(this.model);
    const { length, codes } = checkColumnar(flows, coder);
    const n = this.pods.length;
    const end = (value: number): Endpoint => (value < n ? { kind: "pod", pod: value } : coder.endpoints[codes[value - n]!]!);
    const out = new Uint8Array(length);
    for (let k = 0; k < length; k++) {
      const [from, to, { protocol, port }] = [flows.from[k]!, flows.to[k]!, columnarPort(flows, k)];
      if (from >= n + codes.length || to >= n + codes.length || protocol >= PROTOCOLS.length || port === 0) {
        throw new NetpolValidationError([columnarIssue(flows, k, n + codes.length)]);
      }
      out[k] = this.reference.allowed({ from: end(from), to: end(to), protocol: PROTOCOLS[protocol]!, port }) ? 1 : 0;
    }
    return out;
  }

  /** The matrix whose cell (i, j) is `verdict` of the explanation of pod i → pod j. */
  private cells(query: PortQuery, options: MatrixOptions | undefined, verdict: (e: Explanation) => boolean): ReachabilityMatrix {
    const { protocol, port: number } = queryOrThrow(query);
    const n = this.pods.length;
    const into = matrixBuffer(options, n * ((n + 31) >>> 5));
    return ReachabilityMatrix.fromPredicate(
      this.pods,
      protocol,
      number,
      (i, j) => verdict(this.reference.explain({ from: { kind: "pod", pod: i }, to: { kind: "pod", pod: j }, protocol, port: number })),
      into,
    );
  }

  matrix(query: PortQuery, options?: MatrixOptions): ReachabilityMatrix {
    return this.cells(query, options, (e) => e.allowed);
  }

  sideMatrix(query: PortQuery, direction: Direction, options?: MatrixOptions): ReachabilityMatrix {
    checkDirection(direction);
    return this.cells(query, options, (e) => (direction === "Egress" ? e.egress : e.ingress).allowed);
  }

  matrixStrips(query: PortQuery, options?: StripOptions): IterableIterator<MatrixStrip> {
    queryOrThrow(query);
    const words = (this.pods.length + 31) >>> 5;
    const { rows, direction } = stripOptions(options, words);
    return this.strips(query, rows, direction);
  }

  /** The strips of a checked query: the reference builds the whole matrix once (it is not for large clusters) and hands out its bands. */
  private *strips(query: PortQuery, rows: number, direction: Direction | null): Generator<MatrixStrip> {
    const model = this.model;
    const whole = direction === null ? this.matrix(query) : this.sideMatrix(query, direction);
    const n = this.pods.length;
    const words = (n + 31) >>> 5;
    const bits = new Uint32Array(Math.min(rows, n) * words);
    for (let first = 0; first < n; first += rows) {
      if (this.model !== model) throw new NetpolValidationError([{ path: "matrixStrips", message: "the engine was updated while its strips were read" }]);
      const count = Math.min(rows, n - first);
      bits.set(whole.bits.subarray(first * words, (first + count) * words));
      yield { first, rows: count, bits: bits.subarray(0, count * words) };
    }
  }

  counts(query: PortQuery): ReachCounts {
    const m = this.matrix(query);
    const n = this.pods.length;
    const reach = new Uint32Array(n);
    const reachedBy = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      for (const j of m.row(i)) {
        reach[i]!++;
        reachedBy[j]!++;
      }
    }
    return { reach, reachedBy };
  }

  protected override over(model: Model): ReferenceEngine {
    return new ReferenceEngine(model);
  }

  /** Rebuilds the model with the changes applied: the reference keeps no derived state. */
  update(changes: EngineUpdate | readonly EngineUpdate[]): void {
    this.replaceModel(applyUpdates(this.model, changes).model);
  }
}
