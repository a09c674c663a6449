/**
 * Results as values: what the decoders and every other step at the API edge return
 * instead of throwing on bad input. `issues` lists every problem found, each with its
 * field path.
 */
import type { Issue } from "./issues.js";

/** A value, or the problems that kept it from being made. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly Issue[] };

/** A successful result. */
export const success = <T>(value: T): Result<T> => ({ ok: true, value });

/** A failed result with its problems. */
export const failure = (issues: readonly Issue[]): { readonly ok: false; readonly issues: readonly Issue[] } => ({ ok: false, issues });
