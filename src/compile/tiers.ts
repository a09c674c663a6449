/**
 * Compile steps 1 and 2 for the cluster-scoped tiers: their rules interned into
 * (peer set, port set, action) triples, and per tier side (`k = tier * 2 + side`,
 * see layout.ts) the pod classes grouped into profiles by the tier policies whose subject
 * holds them. Port sets are shared with NetworkPolicy's (same keys, same meaning);
 * tier peer sets are their own (a tier's pod peers never hold host-network pods, its
 * `networks` always hold pods) and take the peer-set ids from `base` on: after
 * NetworkPolicy's and `tierPeerRoom` ids kept empty for the NetworkPolicy peer sets
 * patches append (`patch-rules.ts`), so that those never move a tier's.
 */
import type { ClusterPolicy, Pod, PortMatch, RuleSet, TierAction, TierPeer, TierRule } from "../ir/types.js";
import type { CompileCache, RuleKeys } from "./cache.js";
import { ACTION_ACCEPT, ACTION_DENY, ACTION_PASS, NONE, TIER_SIDES } from "./layout.js";
import { classProfiles, type Profiles } from "./profiles.js";
import { Interner } from "./rules.js";

/** The action codes of the layout. */
export const ACTION_CODES: Readonly<Record<TierAction, number>> = { Accept: ACTION_ACCEPT, Deny: ACTION_DENY, Pass: ACTION_PASS };

/** The interned tier rules of a rule set. */
export interface InternedTiers {
  /** Distinct tier `from`/`to` lists; their global peer-set id is `base` plus this id. */
  readonly peerSets: Interner<readonly TierPeer[]>;
  /** The global peer-set id of tier peer set 0: NetworkPolicy's count, plus `tierPeerRoom` of it when there are cluster policies. */
  readonly base: number;
  /** Distinct (tier peer set, port set, action code) rules. */
  readonly rules: Interner<readonly [number, number, number]>;
  /** Per tier side, each cluster policy's rule ids in written order (undefined: another tier, or no rule for that direction). */
  readonly policyRules: readonly (readonly (number[] | undefined)[])[];
  /** Per cluster policy: whether one of its ingress rules names a port. */
  readonly namedIngress: readonly boolean[];
}

/** A tier rule's keys, remembered in the cache while the rule object lives. */
function tierRuleKeys(rule: TierRule, cache: CompileCache): RuleKeys {
  let keys = cache.tierRuleKeys.get(rule);
  if (keys === undefined) {
    keys = {
      peers: rule.peers.map((p) => p.key).join("\n"),
      ports: rule.ports === null ? null : rule.ports.map((p) => p.key).join("\n"),
      named: rule.ports?.some((p) => p.kind === "named") ?? false,
    };
    cache.tierRuleKeys.set(rule, keys);
  }
  return keys;
}

/** The tier side of a policy's rules for a direction. */
const tierSide = (policy: ClusterPolicy, side: 0 | 1): number => (policy.tier === "Admin" ? 0 : 2) + side;

/**
 * Peer-set ids kept empty between NetworkPolicy's `npPeerSets` peer sets and the
 * tiers': room for the peer sets NetworkPolicy patches append (a patch needing more
 * declines, and the next compile makes room again).
 */
export const tierPeerRoom = (npPeerSets: number): number => 64 + (npPeerSets >>> 6);

/**
 * Interns every tier rule; port lists go into `portSets`, NetworkPolicy's interner,
 * and tier peer sets take global ids from NetworkPolicy's `npPeerSets` and the room after them on.
 * Given `into` (the tiers of the same tables before a patch), its peer-set and rule
 * interners are extended (ids kept, new ones appended) and its `base` kept.
 */
export function internTiers(rules: RuleSet, portSets: Interner<readonly PortMatch[]>, npPeerSets: number, cache: CompileCache, into?: InternedTiers): InternedTiers {
  const peerSets = into?.peerSets ?? new Interner<readonly TierPeer[]>();
  const ruleIds = into?.rules ?? new Interner<readonly [number, number, number]>();
  const policyRules: (number[] | undefined)[][] = Array.from({ length: TIER_SIDES }, () => []);
  const namedIngress: boolean[] = [];
  for (const policy of rules.clusterPolicies) {
    ([policy.egress, policy.ingress] as const).forEach((list, side) => {
      if (list.length === 0) return;
      policyRules[tierSide(policy, side as 0 | 1)]![policy.index] = list.map((rule) => {
        const keys = tierRuleKeys(rule, cache);
        const peerSet = peerSets.id(keys.peers!, () => rule.peers);
        const portSet = keys.ports === null ? NONE : portSets.id(keys.ports, () => rule.ports!);
        if (side === 1 && keys.named) namedIngress[policy.index] = true;
        const action = ACTION_CODES[rule.action];
        return ruleIds.id(`${peerSet},${portSet},${action}`, () => [peerSet, portSet, action]);
      });
    });
  }
  const base = into?.base ?? (rules.clusterPolicies.length > 0 ? npPeerSets + tierPeerRoom(npPeerSets) : npPeerSets);
  return { peerSets, base, rules: ruleIds, policyRules, namedIngress };
}

/**
 * The profiles of the four tier sides over the classes (a pod of each in `pods`).
 * `subjects[p]` holds the classes cluster policy `p`'s subject selects (host-network
 * pods left out).
 */
export function tierProfiles(pods: readonly Pod[], subjects: readonly Int32Array[], tiers: InternedTiers, cache: CompileCache): Profiles[] {
  return tiers.policyRules.map((policyRules, k) =>
    classProfiles((k & 1) as 0 | 1, pods, subjects, { policyRules, namedIngress: tiers.namedIngress, ruleCount: tiers.rules.values.length }, cache),
  );
}
