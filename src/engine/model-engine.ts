/**
 * What every `Engine` shares, whatever evaluates its verdicts: the loaded model, the
 * reference evaluator over it (built when first asked, and again after each change),
 * and the answers read straight from them: options, pods, the rule set, warnings and
 * who selects whom.
 */
import type { Direction } from "../primitives/kubernetes.js";
import type { Issue } from "../primitives/issues.js";
import type { Options, RuleSet } from "../ir/types.js";
import { ReferenceEvaluator } from "../reference/evaluate.js";
import { modelWarnings, type Model } from "./model.js";
import { connections, type OutsideKeys } from "./connections.js";
import type { PodClasses } from "../compile/classes.js";
import { compilePodClasses } from "../compile/tables.js";
import { lint } from "./lint.js";
import { exposure } from "./exposure.js";
import type { Exposure, ExposureOptions } from "../api/exposure.js";
import type { LintFinding } from "../api/lint.js";
import type { Connection, ConnectionOptions } from "../api/connections.js";
import type { ColumnarFlows, Decision, EndpointGroupInfo, Engine, Flow, MatrixOptions, MemberDecision, PortQuery } from "../api/engine.js";
import type { ReachabilityMatrix } from "../api/matrix.js";
import { isolatingPolicies, selectedPods, subjectPods } from "./questions.js";
import { planFlow, type FlowPlan } from "./groups.js";
import { groupDecision, groupInfo } from "./group-verdicts.js";
import { NetpolValidationError } from "../primitives/issues.js";
import { isColumnar } from "./columnar.js";
import type { ResolvedFlow } from "../ir/types.js";

/** The base of both engines; subclasses set `model` through `replaceModel`. */
export abstract class ModelEngine {
  private current: Model;
  private referenceOf: ReferenceEvaluator | null = null;

  constructor(model: Model) {
    this.current = model;
  }

  /** The loaded model. */
  protected get model(): Model {
    return this.current;
  }

  /** Puts `model` in place after an update; the reference evaluator is rebuilt when next asked. */
  protected replaceModel(model: Model): void {
    this.current = model;
    this.referenceOf = null;
  }

  /** The reference evaluator over the current model. */
  protected get reference(): ReferenceEvaluator {
    return (this.referenceOf ??= new ReferenceEvaluator(this.current.rules, this.current.cluster, this.current.options));
  }

  get options(): Options {
    return this.current.options;
  }

  get pods(): readonly string[] {
    return this.current.podIds;
  }

  get rules(): RuleSet {
    return this.current.rules;
  }

  /** One resolved pod-level flow's verdict, explained (each engine's own path); `flow` is what the caller asked, for messages. */
  protected abstract decideOne(resolved: ResolvedFlow, flow: Flow): Decision;
  /** Many verdicts of plain flows (each engine's own path, columnar or not); throws `NetpolValidationError` for any other. */
  protected abstract decidePlain(flows: readonly Flow[] | ColumnarFlows): Uint8Array;

  decide(flow: Flow): Decision {
    const plan = planFlow(this.current, flow, "");
    if (!plan.ok) throw new NetpolValidationError(plan.issues);
    if (!plan.value.group) return this.decideOne(plan.value.flow, flow);
    const { from, to, members } = plan.value;
    const decided: MemberDecision[] = members.map((m) => {
      const one = m.flow === null ? null : this.decideOne(m.flow, { from: m.from, to: m.to, protocol: m.protocol, port: m.port! });
      return { from: m.from, to: m.to, protocol: m.protocol, port: m.port, allowed: one?.allowed ?? false, explanation: one?.explanation ?? null, ...(m.reason !== undefined ? { reason: m.reason } : {}) };
    });
    return groupDecision(from?.id ?? null, to?.id ?? null, decided);
  }

  decideBatch(flows: readonly Flow[] | ColumnarFlows): Uint8Array {
    try {
      return this.decidePlain(flows);
    } catch (error) {
      // the plain paths refuse group ends and named ports: only then are the flows planned
      if (!(error instanceof NetpolValidationError) || isColumnar(flows) || !Array.isArray(flows)) throw error;
      return this.decidePlanned(flows);
    }
  }

  /**
   * Flows with group ends or named ports: each planned (every bad flow reported at
   * once), the pod-level flows decided in one plain batch, and each flow's byte 1 when
   * every member that is a connection is allowed.
   */
  private decidePlanned(flows: readonly Flow[]): Uint8Array {
    const issues: Issue[] = [];
    const plans: FlowPlan[] = [];
    for (let i = 0; i < flows.length; i++) {
      const plan = planFlow(this.current, flows[i]!, `flows[${i}]`);
      if (plan.ok) plans.push(plan.value);
      else issues.push(...plan.issues);
    }
    if (issues.length > 0) throw new NetpolValidationError(issues);
    const plain: Flow[] = [];
    const spans = new Uint32Array(plans.length + 1);
    for (let i = 0; i < plans.length; i++) {
      const plan = plans[i]!;
      if (!plan.group) plain.push({ from: flows[i]!.from, to: flows[i]!.to, protocol: plan.flow.protocol, port: plan.flow.port });
      else for (const m of plan.members) if (m.port !== null) plain.push({ from: m.from, to: m.to, protocol: m.protocol, port: m.port });
      spans[i + 1] = plain.length;
    }
    const verdicts = this.decidePlain(plain);
    const out = new Uint8Array(flows.length);
    for (let i = 0; i < plans.length; i++) {
      let all = spans[i + 1]! > spans[i]! ? 1 : 0;
      for (let k = spans[i]!; k < spans[i + 1]! && all === 1; k++) all = verdicts[k]!;
      out[i] = all;
    }
    return out;
  }

  endpointGroup(name: string): EndpointGroupInfo | null {
    return groupInfo(this.current, name);
  }
  /** One port's matrix (each engine's own path). */
  abstract matrix(query: PortQuery, options?: MatrixOptions): ReachabilityMatrix;
  /** One side of one port's matrix (each engine's own path). */
  abstract sideMatrix(query: PortQuery, direction: Direction, options?: MatrixOptions): ReachabilityMatrix;

  /** Threads in use: one, unless an engine runs its own. */
  get threads(): number {
    return 1;
  }

  /** `decideBatch` as a promise (an engine with threads runs its own). */
  async decideBatchAsync(flows: readonly Flow[] | ColumnarFlows): Promise<Uint8Array> {
    return this.decideBatch(flows);
  }

  /** `matrix` as a promise (an engine with threads runs its own). */
  async matrixAsync(query: PortQuery, options?: MatrixOptions): Promise<ReachabilityMatrix> {
    return this.matrix(query, options);
  }

  /** `sideMatrix` as a promise (an engine with threads runs its own). */
  async sideMatrixAsync(query: PortQuery, direction: Direction, options?: MatrixOptions): Promise<ReachabilityMatrix> {
    return this.sideMatrix(query, direction, options);
  }

  /** Nothing to stop, unless an engine runs threads of its own. */
  close(): void {}

  /** Every allowed connection, from this engine's own verdicts (see `connections.ts`). */
  connections(options?: ConnectionOptions): IterableIterator<Connection> {
    return connections(this, this.current, options, () => this.podClasses(), () => this.outsideKeys(), (model) => this.over(model));
  }

  /** An engine of this evaluator over another model (`connections` asks one over its pod classes' representatives). */
  protected abstract over(model: Model): Pick<Engine, "matrix">;

  /** The pods no rule tells apart (`compile/classes.ts`): here derived as a compile would. */
  protected podClasses(): PodClasses {
    const { rules, cluster, options } = this.current;
    return compilePodClasses(rules, cluster, options);
  }

  /**
   * Per pod, a key of its verdicts to and from outside addresses (see
   * `OutsideKeys`): here its isolating policies (and, for ingress, its container
   * ports), from the reference's selection.
   */
  protected outsideKeys(): OutsideKeys {
    const pods = this.current.cluster.pods;
    // the cluster-scoped tiers select pods too: then every pod is its own key
    if (this.current.rules.clusterPolicies.length > 0) return { egress: pods.map((p) => p.index), ingress: pods.map((p) => p.index) };
    return {
      egress: pods.map((p) => this.isolatingPolicies(p.index, "Egress").join(",")),
      ingress: pods.map((p) => `${this.isolatingPolicies(p.index, "Ingress").join(",")}|${JSON.stringify(p.ports)}`),
    };
  }

  /** Who may reach each endpoint, and where outside it may go (see `exposure.ts`). */
  exposure(options?: ExposureOptions): Exposure[] {
    return exposure(this as unknown as Engine, this.current, options);
  }

  /** What is probably wrong with the policies (see `lint.ts`). */
  lint(): LintFinding[] {
    return lint(this as unknown as Engine, this.current, this.reference);
  }

  selectedPods(policy: number, direction?: Direction): readonly number[] {
    return selectedPods(this.current, this.reference, policy, direction);
  }

  isolatingPolicies(pod: number, direction: Direction): readonly number[] {
    return isolatingPolicies(this.current, this.reference, pod, direction);
  }

  subjectPods(policy: number): readonly number[] {
    return subjectPods(this.current, policy);
  }

  get warnings(): readonly Issue[] {
    return modelWarnings(this.current);
  }
}
