/**
 * The compile stage: IR + cluster + options → the flat tables of `layout.ts`, as six
 * named steps over one explicit state (`state.ts`):
 *
 * 1. rule interning (`rules.ts`, and `tiers.ts` for the cluster-scoped tiers): distinct
 *    peer sets, port sets and rules;
 * 2. address sets (`address-sets.ts`): ip sets, the interval table and node rows;
 * 3. pod classes (`classes.ts`): pods every table treats alike, held by the same ip
 *    sets where address peers see them;
 * 4. class profiles (`profiles.ts`): per side, classes grouped by their isolating
 *    policies, and per tier side by the tier policies whose subject holds them (`tiers.ts`);
 * 5. named ports (`named-ports.ts`), beside the port classes of `ports.ts`;
 * 6. the section writer (`sections.ts`), with the classes each peer set and ip set holds.
 *
 * Contract: input is the normalized model (nothing here validates or throws on user
 * data); output is one u32 buffer the caller allocates (the WASM engine hands out a
 * view of linear memory) plus the interval table that turns outside addresses into
 * endpoint codes. Selector evaluation is delegated to `Selections` (in pod indexes,
 * turned into classes here), whose cache makes a recompile after an update redo only
 * new selectors; the caller's `CompileState` keeps the rest of what a recompile can
 * reuse (steps 1 and 2 while the rules, nodes and options stay), and what
 * `patch.ts` needs to patch the tables after pods or namespaces change, which runs
 * steps 3 to 5 (`assemble`) over the changed classes alone. No step keeps state of
 * its own. The tables keep class ids past the classes (`classCapacity`) for the
 * classes patches add.
 */
import type { Cluster, Options, Peer, Pod, PortMatch, RuleSet } from "../ir/types.js";
import { policiesSelect, tiersSeePod } from "../ir/endpoint-rules.js";
import { selectorMatches, type Selector } from "../primitives/selector.js";
import { addressClasses, addressKeys, addressSets, ipSetSources } from "./address-sets.js";
import type { CompileCache } from "./cache.js";
import { CompileState, type CompiledState, type Front } from "./state.js";
import { H, NONE, POD_HOST_BIT } from "./layout.js";
import { classesOf, podClasses, type PodClasses } from "./classes.js";
import type { Intervals } from "./intervals.js";
import { namedPorts } from "./named-ports.js";
import { portClasses, type PortClasses } from "./ports.js";
import { classProfiles } from "./profiles.js";
import { internRules, type Interner } from "./rules.js";
import { offset } from "./patch-sections.js";
import { padded, writeSections, type Allocate, type CompiledParts } from "./sections.js";
import type { PodQuery, Selections } from "./selection.js";
import { internTiers, tierProfiles } from "./tiers.js";

/** The tables and what the host needs besides them. */
export interface Tables {
  /** Header and every section, laid out as `layout.ts` says. */
  readonly words: Uint32Array;
  /** To turn outside addresses into interval ids. */
  readonly intervals: Intervals;
  /** The pod classes the tables are over (`classes.ts`), numbered by first pod, none empty. */
  readonly classes: PodClasses;
}

/**
 * The front of `rules` over `cluster`: the cached one while the rule set, the
 * nodes, the DNS records and the options are the objects it was made from (an
 * update of pods or namespaces keeps them all).
 */
export function frontOf(rules: RuleSet, cluster: Cluster, options: Options, state: CompileState): Front {
  const { cache } = state;
  const last = state.front;
  if (last !== null && last.rules === rules && last.nodes === cluster.nodes && last.dns === cluster.dns && last.options === options) return last.value;
  const interned = internRules(rules, cache);
  const tiers = internTiers(rules, interned.portSets, interned.peerSets.values.length, cache);
  const addresses = addressSets(ipSetSources(interned.peerSets, tiers, cluster.dns), tiers.base + tiers.peerSets.values.length, cluster, cache);
  const nodeLocal = options.nodeLocal === "allow" && cluster.nodes.length > 0;
  const value: Front = { interned, tiers, addresses, nodeLocal, addressKey: addressKeys(addresses, options) };
  state.front = { rules, nodes: cluster.nodes, dns: cluster.dns, options, value };
  return value;
}

/**
 * The pod classes `compileTables` would use, without the tables: for the evaluators
 * without tables (`connections` on the reference engine).
 */
export function compilePodClasses(rules: RuleSet, cluster: Cluster, options: Options): PodClasses {
  const front = frontOf(rules, cluster, options, new CompileState());
  return podClasses(cluster.pods, front.addressKey, front.nodeLocal);
}

/** Class ids for `classes` classes and room for classes a patch adds: at least 16 more, to a whole bitset word. */
export const classCapacity = (classes: number): number => (((classes + 16 + 31) >>> 5) << 5);

/** The port classes of `portSets`, from the cache while they are the same. */
export function portClassesOf(portSets: Interner<readonly PortMatch[]>, cache: CompileCache): PortClasses {
  const key = portSets.keys.join("\u0000");
  if (cache.ports?.key !== key) cache.ports = { key, value: portClasses(portSets.values) };
  return cache.ports.value;
}

/** The pod query of a NetworkPolicy peer, or null for an ipBlock (which holds pods by their addresses). */
export const peerQuery = (peer: Peer): PodQuery | null => (peer.kind === "pods" ? { scope: peer.namespaces, selector: peer.pods } : null);

const NO_CLASSES = new Int32Array(0);

/**
 * Steps 3 to 5 over classes given by a pod of each (`reps`, grouped as `classes`
 * says): policy targets, profiles, tier profiles, named ports, and what the section
 * writer reads of peers. `selectClasses` gives the classes a pod query selects: a
 * whole compile's through `Selections`, a patch's by testing its few classes.
 */
export function assemble(
  front: Front,
  rules: RuleSet,
  cluster: Cluster,
  options: Options,
  reps: readonly Pod[],
  classes: PodClasses,
  capacity: number,
  selectClasses: (query: PodQuery) => Int32Array,
  cache: CompileCache,
): CompiledParts {
  const { interned, tiers, addresses } = front;
  const w = (capacity + 31) >>> 5;
  // each policy's target: its podSelector within its namespace
  const targets = rules.policies.map((policy) => selectClasses({ scope: { kind: "namespace", name: policy.namespace }, selector: policy.target }));
  const profileInput = (side: 0 | 1) => ({ policyRules: interned.policyRules[side], namedIngress: interned.namedIngress, ruleCount: interned.rules.values.length });
  const profiles = [classProfiles(0, reps, targets, profileInput(0), cache), classProfiles(1, reps, targets, profileInput(1), cache)] as const;
  // the tiers' pods: the selections' (which hold host-network pods when policies select them) less those the tiers never see
  const hostPodsSelected = policiesSelect({ hostNetwork: true }, options);
  const classesIn = (scope: Selector, selector: Selector): Int32Array => {
    const selected = selectClasses({ scope: { kind: "selector", selector: scope }, selector });
    return hostPodsSelected ? selected.filter((c) => tiersSeePod(reps[c]!)) : selected;
  };
  const subjects = rules.clusterPolicies.map((policy) => classesIn(policy.subject.namespaces, policy.subject.pods));
  return {
    pods: cluster.pods.length,
    classes,
    capacity,
    words: w,
    options,
    rules: interned,
    profiles,
    addresses,
    addressClasses: addressClasses(addresses, reps, options, w),
    ports: portClassesOf(interned.portSets, cache),
    named: namedPorts(interned.portSets.values, reps),
    selectPeer: (peerSet, k) => {
      const query = peerQuery(interned.peerSets.values[peerSet]![k]!);
      return query === null ? NO_CLASSES : selectClasses(query);
    },
    nodes: cluster.nodes.length,
    // where each class runs, for the node-local clause (`nodeLocal` in src/ir/endpoint-rules.ts)
    classNodes: Uint32Array.from(reps, (pod) => (pod.node === null ? NONE : (pod.node | (pod.hostNetwork ? POD_HOST_BIT : 0)) >>> 0)),
    tiers,
    tierProfiles: tierProfiles(reps, subjects, tiers, cache),
    tierPeerClasses: (peerSet, k) => {
      const peer = tiers.peerSets.values[peerSet]![k]!;
      if (peer.kind === "pods") return classesIn(peer.namespaces, peer.pods);
      if (peer.kind !== "nodes") return [];
      // host-network pods live at their node (a class holds pods of one node)
      const out: number[] = [];
      reps.forEach((pod, c) => {
        if (pod.hostNetwork && pod.node !== null && selectorMatches(peer.selector, cluster.nodes[pod.node]!.labels)) out.push(c);
      });
      return out;
    },
  };
}

/**
 * Compiles the rule set against the cluster. `selections` must index the same
 * cluster; `podIndex` maps pod ids to their index (the model's `podByName`). The
 * state keeps what a patch of these tables needs (`CompileState.compiled`).
 */
export function compileTables(
  rules: RuleSet,
  cluster: Cluster,
  options: Options,
  podIndex: ReadonlyMap<string, number>,
  selections: Selections,
  allocate: Allocate,
  state: CompileState = new CompileState(),
): Tables {
  const { cache } = state;
  const pods = cluster.pods;
  selections.mark();
  const front = frontOf(rules, cluster, options, state);
  const classes = podClasses(pods, front.addressKey, front.nodeLocal);
  const reps = classes.reps.map((i) => pods[i]!);
  // selections are in pod indexes: each distinct one turned into classes once
  const mark = new Uint8Array(reps.length);
  const asClasses = new Map<Int32Array, Int32Array>();
  const selectClasses = (query: PodQuery): Int32Array => {
    const selected = selections.select(query, podIndex);
    let out = asClasses.get(selected);
    if (out === undefined) asClasses.set(selected, (out = classesOf(selected, classes.ofPod, mark)));
    return out;
  };
  const capacity = classCapacity(reps.length);
  const parts = assemble(front, rules, cluster, options, reps, classes, capacity, selectClasses, cache);
  const { words, room } = writeSections(parts, allocate);
  selections.sweep();
  const free = capacity - reps.length;
  state.compiled = {
    rules,
    cluster,
    options,
    front,
    capacity,
    keys: [...classes.keys, ...new Array<null>(free).fill(null)],
    reps: [...reps, ...new Array<null>(free).fill(null)],
    byKey: new Map(classes.keys.map((key, c) => [key, c])),
    ofPod: classes.ofPod,
    sizes: padded(classes.sizes, capacity, 0),
    room: new Map(room),
    garbage: 0,
    profileKeys: null,
    pinned: null,
    profilesCompiled: [...parts.profiles, ...parts.tierProfiles].reduce((n, p) => n + p.reps.length, 0),
    profilesAdded: 0,
  } satisfies CompiledState;
  return { words, intervals: front.addresses.intervals, classes };
}

/**
 * Each pod's egress and ingress profile id (`NONE`: not isolated on that side) in the
 * tables `compile` last made or patched (`view`): pods with one id have one verdict
 * for every flow to (from) an outside address.
 */
export function podProfiles(compile: CompileState, view: Uint32Array): readonly [Uint32Array, Uint32Array] {
  const ofPod = compile.compiled!.ofPod;
  const perPod = (at: number): Uint32Array => ofPod.map((c) => view[at + c]!);
  return [perPod(offset(view, H.O_CLASS_PROFILE_E)), perPod(offset(view, H.O_CLASS_PROFILE_I))];
}
