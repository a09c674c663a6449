/**
 * The parts of an engine the benchmarks time only when the engine offers them: the
 * columnar batch (`ColumnarFlows` in, one verdict byte per flow out) and `update`.
 * Both are probed at run time, so the benchmarks also run on an engine without them
 * (an older build, a work-in-progress evaluator); such an engine gets "—" in the
 * update column and its batch is timed on flow objects.
 */
import type { Engine, Flow } from "../src/engine/types.js";
import { toColumns } from "../test/support/columns.js";
import type { World } from "./synthetic.js";

/**
 * The engine's columnar batch over `flows`, encoded before timing, or null when the
 * engine has none. The form is probed on a few flows and must give the verdicts the
 * object form gives.
 */
export function columnarBatch(engine: Engine, flows: readonly Flow[]): (() => Uint8Array) | null {
  const probe = flows.slice(0, 256);
  try {
    const got = engine.decideBatch(toColumns(engine.pods, probe));
    if (!(got instanceof Uint8Array) || got.join("") !== engine.decideBatch(probe).join("")) return null;
  } catch {
    return null;
  }
  const columns = toColumns(engine.pods, flows);
  return () => engine.decideBatch(columns);
}

/**
 * One incremental update, ready to time: the world's first policy (a namespace's
 * default deny) gets an ingress rule opening TCP 8443. Null when the engine has no
 * `update`.
 */
export function policyUpdate(engine: Engine, world: World): (() => void) | null {
  const first = world.policies[0];
  if (typeof (engine as Partial<Engine>).update !== "function" || first === undefined) return null;
  const policy = { ...first, spec: { ...first.spec, ingress: [...(first.spec.ingress ?? []), { ports: [{ protocol: "TCP" as const, port: 8443 }] }] } };
  return () => engine.update({ op: "upsertPolicy", policy });
}
