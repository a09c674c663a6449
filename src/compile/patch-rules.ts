/**
 * The rule side of a patch (`patch.ts`): NetworkPolicies and cluster-scoped policies
 * added, replaced or removed.
 *
 * The interned rules are extended, not made again: peer sets, port sets and rules
 * keep their ids and new ones are appended (ids no rule uses any more stay until the
 * next compile), so every peer-set row and every inlined rule in the tables stays
 * valid. A new peer set gets its row over every class (through the caller's
 * selections); new port sets cut the port classes and name ports again. With
 * cluster-scoped policies, new NetworkPolicy peer sets take the empty ids the
 * compile kept before the tiers' (`tierPeerRoom`), new tier peer sets the ids after
 * the tiers'; a patch that needs more room, or tables compiled without cluster-scoped
 * policies, decline. A new peer set with addresses (an ipBlock; a tier's `networks`,
 * `nodes` or `domainNames`) would cut the address intervals, and with them the
 * classes: the patch then declines too.
 */
import type { ClusterPolicy, RuleSet } from "../ir/types.js";
import { policiesSelect, tiersSeePod } from "../ir/endpoint-rules.js";
import { clusterPolicyId } from "../ir/tiers.js";
import type { Selector } from "../primitives/selector.js";
import type { CompileCache } from "./cache.js";
import { classesOf } from "./classes.js";
import { H, NONE, TIER_SIDES } from "./layout.js";
import { classPorts, portNames } from "./named-ports.js";
import { offset, place, reserve, type TableMemory } from "./patch-sections.js";
import { internPolicy } from "./rules.js";
import { fillPeerBits, portSections } from "./sections.js";
import type { PodQuery } from "./selection.js";
import type { CompiledState, Front } from "./state.js";
import { peerQuery, portClassesOf } from "./tables.js";
import { internTiers, type InternedTiers } from "./tiers.js";

/**
 * Moves `state` (its front and tables) to the policies of `rules`; returns the
 * classes whose profiles may have changed (those a changed policy selects, before or
 * after), or null when the patch declines. `selectPods` gives the pods (indexes) a
 * query selects in the cluster.
 */
export function patchRules(
  state: CompiledState,
  rules: RuleSet,
  memory: TableMemory,
  selectPods: (query: PodQuery) => Int32Array,
  cache: CompileCache,
): number[] | null {
  const before = state.rules;
  const tiers = rules.clusterPolicies.length > 0;
  const tiersChanged = !sameItems(before.clusterPolicies, rules.clusterPolicies);
  // the tiers' peer sets sit after room for NetworkPolicy's only in tables compiled with tiers
  if (tiersChanged && (before.clusterPolicies.length === 0 || !tiers)) return null;
  const { interned, tiers: oldTiers } = state.front;
  const [oldPeerSets, oldPortSets, oldTierPeerSets] = [interned.peerSets.values.length, interned.portSets.values.length, oldTiers.peerSets.values.length];
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
  // the tiers' rules interned again into the same interners: ids kept, new ones appended
  const newTiers = tiersChanged ? internTiers(rules, into.portSets, oldPeerSets, cache, oldTiers) : oldTiers;
  const peerSets = into.peerSets.values;
  const tierPeerSets = newTiers.peerSets.values;
  for (let ps = oldPeerSets; ps < peerSets.length; ps++) if (peerSets[ps]!.some((peer) => peer.kind === "ipBlock")) return null;
  for (let k = oldTierPeerSets; k < tierPeerSets.length; k++) if (tierPeerSets[k]!.some((peer) => peer.kind !== "pods")) return null;
  // with tiers, the new NetworkPolicy peer sets' rows and ip-set entries are the empty ones before the tiers'
  if (tiers && peerSets.length > newTiers.base) return null;
  const rows = tiers ? newTiers.base + tierPeerSets.length : peerSets.length;
  const kept = state.front.addresses.ipSetOf;
  const ipSetOf = new Uint32Array(Math.max(rows, kept.length)).fill(NONE);
  ipSetOf.set(kept);
  const front: Front = { ...state.front, interned: into, tiers: newTiers, addresses: { ...state.front.addresses, ipSetOf } };
  // the classes a changed policy selects, before or after
  const mark = new Uint8Array(state.capacity);
  const classesFor = (query: PodQuery): Int32Array => classesOf(selectPods(query), state.ofPod, mark);
  const touched = new Set<number>();
  for (const i of changed) {
    for (const policy of [before.policies[i], rules.policies[i]]) {
      if (policy !== undefined) for (const c of classesFor({ scope: { kind: "namespace", name: policy.namespace }, selector: policy.target })) touched.add(c);
    }
  }
  // a tier's pods: the selection less the host-network pods tiers never see (when policies select those)
  const hostPodsSelected = policiesSelect({ hostNetwork: true }, state.options);
  const tierClasses = (namespaces: Selector, pods: Selector): Int32Array => {
    const selected = classesFor({ scope: { kind: "selector", selector: namespaces }, selector: pods });
    return hostPodsSelected ? selected.filter((c) => tiersSeePod(state.reps[c]!)) : selected;
  };
  if (tiersChanged) for (const policy of changedClusterPolicies(before, oldTiers, rules, newTiers)) for (const c of tierClasses(policy.subject.namespaces, policy.subject.pods)) touched.add(c);
  // a class without pods keeps the profiles of the old rules: a pod of its key takes a fresh class
  state.keys.forEach((key, c) => {
    if (key === null || state.sizes[c] !== 0) return;
    state.byKey.delete(key);
    state.keys[c] = null;
  });
  let view = memory.view();
  const w = view[H.WORDS]!;
  const oldRows = view[H.PEER_SETS]!;
  if (rows > oldRows || peerSets.length > oldPeerSets) {
    reserve(state, memory, H.O_PEER_BITS, Math.max(rows, oldRows) * w, oldRows * w);
    view = memory.view();
    const base = offset(view, H.O_PEER_BITS);
    view.fill(0, base + oldPeerSets * w, base + peerSets.length * w);
    if (rows > oldRows) view.fill(0, base + oldRows * w, base + rows * w);
    const selectPeer = (ps: number, k: number): Int32Array => {
      const query = peerQuery(peerSets[ps]![k]!);
      return query === null ? new Int32Array(0) : classesFor(query);
    };
    // only new peer sets get bits: the old tier rows keep theirs, and no ip set is filled
    const tierPeerClasses = (local: number, k: number): Iterable<number> => {
      const peer = tierPeerSets[local]![k]!;
      return local < oldTierPeerSets || peer.kind !== "pods" ? [] : tierClasses(peer.namespaces, peer.pods);
    };
    fillPeerBits(view, base, w, { rules: into, tiers: newTiers, addresses: front.addresses, addressClasses: null, selectPeer, tierPeerClasses }, oldPeerSets);
    view[H.PEER_SETS] = Math.max(rows, oldRows);
    view[H.TIER_PEER_SETS] = tierPeerSets.length;
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

/**
 * The cluster-scoped policies whose classes may take other tier profiles: those
 * added or removed, and those (before and after) whose subject, tier, priority or
 * rules changed. A policy that only moved an index (another was added or removed
 * before it) keeps its place among the others, and its classes their rule lists.
 */
function changedClusterPolicies(before: RuleSet, oldTiers: InternedTiers, after: RuleSet, newTiers: InternedTiers): ClusterPolicy[] {
  const old = new Map(before.clusterPolicies.map((p) => [clusterPolicyId(p), p]));
  const out: ClusterPolicy[] = [];
  for (const policy of after.clusterPolicies) {
    const id = clusterPolicyId(policy);
    const was = old.get(id);
    old.delete(id);
    if (was !== undefined && was.subject === policy.subject && was.tier === policy.tier && was.priority === policy.priority && sameRules(oldTiers, was.index, newTiers, policy.index)) continue;
    out.push(policy);
    if (was !== undefined) out.push(was);
  }
  return [...out, ...old.values()];
}

/** Whether cluster policy `a` of `x` and `b` of `y` have the same rule ids on every tier side, and name ports alike. */
function sameRules(x: InternedTiers, a: number, y: InternedTiers, b: number): boolean {
  if ((x.namedIngress[a] ?? false) !== (y.namedIngress[b] ?? false)) return false;
  for (let k = 0; k < TIER_SIDES; k++) {
    const [p, q] = [x.policyRules[k]![a], y.policyRules[k]![b]];
    if (p === q) continue;
    if (p === undefined || q === undefined || p.length !== q.length || p.some((id, i) => id !== q[i])) return false;
  }
  return true;
}

/** Whether `a` and `b` hold the same objects in the same order. */
function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}
