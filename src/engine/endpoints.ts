/**
 * Endpoint texts, read in one place: a flow's `from` / `to` and a ref given to
 * `Engine.endpointIds`. A text is a pod id (`namespace/name`), else an IPv4/IPv6
 * literal; an address that belongs to a pod stands for that pod (a shared
 * host-network address for the first pod listing it), any other for a host outside
 * the cluster. `scanEndpoint` is that rule; everything else here builds on it.
 *
 * Batch values (the index space of `ColumnarFlows.from` / `to`): a pod index below
 * the pod count N, or `N + slot` for entry `slot` of the batch's address table.
 */
import { NetpolValidationError, index, quote, type Issue } from "../primitives/issues.js";
import { formatAddress, scanAddress, wordsToBigInt } from "../primitives/address.js";
import type { Endpoint } from "../ir/types.js";
import type { EndpointIds } from "../api/engine.js";
import type { PodAddresses } from "./addresses.js";

/** The lookups reading an endpoint takes (a loaded `Model` has them). */
export interface EndpointLookups {
  /** `namespace/name` of every pod, in cluster order. */
  readonly podIds: readonly string[];
  readonly podByName: ReadonlyMap<string, number>;
  readonly podByAddress: PodAddresses;
}

/** `scanEndpoint`'s answer: the text names no endpoint. */
export const NO_ENDPOINT = 0;
/** `scanEndpoint`'s answer: a pod, its index in `out[0]`. */
export const POD = 1;
/** `scanEndpoint`'s answer: an IPv4 address of no pod, its u32 value in `out[0]`. */
export const OUTSIDE4 = 4;
/** `scanEndpoint`'s answer: an IPv6 address of no pod, four big-endian u32 words in `out[0..3]`. */
export const OUTSIDE6 = 6;

/** The pod owning a scanned address (`family`, words in `words[0..]`), or -1. */
function addressOwner(model: EndpointLookups, family: 4 | 6, words: Uint32Array): number {
  return family === 4 ? model.podByAddress.find4(words[0]!) : model.podByAddress.find6(words);
}

/**
 * Reads an endpoint text without allocating: `POD` (the pod index in `out[0]`),
 * `OUTSIDE4` / `OUTSIDE6` (the address in `out`), or `NO_ENDPOINT` when `text` is
 * neither a pod id nor an IP literal (or not a string).
 */
export function scanEndpoint(model: EndpointLookups, text: unknown, out: Uint32Array): number {
  if (typeof text !== "string") return NO_ENDPOINT;
  const pod = model.podByName.get(text);
  if (pod !== undefined) {
    out[0] = pod;
    return POD;
  }
  const family = scanAddress(text, out);
  if (family === 0) return NO_ENDPOINT;
  const owner = addressOwner(model, family, out);
  if (owner < 0) return family === 4 ? OUTSIDE4 : OUTSIDE6;
  out[0] = owner;
  return POD;
}

/** The message for an endpoint text that names nothing (`scanEndpoint` said `NO_ENDPOINT`). */
export function endpointMessage(text: unknown): string {
  return typeof text === "string" ? `unknown pod or invalid IP address ${quote(text)}` : `expected a pod \`namespace/name\` or an IP address, got ${quote(text)}`;
}

/** The IR endpoint of a scan's answer (`kind` and `out` as `scanEndpoint` left them). */
export function endpointOf(kind: number, out: Uint32Array): Endpoint {
  if (kind === POD) return { kind: "pod", pod: out[0]! };
  const family = kind === OUTSIDE4 ? 4 : 6;
  const value = family === 4 ? BigInt(out[0]!) : wordsToBigInt(out);
  return { kind: "outside", address: { family, value, text: formatAddress(family, value) } };
}

/**
 * The endpoint texts of one batch, each read once: a text maps to its batch value,
 * and each outside address gets the next slot of the batch's address table, whose
 * entries are `code(family, words)` (what the evaluator makes of the address).
 *
 * Two maps keyed by the batch's own strings (a repeated string then matches by
 * identity, without comparing characters): texts naming a pod, and the outside
 * addresses, which a batch of random traffic has many of, seen once each; kept apart
 * so that those never slow the lookups of the pods, which most flows name.
 */
export class EndpointInterner {
  /** Pod index by text (a pod id, or an address of a pod). */
  private readonly pods = new Map<string, number>();
  /** Batch value by text, for the outside addresses. */
  private readonly outside = new Map<string, number>();
  private readonly words = new Uint32Array(4);
  /** The address table's entries, `count` of them. */
  codes = new Uint32Array(64);
  count = 0;

  constructor(
    private readonly model: EndpointLookups,
    private readonly code: (family: 4 | 6, words: Uint32Array) => number,
  ) {}

  /** The batch value of an endpoint text, or -1 when it names nothing. */
  value(text: unknown): number {
    if (typeof text !== "string") return -1;
    const pod = this.pods.get(text);
    if (pod !== undefined) return pod;
    const known = this.outside.get(text);
    return known !== undefined ? known : this.add(text);
  }

  /** Reads a text the batch names for the first time. */
  private add(text: string): number {
    const kind = scanEndpoint(this.model, text, this.words);
    if (kind === NO_ENDPOINT) return -1;
    if (kind === POD) {
      this.pods.set(text, this.words[0]!);
      return this.words[0]!;
    }
    if (this.count === this.codes.length) {
      const grown = new Uint32Array(this.count * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[this.count] = this.code(kind === OUTSIDE4 ? 4 : 6, this.words);
    const value = this.model.podIds.length + this.count++;
    this.outside.set(text, value);
    return value;
  }
}

/**
 * Resolves endpoint texts once for many columnar batches (`Engine.endpointIds`):
 * pods by index, outside addresses as entries of an address table of numbers
 * (IPv4 first, then IPv6), each distinct text once. Throws `NetpolValidationError`
 * listing every ref that names nothing, at `refs[i]`.
 */
export function endpointIds(model: EndpointLookups, refs: readonly string[]): EndpointIds {
  if (!Array.isArray(refs)) throw new NetpolValidationError([{ path: "refs", message: `expected an array of endpoint texts, got ${quote(refs)}` }]);
  const n = model.podIds.length;
  const ids = new Uint32Array(refs.length);
  const v4: number[] = [];
  const v6: number[] = [];
  // IPv4 entry j is `n + j`; IPv6 entry k is provisionally `-1 - k`, `n + v4.length + k` once every IPv4 is known
  const seen = new Map<string, number>();
  const provisional: number[] = [];
  const words = new Uint32Array(4);
  const issues: Issue[] = [];
  for (let i = 0; i < refs.length; i++) {
    const text = refs[i];
    let value = typeof text === "string" ? seen.get(text) : undefined;
    if (value === undefined) {
      const kind = scanEndpoint(model, text, words);
      if (kind === NO_ENDPOINT) {
        issues.push({ path: index("refs", i), message: endpointMessage(text) });
        continue;
      }
      if (kind === POD) value = words[0]!;
      else if (kind === OUTSIDE4) value = n + v4.push(words[0]!) - 1;
      else value = -(v6.push(words[0]!, words[1]!, words[2]!, words[3]!) >>> 2);
      seen.set(text as string, value);
    }
    if (value < 0) provisional.push(i);
    else ids[i] = value;
  }
  if (issues.length > 0) throw new NetpolValidationError(issues);
  for (const i of provisional) ids[i] = n + v4.length - 1 - seen.get(refs[i]!)!;
  return { ids, addresses4: Uint32Array.from(v4), addresses6: Uint32Array.from(v6) };
}
