/**
 * Endpoint names and order as every view shows them (the CLI's formats, the HTML
 * report, the playground): the library's `Endpoints` (a pod is `namespace/name`, a
 * workload standing for its pods `namespace/kind/name`; by namespace then name, numbers
 * in names compared as numbers), and the two halves of a name.
 *
 * Index spaces: an engine index is a position in `Engine.pods` (and a matrix row or
 * column); a display position is a position in the display order, which lists engine
 * indexes.
 */
import { Endpoints } from "../index.js";

/** The namespace of a display id. */
export const namespaceOf = (id: string): string => id.slice(0, id.indexOf("/"));

/** A display id without its namespace (`web-0`, `deployment/web`). */
export const shortName = (id: string): string => id.slice(id.indexOf("/") + 1);

/** The id of every engine pod (`enginePods` is `Engine.pods`), and engine indexes in display order. */
export function endpointNames(enginePods: readonly string[]): { readonly ids: readonly string[]; readonly order: readonly number[] } {
  const endpoints = new Endpoints(enginePods);
  return { ids: endpoints.ids, order: endpoints.order() };
}
