/**
 * `connectionChanges`: what changes between the connection sets of two engines over
 * the same endpoints, pair by pair and port by port. Both sets are computed with the outside
 * ranges cut by the ipBlocks of both policy sets, so that they name the same ranges,
 * and merged in their common order, so that memory stays bounded.
 */
import { PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import type { AllowedPorts, ConnectionChange, ConnectionOptions, PortSpan } from "../api/connections.js";
import type { Engine } from "../api/engine.js";
import type { RuleSet } from "../ir/types.js";
import { compareEndpoints } from "./connections.js";

const NONE: AllowedPorts = Object.freeze({ TCP: [], UDP: [], SCTP: [] });

/** Every ipBlock `cidr` and `except` of a rule set. */
export function ipBlockCidrs(rules: RuleSet): string[] {
  const out = new Set<string>();
  for (const policy of rules.policies) {
    for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
      for (const peer of rule.peers ?? []) if (peer.kind === "ipBlock") [peer.cidr, ...peer.except].forEach((c) => out.add(c));
    }
  }
  return [...out];
}

/** The ports of `a` that are not in `b` (both sorted, disjoint). */
export function subtractSpans(a: readonly PortSpan[], b: readonly PortSpan[]): PortSpan[] {
  const out: PortSpan[] = [];
  for (const [first, last] of a) {
    let next = first;
    for (const [lo, hi] of b) {
      if (hi < next || lo > last) continue;
      if (lo > next) out.push([next, lo - 1]);
      next = Math.max(next, hi + 1);
      if (next > last) break;
    }
    if (next <= last) out.push([next, last]);
  }
  return out;
}

const perProtocol = (f: (p: Protocol) => readonly PortSpan[]): AllowedPorts => ({ TCP: f("TCP"), UDP: f("UDP"), SCTP: f("SCTP") });
const empty = (ports: AllowedPorts): boolean => PROTOCOLS.every((p) => ports[p].length === 0);

/**
 * Every pair whose allowed ports differ between `before` and `after` (two engines over
 * the same cluster), sorted as `connections` sorts. `options` go to both
 * `connections` calls, and `cutBy` is set. The engines may hold different clusters:
 * endpoints are matched by name (`options.groups` must then name each engine's pods,
 * so give it per engine through `groupsAfter`). Throws `NetpolValidationError` for bad options.
 */
export function* connectionChanges(
  before: Engine,
  after: Engine,
  options: Omit<ConnectionOptions, "cutBy" | "explain"> & { readonly groupsAfter?: readonly string[] } = {},
): Generator<ConnectionChange> {
  const { groupsAfter, ...shared } = options;
  const cutBy = [...new Set([...ipBlockCidrs(before.rules), ...ipBlockCidrs(after.rules)])];
  const a = before.connections({ ...shared, cutBy });
  const b = after.connections({ ...shared, cutBy, ...(groupsAfter !== undefined ? { groups: groupsAfter } : {}) });
  let x = a.next();
  let y = b.next();
  while (!x.done || !y.done) {
    const order = x.done ? 1 : y.done ? -1 : compareEndpoints(x.value.from, y.value.from) || compareEndpoints(x.value.to, y.value.to);
    const was = order <= 0 ? x.value! : null;
    const now = order >= 0 ? y.value! : null;
    const was_ = was?.allowed ?? NONE;
    const now_ = now?.allowed ?? NONE;
    const gained = perProtocol((p) => subtractSpans(now_[p], was_[p]));
    const lost = perProtocol((p) => subtractSpans(was_[p], now_[p]));
    if (!empty(gained) || !empty(lost)) {
      const { from, to } = (was ?? now)!;
      yield { from, to, change: was === null ? "added" : now === null ? "removed" : "changed", before: was_, after: now_, gained, lost };
    }
    if (order <= 0) x = a.next();
    if (order >= 0) y = b.next();
  }
}
