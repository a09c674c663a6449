/**
 * Endpoint names and order as every view shows them (the CLI's formats, the HTML
 * report, the playground): a pod is `namespace/name`, a workload standing for its pods
 * `namespace/kind/name` (the library's `endpointAliases`), sorted by namespace then
 * name with numbers in names compared as numbers (`web-2` before `web-10`).
 *
 * Index spaces: an engine index is a position in `Engine.pods` (and a matrix row or
 * column); a display position is a position in the display order, which lists engine
 * indexes.
 */
import { endpointAliases, type PodEntry } from "../index.js";

/** Names compared with their numbers as numbers. */
const NATURAL = new Intl.Collator("en", { numeric: true });

/** The namespace of a display id. */
export const namespaceOf = (id: string): string => id.slice(0, id.indexOf("/"));

/** A display id without its namespace (`web-0`, `deployment/web`). */
export const shortName = (id: string): string => id.slice(id.indexOf("/") + 1);

/** The display id of every engine pod (`enginePods` is `Engine.pods`), in engine order. */
export function displayIds(enginePods: readonly string[], pods: readonly PodEntry[]): string[] {
  const { display } = endpointAliases(pods);
  return enginePods.map((id) => display.get(id) ?? id);
}

/** Engine indexes in display order, optionally only those of some namespaces. */
export function displayOrder(ids: readonly string[], namespaces?: readonly string[]): number[] {
  const keep = namespaces && namespaces.length > 0 ? new Set(namespaces) : null;
  const ns = ids.map(namespaceOf);
  return ids
    .map((_, i) => i)
    .filter((i) => keep === null || keep.has(ns[i]!))
    .sort((a, b) => (ns[a] !== ns[b] ? NATURAL.compare(ns[a]!, ns[b]!) : NATURAL.compare(ids[a]!, ids[b]!)));
}
