/**
 * The compile stage: IR + cluster + options → the flat tables of `layout.ts`, as six
 * named steps over one explicit cache:
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
 * new selectors; the caller's `CompileCache` keeps the rest of what a recompile can
 * reuse. No step keeps state of its own.
 */
import type { Cluster, Options, RuleSet } from "../ir/types.js";
import { policiesSelect, tiersSeePod } from "../ir/endpoint-rules.js";
import { selectorMatches, type Selector } from "../primitives/selector.js";
import { addressClasses, addressKeys, addressSets, ipSetSources } from "./address-sets.js";
import { CompileCache } from "./cache.js";
import { NONE, POD_HOST_BIT } from "./layout.js";
import { classesOf, podClasses, type PodClasses } from "./classes.js";
import type { Intervals } from "./intervals.js";
import { namedPorts } from "./named-ports.js";
import { portClasses } from "./ports.js";
import { classProfiles } from "./profiles.js";
import { internRules } from "./rules.js";
import { writeSections, type Allocate } from "./sections.js";
import type { Selections } from "./selection.js";
import { internTiers, tierProfiles } from "./tiers.js";

/** The tables and what the host needs besides them. */
export interface Tables {
  /** Header and every section, laid out as `layout.ts` says. */
  readonly words: Uint32Array;
  /** To turn outside addresses into interval ids. */
  readonly intervals: Intervals;
  /**
   * Each pod's egress and ingress profile id (`NONE`: not isolated on that side):
   * pods with one id have one verdict for every flow to (from) an outside address.
   */
  readonly profileOfPod: readonly [Uint32Array, Uint32Array];
  /** The pod classes the tables are over (`classes.ts`). */
  readonly classes: PodClasses;
}

/** Steps 1 to 3: rules interned, address sets, and the pod classes they imply. */
function classify(rules: RuleSet, cluster: Cluster, options: Options, cache: CompileCache) {
  const interned = internRules(rules, cache);
  const tiers = internTiers(rules, interned.portSets, cache);
  const addresses = addressSets(ipSetSources(interned.peerSets, tiers.peerSets, cluster.dns), interned.peerSets.values.length + tiers.peerSets.values.length, cluster, cache);
  const nodeLocal = options.nodeLocal === "allow" && cluster.nodes.length > 0;
  return { interned, tiers, addresses, classes: podClasses(cluster.pods, addressKeys(addresses, options), nodeLocal) };
}

/**
 * The pod classes `compileTables` would use, without the tables: for the evaluators
 * without tables (`connections` on the reference engine).
 */
export function compilePodClasses(rules: RuleSet, cluster: Cluster, options: Options): PodClasses {
  return classify(rules, cluster, options, new CompileCache()).classes;
}

/**
 * Compiles the rule set against the cluster. `selections` must index the same
 * cluster; `podIndex` maps pod ids to their index (the model's `podByName`).
 */
export function compileTables(
  rules: RuleSet,
  cluster: Cluster,
  options: Options,
  podIndex: ReadonlyMap<string, number>,
  selections: Selections,
  allocate: Allocate,
  cache: CompileCache = new CompileCache(),
): Tables {
  const pods = cluster.pods;
  selections.mark();
  const { interned, tiers, addresses, classes } = classify(rules, cluster, options, cache);
  const reps = classes.reps.map((i) => pods[i]!);
  const w = (reps.length + 31) >>> 5;
  // selections are in pod indexes: each distinct one turned into classes once
  const mark = new Uint8Array(reps.length);
  const asClasses = new Map<Int32Array, Int32Array>();
  const toClasses = (selected: Int32Array): Int32Array => {
    let out = asClasses.get(selected);
    if (out === undefined) asClasses.set(selected, (out = classesOf(selected, classes.ofPod, mark)));
    return out;
  };
  // each policy's target: its podSelector within its namespace
  const targets = rules.policies.map((policy) => toClasses(selections.select({ scope: { kind: "namespace", name: policy.namespace }, selector: policy.target }, podIndex)));
  const profileInput = (side: 0 | 1) => ({ policyRules: interned.policyRules[side], namedIngress: interned.namedIngress, ruleCount: interned.rules.values.length });
  const profiles = [classProfiles(0, reps, targets, profileInput(0), cache), classProfiles(1, reps, targets, profileInput(1), cache)] as const;
  // the tiers' pods: the selections' (which hold host-network pods when policies select them) less those the tiers never see
  const hostPodsSelected = policiesSelect({ hostNetwork: true }, options);
  const classesIn = (scope: Selector, selector: Selector): Int32Array => {
    const selected = toClasses(selections.select({ scope: { kind: "selector", selector: scope }, selector }, podIndex));
    return hostPodsSelected ? selected.filter((c) => tiersSeePod(reps[c]!)) : selected;
  };
  const subjects = rules.clusterPolicies.map((policy) => classesIn(policy.subject.namespaces, policy.subject.pods));
  const tierSides = tierProfiles(reps, subjects, tiers, cache);
  const portKey = interned.portSets.keys.join("\u0000");
  if (cache.ports?.key !== portKey) cache.ports = { key: portKey, value: portClasses(interned.portSets.values) };
  const named = namedPorts(interned.portSets.values, reps);
  const selectPeer = (peerSet: number, k: number): Int32Array => {
    const peer = interned.peerSets.values[peerSet]![k]!;
    return peer.kind === "pods" ? toClasses(selections.select({ scope: peer.namespaces, selector: peer.pods }, podIndex)) : new Int32Array(0);
  };
  const tierPeerClasses = (peerSet: number, k: number): Iterable<number> => {
    const peer = tiers.peerSets.values[peerSet]![k]!;
    if (peer.kind === "pods") return classesIn(peer.namespaces, peer.pods);
    if (peer.kind !== "nodes") return [];
    // host-network pods live at their node (a class holds pods of one node)
    const out: number[] = [];
    reps.forEach((pod, c) => {
      if (pod.hostNetwork && pod.node !== null && selectorMatches(peer.selector, cluster.nodes[pod.node]!.labels)) out.push(c);
    });
    return out;
  };
  const words = writeSections(
    {
      pods: pods.length,
      classes,
      words: w,
      options,
      rules: interned,
      profiles,
      addresses,
      addressClasses: addressClasses(addresses, reps, options, w),
      ports: cache.ports.value,
      named,
      selectPeer,
      nodes: cluster.nodes.length,
      // where each class runs, for the node-local clause (`nodeLocal` in src/ir/endpoint-rules.ts)
      classNodes: Uint32Array.from(reps, (pod) => (pod.node === null ? NONE : (pod.node | (pod.hostNetwork ? POD_HOST_BIT : 0)) >>> 0)),
      tiers,
      tierProfiles: tierSides,
      tierPeerClasses,
    },
    allocate,
  );
  selections.sweep();
  const perPod = (ofClass: Uint32Array): Uint32Array => classes.ofPod.map((c) => ofClass[c]!);
  return { words, intervals: addresses.intervals, profileOfPod: [perPod(profiles[0].ofClass), perPod(profiles[1].ofClass)], classes };
}
