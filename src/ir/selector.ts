/**
 * Canonical label selectors and their meaning, as metav1.LabelSelector defines it:
 * every requirement must hold; `In` needs the key present with one of the values,
 * `NotIn` holds when the key is absent or its value is not listed, `Exists` and
 * `DoesNotExist` test presence only. An empty selector matches everything.
 */
import type { Labels, Requirement, Selector } from "./types.js";

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

function requirementKey(r: Requirement): string {
  return JSON.stringify([r.key, r.operator, r.values]);
}

/** Folds matchLabels into `In` requirements and sorts everything into a canonical selector. */
export function canonicalSelector(source: SelectorSource): Selector {
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
  const requirements = [...byKey.entries()].sort((a, b) => compare(a[0], b[0])).map(([, r]) => r);
  return { requirements, key: JSON.stringify(requirements.map(requirementKey)) };
}

/** The selector that matches every label set. */
export const EVERYTHING: Selector = canonicalSelector({});

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
  return selector.requirements.every((r) => requirementMatches(r, labels));
}
