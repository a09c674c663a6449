/**
 * The `Engine` over the compiled tables and the WASM core: verdicts, matrices and
 * counts come from the core; `decide` also asks the reference evaluator for the
 * explanation and checks that both agree.
 */
import { NetpolValidationError, type Issue } from "../../primitives/issues.js";
import { CHUNK, H, HEADER_WORDS, MATRIX_BOTH, MATRIX_EGRESS, MATRIX_INGRESS, OUTSIDE, SCRATCH, workWords } from "../../compile/layout.js";
import type { Intervals } from "../../compile/intervals.js";
import { Selections } from "../../compile/selection.js";
import { CompileCache } from "../../compile/cache.js";
import { compileTables } from "../../compile/tables.js";
import { PROTOCOLS, type Direction, type Protocol } from "../../primitives/kubernetes.js";
import type { Endpoint } from "../../ir/types.js";
import { checkColumnar, columnarIssue, isColumnar, type AddressCoder } from "../columnar.js";
import { FlowColumns } from "../../api/flow-columns.js";
import { ReachabilityMatrix } from "../../api/matrix.js";
import { NODE_PREFIX, resolveFlow, type Model } from "../model.js";
import { checkDirection, queryOrThrow, resolveOrThrow } from "../checks.js";
import type { ColumnarFlows, Decision, Engine, Flow, PortQuery, ReachCounts, EngineUpdate } from "../../api/engine.js";
import { applyUpdates } from "../update.js";
import { Core } from "./core.js";
import { ModelEngine } from "../model-engine.js";

/** Bytes of matrix rows the core writes per call: bounds the core's memory, not the result's. */
const BAND_BYTES = 8 << 20;

/** An engine answering from the WASM core. */
export class WasmEngine extends ModelEngine implements Engine {
  readonly evaluator = "wasm";
  private readonly selections: Selections;
  /** What one compile keeps for the next (see `CompileCache`). */
  private readonly cache = new CompileCache();
  private readonly core: Core;
  private intervals!: Intervals;

  constructor(model: Model, module: WebAssembly.Module) {
    super(model);
    this.selections = new Selections(model.cluster, model.options);
    this.core = new Core(module);
    this.compile();
  }

  private compile(): void {
    const { rules, cluster, options } = this.model;
    this.intervals = compileTables(rules, cluster, options, this.model.podByName, this.selections, (words, zeroed) => this.core.allocateTables(words, zeroed), this.cache).intervals;
    this.core.bind();
  }

  /** The core's code of an endpoint: a pod index, OUTSIDE | the address's interval, or OUTSIDE | a node's row after the intervals. */
  private code(end: Endpoint): number {
    if (end.kind === "pod") return end.pod;
    if (end.kind === "node") return this.nodeCode(end.node);
    return (OUTSIDE | this.intervals.locate(end.address)) >>> 0;
  }

  /** The core's code of node `node`: its row after the intervals. */
  private nodeCode(node: number): number {
    return (OUTSIDE | (this.intervals.count + node)) >>> 0;
  }

  /** Codes a batch's addresses for the core: the owning node, else the owning pod, else OUTSIDE | the address's interval. */
  private readonly coder: AddressCoder = {
    code4: (value) => {
      const node = this.model.nodeByAddress.find4(value);
      if (node >= 0) return this.nodeCode(node);
      const pod = this.model.podByAddress.find4(value);
      return pod >= 0 ? pod : (OUTSIDE | this.intervals.locate4(value)) >>> 0;
    },
    code6: (words) => {
      const node = this.model.nodeByAddress.find6(words);
      if (node >= 0) return this.nodeCode(node);
      const pod = this.model.podByAddress.find6(words);
      return pod >= 0 ? pod : (OUTSIDE | this.intervals.locate6(words)) >>> 0;
    },
    codeNode: (name) => {
      const node = this.model.nodeByName.get(name);
      return node === undefined ? null : this.nodeCode(node);
    },
  };

  decide(flow: Flow): Decision {
    const resolved = resolveOrThrow(this.model, flow, "");
    const explanation = this.reference.explain(resolved);
    const n = this.pods.length;
    const verdict = this.run(
      {
        from: Uint32Array.of(n),
        to: Uint32Array.of(n + 1),
        ports: Uint32Array.of(resolved.port | (PROTOCOLS.indexOf(resolved.protocol) << 16)),
      },
      Uint32Array.of(this.code(resolved.from), this.code(resolved.to)),
    )[0] === 1;
    if (verdict !== explanation.allowed) {
      throw new Error(`netpol: internal error: the WASM core says ${verdict ? "allowed" : "denied"} where the reference evaluator says ${explanation.allowed ? "allowed" : "denied"} for ${JSON.stringify(flow)}`);
    }
    return { allowed: verdict, explanation };
  }

  decideBatch(flows: readonly Flow[] | ColumnarFlows): Uint8Array {
    if (isColumnar(flows)) {
      return this.run(flows, checkColumnar(flows, this.coder).codes);
    }
    // resolved endpoints as columns; outside addresses once each in the address table, nodes by name
    const columns = new FlowColumns(this.pods, flows.length);
    const value = (end: Endpoint): number => {
      if (end.kind === "pod") return end.pod;
      return columns.address(end.kind === "node" ? `${NODE_PREFIX}${this.model.cluster.nodes[end.node]!.name}` : end.address.text);
    };
    const issues: Issue[] = [];
    flows.forEach((flow, i) => {
      const resolved = resolveFlow(this.model, flow, `flows[${i}]`);
      if (!resolved.ok) issues.push(...resolved.issues);
      else columns.push(value(resolved.value.from), value(resolved.value.to), resolved.value.protocol, resolved.value.port);
    });
    if (issues.length > 0) throw new NetpolValidationError(issues);
    const batch = columns.columns();
    return this.run(batch, checkColumnar(batch, this.coder).codes);
  }

  /** Runs checked columns through the scratch region chunk by chunk; `codes` is the address table. */
  private run(flows: ColumnarFlows, codes: Uint32Array): Uint8Array {
    const length = flows.from.length;
    const out = new Uint8Array(length);
    const core = this.core;
    const addresses = core.transient(codes.length * 4);
    const buffer = core.buffer; // no memory.grow below: views stay valid
    new Uint32Array(buffer, addresses, codes.length).set(codes);
    const from = new Uint32Array(buffer, core.scratch + SCRATCH.FROM, CHUNK);
    const to = new Uint32Array(buffer, core.scratch + SCRATCH.TO, CHUNK);
    const ports = new Uint32Array(buffer, core.scratch + SCRATCH.PORT, CHUNK);
    const port16 = new Uint16Array(buffer, core.scratch + SCRATCH.PORT16, CHUNK);
    const protocol8 = new Uint8Array(buffer, core.scratch + SCRATCH.PROTOCOL8, CHUNK);
    const verdicts = new Uint8Array(buffer, core.scratch + SCRATCH.OUT, CHUNK);
    const split = flows.ports === undefined ? 1 : 0;
    for (let start = 0; start < length; start += CHUNK) {
      const end = Math.min(length, start + CHUNK);
      from.set(flows.from.subarray(start, end));
      to.set(flows.to.subarray(start, end));
      if (flows.ports !== undefined) ports.set(flows.ports.subarray(start, end));
      else {
        port16.set(flows.port.subarray(start, end));
        protocol8.set(flows.protocol.subarray(start, end));
      }
      const bad = core.exports.decide(core.scratch, end - start, addresses, codes.length, split);
      if (bad >= 0) throw new NetpolValidationError([columnarIssue(flows, start + bad, this.pods.length + codes.length)]);
      out.set(verdicts.subarray(0, end - start), start);
    }
    return out;
  }

  /** Prepares the work rows for a query; returns the checked port and the output block's offset. */
  private prepare(query: PortQuery, outBytes: number): { protocol: Protocol; port: number; out: number } {
    const { protocol, port } = queryOrThrow(query);
    const core = this.core;
    const header = new Uint32Array(core.buffer, core.tables, HEADER_WORDS);
    const workBytes = (workWords(header) * 4 + 15) & ~15;
    const work = core.transient(workBytes + outBytes);
    core.exports.prepare(work, PROTOCOLS.indexOf(protocol), port);
    return { protocol, port, out: work + workBytes };
  }

  private matrixOf(query: PortQuery, kind: number): ReachabilityMatrix {
    const n = this.pods.length;
    const words = (n + 31) >>> 5;
    // rows go out in bands of 32-row strips through a bounded transient block
    const stripsPerBand = Math.max(1, Math.floor(BAND_BYTES / (32 * words * 4)));
    const { protocol, port, out } = this.prepare(query, Math.min(words, stripsPerBand) * 32 * words * 4);
    const bits = new Uint32Array(n * words);
    for (let strip = 0; strip < words; strip += stripsPerBand) {
      this.core.exports.matrix(out, kind, strip, strip + stripsPerBand);
      const rows = Math.min(n, (strip + stripsPerBand) * 32) - strip * 32;
      bits.set(new Uint32Array(this.core.buffer, out, rows * words), strip * 32 * words);
    }
    return new ReachabilityMatrix(this.pods, protocol, port, bits);
  }

  matrix(query: PortQuery): ReachabilityMatrix {
    return this.matrixOf(query, MATRIX_BOTH);
  }

  sideMatrix(query: PortQuery, direction: Direction): ReachabilityMatrix {
    checkDirection(direction);
    return this.matrixOf(query, direction === "Egress" ? MATRIX_EGRESS : MATRIX_INGRESS);
  }

  counts(query: PortQuery): ReachCounts {
    const n = this.pods.length;
    const { out } = this.prepare(query, n * 8);
    this.core.exports.counts(out, MATRIX_BOTH);
    const all = new Uint32Array(this.core.buffer, out, 2 * n).slice();
    return { reach: all.subarray(0, n), reachedBy: all.subarray(n) };
  }

  update(changes: EngineUpdate | readonly EngineUpdate[]): void {
    const { model, effects } = applyUpdates(this.model, changes);
    for (const effect of effects) {
      // a pod's namespace must be known before the pod, and outlive it
      for (const ns of effect.namespaces) if (ns.after !== undefined) this.selections.namespaceChanged(ns.name, ns.after);
      for (const pod of effect.pods) this.selections.podChanged(pod.before, pod.after);
      for (const ns of effect.namespaces) if (ns.after === undefined) this.selections.namespaceChanged(ns.name, undefined);
    }
    this.replaceModel(model);
    this.compile();
  }

  /** Table statistics: header words by name (for tests and tuning). */
  stats(): Record<keyof typeof H, number> {
    const header = new Uint32Array(this.core.buffer, this.core.tables, HEADER_WORDS);
    return Object.fromEntries(Object.entries(H).map(([name, i]) => [name, header[i]!])) as Record<keyof typeof H, number>;
  }
}
