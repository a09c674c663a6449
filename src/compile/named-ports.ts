/**
 * Compile step 4, named ports: every port name policies use gets an id, a named
 * entry of a port set becomes a nameKey (`nameId * 4 + protocol code`), and each pod
 * class's container ports with a used name become `(nameKey, number)` pairs, resolved
 * by the core on the destination's class.
 */
import type { Pod, PortMatch } from "../ir/types.js";
import { NONE } from "./layout.js";
import { nameKey } from "./ports.js";

/** The named-port tables of a compile. */
export interface NamedPorts {
  /** Per port set, the nameKeys of its named entries. */
  readonly lists: readonly number[][];
  /** Distinct nameKeys (`names * 4`). */
  readonly nameKeys: number;
  /** Per nameKey, the port sets naming it. */
  readonly refs: readonly number[][];
  /** Per port set, its slot in the work region when it has named entries, else `NONE`. */
  readonly slots: readonly number[];
  /** Port sets with named entries. */
  readonly sets: number;
  /** `C + 1` CSR offsets (in pairs) into `classPairs`. */
  readonly classStart: Uint32Array;
  /** Each class's `(nameKey, number)` pairs. */
  readonly classPairs: Uint32Array;
}

/** The port-set half of `NamedPorts`, and each used name's id. */
export type PortNames = Omit<NamedPorts, "classStart" | "classPairs"> & { readonly names: ReadonlyMap<string, number> };

/** The names `portSets` use, as nameKeys per port set and port sets per nameKey. */
export function portNames(portSets: readonly (readonly PortMatch[])[]): PortNames {
  const names = new Map<string, number>();
  const lists = portSets.map((set) =>
    set.flatMap((e) => {
      if (e.kind !== "named") return [];
      if (!names.has(e.name)) names.set(e.name, names.size);
      return [nameKey(names.get(e.name)!, e.protocol)];
    }),
  );
  const nameKeys = names.size * 4;
  const refs: number[][] = Array.from({ length: nameKeys }, () => []);
  lists.forEach((keys, ps) => keys.forEach((k) => refs[k]!.push(ps)));
  let sets = 0;
  const slots = lists.map((keys) => (keys.length > 0 ? sets++ : NONE));
  return { lists, nameKeys, refs, slots, sets, names };
}

/** Each class's container ports with a used name (`names`), as `(nameKey, number)` pairs; a class without a pod (null) has none. */
export function classPorts(names: ReadonlyMap<string, number>, reps: readonly (Pick<Pod, "ports"> | null)[]): Pick<NamedPorts, "classStart" | "classPairs"> {
  const classStart = new Uint32Array(reps.length + 1);
  const pairs: number[] = [];
  reps.forEach((pod, c) => {
    for (const p of pod?.ports ?? []) if (p.name !== null && names.has(p.name)) pairs.push(nameKey(names.get(p.name)!, p.protocol), p.port);
    classStart[c + 1] = pairs.length / 2;
  });
  return { classStart, classPairs: Uint32Array.from(pairs) };
}

/** The named ports of `portSets` over the classes, given by a pod of each (`reps`). */
export function namedPorts(portSets: readonly (readonly PortMatch[])[], reps: readonly Pod[]): NamedPorts {
  const names = portNames(portSets);
  return { ...names, ...classPorts(names.names, reps) };
}
