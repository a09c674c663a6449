/**
 * The engine's size limits and the arithmetic on sizes and offsets, in one place.
 *
 * Offsets into WASM memory go up to 4 GiB, past the 2 GiB where JavaScript's 32-bit
 * bit operators turn them negative: sizes and offsets are computed with ordinary
 * (double) arithmetic, exact below 2^53, never with `|`, `&` or `~`. A size over a
 * limit is a `NetpolValidationError` that names the figure and the limit; so is a text
 * longer than one string can hold (`MAX_TEXT_LENGTH`).
 */
import { NetpolValidationError, type Issue } from "./issues.js";

/** wasm32's limit: 65536 pages of 64 KiB. */
export const WASM_MAX_BYTES = 2 ** 32;

/** The longest typed array V8 makes, in elements. */
export const MAX_TYPED_ARRAY_LENGTH = 2 ** 32;

/** `n` rounded up to a multiple of `to` (a power of two), for offsets of any size. */
export function alignUp(n: number, to = 16): number {
  return Math.ceil(n / to) * to;
}

const mib = (bytes: number): string => `${Math.ceil(bytes / 2 ** 20).toLocaleString("en")} MiB`;

/** The error for a size over its limit: `what` needs `bytes`, more than `limit` bytes. */
export function tooLarge(what: string, bytes: number, limit: number, path = "cluster.pods"): NetpolValidationError {
  return new NetpolValidationError([{ path, message: `${what} needs ${mib(bytes)}, more than the ${mib(limit)} allowed` }]);
}

/** The u32 words of a reachability matrix over `pods` pods (`pods * ceil(pods / 32)`); throws when no typed array holds them. */
export function matrixWords(pods: number): number {
  const words = pods * Math.ceil(pods / 32);
  if (words > MAX_TYPED_ARRAY_LENGTH) throw tooLarge(`a reachability matrix of ${pods.toLocaleString("en")} × ${pods.toLocaleString("en")} pods`, words * 4, MAX_TYPED_ARRAY_LENGTH * 4);
  return words;
}

/** V8's longest string on 64-bit hosts (Node, Chromium): 2^29 − 24 UTF-16 code units. Firefox and Safari allow more. */
export const MAX_TEXT_LENGTH = 2 ** 29 - 24;

/**
 * The issue (at `path`) when a text of about `length` characters cannot be one string,
 * else null; `what` names the text, `instead` says what to do instead. Every text
 * output reckons its length first: past the limit, building it would end in an
 * untyped `RangeError`, or exhaust the heap on the way.
 */
export function textLengthIssue(length: number, path: string, what: string, instead: string): Issue | null {
  if (length <= MAX_TEXT_LENGTH) return null;
  const message = `${what} would be ${Math.ceil(length).toLocaleString("en")} characters, more than the ${MAX_TEXT_LENGTH.toLocaleString("en")} one string can hold: ${instead}`;
  return { path, message };
}

/** `textLengthIssue` as a thrown `NetpolValidationError`. */
export function checkTextLength(length: number, path: string, what: string, instead: string): void {
  const issue = textLengthIssue(length, path, what, instead);
  if (issue !== null) throw new NetpolValidationError([issue]);
}
