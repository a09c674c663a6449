/**
 * Which endpoints a row or column search keeps. A query is terms separated by
 * spaces, all of which must hold:
 * - `ns:NAME`: the endpoint's namespace is NAME;
 * - `workload:NAMESPACE/KIND/NAME`: the endpoint belongs to that workload (see `workloadOf`);
 * - `KEY=VALUE` / `KEY!=VALUE`: the pod's label KEY is (is not) VALUE; `KEY=*`: it has label KEY;
 * - anything else: a part of the endpoint's id, any case.
 * This matches names and labels for the reader's convenience; it is not a label
 * selector and decides nothing about policies.
 */
import { namespaceOf } from "../endpoints.js";
import type { Labels } from "./levels.js";

/** One term of a query. */
export type Term =
  | { readonly kind: "namespace"; readonly name: string }
  | { readonly kind: "workload"; readonly key: string }
  | { readonly kind: "label"; readonly key: string; readonly value: string | null; readonly negated: boolean }
  | { readonly kind: "text"; readonly text: string };

/** The terms of `query`. */
export function parseQuery(query: string): Term[] {
  return query
    .split(/\s+/)
    .filter((t) => t !== "")
    .map((t): Term => {
      if (t.startsWith("ns:")) return { kind: "namespace", name: t.slice(3) };
      if (t.startsWith("workload:")) return { kind: "workload", key: t.slice(9) };
      const label = /^([^=!]+)(!?)=(.*)$/.exec(t);
      if (label !== null) return { kind: "label", key: label[1]!, value: label[3] === "*" ? null : label[3]!, negated: label[2] === "!" };
      return { kind: "text", text: t.toLowerCase() };
    });
}

/** Whether an endpoint (display id, labels, workload key) satisfies every term. */
export function matches(terms: readonly Term[], id: string, labels: Labels, workload: string): boolean {
  return terms.every((term) => {
    switch (term.kind) {
      case "namespace":
        return namespaceOf(id) === term.name;
      case "workload":
        return workload === term.key;
      case "label": {
        const value = Object.hasOwn(labels, term.key) ? labels[term.key] : undefined;
        const hit = term.value === null ? value !== undefined : value === term.value;
        return hit !== term.negated;
      }
      case "text":
        return id.toLowerCase().includes(term.text);
    }
  });
}

/** `query` with its `ns:` and `workload:` terms replaced by `term` (how a click narrows an axis). */
export function narrowed(query: string, term: string): string {
  const kept = query.split(/\s+/).filter((t) => t !== "" && !t.startsWith("ns:") && !t.startsWith("workload:"));
  return [...kept, term].join(" ");
}
