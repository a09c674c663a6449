/**
 * Compile step 4, named ports: every port name policies use gets an id, a named
 * entry of a port set becomes a nameKey (`nameId * 4 + protocol code`), and each pod's
 * container ports with a used name become `(nameKey, number)` pairs, resolved by the
 * core on the destination pod.
 */
import type { Pod, PortMatch } from "../ir/types.js";
import type { CompileCache } from "./cache.js";
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
  /** `N + 1` CSR offsets (in pairs) into `podPairs`. */
  readonly podStart: Uint32Array;
  /** Each pod's `(nameKey, number)` pairs. */
  readonly podPairs: Uint32Array;
}

/** The named ports of `portSets` over `pods`. */
export function namedPorts(portSets: readonly (readonly PortMatch[])[], pods: readonly Pod[], cache: CompileCache): NamedPorts {
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
  const key = [...names.keys()].join("\u0000");
  if (cache.podPorts?.key !== key) {
    const start = new Uint32Array(pods.length + 1);
    const pairs: number[] = [];
    pods.forEach((pod, i) => {
      for (const c of pod.ports) if (c.name !== null && names.has(c.name)) pairs.push(nameKey(names.get(c.name)!, c.protocol), c.port);
      start[i + 1] = pairs.length / 2;
    });
    cache.podPorts = { key, start, pairs: Uint32Array.from(pairs) };
  }
  return { lists, nameKeys, refs, slots, sets, podStart: cache.podPorts.start, podPairs: cache.podPorts.pairs };
}
