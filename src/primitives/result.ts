/**
 * Results as values: what the decoders and every other step at the API edge return
 * instead of throwing on bad input. `issues` lists every problem found, each with its
 * field path.
 */
import type { Issue } from "./issues.js";

/**
 * A value, or the problems that kept it from being made. A value may come with
 * `warnings`: problems that did not stop it (unknown fields under `validate: "warn"`).
 */
export type Result<T> =
  | { readonly ok: true; readonly value: T; readonly warnings?: readonly Issue[] }
  | { readonly ok: false; readonly issues: readonly Issue[] };

/** A successful result, with its warnings when there are any. */
export const success = <T>(value: T, warnings: readonly Issue[] = []): Result<T> => (warnings.length > 0 ? { ok: true, value, warnings } : { ok: true, value });

/** A failed result with its problems. */
export const failure = (issues: readonly Issue[]): { readonly ok: false; readonly issues: readonly Issue[] } => ({ ok: false, issues });
