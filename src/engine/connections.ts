/**
 * `Engine.connections`: every connection the policies allow, computed from the
 * engine's own verdicts on port classes and outside ranges (`connection-space.ts`)
 * over pod classes (`compile/classes.ts`), one source endpoint at a time.
 *
 * Index spaces: pods (engine order); classes (`PodClasses`, the engine's compiled ones); ends, the output's
 * endpoints sorted by name (pod groups and outside ranges); patterns, the distinct
 * verdict tables of groups of port classes, pod-to-pod ones (`class-tables.ts`) and
 * pod-and-outside ones apart, each numbered from 0. The patterns a pair of ends is
 * allowed in are a bit set (bit t: pattern t) of `words` u32 words; its ports are the
 * union of those patterns' port classes.
 *
 * Pod to pod: a source endpoint's row is the OR of its classes' rows in a pattern's
 * class table; its set bits, through the endpoints holding each class, are its
 * destinations in that pattern. Work and memory grow with classes, ranges and the
 * output, never with pods × pods.
 *
 * Pod and outside: the far end is no pod, so nothing isolates it and no named port
 * resolves on it: a pod's egress verdict to an outside address depends only on the
 * policies isolating the pod for egress, and its ingress verdict from one only on
 * those isolating it for ingress and its container ports (`OutsideKeys`). One pod per
 * such key ("side representative") is asked, per port class.
 */
import { NetpolValidationError, quote, unsupportedValue, type Issue } from "../primitives/issues.js";
import { formatAddress, parseCidr } from "../primitives/address.js";
import { isProtocol, namespacedName, PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import type { AllowedPorts, Connection, ConnectionOptions, ConnectionRule, PortFilter, PortSpan } from "../api/connections.js";
import type { ColumnarFlows, Engine } from "../api/engine.js";
import type { PodClasses } from "../compile/classes.js";
import { representativeModel, type Model } from "./model.js";
import { MAX_PORT, outsideRanges, portGroups, type OutsideRange, type PortClass } from "./connection-space.js";
import { classTables, Patterns, type RowStore } from "./class-tables.js";

const NATURAL = new Intl.Collator("en", { numeric: true });

/** The order of endpoint names in `connections`: numbers in names compared as numbers, ties (`a01`, `a1`) by code unit. */
export const compareEndpoints = (a: string, b: string): number => NATURAL.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** The engine answers connections are computed from. */
export type Verdicts = Pick<Engine, "matrix" | "decideBatch" | "decide">;

/** An engine of the same evaluator over another model (the class representatives'). */
export type MatrixEngineOf = (model: Model) => Pick<Engine, "matrix">;

/**
 * Per pod (in pod order), a key such that pods of one egress key have the same
 * verdicts to every outside address, and pods of one ingress key from every outside
 * address: the policies isolating the pod on that side (and, for ingress, its
 * container ports, where named ports resolve), or anything finer.
 */
export interface OutsideKeys {
  readonly egress: ArrayLike<unknown>;
  readonly ingress: ArrayLike<unknown>;
}

/** Checks the options; throws `NetpolValidationError` listing every problem. */
function checkOptions(options: ConnectionOptions, podCount: number): void {
  const issues: Issue[] = [];
  if (typeof options !== "object" || options === null) throw new NetpolValidationError([{ path: "options", message: `expected an object, got ${quote(options)}` }]);
  const port = (value: unknown): boolean => typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= MAX_PORT;
  if (options.ports !== undefined) {
    if (!Array.isArray(options.ports)) issues.push({ path: "options.ports", message: `expected an array, got ${quote(options.ports)}` });
    else {
      options.ports.forEach((p: PortFilter, i: number) => {
        const path = `options.ports[${i}]`;
        if (typeof p !== "object" || p === null) return void issues.push({ path, message: `expected a port, got ${quote(p)}` });
        if (p.protocol !== undefined && !isProtocol(p.protocol)) issues.push({ path: `${path}.protocol`, message: unsupportedValue(p.protocol, PROTOCOLS) });
        if (!port(p.port)) issues.push({ path: `${path}.port`, message: `invalid value ${quote(p.port)}: must be between 1 and 65535, inclusive` });
        if (p.endPort !== undefined && (!port(p.endPort) || p.endPort < p.port)) {
          issues.push({ path: `${path}.endPort`, message: `invalid value ${quote(p.endPort)}: must be between port and 65535, inclusive` });
        }
      });
    }
  }
  if (options.groups !== undefined && (!Array.isArray(options.groups) || options.groups.length !== podCount || options.groups.some((g) => typeof g !== "string"))) {
    issues.push({ path: "options.groups", message: `expected one endpoint name per pod (${podCount} strings)` });
  }
  if (options.cutBy !== undefined) {
    if (!Array.isArray(options.cutBy)) issues.push({ path: "options.cutBy", message: `expected an array of CIDRs, got ${quote(options.cutBy)}` });
    else options.cutBy.forEach((c: unknown, i: number) => void (typeof c === "string" && parseCidr(c) !== null ? null : issues.push({ path: `options.cutBy[${i}]`, message: `invalid CIDR ${quote(c)}` })));
  }
  for (const key of ["includeExternal", "includeSelf", "explain"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "boolean") issues.push({ path: `options.${key}`, message: `expected a boolean, got ${quote(options[key])}` });
  }
  if (issues.length > 0) throw new NetpolValidationError(issues);
}

/** Sorted, merged spans per protocol of a set of port classes. */
function allowedPorts(classes: readonly PortClass[]): AllowedPorts {
  const out: Record<Protocol, PortSpan[]> = { TCP: [], UDP: [], SCTP: [] };
  for (const c of [...classes].sort((a, b) => a.first - b.first)) {
    const spans = out[c.protocol];
    const previous = spans[spans.length - 1];
    if (previous !== undefined && previous[1] + 1 >= c.first) spans[spans.length - 1] = [previous[0], Math.max(previous[1], c.last)];
    else spans.push([c.first, c.last]);
  }
  return out;
}

/** An endpoint of the output made of pods: its pods, their distinct classes and side representatives. */
interface PodEnd {
  readonly name: string;
  readonly pods: readonly number[];
  readonly classes: readonly number[];
  /** Distinct egress side representatives of its pods (indexes into the egress representatives). */
  readonly egress: readonly number[];
}

/** One endpoint of the output: a group of pods, or an outside range (index into the ranges). */
type End = PodEnd | { readonly name: string; readonly outside: number };

/** The distinct values of `f` over `items`, in first-seen order. */
function distinct(items: readonly number[], f: (item: number) => number): number[] {
  if (items.length === 1) return [f(items[0]!)];
  return [...new Set(items.map(f))];
}

/** The pod ↔ outside verdicts (see the module comment). */
interface OutsideTables {
  /** Each pod's egress / ingress side representative (index into `egressReps` / `ingressReps`). */
  readonly egressRep: Uint32Array;
  readonly ingressRep: Uint32Array;
  readonly egressReps: readonly number[];
  readonly ingressReps: readonly number[];
  /**
   * Per port class pattern, one verdict per (representative, range): `E * R` egress
   * verdicts (rep e → range k at `e * R + k`), then `I * R` ingress ones (range k →
   * rep i at `E * R + i * R + k`).
   */
  readonly patterns: Patterns<Uint8Array>;
}

/** Asks the engine about every side representative and outside range, per port class. */
function outsideTables(engine: Verdicts, n: number, outside: readonly OutsideRange[], groups: readonly (readonly PortClass[])[], keys: OutsideKeys): OutsideTables {
  const r = outside.length;
  const egressRep = new Uint32Array(n);
  const ingressRep = new Uint32Array(n);
  const repsOf = (key: ArrayLike<unknown>, out: Uint32Array): number[] => {
    const index = new Map<unknown, number>();
    const reps: number[] = [];
    for (let p = 0; p < n; p++) {
      const k = key[p];
      let at = index.get(k);
      if (at === undefined) index.set(k, (at = reps.push(p) - 1));
      out[p] = at;
    }
    return reps;
  };
  const egressReps = repsOf(keys.egress, egressRep);
  const ingressReps = repsOf(keys.ingress, ingressRep);
  const v4 = outside.filter((o) => o.family === 4);
  const v6 = outside.filter((o) => o.family === 6);
  const addresses4 = Uint32Array.from(v4, (o) => Number(o.representative));
  const addresses6 = new Uint32Array(v6.length * 4);
  v6.forEach((o, k) => {
    for (let w = 0; w < 4; w++) addresses6[k * 4 + w] = Number((o.representative >> BigInt(96 - 32 * w)) & 0xffffffffn);
  });
  // outside index k is table entry v4 first then v6, the order `outside` lists them in
  const e = egressReps.length * r;
  const total = e + ingressReps.length * r;
  const from = new Uint32Array(total);
  const to = new Uint32Array(total);
  egressReps.forEach((p, i) => {
    for (let k = 0; k < r; k++) [from[i * r + k], to[i * r + k]] = [p, n + k];
  });
  ingressReps.forEach((p, i) => {
    for (let k = 0; k < r; k++) [from[e + i * r + k], to[e + i * r + k]] = [n + k, p];
  });
  const ports = new Uint32Array(total);
  const patterns = new Patterns<Uint8Array>();
  for (const group of groups) {
    const c = group[0]!;
    const flows: ColumnarFlows = { from, to, addresses4, addresses6, ports: ports.fill(c.first | (PROTOCOLS.indexOf(c.protocol) << 16)) };
    patterns.add(engine.decideBatch(flows), group);
  }
  return { egressRep, ingressRep, egressReps, ingressReps, patterns };
}

/**
 * Per (side representative, range), the outside patterns allowing it as a bit set of
 * `words` words (bit t: pattern t), for the egress side (at `(e * R + k) * words`)
 * or the ingress side (at `(i * R + k) * words`).
 */
function sideMasks(tables: OutsideTables, r: number, egress: boolean, words: number): Uint32Array {
  const reps = (egress ? tables.egressReps : tables.ingressReps).length;
  const base = egress ? 0 : tables.egressReps.length * r;
  const out = new Uint32Array(reps * r * words);
  tables.patterns.tables.forEach((verdicts, t) => {
    for (let at = 0; at < reps * r; at++) if (verdicts[base + at] === 1) out[at * words + (t >>> 5)]! |= 1 << (t & 31);
  });
  return out;
}

/** The set bits of a bit set of `words` words at `at`, ascending. */
function bitsOf(masks: Uint32Array, at: number, words: number): number[] {
  const out: number[] = [];
  for (let w = 0; w < words; w++) for (let v = masks[at + w]!; v !== 0; v &= v - 1) out.push((w << 5) | (31 - Math.clz32(v & -v)));
  return out;
}

/**
 * Every ordered pair of endpoints with something allowed between them, sorted by
 * `from` then `to` (numbers in names compared as numbers), one at a time.
 * `podClasses` gives the pods no rule tells apart (the engine's compiled classes);
 * `byClass` builds an engine of the same evaluator over the class representatives.
 * Throws `NetpolValidationError` for bad options.
 */
export function* connections(engine: Verdicts, model: Model, options: ConnectionOptions = {}, podClasses: () => PodClasses, outsideKeys: () => OutsideKeys, byClass: MatrixEngineOf): Generator<Connection> {
  const n = model.podIds.length;
  checkOptions(options, n);
  const groups = portGroups(model, options.ports);
  const outside = options.includeExternal === false ? [] : outsideRanges(model, options.cutBy);
  const r = outside.length;
  const explain = options.explain === true;

  // pod → pod, over pod classes
  const pods = podClasses();
  const q = pods.reps.length;
  const qWords = (q + 31) >>> 5;
  const { rows, patterns: inside } = classTables(engine, q === n ? engine : byClass(representativeModel(model, pods.reps)), pods, groups);

  // pod ↔ outside, over side representatives
  const external = r > 0 && n > 0 ? outsideTables(engine, n, outside, groups, outsideKeys()) : null;
  // a pair's patterns as a bit set: pod-to-pod ones, or (for a pair with an outside range) outside ones
  const words = Math.max(1, (Math.max(inside.tables.length, external?.patterns.tables.length ?? 0) + 31) >>> 5);
  const egressMasks = external === null ? null : sideMasks(external, r, true, words);
  const ingressMasks = external === null ? null : sideMasks(external, r, false, words);

  // the endpoints, sorted
  const groupOf = options.groups ?? model.podIds;
  const members = new Map<string, number[]>();
  groupOf.forEach((name, p) => void (members.get(name) ?? members.set(name, []).get(name)!).push(p));
  const ends: End[] = [
    ...[...members].map(([name, list]): PodEnd => ({
      name,
      pods: list,
      classes: distinct(list, (p) => pods.ofPod[p]!),
      egress: external === null ? [] : distinct(list, (p) => external.egressRep[p]!),
    })),
    ...outside.map((o, k) => ({ name: o.name, outside: k })),
  ];
  ends.sort((a, b) => compareEndpoints(a.name, b.name));
  // per class, the pod endpoints holding one of its pods; per range, its endpoint; per ingress representative, the pod endpoints holding its pods
  const endsOfClass: number[][] = Array.from({ length: q }, () => []);
  const endOfRange = new Int32Array(r);
  const endsOfIngress: number[][] = Array.from({ length: external?.ingressReps.length ?? 0 }, () => []);
  ends.forEach((end, g) => {
    if (!("pods" in end)) return void (endOfRange[end.outside] = g);
    for (const a of end.classes) endsOfClass[a]!.push(g);
    if (external !== null) for (const i of distinct(end.pods, (p) => external.ingressRep[p]!)) endsOfIngress[i]!.push(g);
  });

  // per destination end g, the patterns the current source reaches it in (`masks` at g * words); `mark[g]` says which source set them
  const masks = new Uint32Array(ends.length * words);
  // a pair's ports, per bit set of patterns (pod-to-pod ones and outside ones apart)
  const allowedOf = [new Map<number | string, AllowedPorts>(), new Map<number | string, AllowedPorts>()] as const;
  const patternsOf = (at: number, toOutside: boolean): Array<readonly PortClass[]> => bitsOf(masks, at, words).map((t) => (toOutside ? external!.patterns : inside).classes[t]!);
  const allowed = (at: number, toOutside: boolean): AllowedPorts => {
    const key = words === 1 ? masks[at]! : masks.subarray(at, at + words).join(",");
    const cache = allowedOf[toOutside ? 1 : 0];
    let found = cache.get(key);
    if (found === undefined) cache.set(key, (found = deepFreeze(allowedPorts(patternsOf(at, toOutside).flat()))));
    return found;
  };

  const mark = new Int32Array(ends.length).fill(-1);
  const touched: number[] = [];
  let ga = 0;
  const touch = (g: number): number => {
    if (mark[g] !== ga) {
      mark[g] = ga;
      touched.push(g);
      masks.fill(0, g * words, (g + 1) * words);
    }
    return g * words;
  };
  const row = new Uint32Array(qWords);
  for (ga = 0; ga < ends.length; ga++) {
    const a = ends[ga]!;
    touched.length = 0;
    if ("pods" in a) {
      inside.tables.forEach((table, t) => {
        // the OR of the rows of a's classes: read in place for one class
        const [bits, at] = a.classes.length === 1 ? [rows.data, table[a.classes[0]!]! * qWords] : [orRows(rows, table, a.classes, row), 0];
        const [word, mask] = [t >>> 5, 1 << (t & 31)];
        for (let w = 0; w < qWords; w++) {
          for (let v = bits[at + w]!; v !== 0; v &= v - 1) {
            for (const g of endsOfClass[(w << 5) | (31 - Math.clz32(v & -v))]!) if (g !== ga) masks[touch(g) + word]! |= mask;
          }
        }
        if (options.includeSelf === true && selfWitness(rows, table, a, pods.ofPod) !== null) masks[touch(ga) + word]! |= mask;
      });
      if (egressMasks !== null) {
        for (const e of a.egress) {
          for (let k = 0; k < r; k++) {
            const from = (e * r + k) * words;
            if (egressMasks.subarray(from, from + words).some((v) => v !== 0)) {
              const at = touch(endOfRange[k]!);
              for (let w = 0; w < words; w++) masks[at + w]! |= egressMasks[from + w]!;
            }
          }
        }
      }
    } else if (ingressMasks !== null) {
      endsOfIngress.forEach((targets, i) => {
        const from = (i * r + a.outside) * words;
        if (!ingressMasks.subarray(from, from + words).some((v) => v !== 0)) return;
        for (const g of targets) {
          const at = touch(g);
          for (let w = 0; w < words; w++) masks[at + w]! |= ingressMasks[from + w]!;
        }
      });
    }
    touched.sort((x, y) => x - y);
    for (const gb of touched) {
      const b = ends[gb]!;
      const toOutside = !("pods" in a && "pods" in b);
      const connection: Connection = { from: a.name, to: b.name, allowed: allowed(gb * words, toOutside) };
      if (!explain) yield connection;
      else {
        const witnesses = bitsOf(masks, gb * words, words).map((t) => ({ ...witness(a, b, t), classes: (toOutside ? external!.patterns : inside).classes[t]! }));
        yield { ...connection, allowedBy: rulesOf(engine, model, outside, witnesses) };
      }
    }
  }

  /** A flow of pattern `t` between `a` and `b` (pod indexes, or `-1 - k` for outside range k). */
  function witness(a: End, b: End, t: number): { from: number; to: number } {
    if ("pods" in a && "pods" in b) {
      const table = inside.tables[t]!;
      if (a === b) return selfWitness(rows, table, a, pods.ofPod)!;
      for (const x of a.classes) {
        for (const y of b.classes) {
          if (rows.has(table[x]!, y)) return { from: a.pods.find((p) => pods.ofPod[p] === x)!, to: b.pods.find((p) => pods.ofPod[p] === y)! };
        }
      }
    }
    const verdicts = external!.patterns.tables[t]!;
    if ("pods" in a) {
      const range = (b as { outside: number }).outside;
      const pod = a.pods.find((p) => verdicts[external!.egressRep[p]! * r + range] === 1)!;
      return { from: pod, to: -1 - range };
    }
    const pod = (b as PodEnd).pods.find((p) => verdicts[external!.egressReps.length * r + external!.ingressRep[p]! * r + a.outside] === 1)!;
    return { from: -1 - a.outside, to: pod };
  }
}

/** The OR of the rows of `classes` in class table `table`, into `out`. */
function orRows(rows: RowStore, table: Uint32Array, classes: readonly number[], out: Uint32Array): Uint32Array {
  const words = rows.words;
  out.fill(0);
  for (const a of classes) {
    const at = table[a]! * words;
    for (let w = 0; w < words; w++) out[w]! |= rows.data[at + w]!;
  }
  return out;
}

/**
 * A flow from endpoint `end` to itself that class table `table` allows, as pod
 * indexes: a pod reaching itself, or two distinct pods of it; null when none is.
 */
function selfWitness(rows: RowStore, table: Uint32Array, end: PodEnd, classOf: Uint32Array): { from: number; to: number } | null {
  const q = table.length - 1;
  const podOf = (x: number, skip = -1): number => end.pods.find((p) => classOf[p] === x && p !== skip) ?? -1;
  for (const x of end.classes) {
    if (rows.has(table[q]!, x)) {
      const p = podOf(x);
      return { from: p, to: p };
    }
    for (const y of end.classes) {
      if (!rows.has(table[x]!, y)) continue;
      const from = podOf(x);
      const to = podOf(y, from);
      if (to >= 0) return { from, to };
    }
  }
  return null;
}

/** `value` frozen with everything it holds (a connection's ports are shared between connections). */
function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === "object" && v !== null) deepFreeze(v as object);
  return Object.freeze(value);
}

/**
 * The rules that allow each part: for each port class, the explanation of one allowed
 * flow of the pair (`from`/`to`: a pod index, or `-1 - k` for outside range k).
 */
function rulesOf(
  engine: Verdicts,
  model: Model,
  outside: readonly OutsideRange[],
  witnesses: ReadonlyArray<{ from: number; to: number; classes: readonly PortClass[] }>,
): ConnectionRule[] {
  const name = (end: number): string => (end >= 0 ? model.podIds[end]! : formatAddress(outside[-1 - end]!.family, outside[-1 - end]!.representative));
  const byRule = new Map<string, { rule: Omit<ConnectionRule, "ports">; classes: PortClass[] }>();
  for (const w of witnesses) {
    for (const c of w.classes) {
      const { explanation } = engine.decide({ from: name(w.from), to: name(w.to), protocol: c.protocol, port: c.first });
      const refs: Array<Omit<ConnectionRule, "ports" | "protocol">> = [];
      for (const side of [explanation.egress, explanation.ingress]) {
        // a cluster-scoped tier's Accept decides the side; otherwise the NetworkPolicy rules that allowed it
        for (const step of [side.admin, side.baseline]) {
          const m = step?.matched;
          if (m?.action === "Accept") refs.push({ tier: m.policy.tier, policy: m.policy.name, policyIndex: m.policy.index, direction: m.direction, rule: m.rule });
        }
        for (const ref of side.allowedBy) {
          refs.push({ tier: "NetworkPolicy", policy: namespacedName(model.rules.policies[ref.policy.index]!), policyIndex: ref.policy.index, direction: ref.direction, rule: ref.rule });
        }
      }
      for (const ref of refs) {
        const key = `${ref.tier}\0${ref.direction}\0${ref.policyIndex}\0${ref.rule}\0${c.protocol}`;
        const entry = byRule.get(key) ?? byRule.set(key, { rule: { ...ref, protocol: c.protocol }, classes: [] }).get(key)!;
        entry.classes.push(c);
      }
    }
  }
  const tiers = ["Admin", "NetworkPolicy", "Baseline"];
  const order = (x: Omit<ConnectionRule, "ports">): string => `${x.direction}\0${tiers.indexOf(x.tier)}\0${String(x.policyIndex).padStart(8, "0")}\0${String(x.rule).padStart(8, "0")}\0${PROTOCOLS.indexOf(x.protocol)}`;
  return [...byRule.values()]
    .sort((x, y) => (order(x.rule) < order(y.rule) ? -1 : 1))
    .map(({ rule, classes }) => ({ ...rule, ports: allowedPorts(classes)[rule.protocol] }));
}
