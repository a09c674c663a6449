/**
 * What every matrix format renders: the matrix, the endpoints in display order
 * (grouped by namespace) and their user-facing names.
 */
import type { ReachabilityMatrix } from "../../api/matrix.js";
import { namespaceOf } from "../../views/endpoints.js";

/** A matrix ready to render. */
export interface MatrixView {
  readonly matrix: ReachabilityMatrix;
  /** Engine indexes in display order: rows and columns. */
  readonly order: readonly number[];
  /** User-facing id of each engine index. */
  readonly ids: readonly string[];
}

/** A run of consecutive display positions in one namespace. */
export interface Group {
  readonly namespace: string;
  /** First display position (index into `order`). */
  readonly start: number;
  /** One past the last display position. */
  readonly end: number;
}


/** The namespace groups of the display order. */
export function groups(view: MatrixView): Group[] {
  const out: Group[] = [];
  view.order.forEach((engine, position) => {
    const namespace = namespaceOf(view.ids[engine]!);
    const last = out[out.length - 1];
    if (last !== undefined && last.namespace === namespace) out[out.length - 1] = { ...last, end: position + 1 };
    else out.push({ namespace, start: position, end: position + 1 });
  });
  return out;
}

/** How many of the shown pairs are allowed. */
export function allowedCount(view: MatrixView): number {
  let n = 0;
  for (const i of view.order) for (const j of view.order) if (view.matrix.allowed(i, j)) n++;
  return n;
}
