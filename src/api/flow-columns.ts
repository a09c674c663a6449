/**
 * Flows into columns (`ColumnarFlows`), written once, for callers: `netpol flows`
 * encodes its flow files with it, the tests and benchmarks their batches. (An engine
 * given flow objects reads them against its own model instead, straight into its
 * core: `src/engine/endpoints.ts`.) An endpoint is a pod, by its index in `pods`, or
 * an address, listed once in the address table (`addresses`) and referred to as
 * `pods.length + i`. Addresses are not checked here: `decideBatch` checks them, with
 * their path in the batch.
 */
import { PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import { NetpolValidationError, quote } from "../primitives/issues.js";
import type { ColumnarFlows, Flow } from "./engine.js";

/** A growing batch of flows as columns, with its address table. */
export class FlowColumns {
  private readonly podIndex: ReadonlyMap<string, number>;
  private readonly podCount: number;
  private readonly addressIndex = new Map<string, number>();
  private readonly addresses: string[] = [];
  private from: Uint32Array;
  private to: Uint32Array;
  private protocol: Uint8Array;
  private port: Uint16Array;
  private count = 0;

  /** `pods` are the engine's pod ids (`Engine.pods`); `capacity` the flows to make room for at first. */
  constructor(pods: readonly string[], capacity = 1024) {
    // set one by one: no [id, index] pair per pod (a million of them for a 1M-pod engine)
    const podIndex = new Map<string, number>();
    for (let i = 0; i < pods.length; i++) podIndex.set(pods[i]!, i);
    this.podIndex = podIndex;
    this.podCount = pods.length;
    const n = Math.max(1, capacity);
    this.from = new Uint32Array(n);
    this.to = new Uint32Array(n);
    this.protocol = new Uint8Array(n);
    this.port = new Uint16Array(n);
  }

  /** How many flows the batch holds. */
  get length(): number {
    return this.count;
  }

  /** The column value of an endpoint: a pod id's index, else the slot of the address `text`. */
  endpoint(text: string): number {
    return this.podIndex.get(text) ?? this.address(text);
  }

  /** The column value of the address `text` (never read as a pod id): `pods.length` + its slot in the address table. */
  address(text: string): number {
    let slot = this.addressIndex.get(text);
    if (slot === undefined) {
      slot = this.addresses.push(text) - 1;
      this.addressIndex.set(text, slot);
    }
    return this.podCount + slot;
  }

  /** Appends a flow between two column values (`endpoint`, `address`, or a pod index). */
  push(from: number, to: number, protocol: Protocol, port: number): void {
    if (this.count === this.from.length) this.grow();
    const k = this.count++;
    this.from[k] = from;
    this.to[k] = to;
    this.protocol[k] = PROTOCOLS.indexOf(protocol);
    this.port[k] = port;
  }

  /**
   * Appends a flow object (protocol TCP when absent). Columns carry port numbers: a
   * named port (resolved per destination pod) throws `NetpolValidationError`; give
   * such flows to `decideBatch` as objects.
   */
  add(flow: Flow): void {
    if (typeof flow.port !== "number") throw new NetpolValidationError([{ path: "flow.port", message: `expected a port number in a columnar batch, got ${quote(flow.port)}` }]);
    this.push(this.endpoint(flow.from), this.endpoint(flow.to), flow.protocol ?? "TCP", flow.port);
  }

  /** The batch so far: views of the columns (valid until the next `push` or `clear`) and the address table. */
  columns(): ColumnarFlows {
    const n = this.count;
    return { from: this.from.subarray(0, n), to: this.to.subarray(0, n), protocol: this.protocol.subarray(0, n), port: this.port.subarray(0, n), addresses: this.addresses };
  }

  /** Empties the batch and its address table, keeping the room made. */
  clear(): void {
    this.count = 0;
    this.addresses.length = 0;
    this.addressIndex.clear();
  }

  private grow(): void {
    const n = this.from.length * 2;
    const widen = <A extends Uint32Array | Uint16Array | Uint8Array>(old: A, make: (n: number) => A): A => {
      const next = make(n);
      next.set(old);
      return next;
    };
    this.from = widen(this.from, (k) => new Uint32Array(k));
    this.to = widen(this.to, (k) => new Uint32Array(k));
    this.protocol = widen(this.protocol, (k) => new Uint8Array(k));
    this.port = widen(this.port, (k) => new Uint16Array(k));
  }
}

/** `flows` as columns for an engine whose pods are `pods` (`Engine.pods`). */
export function toColumns(pods: readonly string[], flows: readonly Flow[]): ColumnarFlows {
  const columns = new FlowColumns(pods, flows.length);
  for (const flow of flows) columns.add(flow);
  return columns.columns();
}
