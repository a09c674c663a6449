/**
 * The parts of an engine the benchmarks time only when the engine offers them: the
 * columnar batch (`ColumnarFlows` in, one verdict byte per flow out), a matrix written
 * into a caller's buffer (`matrix(query, { into })`), a matrix streamed in strips
 * (`matrixStrips`) and `update`. Each is probed at
 * run time, so the benchmarks also run on an engine without them (an older build given
 * with `--compare`, a work-in-progress evaluator): such an engine gets "—" there.
 */
import type { Engine, Flow, MatrixStrip, PortQuery } from "../src/api/engine.js";
import type { ReachabilityMatrix } from "../src/api/matrix.js";
import { toColumns } from "../src/api/flow-columns.js";
import type { World } from "./synthetic.js";

/**
 * `flows` as a columnar batch, encoded now (the timing leaves encoding out: the
 * caller of this form holds columns already), or null when the engine has no
 * columnar form. The form is probed on a few flows and must give the verdicts the
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
 * A matrix written into the bits of an earlier one, ready to time, or null when the
 * engine allocates a fresh array whatever it is given.
 */
export function matrixInto(engine: Engine, query: PortQuery, earlier: ReachabilityMatrix): (() => ReachabilityMatrix) | null {
  const matrix = engine.matrix as (query: PortQuery, options?: { into?: Uint32Array }) => ReachabilityMatrix;
  const into = earlier.bits;
  try {
    if (matrix.call(engine, query, { into }).bits.buffer !== into.buffer) return null;
  } catch {
    return null;
  }
  return () => matrix.call(engine, query, { into });
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

/**
 * The whole matrix streamed through `matrixStrips` (each strip dropped, as a stream
 * to a pipe would), ready to time, returning how many strips and the cells `check`
 * asks for; null when the engine has no strips.
 */
export function matrixStreamed(engine: Engine, query: PortQuery): ((check?: (strip: MatrixStrip) => void) => number) | null {
  const strips = (engine as Partial<Engine>).matrixStrips;
  if (typeof strips !== "function") return null;
  return (check) => {
    let count = 0;
    for (const strip of strips.call(engine, query)) {
      check?.(strip);
      count++;
    }
    return count;
  };
}

/** The world's first pod, relabelled, as an update to time (every call adds a label value of its own); null without `update`. */
export function podUpdate(engine: Engine, world: World): (() => void) | null {
  const first = world.cluster.pods[0];
  if (typeof (engine as Partial<Engine>).update !== "function" || first === undefined) return null;
  let k = 0;
  return () => engine.update({ op: "upsertPod", pod: { ...first, labels: { ...first.labels, rollout: `r${k++ % 1000}` } } });
}

/** A team namespace relabelled (its `env` label changes with each call), as an update to time; null without `update`. */
export function namespaceUpdate(engine: Engine, world: World): (() => void) | null {
  const namespace = world.cluster.namespaces.find((ns) => ns.name.startsWith("team-"));
  if (typeof (engine as Partial<Engine>).update !== "function" || namespace === undefined) return null;
  let k = 0;
  return () => engine.update({ op: "upsertNamespace", namespace: { ...namespace, labels: { ...namespace.labels, env: `env-${k++ % 1000}` } } });
}

/** A pod added (a replica of the world's first, on an address of its own, each call a new one), as an update to time; null without `update`. */
export function podAddition(engine: Engine, world: World): (() => void) | null {
  const first = world.cluster.pods[0];
  if (typeof (engine as Partial<Engine>).update !== "function" || first === undefined) return null;
  let k = 0;
  return () => {
    k++;
    engine.update({ op: "upsertPod", pod: { ...first, name: `added-${k}`, workload: undefined, ips: [`10.250.${(k >> 8) & 255}.${k & 255}`] } });
  };
}

/** The pod in the middle of the cluster removed (later pods move down one index), as an update to time; null without `update`. */
export function podRemoval(engine: Engine): (() => void) | null {
  if (typeof (engine as Partial<Engine>).update !== "function") return null;
  return () => engine.update({ op: "removePod", pod: engine.pods[engine.pods.length >>> 1]! });
}
