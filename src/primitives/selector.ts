/**
 * Canonical label selectors and their meaning, as metav1.LabelSelector defines it:
 * every requirement must hold; `In` needs the key present with one of the values,
 * `NotIn` holds when the key is absent or its value is not listed, `Exists` and
 * `DoesNotExist` test presence only. An empty selector matches everything.
 */

/** A label map. Keys are data (a key may be `__proto__`), hence a Map. */
export type Labels = ReadonlyMap<string, string>;

/** One label-selector requirement; `values` are sorted and deduplicated. */
export interface Requirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values: readonly string[];
}

/**
 * A canonical label selector: matchLabels folded into `In` requirements, requirements
 * sorted by key, operator and values. No requirements means "everything".
 */
export interface Selector {
  readonly requirements: readonly Requirement[];
  /** Deterministic: equal keys select the same label sets. */
  readonly key: string;
}

/** The wire form a selector is built from (already validated). */
export interface SelectorSource {
  readonly matchLabels?: ReadonlyMap<string, string> | null | undefined;
  readonly matchExpressions?:
    | ReadonlyArray<{
        readonly key?: string | null | undefined;
        readonly operator?: string | null | undefined;
        readonly values?: readonly string[] | null | undefined;
      }>
    | null
    | undefined;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A requirement's part of a selector key. Separators are control characters, which
 * validated label keys and values never hold, so distinct requirements never collide.
 */
function requirementKey(r: Requirement): string {
  return `${r.key}\u0001${r.operator}\u0001${r.values.join("\u0002")}`;
}

/** Folds matchLabels into `In` requirements and sorts everything into a canonical selector. */
export function canonicalSelector(source: SelectorSource): Selector {
  const expressions = source.matchExpressions;
  if (expressions === undefined || expressions === null || expressions.length === 0) return labelsSelector(source.matchLabels);
  const byKey = new Map<string, Requirement>();
  const add = (r: Requirement): void => {
    byKey.set(requirementKey(r), r);
  };
  for (const [key, value] of source.matchLabels ?? []) add({ key, operator: "In", values: [value] });
  for (const e of source.matchExpressions ?? []) {
    const operator = e.operator as Requirement["operator"];
    const values = operator === "In" || operator === "NotIn" ? [...new Set(e.values ?? [])].sort(compare) : [];
    add({ key: e.key!, operator, values });
  }
  const keys = [...byKey.keys()].sort(compare);
  return { requirements: keys.map((k) => byKey.get(k)!), key: keys.join("\u0003") };
}

/** The selector that matches every label set. */
export const EVERYTHING: Selector = Object.freeze({ requirements: Object.freeze([]), key: "" });

/**
 * `canonicalSelector` of matchLabels alone (most selectors), without its map of
 * requirements: the labels' keys are distinct, so their requirements are too, and
 * need no deduplication, only sorting by requirement key.
 */
function labelsSelector(labels: ReadonlyMap<string, string> | null | undefined): Selector {
  if (labels === undefined || labels === null || labels.size === 0) return EVERYTHING;
  const requirements: Requirement[] = [];
  const keys: string[] = [];
  labels.forEach((value, key) => {
    const r: Requirement = { key, operator: "In", values: [value] };
    requirements.push(r);
    keys.push(requirementKey(r));
  });
  if (requirements.length === 1) return { requirements, key: keys[0]! };
  const order = keys.map((_, i) => i).sort((a, b) => compare(keys[a]!, keys[b]!));
  return { requirements: order.map((i) => requirements[i]!), key: order.map((i) => keys[i]!).join("\u0003") };
}

/**
 * One `Selector` object per distinct selector, for one normalization: thousands of
 * policies repeat a few selectors (`app: web`), which then share one object and one
 * key string (whose hash V8 computes once). A selector of one label is found without
 * building its key.
 */
export class SelectorInterner {
  /** Selectors of a single matchLabels entry: label key → value → selector. */
  private readonly single = new Map<string, Map<string, Selector>>();
  /** Every other selector, by key. */
  private readonly byKey = new Map<string, Selector>();

  /** The canonical selector of `source` (`canonicalSelector`), shared with every equal one seen before. */
  of(source: SelectorSource): Selector {
    const labels = source.matchLabels;
    const expressions = source.matchExpressions;
    if (labels !== undefined && labels !== null && labels.size === 1 && (expressions === undefined || expressions === null || expressions.length === 0)) {
      const [key, value] = labels.entries().next().value!;
      let values = this.single.get(key);
      if (values === undefined) this.single.set(key, (values = new Map()));
      let selector = values.get(value);
      if (selector === undefined) {
        // the same selector may have come as matchExpressions (`key In [value]`) before
        const made = labelsSelector(labels);
        selector = this.byKey.get(made.key) ?? made;
        this.byKey.set(selector.key, selector);
        values.set(value, selector);
      }
      return selector;
    }
    const selector = canonicalSelector(source);
    const known = this.byKey.get(selector.key);
    if (known !== undefined) return known;
    this.byKey.set(selector.key, selector);
    return selector;
  }
}

/** Whether one requirement holds for `labels`. */
export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const value = labels.get(r.key);
  switch (r.operator) {
    case "In":
      return value !== undefined && r.values.includes(value);
    case "NotIn":
      return value === undefined || !r.values.includes(value);
    case "Exists":
      return value !== undefined;
    case "DoesNotExist":
      return value === undefined;
  }
}

/** Whether `selector` selects an object with `labels`. */
export function selectorMatches(selector: Selector, labels: Labels): boolean {
  // a plain loop: no closure per call (selections call this once per candidate pod)
  const requirements = selector.requirements;
  for (let i = 0; i < requirements.length; i++) if (!requirementMatches(requirements[i]!, labels)) return false;
  return true;
}
