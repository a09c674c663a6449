/**
 * The engine's size limits and the arithmetic on sizes and offsets, in one place.
 *
 * Offsets into WASM memory go up to 4 GiB, past the 2 GiB where JavaScript's 32-bit
 * bit operators turn them negative: sizes and offsets are computed with ordinary
 * (double) arithmetic, exact below 2^53, never with `|`, `&` or `~`. A size over a
 * limit is a `NetpolValidationError` that names the figure and the limit.
 */
import { NetpolValidationError } from "./issues.js";

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
