/**
 * The longest text netpol builds as one string, and the check every text output runs
 * before building one: past the limit, building it would end in an untyped
 * `RangeError` (or exhaust the heap on the way), so it is refused up front with an
 * issue that gives the figure.
 */
import { NetpolValidationError, type Issue } from "./issues.js";

/** V8's longest string on 64-bit hosts (Node, Chromium): 2^29 − 24 UTF-16 code units. Firefox and Safari allow more. */
export const MAX_TEXT_LENGTH = 2 ** 29 - 24;

/**
 * The issue (at `path`) when a text of about `length` characters cannot be one
 * string, else null; `what` names the text, `instead` says what to do instead.
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
