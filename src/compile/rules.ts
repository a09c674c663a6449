/**
 * Compile step 1, rule interning: every policy's rules as dense ids of distinct
 * (peer set, port set) pairs, where a peer set is a distinct `from`/`to` list and a
 * port set a distinct `ports` list, both told apart by the IR's keys.
 */
import type { Peer, Policy, PortMatch, Rule, RuleSet } from "../ir/types.js";
import type { CompileCache, RuleKeys } from "./cache.js";
import { NONE } from "./layout.js";

/** A side of the tables: 0 egress, 1 ingress (the E and I of the layout). */
export type Side = 0 | 1;

/** Interns keys into dense ids, keeping each id's key and value. */
export class Interner<T> {
  readonly ids = new Map<string, number>();
  readonly keys: string[] = [];
  readonly values: T[] = [];

  /** The id of `key`, made from `value()` the first time the key is seen. */
  id(key: string, value: () => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      this.ids.set(key, (id = this.values.length));
      this.keys.push(key);
      this.values.push(value());
    }
    return id;
  }
}

/** The interned rules of a rule set. */
export interface InternedRules {
  /** Distinct `from`/`to` lists. */
  readonly peerSets: Interner<readonly Peer[]>;
  /** Distinct `ports` lists. */
  readonly portSets: Interner<readonly PortMatch[]>;
  /** Distinct (peer set, port set) pairs; `NONE` stands for every peer / every port. */
  readonly rules: Interner<readonly [number, number]>;
  /** Per side, each policy's distinct rule ids, or undefined when the policy does not govern that side. */
  readonly policyRules: readonly [(number[] | undefined)[], (number[] | undefined)[]];
  /** Per policy: whether one of its ingress rules names a port (its profiles then split by container ports). */
  readonly namedIngress: readonly boolean[];
}

/** A rule's keys, remembered in the cache while the rule object lives. */
function ruleKeys(rule: Rule, cache: CompileCache): RuleKeys {
  let keys = cache.ruleKeys.get(rule);
  if (keys === undefined) {
    keys = {
      peers: rule.peers === null ? null : rule.peers.map((p) => p.key).join("\n"),
      ports: rule.ports === null ? null : rule.ports.map((p) => p.key).join("\n"),
      named: rule.ports?.some((p) => p.kind === "named") ?? false,
    };
    cache.ruleKeys.set(rule, keys);
  }
  return keys;
}

/** The interners of a rule set's rules, and per side and policy the rule ids (`InternedRules`). */
type RuleInterners = Pick<InternedRules, "peerSets" | "portSets" | "rules"> & {
  readonly policyRules: [(number[] | undefined)[], (number[] | undefined)[]];
  readonly namedIngress: boolean[];
};

/** Interns the rules of `policy` (at its index) into `into`. */
export function internPolicy(policy: Policy, into: RuleInterners, cache: CompileCache): void {
  into.namedIngress[policy.index] = false;
  ([policy.egress, policy.ingress] as const).forEach((list, side) => {
    into.policyRules[side as Side][policy.index] = undefined;
    if (list === null) return;
    const ids = new Set<number>();
    for (const rule of list) {
      const keys = ruleKeys(rule, cache);
      const peerSet = keys.peers === null ? NONE : into.peerSets.id(keys.peers, () => rule.peers!);
      const portSet = keys.ports === null ? NONE : into.portSets.id(keys.ports, () => rule.ports!);
      if (side === 1 && keys.named) into.namedIngress[policy.index] = true;
      ids.add(into.rules.id(`${peerSet},${portSet}`, () => [peerSet, portSet]));
    }
    into.policyRules[side as Side][policy.index] = [...ids];
  });
}

/** Interns every rule of `rules`. */
export function internRules(rules: RuleSet, cache: CompileCache): InternedRules {
  const into: RuleInterners = {
    peerSets: new Interner<readonly Peer[]>(),
    portSets: new Interner<readonly PortMatch[]>(),
    rules: new Interner<readonly [number, number]>(),
    policyRules: [[], []],
    namedIngress: [],
  };
  for (const policy of rules.policies) internPolicy(policy, into, cache);
  return into;
}
