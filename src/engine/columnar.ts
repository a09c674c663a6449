/**
 * Checking the columnar batch form (`ColumnarFlows`) before any evaluator reads it,
 * and the helpers both engines share for batches.
 */
import * as E from "fp-ts/lib/Either.js";
import { NetpolValidationError, quote, type Issue } from "../api/issues.js";
import { parseAddress } from "../ir/address.js";
import type { Endpoint } from "../ir/types.js";
import type { Model } from "./model.js";
import type { ColumnarFlows, Flow } from "./types.js";

/** Whether `flows` is the columnar form rather than an array of flow objects. */
export function isColumnar(flows: readonly Flow[] | ColumnarFlows): flows is ColumnarFlows {
  return !Array.isArray(flows);
}

/**
 * Checks the shape of a columnar batch (typed arrays of one length, addresses a
 * string array) and resolves its addresses; throws `NetpolValidationError`.
 */
export function checkColumnar(model: Model, flows: unknown): { length: number; addresses: Endpoint[] } {
  if (typeof flows !== "object" || flows === null) throw new NetpolValidationError([{ path: "flows", message: `expected an array of flows or columns, got ${quote(flows)}` }]);
  const f = flows as Record<string, unknown>;
  const issues: Issue[] = [];
  const packed = f.ports !== undefined;
  type Column = readonly [string, new (n: number) => ArrayLike<number>];
  const portColumns: Column[] = packed ? [["ports", Uint32Array]] : [["protocol", Uint8Array], ["port", Uint16Array]];
  const columns: Column[] = [["from", Uint32Array], ["to", Uint32Array], ...portColumns];
  for (const [name, type] of columns) {
    if (!(f[name] instanceof type)) issues.push({ path: `flows.${name}`, message: `expected a ${type.name}, got ${quote(f[name])}` });
  }
  const length = f.from instanceof Uint32Array ? f.from.length : 0;
  if (issues.length === 0) {
    for (const [name] of columns) {
      const n = (f[name] as ArrayLike<number>).length;
      if (n !== length) issues.push({ path: `flows.${name}`, message: `expected ${length} entries like flows.from, got ${n}` });
    }
  }
  const addresses: Endpoint[] = [];
  if (f.addresses !== undefined) {
    if (!Array.isArray(f.addresses)) issues.push({ path: "flows.addresses", message: `expected an array of IP addresses, got ${quote(f.addresses)}` });
    else {
      f.addresses.forEach((text: unknown, i) => {
        const address = typeof text === "string" ? parseAddress(text) : null;
        if (address === null) issues.push({ path: `flows.addresses[${i}]`, message: `invalid IP address ${quote(text)}` });
        else {
          const owner = model.podByAddress.get(address.text);
          addresses.push(owner !== undefined ? { kind: "pod", pod: owner } : { kind: "outside", address });
        }
      });
    }
  }
  if (issues.length > 0) throw new NetpolValidationError(issues);
  return { length, addresses };
}

/** Flow k's protocol code and port, from either columnar form. */
export function columnarPort(flows: ColumnarFlows, k: number): { protocol: number; port: number } {
  if (flows.ports !== undefined) return { protocol: flows.ports[k]! >>> 16, port: flows.ports[k]! & 0xffff };
  return { protocol: flows.protocol[k]!, port: flows.port[k]! };
}

/** The issue for a columnar flow `k` whose endpoint, protocol or port is out of range. */
export function columnarIssue(flows: ColumnarFlows, k: number, endpoints: number): Issue {
  for (const name of ["from", "to"] as const) {
    const v = flows[name][k]!;
    if (v >= endpoints) return { path: `flows.${name}[${k}]`, message: `invalid value ${quote(v)}: must be a pod index or pods.length + an index into flows.addresses, below ${endpoints}` };
  }
  const { protocol, port } = columnarPort(flows, k);
  const column = flows.ports !== undefined ? "ports" : "protocol";
  if (protocol > 2) return { path: `flows.${column}[${k}]`, message: `unsupported protocol code ${quote(protocol)}: supported values: 0 (TCP), 1 (UDP), 2 (SCTP)` };
  return { path: `flows.${flows.ports !== undefined ? "ports" : "port"}[${k}]`, message: `invalid port ${quote(port)}: must be between 1 and 65535, inclusive` };
}

/** Unwraps a checked value or throws the typed validation error. */
export function resolvePortOrThrow<T>(result: E.Either<Issue, T>): T {
  if (E.isLeft(result)) throw new NetpolValidationError([result.left]);
  return result.right;
}
