/**
 * The parts of an engine the benchmarks time only when the engine offers them: the
 * columnar batch (`ColumnarFlows` in, one verdict byte per flow out) and `update`.
 * Both are probed at run time, so the benchmarks also run on an engine without them
 * (an older build, a work-in-progress evaluator); such an engine gets "—" in the
 * update column and its batch is timed on flow objects.
 */
import type { Engine, Flow } from "../src/api/engine.js";
import { toColumns } from "../src/api/flow-columns.js";
import type { World } from "./synthetic.js";

/**
 * The engine's columnar batch over `flows`, encoded before timing, or null when the
 * engine has none. The form is probed on a few flows and must give the verdicts the
 * object form gives. `podToPod` is the same batch without the flows naming an
 * address (the same columns, filtered): the rate of the core alone.
 */
export function columnarBatch(engine: Engine, flows: readonly Flow[]): { run: () => Uint8Array; podToPod: () => Uint8Array; podToPodFlows: number } | null {
  const probe = flows.slice(0, 256);
  try {
    const got = engine.decideBatch(toColumns(engine.pods, probe));
    if (!(got instanceof Uint8Array) || got.join("") !== engine.decideBatch(probe).join("")) return null;
  } catch {
    return null;
  }
  const columns = toColumns(engine.pods, flows);
  const n = engine.pods.length;
  const keep: number[] = [];
  for (let k = 0; k < columns.from.length; k++) if (columns.from[k]! < n && columns.to[k]! < n) keep.push(k);
  const pick = <T extends Uint8Array | Uint16Array | Uint32Array>(column: T): T => {
    const out = new (column.constructor as new (n: number) => T)(keep.length);
    keep.forEach((k, i) => (out[i] = column[k]!));
    return out;
  };
  const pods = { from: pick(columns.from), to: pick(columns.to), protocol: pick(columns.protocol!), port: pick(columns.port!) };
  return { run: () => engine.decideBatch(columns), podToPod: () => engine.decideBatch(pods), podToPodFlows: keep.length };
}

/**
 * Incremental updates, ready to time: the world's first policy (a namespace's
 * default deny) gets an ingress rule opening TCP `8443 + k` for the k-th call, so
 * that every call changes the policy. Null when the engine has no `update`.
 */
export function policyUpdate(engine: Engine, world: World): (() => void) | null {
  const first = world.policies[0];
  if (typeof (engine as Partial<Engine>).update !== "function" || first === undefined) return null;
  let k = 0;
  return () => {
    const rule = { ports: [{ protocol: "TCP" as const, port: 8443 + (k++ % 1000) }] };
    const policy = { ...first, spec: { ...first.spec, ingress: [...(first.spec.ingress ?? []), rule] } };
    engine.update({ op: "upsertPolicy", policy });
  };
}
