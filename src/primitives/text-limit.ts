/**
 * The longest text netpol builds as one string, and the check every text output runs
 * before building one: past the limit, building it would end in an untyped
 * `RangeError` (or exhaust the heap on the way), so it is refused up front with a
 * `NetpolValidationError` that gives the figure.
 */
import { NetpolValidationError } from "./issues.js";

/** V8's longest string on 64-bit hosts (Node, Chromium): 2^29 − 24 UTF-16 code units. Firefox and Safari allow more. */
export const MAX_TEXT_LENGTH = 2 ** 29 - 24;

/**
 * Throws `NetpolValidationError` (at `path`) when a text of about `length` characters
 * cannot be one string; `what` names the text, `instead` says what to do instead.
 */
export function checkTextLength(length: number, path: string, what: string, instead: string): void {
  if (length <= MAX_TEXT_LENGTH) return;
  const message = `${what} would be ${Math.ceil(length).toLocaleString("en")} characters, more than the ${MAX_TEXT_LENGTH.toLocaleString("en")} one string can hold: ${instead}`;
  throw new NetpolValidationError([{ path, message }]);
}
