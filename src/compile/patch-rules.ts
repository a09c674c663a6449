/**
 * The rule side of a patch (`patch.ts`): NetworkPolicies added, replaced or removed,
 * the cluster-scoped policies staying the same.
 *
 * The interned rules are extended, not made again: peer sets, port sets and rules
 * keep their ids and new ones are appended (ids no rule uses any more stay until the
 * next compile), so every peer-set row and every inlined rule in the tables stays
 * valid. A new peer set gets its row over every class (through the caller's
 * selections); new port sets cut the port classes and name ports again. With
 * cluster-scoped policies, new NetworkPolicy peer sets take the empty ids the
 * compile kept before the tiers' (`tierPeerRoom`); a patch that needs more declines.
 * A new peer set holding an ipBlock would cut the address intervals, and with them
 * the classes: the patch then declines too.
 */
import type { RuleSet } from "../ir/types.js";
import type { CompileCache } from "./cache.js";
import { classesOf } from "./classes.js";
import { H, NONE } from "./layout.js";
import { classPorts, portNames } from "./named-ports.js";
import { offset, place, reserve, type TableMemory } from "./patch-sections.js";
import { internPolicy } from "./rules.js";
import { fillPeerBits, portSections } from "./sections.js";
import type { PodQuery } from "./selection.js";
import type { CompiledState, Front } from "./state.js";
import { peerQuery, portClassesOf } from "./tables.js";

/**
 * Moves `state` (its front and tables) to the NetworkPolicies of `rules`; returns
 * the classes whose profiles may have changed (those a changed policy selects,
 * before or after), or null when the patch declines. `selectPods` gives the pods
 * (indexes) a query selects in the cluster.
 */
export function patchRules(
  state: CompiledState,
  rules: RuleSet,
  memory: TableMemory,
  selectPods: (query: PodQuery) => Int32Array,
  cache: CompileCache,
): number[] | null {
  const before = state.rules;
  if (!sameItems(before.clusterPolicies, rules.clusterPolicies)) return null;
  const tiers = rules.clusterPolicies.length > 0;
  const { interned } = state.front;
  const [oldPeerSets, oldPortSets] = [interned.peerSets.values.length, interned.portSets.values.length];
  const n = rules.policies.length;
  const into = {
    peerSets: interned.peerSets,
    portSets: interned.portSets,
    rules: interned.rules,
    policyRules: [interned.policyRules[0].slice(0, n), interned.policyRules[1].slice(0, n)] as [(number[] | undefined)[], (number[] | undefined)[]],
    namedIngress: interned.namedIngress.slice(0, n),
  };
  // a removal moves every later policy to a new object (its index changed)
  const changed: number[] = [];
  for (let i = 0; i < Math.max(n, before.policies.length); i++) if (rules.policies[i] !== before.policies[i]) changed.push(i);
  for (const i of changed) if (i < n) internPolicy(rules.policies[i]!, into, cache);
  const peerSets = into.peerSets.values;
  for (let ps = oldPeerSets; ps < peerSets.length; ps++) if (peerSets[ps]!.some((peer) => peer.kind === "ipBlock")) return null;
  // with tiers, the new peer sets' rows and ip-set entries are the empty ones before the tiers'
  if (tiers && peerSets.length > state.front.tiers.base) return null;
  const kept = state.front.addresses.ipSetOf;
  const ipSetOf = new Uint32Array(Math.max(peerSets.length, kept.length)).fill(NONE);
  ipSetOf.set(kept);
  const front: Front = { ...state.front, interned: into, addresses: { ...state.front.addresses, ipSetOf } };
  // the classes a changed policy selects, before or after
  const mark = new Uint8Array(state.capacity);
  const classesFor = (query: PodQuery): Int32Array => classesOf(selectPods(query), state.ofPod, mark);
  const touched = new Set<number>();
  for (const i of changed) {
    for (const policy of [before.policies[i], rules.policies[i]]) {
      if (policy !== undefined) for (const c of classesFor({ scope: { kind: "namespace", name: policy.namespace }, selector: policy.target })) touched.add(c);
    }
  }
  // a class without pods keeps the profiles of the old rules: a pod of its key takes a fresh class
  state.keys.forEach((key, c) => {
    if (key === null || state.sizes[c] !== 0) return;
    state.byKey.delete(key);
    state.keys[c] = null;
  });
  let view = memory.view();
  const w = view[H.WORDS]!;
  if (peerSets.length > oldPeerSets) {
    if (!tiers) reserve(state, memory, H.O_PEER_BITS, peerSets.length * w, oldPeerSets * w);
    view = memory.view();
    const base = offset(view, H.O_PEER_BITS);
    view.fill(0, base + oldPeerSets * w, base + peerSets.length * w);
    const selectPeer = (ps: number, k: number): Int32Array => {
      const query = peerQuery(peerSets[ps]![k]!);
      return query === null ? new Int32Array(0) : classesFor(query);
    };
    // tier rows (after `from`) keep their bits: no tier peer is given classes here, and no ip set is filled
    fillPeerBits(view, base, w, { rules: into, tiers: front.tiers, addresses: front.addresses, addressClasses: null, selectPeer, tierPeerClasses: () => [] }, oldPeerSets);
    if (!tiers) view[H.PEER_SETS] = peerSets.length;
  }
  if (into.portSets.values.length > oldPortSets) {
    // classes name their ports again only when the policies use a new name
    const names = portNames(into.portSets.values);
    const [start, pairs] = [offset(view, H.O_CLASS_PORT_START), offset(view, H.O_CLASS_PORTS)];
    const kept = { classStart: view.slice(start, start + state.capacity + 1), classPairs: view.slice(pairs, pairs + 2 * view[start + state.capacity]!) };
    const classes = names.nameKeys === view[H.NAME_KEYS] ? kept : classPorts(names.names, state.reps);
    const { sections, header } = portSections(portClassesOf(into.portSets, cache), { ...names, ...classes }, state.capacity);
    for (const [field, data] of sections) place(state, memory, field, data);
    view = memory.view();
    for (const [field, value] of header) view[field] = value;
  }
  memory.view()[H.RULES] = into.rules.values.length;
  state.rules = rules;
  state.front = front;
  return [...touched];
}

/** Whether `a` and `b` hold the same objects in the same order. */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}
