/**
 * Flows in the columnar batch form (`ColumnarFlows`): pods by index into
 * `Engine.pods`, every address once in `addresses`, referred to as `pods + i`.
 */
import type { ColumnarFlows, Flow } from "../../src/api/engine.js";
import { PROTOCOLS } from "../../src/primitives/kubernetes.js";

/** Encodes `flows` for an engine whose pods are `pods`; an end that is no pod id is an address. */
export function toColumns(pods: readonly string[], flows: readonly Flow[]): ColumnarFlows {
  const podIndex = new Map(pods.map((id, i) => [id, i]));
  const addressIndex = new Map<string, number>();
  const code = (end: string): number => {
    const pod = podIndex.get(end);
    if (pod !== undefined) return pod;
    let k = addressIndex.get(end);
    if (k === undefined) addressIndex.set(end, (k = addressIndex.size));
    return pods.length + k;
  };
  const n = flows.length;
  const columns = { from: new Uint32Array(n), to: new Uint32Array(n), protocol: new Uint8Array(n), port: new Uint16Array(n) };
  flows.forEach((f, i) => {
    columns.from[i] = code(f.from);
    columns.to[i] = code(f.to);
    columns.protocol[i] = PROTOCOLS.indexOf(f.protocol ?? "TCP");
    columns.port[i] = f.port;
  });
  return { ...columns, addresses: [...addressIndex.keys()] };
}
