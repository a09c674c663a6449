/**
 * Flows as columns built from `Engine.endpointIds`: the third batch form the
 * differential tests check (after flow objects and `toColumns`).
 */
import type { ColumnarFlows, Engine, Flow } from "../../src/api/engine.js";
import { PROTOCOLS } from "../../src/primitives/kubernetes.js";

/**
 * Encodes `flows` through `engine.endpointIds`: every distinct endpoint text resolved
 * once, the columns built from the ids, the ids' address table passed along.
 */
export function toIdColumns(engine: Engine, flows: readonly Flow[]): ColumnarFlows {
  const refIndex = new Map<string, number>();
  for (const f of flows) for (const end of [f.from, f.to]) if (!refIndex.has(end)) refIndex.set(end, refIndex.size);
  const { ids, addresses, addresses4, addresses6 } = engine.endpointIds([...refIndex.keys()]);
  const n = flows.length;
  const columns = { from: new Uint32Array(n), to: new Uint32Array(n), ports: new Uint32Array(n) };
  flows.forEach((f, i) => {
    columns.from[i] = ids[refIndex.get(f.from)!]!;
    columns.to[i] = ids[refIndex.get(f.to)!]!;
    columns.ports[i] = (f.port as number) | (PROTOCOLS.indexOf(f.protocol ?? "TCP") << 16);
  });
  return { ...columns, addresses, addresses4, addresses6 };
}
