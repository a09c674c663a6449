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
import { isolatingPolicies, selectedPods, subjectPods } from "./questions.js";

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
