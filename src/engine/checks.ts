/**
 * The checks every engine runs on a caller's question, throwing the typed
 * `NetpolValidationError` (with the question's path) when it does not hold.
 */
import { NetpolValidationError, unsupportedValue } from "../primitives/issues.js";
import { DIRECTIONS, type Direction, type Protocol } from "../primitives/kubernetes.js";
import type { ResolvedFlow } from "../ir/types.js";
import { resolveFlow, resolvePort, type Model } from "./model.js";
import type { Flow, PortQuery } from "../api/engine.js";

/** Resolves a flow or throws; `path` prefixes the issue (e.g. `flows[3]`). */
export function resolveOrThrow(model: Model, flow: Flow, path: string): ResolvedFlow {
  const resolved = resolveFlow(model, flow, path);
  if (!resolved.ok) throw new NetpolValidationError(resolved.issues);
  return resolved.value;
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
