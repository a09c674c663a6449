/**
 * The checks every engine runs on a caller's question, throwing the typed
 * `NetpolValidationError` (with the question's path) when it does not hold.
 */
import { NetpolValidationError, quote, unsupportedValue, type Issue } from "../primitives/issues.js";
import { DIRECTIONS, type Direction, type Protocol } from "../primitives/kubernetes.js";
import { resolveFlow, resolvePort, type Model } from "./model.js";
import type { Flow, PortQuery } from "../api/engine.js";

/** Bytes of rows a strip holds when the caller names no row count. */
const STRIP_BYTES = 1 << 20;

/** A flow's protocol as its wire code (`PROTOCOLS` order; absent or null is TCP), or -1: what `resolvePort` accepts. */
export function protocolCode(protocol: unknown): number {
  if (protocol === undefined || protocol === null || protocol === "TCP") return 0;
  return protocol === "UDP" ? 1 : protocol === "SCTP" ? 2 : -1;
}

/** Whether `port` is a port number `resolvePort` accepts: an integer from 1 to 65535. */
export function isPort(port: unknown): port is number {
  return typeof port === "number" && (port & 0xffff) === port && port !== 0;
}

/**
 * Every problem of a batch of flow objects, each at `flows[i]...`: the slow, exact
 * reading, run only to report what a fast reading refused. A hole in a sparse array
 * is a missing flow.
 */
export function flowIssues(model: Model, flows: readonly Flow[]): Issue[] {
  const issues: Issue[] = [];
  for (let i = 0; i < flows.length; i++) {
    const resolved = resolveFlow(model, flows[i]!, `flows[${i}]`);
    if (!resolved.ok) issues.push(...resolved.issues);
  }
  return issues;
}

/** Throws `NetpolValidationError` unless `options` is absent or a `MatrixOptions` whose `into` holds `words` u32 words. */
export function matrixBuffer(options: unknown, words: number): Uint32Array | null {
  if (options === undefined || options === null) return null;
  if (typeof options !== "object") throw new NetpolValidationError([{ path: "options", message: `expected an object, got ${quote(options)}` }]);
  const into = (options as { into?: unknown }).into;
  if (into === undefined) return null;
  if (!(into instanceof Uint32Array)) throw new NetpolValidationError([{ path: "options.into", message: `expected a Uint32Array, got ${quote(into)}` }]);
  if (into.length < words) {
    throw new NetpolValidationError([{ path: "options.into", message: `expected at least ${words} u32 words (a row of ceil(N / 32) words per pod), got ${into.length}` }]);
  }
  return into.length === words ? into : into.subarray(0, words);
}

/** The protocol (defaulted) and port of a matrix or count query, or throws. */
export function queryOrThrow(query: PortQuery): { protocol: Protocol; port: number } {
  const port = resolvePort(query?.protocol, query?.port, "query");
  if (!port.ok) throw new NetpolValidationError(port.issues);
  return port.value;
}

/** Throws unless `direction` is one of the two policyTypes. */
export function checkDirection(direction: Direction): void {
  if (!DIRECTIONS.includes(direction)) throw new NetpolValidationError([{ path: "direction", message: unsupportedValue(direction, DIRECTIONS) }]);
}

/**
 * `matrixStrips` options, checked: rows per strip (`words` u32 words per row) and the
 * side (null: both), or throws.
 */
export function stripOptions(options: unknown, words: number): { rows: number; direction: Direction | null } {
  if (options === undefined || options === null) return { rows: Math.max(1, Math.floor(STRIP_BYTES / (4 * Math.max(1, words)))), direction: null };
  if (typeof options !== "object") throw new NetpolValidationError([{ path: "options", message: `expected an object, got ${quote(options)}` }]);
  const { rows, direction } = options as { rows?: unknown; direction?: unknown };
  const issues: Issue[] = [];
  if (rows !== undefined && !(typeof rows === "number" && Number.isSafeInteger(rows) && rows > 0)) {
    issues.push({ path: "options.rows", message: `expected a positive integer, got ${quote(rows)}` });
  }
  if (direction !== undefined && !DIRECTIONS.includes(direction as Direction)) {
    issues.push({ path: "options.direction", message: unsupportedValue(direction, DIRECTIONS) });
  }
  if (issues.length > 0) throw new NetpolValidationError(issues);
  const fallback = stripOptions(undefined, words).rows;
  return { rows: (rows as number | undefined) ?? fallback, direction: (direction as Direction | undefined) ?? null };
}
