/**
 * The verdict layers views show, each asked of the engine: one port's matrix, or
 * "any port", the union of its matrices on several ports (a pair is set when some
 * port allows it). Until the engine answers whole connection sets, "any port" is
 * over the ports the manifests name (`mentionedPorts`).
 */
import { explanationText, type Decision, type Engine, type PortQuery, type RuleSet } from "../index.js";
import type { Layer } from "./heatmap/grid.js";

/** The union of the engine's matrices on `ports` (all zero when there are none). */
export function anyPortLayer(engine: Engine, ports: readonly PortQuery[]): Layer {
  const words = (engine.pods.length + 31) >>> 5;
  const bits = new Uint32Array(words * engine.pods.length);
  for (const port of ports) {
    const m = engine.matrix(port).bits;
    for (let k = 0; k < bits.length; k++) bits[k]! |= m[k]!;
  }
  return { bits, words };
}

/** A pair's decision as a view shows it: on the port chosen, or for "any port" on the first port that allows it. */
export interface PairDecision {
  /** The port explained. */
  readonly port: Required<PortQuery>;
  readonly decision: Decision;
  /** For "any port": the named ports that allow the pair (null for one port). */
  readonly allowedOn: ReadonlyArray<Required<PortQuery>> | null;
  /** The engine's rule set, which the renderer names peers and ports from. */
  readonly rules: RuleSet;
}

/**
 * Decides pair (from, to) (engine indexes) on `choice`: one port, or "any" of `ports`,
 * then explained on the first of them that allows it (or the first of them).
 */
export function decidePair(engine: Engine, from: number, to: number, choice: Required<PortQuery> | "any", ports: ReadonlyArray<Required<PortQuery>>): PairDecision | null {
  const flow = { from: engine.pods[from]!, to: engine.pods[to]! };
  if (choice !== "any") return { port: choice, decision: engine.decide({ ...flow, ...choice }), allowedOn: null, rules: engine.rules };
  if (ports.length === 0) return null;
  const allowedOn = ports.filter((p) => engine.decide({ ...flow, ...p }).allowed);
  const port = allowedOn[0] ?? ports[0]!;
  return { port, decision: engine.decide({ ...flow, ...port }), allowedOn, rules: engine.rules };
}

/** `TCP/8080`. */
const portKey = (p: Required<PortQuery>): string => `${p.protocol}/${p.port}`;

/** A pair's decision as text: the library's `explanationText`, with the ports that allow it for "any port". */
export function pairText(pair: PairDecision, from: string, to: string): string {
  const text = explanationText(pair.decision.explanation, from, to, pair.rules);
  if (pair.allowedOn === null) return text;
  return `allowed on ${pair.allowedOn.length === 0 ? "none of the named ports" : pair.allowedOn.map(portKey).join(", ")}\non ${portKey(pair.port)}: ${text}`;
}
