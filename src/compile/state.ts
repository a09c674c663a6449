/**
 * What an engine keeps from one compile of its tables to the next (`compileTables`,
 * `patchTables`): the compile cache, the front of the last compile, and the state a
 * patch of the current tables starts from. Nothing in `src/compile/` holds state of
 * its own; the WASM engine owns one of these.
 */
import type { Cluster, Options, Pod, RuleSet } from "../ir/types.js";
import type { AddressSets } from "./address-sets.js";
import { CompileCache } from "./cache.js";
import type { InternedRules } from "./rules.js";
import type { InternedTiers } from "./tiers.js";

/** Steps 1 and 2, which read no pod: the rules interned, the address sets, and how they key a pod's class. */
export interface Front {
  readonly interned: InternedRules;
  readonly tiers: InternedTiers;
  readonly addresses: AddressSets;
  /** Whether the node-local clause splits classes by node. */
  readonly nodeLocal: boolean;
  /** Which ip sets hold a pod by its addresses (`addressKeys`). */
  readonly addressKey: (pod: Pod) => string;
}

/**
 * What the last compile (or patch) of an engine's tables leaves for the next patch
 * (`compile/patch.ts`). Table class ids are stable across patches: a class keeps its
 * id while the tables live, a class that lost its pods keeps its bits until a new
 * class takes its id, and ids past the classes are room for new ones.
 */
export interface CompiledState {
  /** The rule set, cluster and options the tables answer for, and the rules' front. */
  rules: RuleSet;
  cluster: Cluster;
  readonly options: Options;
  front: Front;
  /** The tables' class ids (`H.CLASSES`). */
  readonly capacity: number;
  /** Per class id, its key (`classKey`), or null for an id no class took yet. */
  readonly keys: (string | null)[];
  /** Per class id, a pod with its key (not necessarily still in the cluster), or null. */
  readonly reps: (Pod | null)[];
  /** Class ids by key. */
  readonly byKey: Map<string, number>;
  /** Each pod's class id. */
  ofPod: Uint32Array;
  /** Each class's pod count. */
  readonly sizes: Uint32Array;
  /** Words each section has at its place (by header field). */
  readonly room: Map<number, number>;
  /** Words the tables hold that no section uses any more (sections moved to the end). */
  garbage: number;
  /** Per profile side (egress, ingress, then the four tier sides), profile ids by their rules (`patch-sections.ts`), made when first needed. */
  profileKeys: Map<string, number>[] | null;
  /** Class ids that represent an ingress profile (`patch-sections.ts`), made when first needed. */
  pinned: Set<number> | null;
  /** Profiles (of every side) the compile made, and patches added since. */
  readonly profilesCompiled: number;
  profilesAdded: number;
}

/** See the module comment. */
export class CompileState {
  /** What one compile keeps for the next (`CompileCache`). */
  readonly cache = new CompileCache();
  /** Steps 1 and 2 (`frontOf`), by the rule set, nodes, DNS records and options they were made from. */
  front: { readonly rules: RuleSet; readonly nodes: Cluster["nodes"]; readonly dns: Cluster["dns"]; readonly options: Options; readonly value: Front } | null = null;
  /** What the current tables were compiled from, for patching them; null before the first compile. */
  compiled: CompiledState | null = null;
}
