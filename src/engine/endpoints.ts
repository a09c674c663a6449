/**
 * Endpoint texts, read in one place: a flow's `from` / `to` and a ref given to
 * `Engine.endpointIds`. A text is a pod id (`namespace/name`, or a workload's
 * stand-in `namespace/kind/name`; kubectl's kind spellings read as
 * `canonicalEndpoint` reads them: `shop/deploy/web`, `shop/po/web-1`, `no/n1`), else a node
 * (`node:<name>`, its host network), else an IPv4/IPv6 literal; an address that
 * belongs to a node stands for that node, else one that belongs to a pod for that pod
 * (a shared host-network address for the first pod listing it), any other for a host
 * outside the cluster. `scanEndpoint` is that rule; everything else here builds on it.
 *
 * Batch values (the index space of `ColumnarFlows.from` / `to`): a pod index below
 * the pod count N, or `N + slot` for entry `slot` of the batch's address table (nodes
 * and outside addresses).
 */
import { NetpolValidationError, index, quote, type Issue } from "../primitives/issues.js";
import { formatAddress, scanAddress, wordsToBigInt } from "../primitives/address.js";
import type { Endpoint } from "../ir/types.js";
import type { EndpointIds } from "../api/engine.js";
import type { PodAddresses } from "./addresses.js";
import { canonicalEndpoint, NODE_PREFIX } from "../primitives/endpoint-names.js";


/** The lookups reading an endpoint takes (a loaded `Model` has them). */
export interface EndpointLookups {
  /** `namespace/name` of every pod, in cluster order. */
  readonly podIds: readonly string[];
  readonly podByName: ReadonlyMap<string, number>;
  readonly podByAddress: PodAddresses;
  readonly nodeByName: ReadonlyMap<string, number>;
  readonly nodeByAddress: PodAddresses;
}

/** `scanEndpoint`'s answer: the text names no endpoint. */
export const NO_ENDPOINT = 0;
/** `scanEndpoint`'s answer: a pod, its index in `out[0]`. */
export const POD = 1;
/** `scanEndpoint`'s answer: a node, its index in `out[0]`. */
export const NODE = 2;
/** `scanEndpoint`'s answer: an IPv4 address of no node or pod, its u32 value in `out[0]`. */
export const OUTSIDE4 = 4;
/** `scanEndpoint`'s answer: an IPv6 address of no node or pod, four big-endian u32 words in `out[0..3]`. */
export const OUTSIDE6 = 6;

/**
 * Reads an endpoint text without allocating: `POD` or `NODE` (the index in `out[0]`),
 * `OUTSIDE4` / `OUTSIDE6` (the address in `out`), or `NO_ENDPOINT` when `text` is no
 * pod id, no known node and no IP literal (or not a string; `endpointMessage` says
 * which).
 */
export function scanEndpoint(model: EndpointLookups, text: unknown, out: Uint32Array): number {
  if (typeof text !== "string") return NO_ENDPOINT;
  const pod = model.podByName.get(text);
  if (pod !== undefined) {
    out[0] = pod;
    return POD;
  }
  // only a text that names no pod as given is read again in the canonical form
  const canonical = text.indexOf("/") >= 0 ? canonicalEndpoint(text) : text;
  if (canonical !== text) return scanEndpoint(model, canonical, out);
  if (text.startsWith(NODE_PREFIX)) {
    const node = model.nodeByName.get(text.slice(NODE_PREFIX.length));
    if (node === undefined) return NO_ENDPOINT;
    out[0] = node;
    return NODE;
  }
  const family = scanAddress(text, out);
  return family === 0 ? NO_ENDPOINT : addressEndpoint(model, family, out);
}

/**
 * What the address `scanAddress` left in `out` (of `family`) stands for: `NODE` or
 * `POD` (the index in `out[0]`) when it belongs to one, else `OUTSIDE4` / `OUTSIDE6`.
 */
function addressEndpoint(model: EndpointLookups, family: 4 | 6, out: Uint32Array): number {
  const node = family === 4 ? model.nodeByAddress.find4(out[0]!) : model.nodeByAddress.find6(out);
  if (node >= 0) {
    out[0] = node;
    return NODE;
  }
  const owner = family === 4 ? model.podByAddress.find4(out[0]!) : model.podByAddress.find6(out);
  if (owner < 0) return family === 4 ? OUTSIDE4 : OUTSIDE6;
  out[0] = owner;
  return POD;
}

/** The message for an endpoint text that names nothing (`scanEndpoint` said `NO_ENDPOINT`). */
export function endpointMessage(text: unknown): string {
  if (typeof text !== "string") return `expected a pod \`namespace/name\`, a workload \`namespace/kind/name\`, a Service \`namespace/service/name\`, a node \`node:name\` or an IP address, got ${quote(text)}`;
  const canonical = canonicalEndpoint(text);
  if (canonical.startsWith(NODE_PREFIX)) return `unknown node ${quote(canonical)}`;
  if (/^[^/]+\/[^/]+\/[^/]+$/.test(canonical)) return `unknown workload or Service ${quote(canonical)}`;
  return `unknown pod or invalid IP address ${quote(text)}`;
}

/** The IR endpoint of a scan's answer (`kind` and `out` as `scanEndpoint` left them). */
export function endpointOf(kind: number, out: Uint32Array): Endpoint {
  if (kind === POD) return { kind: "pod", pod: out[0]! };
  if (kind === NODE) return { kind: "node", node: out[0]! };
  const family = kind === OUTSIDE4 ? 4 : 6;
  const value = family === 4 ? BigInt(out[0]!) : wordsToBigInt(out);
  return { kind: "outside", address: { family, value, text: formatAddress(family, value) } };
}

/** Texts naming pods an `EndpointInterner` keeps per pod, on average: an id, a spelling or two. */
const POD_TEXTS = 4;

/**
 * Endpoint texts of flow objects, read as `scanEndpoint` reads them, into batch
 * values: a pod's index, or for a node or an outside address the next slot of the
 * address table of the current chunk (`startChunk` empties it), whose entries are
 * `code(kind, out)` (what the evaluator makes of `scanEndpoint`'s answer).
 *
 * A text naming a pod (by id, or by another spelling of it) is read once for as long
 * as the interner lives (an engine keeps one per model, across batches): a map keyed
 * by the callers' own strings (a repeated string then matches by identity, without
 * comparing characters), emptied when it outgrows `POD_TEXTS` per pod. An IP literal
 * is scanned wherever it stands, without a lookup by text: scanning it costs less
 * than hashing it and probing a map that would grow with every address of a flow log
 * (most of them seen once), and it never names a pod by id (ids hold a `/`). The few
 * texts left (nodes, kubectl's spellings of them) are read each time.
 */
export class EndpointInterner {
  /** Pod index by text, for the texts naming a pod that are no IP literal. */
  private readonly pods = new Map<string, number>();
  /** Texts `pods` holds at most (kubectl's spellings in any case could make them endless). */
  private readonly limit: number;
  private readonly words = new Uint32Array(4);
  /** Whether the last text read was an IP literal. */
  private afterAddress = false;
  /** The address table of the current chunk, `count` entries. */
  codes = new Uint32Array(64);
  count = 0;

  constructor(
    private readonly model: EndpointLookups,
    private readonly code: (kind: number, out: Uint32Array) => number,
  ) {
    this.limit = POD_TEXTS * model.podIds.length + 1024;
  }

  /** Empties the address table for the next chunk (of this batch or the next; pods keep their values). */
  startChunk(): void {
    this.count = 0;
  }

  /** The batch value of an endpoint text, or -1 when it names nothing. */
  value(text: unknown): number {
    if (typeof text !== "string") return -1;
    // the order the batch favours: after an address (a flow log's every end), scan
    // first; after a pod id, look it up first (scanning would read the characters of
    // a text the map matches by identity)
    const looked = !this.afterAddress;
    if (looked) {
      const pod = this.pods.get(text);
      if (pod !== undefined) return pod;
    }
    const words = this.words;
    const family = scanAddress(text, words);
    this.afterAddress = family !== 0;
    if (family !== 0) {
      const kind = addressEndpoint(this.model, family, words);
      return kind === POD ? words[0]! : this.slot(kind);
    }
    const pod = looked ? undefined : this.pods.get(text);
    if (pod !== undefined) return pod;
    const kind = scanEndpoint(this.model, text, words);
    if (kind === NO_ENDPOINT) return -1;
    if (kind !== POD) return this.slot(kind);
    if (this.pods.size >= this.limit) this.pods.clear();
    this.pods.set(text, words[0]!);
    return words[0]!;
  }

  /** The batch value of a new address table entry for `scanEndpoint`'s answer (`kind`, the words). */
  private slot(kind: number): number {
    if (this.count === this.codes.length) {
      const grown = new Uint32Array(this.count * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes[this.count] = this.code(kind, this.words);
    return this.model.podIds.length + this.count++;
  }
}

/**
 * Resolves endpoint texts once for many columnar batches (`Engine.endpointIds`):
 * pods by index; nodes named `node:<name>` as entries of the address table's texts;
 * addresses of nodes and outside addresses as entries of its numbers (IPv4, then
 * IPv6), each distinct text once. Throws `NetpolValidationError` listing every ref
 * that names nothing, at `refs[i]`.
 */
export function endpointIds(model: EndpointLookups, refs: readonly string[]): EndpointIds {
  if (!Array.isArray(refs)) throw new NetpolValidationError([{ path: "refs", message: `expected an array of endpoint texts, got ${quote(refs)}` }]);
  const n = model.podIds.length;
  const addresses: string[] = [];
  const v4: number[] = [];
  const v6: number[] = [];
  // each ref's table (a pod, a text, an IPv4 or an IPv6 entry) and its index there:
  // ids come once every table is complete, the later tables starting after the earlier
  const tables = new Uint8Array(refs.length);
  const slots = new Uint32Array(refs.length);
  const first = new Map<string, number>();
  const words = new Uint32Array(4);
  const issues: Issue[] = [];
  for (let i = 0; i < refs.length; i++) {
    const text = refs[i];
    const seen = typeof text === "string" ? first.get(text) : undefined;
    if (seen !== undefined) {
      tables[i] = tables[seen]!;
      slots[i] = slots[seen]!;
      continue;
    }
    const kind = scanEndpoint(model, text, words);
    if (kind === NO_ENDPOINT) {
      issues.push({ path: index("refs", i), message: endpointMessage(text) });
      continue;
    }
    const name = text as string;
    first.set(name, i);
    if (kind === POD) {
      tables[i] = TABLE_POD;
      slots[i] = words[0]!;
    } else if (kind === NODE && name.startsWith(NODE_PREFIX)) {
      tables[i] = TABLE_TEXT;
      slots[i] = addresses.push(name) - 1;
    } else {
      // an outside address, or a node's address (each batch reads it as the node again)
      const family = kind === NODE ? scanAddress(name, words) : kind === OUTSIDE4 ? 4 : 6;
      tables[i] = family === 4 ? TABLE_V4 : TABLE_V6;
      slots[i] = family === 4 ? v4.push(words[0]!) - 1 : (v6.push(words[0]!, words[1]!, words[2]!, words[3]!) >>> 2) - 1;
    }
  }
  if (issues.length > 0) throw new NetpolValidationError(issues);
  const base = [0, n, n + addresses.length, n + addresses.length + v4.length];
  const ids = new Uint32Array(refs.length);
  for (let i = 0; i < refs.length; i++) ids[i] = base[tables[i]!]! + slots[i]!;
  return { ids, addresses, addresses4: Uint32Array.from(v4), addresses6: Uint32Array.from(v6) };
}

/** `endpointIds`' tables, in the order of the batch's address table (pods come first, by index). */
const TABLE_POD = 0;
const TABLE_TEXT = 1;
const TABLE_V4 = 2;
const TABLE_V6 = 3;
