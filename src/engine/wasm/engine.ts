/**
 * The `Engine` over the compiled tables and the WASM core: verdicts, matrices and
 * counts come from the core; `decide` also asks the reference evaluator for the
 * explanation and checks that both agree.
 */
import { NetpolValidationError, isPlainObject } from "../../primitives/issues.js";
import { CHUNK, H, HEADER_WORDS, MATRIX_BOTH, MATRIX_EGRESS, MATRIX_INGRESS, OUTSIDE, SCRATCH, classBlockWords, workWords } from "../../compile/layout.js";
import type { Intervals } from "../../compile/intervals.js";
import { Selections, type PodQuery } from "../../compile/selection.js";
import { CompileState } from "../../compile/state.js";
import { compileTables, podProfiles } from "../../compile/tables.js";
import { compactClasses, type PodClasses } from "../../compile/classes.js";
import { patchTables } from "../../compile/patch.js";
import { PROTOCOLS, type Direction, type Protocol } from "../../primitives/kubernetes.js";
import { alignUp } from "../../primitives/limits.js";
import type { Endpoint, ResolvedFlow } from "../../ir/types.js";
import { checkColumnar, columnarIssue, isColumnar, type AddressCoder } from "../columnar.js";
import { ReachabilityMatrix, allocateMatrix } from "../../api/matrix.js";
import type { Model } from "../model.js";
import { checkDirection, flowIssues, isPort, matrixBuffer, protocolCode, queryOrThrow, stripOptions } from "../checks.js";
import { EndpointInterner, NODE, OUTSIDE4, endpointIds } from "../endpoints.js";
import type { ColumnarFlows, Decision, EndpointIds, Engine, Flow, MatrixOptions, MatrixStrip, PortQuery, ReachCounts, EngineUpdate, StripOptions } from "../../api/engine.js";
import { applyUpdates, type UpdateEffect } from "../update.js";
import { Core } from "./core.js";
import { ModelEngine } from "../model-engine.js";
import { decideRange, loadAddresses, matrixRows, prepareQuery, type ColumnSource } from "./runs.js";
import { ThreadPool } from "../threads/pool.js";
import { DEFAULT_SPLIT, batchPlan, isShared, matrixPlan, type Plan, type SplitPolicy } from "../threads/split.js";
import type { WorkerPlatform } from "../threads/platform.js";
import type { OutsideKeys } from "../connections.js";

/** How an engine uses threads (see `threadsFor` in `create.ts`): `threads` counts the calling thread; 1 means no workers. */
export interface ThreadSettings {
  readonly threads: number;
  readonly platform: WorkerPlatform | null;
  readonly split: SplitPolicy;
}

/** `plan()`, or null when it needed more shared memory than the host gives (the job then runs on the calling thread). */
function sharedOrNull<T>(plan: () => Plan<T>): Plan<T> | null {
  try {
    return plan();
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** Stops the workers of an engine that was never closed once it is collected (a process making engine after engine keeps no idle threads). */
const POOLS = new FinalizationRegistry<ThreadPool>((pool) => pool.close());

/** An engine answering from the WASM core. */
export class WasmEngine extends ModelEngine implements Engine {
  readonly evaluator = "wasm";
  private readonly selections: Selections;
  /** What one compile keeps for the next, and what a patch starts from (see `CompileState`). */
  private readonly state = new CompileState();
  private readonly core: Core;
  private intervals!: Intervals;
  /** Each pod's egress and ingress profile (`podProfiles`); null after a compile or patch until asked for. */
  private profileOfPod: readonly [Uint32Array, Uint32Array] | null = null;
  private threading: ThreadSettings;
  /** The workers, started by the first job that pays for them; null before, and with one thread. */
  private pool: ThreadPool | null = null;
  /** Whether a job is using the pool (its shared buffers): another call meanwhile runs on the calling thread. */
  private poolBusy = false;
  /** Compiles so far: workers copy the tables again when it changes. */
  private generation = 0;
  /** How often the tables were compiled and patched (for tests and tuning). */
  readonly made = { compiles: 0, patches: 0 };
  /** Pod classes of the current tables, numbered by first pod; null after a patch until asked for. */
  private classes: PodClasses | null = null;
  /** The endpoint texts flow objects named so far, read against the current model (null: none yet since it changed). */
  private endpoints: EndpointInterner | null = null;

  constructor(
    model: Model,
    /** The compiled core, for workers and for engines over other models (`over`). */
    private readonly module: WebAssembly.Module,
    threading: ThreadSettings = { threads: 1, platform: null, split: DEFAULT_SPLIT },
  ) {
    super(model);
    this.selections = new Selections(model.cluster, model.options, model.podIds);
    this.threading = threading;
    this.core = new Core(module);
    this.compile();
  }

  private compile(): void {
    const { rules, cluster, options } = this.model;
    const tables = compileTables(rules, cluster, options, this.model.podByName, this.selections, (words, derived) => this.core.allocateTables(words, derived), this.state);
    this.intervals = tables.intervals;
    this.profileOfPod = null;
    this.classes = tables.classes;
    this.core.bind();
    this.generation++;
    this.made.compiles++;
  }

  override get threads(): number {
    return this.threading.platform === null || (this.pool !== null && !this.pool.open) ? 1 : this.threading.threads;
  }

  /** The pool for a job of this size, or null when the calling thread alone should run it (`blocking`: the caller will wait with `Atomics.wait`). */
  private poolFor(large: boolean, blocking: boolean): ThreadPool | null {
    const { platform, threads } = this.threading;
    if (!large || platform === null || threads < 2 || this.poolBusy) return null;
    if (blocking && !platform.canBlock) return null;
    if (this.pool === null) {
      this.pool = new ThreadPool(platform, this.module, threads - 1);
      POOLS.register(this, this.pool);
    }
    return this.pool.open ? this.pool : null;
  }

  /**
   * Runs a plan on `pool`, blocking until its workers settle; `alone` when the host
   * cannot give the job's shared memory (a `RangeError` from a `SharedArrayBuffer`).
   */
  private runSync<T>(pool: ThreadPool, plan: () => Plan<T>, alone: () => T): T {
    this.poolBusy = true;
    try {
      const p = sharedOrNull(plan);
      return p === null ? alone() : p.finish(pool.runSync(this.tablesOf(), p.job, p.chunks, p.mine));
    } finally {
      this.poolBusy = false;
    }
  }

  /** Runs a plan on `pool` without blocking the calling thread's event loop (see `runSync`). */
  private async runAsync<T>(pool: ThreadPool, plan: () => Plan<T>, alone: () => T): Promise<T> {
    this.poolBusy = true;
    try {
      const p = sharedOrNull(plan);
      return p === null ? alone() : p.finish(await pool.run(this.tablesOf(), p.job, p.chunks, p.mine));
    } finally {
      this.poolBusy = false;
    }
  }

  private tablesOf(): { generation: number; words: () => Uint32Array } {
    return { generation: this.generation, words: () => this.core.tablesView() };
  }

  /** Stops this engine's workers; it answers on the calling thread from then on. */
  override close(): void {
    this.pool?.close();
    this.threading = { ...this.threading, platform: null };
  }

  /** The pool's last job: how many chunks workers settled (tests check that workers took part). */
  workerChunks(): number {
    return this.pool?.lastWorkerChunks ?? 0;
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

  protected decideOne(resolved: ResolvedFlow, flow: Flow): Decision {
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

  protected decidePlain(flows: readonly Flow[] | ColumnarFlows): Uint8Array {
    if (!isColumnar(flows)) return this.decideObjects(flows);
    const { codes } = checkColumnar(flows, this.coder);
    const pool = this.poolFor(flows.from.length >= this.threading.split.minFlows, true);
    if (pool === null) return this.run(flows, codes);
    const alone = (): { out: Uint8Array; bad: number } => ({ out: this.run(flows, codes), bad: -1 });
    return this.verdicts(flows, codes, this.runSync(pool, () => batchPlan(this.core, flows, codes, this.threading.split, (slot, bytes) => pool.shared(slot, bytes)), alone));
  }

  /**
   * `decideBatch`, with threads wherever the host has them (a browser page's main
   * thread included, when cross-origin isolated). Flow objects are read on the
   * calling thread, as by `decideBatch`.
   */
  override async decideBatchAsync(flows: readonly Flow[] | ColumnarFlows): Promise<Uint8Array> {
    if (!isColumnar(flows)) return this.decideBatch(flows);
    const { codes } = checkColumnar(flows, this.coder);
    const pool = this.poolFor(flows.from.length >= this.threading.split.minFlows, false);
    if (pool === null) return this.run(flows, codes);
    const alone = (): { out: Uint8Array; bad: number } => ({ out: this.run(flows, codes), bad: -1 });
    return this.verdicts(flows, codes, await this.runAsync(pool, () => batchPlan(this.core, flows, codes, this.threading.split, (slot, bytes) => pool.shared(slot, bytes)), alone));
  }

  /** A split batch's verdicts, or the error one thread would have thrown for its first refused flow. */
  private verdicts(flows: ColumnarFlows, codes: Uint32Array, result: { out: Uint8Array; bad: number }): Uint8Array {
    if (result.bad >= 0) throw new NetpolValidationError([columnarIssue(flows, result.bad, this.pods.length + codes.length)]);
    return result.out;
  }

  endpointIds(refs: readonly string[]): EndpointIds {
    return endpointIds(this.model, refs);
  }

  /** The core's code of a node or an outside address, as `EndpointInterner` hands them over (`scanEndpoint`'s kind and words). */
  private readonly tableCode = (kind: number, words: Uint32Array): number => {
    if (kind === NODE) return this.nodeCode(words[0]!);
    return (OUTSIDE | (kind === OUTSIDE4 ? this.intervals.locate4(words[0]!) : this.intervals.locate6(words))) >>> 0;
  };

  /**
   * Flow objects, encoded straight into the scratch region a chunk at a time: each
   * distinct pod text is read once per model and each address where it stands
   * (`EndpointInterner`), ports and protocols are checked inline, and the exact
   * reading (`flowIssues`) runs only to report a flow this one refused. Each chunk
   * has an address table of its own, bounded by the chunk.
   */
  private decideObjects(flows: readonly Flow[]): Uint8Array {
    const length = flows.length;
    const out = new Uint8Array(length);
    const core = this.core;
    const endpoints = (this.endpoints ??= new EndpointInterner(this.model, this.tableCode));
    let scratch = this.scratch();
    for (let start = 0; start < length; start += CHUNK) {
      const count = Math.min(length - start, CHUNK);
      const { from, to, ports } = scratch;
      endpoints.startChunk();
      for (let k = 0; k < count; k++) {
        const flow = flows[start + k];
        if (!isPlainObject(flow)) throw new NetpolValidationError(flowIssues(this.model, flows));
        const s = endpoints.value(flow.from);
        const d = endpoints.value(flow.to);
        const protocol = protocolCode(flow.protocol);
        const port = flow.port;
        if (s < 0 || d < 0 || protocol < 0 || !isPort(port)) throw new NetpolValidationError(flowIssues(this.model, flows));
        from[k] = s;
        to[k] = d;
        ports[k] = port | (protocol << 16);
      }
      const addresses = core.transient(endpoints.count * 4);
      if (core.buffer !== scratch.buffer) scratch = this.scratch();
      new Uint32Array(core.buffer, addresses, endpoints.count).set(endpoints.codes.subarray(0, endpoints.count));
      if (core.exports.decide(core.scratch, count, addresses, endpoints.count, 0) >= 0) throw new Error("netpol: internal error: the WASM core refused a checked flow");
      out.set(scratch.verdicts.subarray(0, count), start);
    }
    return out;
  }

  /** Views of the batch scratch region over the current memory buffer (they die at the next `memory.grow`). */
  private scratch(): { buffer: ArrayBuffer; from: Uint32Array; to: Uint32Array; ports: Uint32Array; port16: Uint16Array; protocol8: Uint8Array; verdicts: Uint8Array } {
    const { buffer, scratch } = this.core;
    return {
      buffer,
      from: new Uint32Array(buffer, scratch + SCRATCH.FROM, CHUNK),
      to: new Uint32Array(buffer, scratch + SCRATCH.TO, CHUNK),
      ports: new Uint32Array(buffer, scratch + SCRATCH.PORT, CHUNK),
      port16: new Uint16Array(buffer, scratch + SCRATCH.PORT16, CHUNK),
      protocol8: new Uint8Array(buffer, scratch + SCRATCH.PROTOCOL8, CHUNK),
      verdicts: new Uint8Array(buffer, scratch + SCRATCH.OUT, CHUNK),
    };
  }

  /** Runs checked columns through the scratch region on the calling thread; `codes` is the address table. */
  private run(flows: ColumnarFlows, codes: Uint32Array): Uint8Array {
    const length = flows.from.length;
    const out = new Uint8Array(length);
    const bad = decideRange(this.core, flows as ColumnSource, loadAddresses(this.core, codes), codes.length, 0, length, out, 0);
    if (bad >= 0) throw new NetpolValidationError([columnarIssue(flows, bad, this.pods.length + codes.length)]);
    return out;
  }

  /**
   * Prepares the work rows for a query and lays out, after them, the class matrix
   * (`classBlockWords`) when `classMatrix` is set, then `outBytes` of output; returns
   * the checked port and both offsets.
   */
  private prepare(query: PortQuery, outBytes: number, classMatrix: boolean): { protocol: Protocol; port: number; classes: number; out: number } {
    const { protocol, port } = queryOrThrow(query);
    const core = this.core;
    const header = new Uint32Array(core.buffer, core.tables, HEADER_WORDS);
    const workBytes = alignUp(workWords(header) * 4);
    const classBytes = classMatrix ? alignUp(classBlockWords(header) * 4) : 0;
    const work = core.work(workBytes + classBytes + outBytes);
    core.exports.prepare(work, PROTOCOLS.indexOf(protocol), port);
    return { protocol, port, classes: work + workBytes, out: work + workBytes + classBytes };
  }

  /**
   * A matrix (or one side of it, `kind`) into a fresh array or `options.into`, split
   * across threads when it pays: only `into` a `SharedArrayBuffer`, where every thread
   * writes its rows in place (see `DEFAULT_SPLIT` for why nothing else is split).
   */
  private matrixOf(query: PortQuery, kind: number, options: MatrixOptions | undefined, blocking: true): ReachabilityMatrix;
  private matrixOf(query: PortQuery, kind: number, options: MatrixOptions | undefined, blocking: false): Promise<ReachabilityMatrix>;
  private matrixOf(query: PortQuery, kind: number, options: MatrixOptions | undefined, blocking: boolean): ReachabilityMatrix | Promise<ReachabilityMatrix> {
    const n = this.pods.length;
    const into = matrixBuffer(options, n * Math.ceil(n / 32));
    const { protocol, port } = queryOrThrow(query);
    const code = PROTOCOLS.indexOf(protocol);
    const bits = into ?? allocateMatrix(n);
    const result = (b: Uint32Array): ReachabilityMatrix => new ReachabilityMatrix(this.pods, protocol, port, b);
    const alone = (): Uint32Array => {
      matrixRows(this.core, kind, n, prepareQuery(this.core, code, port, kind), 0, Math.ceil(n / 32), bits);
      return bits;
    };
    const pool = this.poolFor(n >= this.threading.split.minPods && isShared(bits), blocking);
    if (pool === null) return blocking ? result(alone()) : Promise.resolve(result(alone()));
    const plan = (): Plan<Uint32Array> => matrixPlan(this.core, kind, code, port, n, bits, this.threading.threads, this.threading.split);
    return blocking ? result(this.runSync(pool, plan, alone)) : this.runAsync(pool, plan, alone).then(result);
  }

  matrix(query: PortQuery, options?: MatrixOptions): ReachabilityMatrix {
    return this.matrixOf(query, MATRIX_BOTH, options, true);
  }

  /** `matrix`, with threads wherever the host has them (see `decideBatchAsync`). */
  override async matrixAsync(query: PortQuery, options?: MatrixOptions): Promise<ReachabilityMatrix> {
    return this.matrixOf(query, MATRIX_BOTH, options, false);
  }

  sideMatrix(query: PortQuery, direction: Direction, options?: MatrixOptions): ReachabilityMatrix {
    checkDirection(direction);
    return this.matrixOf(query, direction === "Egress" ? MATRIX_EGRESS : MATRIX_INGRESS, options, true);
  }

  /** `sideMatrix`, with threads wherever the host has them (see `decideBatchAsync`). */
  override async sideMatrixAsync(query: PortQuery, direction: Direction, options?: MatrixOptions): Promise<ReachabilityMatrix> {
    checkDirection(direction);
    return this.matrixOf(query, direction === "Egress" ? MATRIX_EGRESS : MATRIX_INGRESS, options, false);
  }

  matrixStrips(query: PortQuery, options?: StripOptions): IterableIterator<MatrixStrip> {
    queryOrThrow(query);
    const words = (this.pods.length + 31) >>> 5;
    const { rows, direction } = stripOptions(options, words);
    return this.strips(query, rows, direction === null ? MATRIX_BOTH : direction === "Egress" ? MATRIX_EGRESS : MATRIX_INGRESS);
  }

  /**
   * The strips of a checked query. The class matrix lives in the transient region,
   * which any other call may take between two strips: then it is made again.
   */
  private *strips(query: PortQuery, rows: number, kind: number): Generator<MatrixStrip> {
    const model = this.model;
    const core = this.core;
    const n = this.pods.length;
    const words = (n + 31) >>> 5;
    const count = Math.min(rows, n);
    const bits = new Uint32Array(count * words);
    let block: { classes: number; out: number } | null = null;
    let use = -1;
    for (let first = 0; first < n; first += rows) {
      if (this.model !== model) throw new NetpolValidationError([{ path: "matrixStrips", message: "the engine was updated while its strips were read" }]);
      if (block === null || core.uses !== use) {
        block = this.prepare(query, count * words * 4, true);
        core.exports.classMatrix(block.classes, kind);
        use = core.uses;
      }
      const end = Math.min(n, first + rows);
      core.exports.podRows(block.out, block.classes, kind, first, end);
      bits.set(new Uint32Array(core.buffer, block.out, (end - first) * words));
      yield { first, rows: end - first, bits: bits.subarray(0, (end - first) * words) };
    }
  }

  counts(query: PortQuery): ReachCounts {
    const n = this.pods.length;
    // per pod its two counts, then per class the core's sums
    const { out } = this.prepare(query, n * 8 + this.core.tablesView()[H.CLASSES]! * 12, false);
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
    if (!this.patch(effects)) this.compile();
  }

  /**
   * Patches the tables for the updates (`compile/patch.ts`); false when they must be
   * compiled again.
   */
  private patch(effects: readonly UpdateEffect[]): boolean {
    const change = { pods: effects.flatMap((effect) => effect.pods), namespaces: effects.flatMap((effect) => effect.namespaces) };
    const memory = { view: () => this.core.tablesView(), grow: (words: number) => this.core.growTables(words) };
    const selectPods = (query: PodQuery): Int32Array => this.selections.select(query, this.model.podByName);
    if (!patchTables(this.state, this.model, change, memory, selectPods)) return false;
    this.profileOfPod = null;
    this.classes = null;
    this.core.bind();
    this.generation++;
    this.made.patches++;
    return true;
  }

  /** Every model change (a compile or a patch) drops the endpoint texts read against the old model. */
  protected override replaceModel(model: Model): void {
    super.replaceModel(model);
    this.endpoints = null;
  }

  protected override over(model: Model): WasmEngine {
    return new WasmEngine(model, this.module);
  }

  /** The compiled pod profiles: the same keys `ModelEngine.outsideKeys` derives, without selecting again. */
  protected override outsideKeys(): OutsideKeys {
    // the profiles group pods by NetworkPolicy isolation only; the tiers have profiles of their own
    if (this.model.rules.clusterPolicies.length > 0) return super.outsideKeys();
    const [egress, ingress] = (this.profileOfPod ??= podProfiles(this.state, this.core.tablesView()));
    return { egress, ingress };
  }

  /** The compiled tables' pod classes: the ones `ModelEngine.podClasses` derives, without deriving them again. */
  protected override podClasses(): PodClasses {
    const state = this.state.compiled!;
    return (this.classes ??= compactClasses(state.ofPod, state.capacity));
  }

  /** Table statistics: header words by name (for tests and tuning). */
  stats(): Record<keyof typeof H, number> {
    const header = new Uint32Array(this.core.buffer, this.core.tables, HEADER_WORDS);
    return Object.fromEntries(Object.entries(H).map(([name, i]) => [name, header[i]!])) as Record<keyof typeof H, number>;
  }
}
