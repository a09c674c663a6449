/**
 * What one compile keeps for the next, owned by the caller (in its `CompileState`,
 * one per WASM engine): nothing in `src/compile/` holds state of its own. A recompile
 * after an update then computes only what the update brings.
 *
 * Entries keyed by text are reused while their key is unchanged; the weak maps
 * remember per-object derived data while the object lives (an IR rule, a pod's ports
 * array shared by its re-indexed copies).
 */
import type { Peer, Pod, Rule, TierRule } from "../ir/types.js";
import type { Intervals } from "./intervals.js";
import type { PortClasses } from "./ports.js";

/** A rule's peer-set and port-set keys (null: every peer / port) and whether it names a port. */
export interface RuleKeys {
  readonly peers: string | null;
  readonly ports: string | null;
  readonly named: boolean;
}

/** A pod's container ports and their hash. */
export interface PortSignature {
  readonly ports: Pod["ports"];
  readonly hash: number;
}

/** The compile cache; see the module comment. */
export class CompileCache {
  /** The interval table and each interval's ip-set bits, by the ip sets that cut it. */
  intervals: { readonly key: string; readonly value: Intervals; readonly bits: Uint32Array } | null = null;
  /** The port classes, by the port sets that cut them. */
  ports: { readonly key: string; readonly value: PortClasses } | null = null;
  /** Each IR rule's keys, while the rule object lives. */
  readonly ruleKeys = new WeakMap<Rule, RuleKeys>();
  /** Each tier rule's keys, while the rule object lives. */
  readonly tierRuleKeys = new WeakMap<TierRule, RuleKeys>();
  /** Each pod ports array's signature, while the array lives. */
  readonly portSignatures = new WeakMap<Pod["ports"], PortSignature>();
  /** The NetworkPolicy peer sets with a pod peer scoped to each namespace (under null: by a namespace selector), for the first `length` of `peerSets` (`sections.ts`). */
  peerScopes: { readonly peerSets: { readonly values: readonly (readonly Peer[])[] }; length: number; readonly byScope: Map<string | null, number[]> } | null = null;
}
