/**
 * Checking the columnar batch form (`ColumnarFlows`) before any evaluator reads it,
 * and the helpers both engines share for batches.
 */
import { NetpolValidationError, quote, unsupportedValue, type Issue } from "../primitives/issues.js";
import { PROTOCOLS } from "../primitives/kubernetes.js";
import { formatAddress, scanAddress, unmapWords, wordsToBigInt } from "../primitives/address.js";
import type { Endpoint } from "../ir/types.js";
import type { Model } from "./model.js";
import { NODE_PREFIX } from "../primitives/endpoint-names.js";
import type { ColumnarFlows, Flow } from "../api/engine.js";

/** Whether `flows` is the columnar form rather than an array of flow objects. */
export function isColumnar(flows: readonly Flow[] | ColumnarFlows): flows is ColumnarFlows {
  return !Array.isArray(flows);
}

const scratch = new Uint32Array(4);

/**
 * What an engine makes of each address of a columnar batch: a u32 code per entry of
 * the address table (`addresses`, then `addresses4`, then `addresses6`), in order.
 */
export interface AddressCoder {
  /** The code of IPv4 address `value` (a u32). */
  code4(value: number): number;
  /** The code of the IPv6 address `words[0..3]` (big-endian u32 words, read during the call only). */
  code6(words: Uint32Array): number;
  /** The code of the node named `name` (an `addresses` entry `node:<name>`), or null when there is no such node. */
  codeNode(name: string): number | null;
}

/**
 * Checks the shape of a columnar batch (typed arrays of one length, `addresses` a
 * string array, `addresses4` / `addresses6` u32 arrays), scans its addresses without
 * building objects and codes each with `coder`; throws `NetpolValidationError`.
 */
export function checkColumnar(flows: unknown, coder: AddressCoder): { length: number; codes: Uint32Array } {
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
  const texts = f.addresses === undefined ? [] : f.addresses;
  if (!Array.isArray(texts)) issues.push({ path: "flows.addresses", message: `expected an array of IP addresses, got ${quote(f.addresses)}` });
  const v4 = f.addresses4 === undefined ? new Uint32Array(0) : f.addresses4;
  if (!(v4 instanceof Uint32Array)) issues.push({ path: "flows.addresses4", message: `expected a Uint32Array of IPv4 addresses, got ${quote(f.addresses4)}` });
  const v6 = f.addresses6 === undefined ? new Uint32Array(0) : f.addresses6;
  if (!(v6 instanceof Uint32Array) || v6.length % 4 !== 0) {
    issues.push({ path: "flows.addresses6", message: `expected a Uint32Array of IPv6 addresses, 4 words each, got ${v6 instanceof Uint32Array ? `${v6.length} words` : quote(f.addresses6)}` });
  }
  const list = Array.isArray(texts) ? (texts as readonly unknown[]) : [];
  const words4 = v4 instanceof Uint32Array ? v4 : new Uint32Array(0);
  const words6 = v6 instanceof Uint32Array && v6.length % 4 === 0 ? v6 : new Uint32Array(0);
  const codes = new Uint32Array(list.length + words4.length + words6.length / 4);
  for (let i = 0; i < list.length; i++) {
    const text = list[i];
    if (typeof text === "string" && text.startsWith(NODE_PREFIX)) {
      const node = coder.codeNode(text.slice(NODE_PREFIX.length));
      if (node === null) issues.push({ path: `flows.addresses[${i}]`, message: `unknown node ${quote(text)}` });
      else codes[i] = node;
      continue;
    }
    const family = typeof text === "string" ? scanAddress(text, scratch) : 0;
    if (family === 4) codes[i] = coder.code4(scratch[0]!);
    else if (family === 6) codes[i] = coder.code6(scratch);
    else issues.push({ path: `flows.addresses[${i}]`, message: `invalid IP address ${quote(text)}` });
  }
  if (issues.length > 0) throw new NetpolValidationError(issues);
  let i = list.length;
  for (let j = 0; j < words4.length; j++) codes[i++] = coder.code4(words4[j]!);
  for (let j = 0; j < words6.length; j += 4) {
    scratch.set(words6.subarray(j, j + 4));
    // an IPv4-mapped address is the IPv4 address it maps, as in `addresses`
    codes[i++] = unmapWords(scratch) === 4 ? coder.code4(scratch[0]!) : coder.code6(scratch);
  }
  return { length, codes };
}

/** An `AddressCoder` building endpoints: the node owning the address, else the pod, else an outside address; codes index `endpoints`. */
export function endpointCoder(model: Model): AddressCoder & { readonly endpoints: Endpoint[] } {
  const endpoints: Endpoint[] = [];
  const add = (node: number, pod: number, family: 4 | 6, value: () => bigint): number => {
    if (node >= 0) return endpoints.push({ kind: "node", node }) - 1;
    if (pod >= 0) return endpoints.push({ kind: "pod", pod }) - 1;
    const v = value();
    return endpoints.push({ kind: "outside", address: { family, value: v, text: formatAddress(family, v) } }) - 1;
  };
  return {
    endpoints,
    code4: (value) => add(model.nodeByAddress.find4(value), model.podByAddress.find4(value), 4, () => BigInt(value)),
    code6: (words) => add(model.nodeByAddress.find6(words), model.podByAddress.find6(words), 6, () => wordsToBigInt(words)),
    codeNode: (name) => {
      const node = model.nodeByName.get(name);
      return node === undefined ? null : endpoints.push({ kind: "node", node }) - 1;
    },
  };
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
    if (v >= endpoints) return { path: `flows.${name}[${k}]`, message: `invalid value ${quote(v)}: must be a pod index or pods.length + an index into the address table (flows.addresses, addresses4, addresses6), below ${endpoints}` };
  }
  const { protocol, port } = columnarPort(flows, k);
  const column = flows.ports !== undefined ? "ports" : "protocol";
  if (protocol >= PROTOCOLS.length) return { path: `flows.${column}[${k}]`, message: `${unsupportedValue(protocol, PROTOCOLS.map((_, code) => code))} (${PROTOCOLS.join(", ")})` };
  return { path: `flows.${flows.ports !== undefined ? "ports" : "port"}[${k}]`, message: `invalid port ${quote(port)}: must be between 1 and 65535, inclusive` };
}
