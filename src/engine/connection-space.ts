/**
 * The space `connections` is computed over: port equivalence classes and outside
 * address ranges.
 *
 * Port classes: per protocol, ports 1..65535 are cut at every boundary a verdict can
 * change at: each numeric rule port's first port and `last + 1` (NetworkPolicy and
 * cluster-scoped tiers alike), each named container port of any pod (`port`,
 * `port + 1`), and each filter's bounds. Within a class every flow has the same
 * verdict (every rule port covers whole classes, every named port resolves to a
 * whole class), so one question per class, at its first port, decides it; and
 * classes that no rule port tells apart are asked about once (`portGroups`).
 *
 * Outside ranges: per family, the address space cut at every ipBlock range boundary
 * (`cidr` minus `except`), every ClusterNetworkPolicy `networks` CIDR and around every
 * address a `domainNames` peer resolves to (`addressCuts`);
 * within a range every peer matches every address or none, so every address outside the
 * cluster has the same verdicts, and one representative (its first address owned by no
 * pod or node) decides it; a range of pod and node addresses only is left out. IPv6's
 * `::ffff:0:0/96` is cut out: those addresses are their IPv4 addresses. IPv6 ranges
 * are listed only when a pod or an ipBlock has an IPv6 address.
 */
import { formatAddress, parseCidr, type AddressRange } from "../primitives/address.js";
import { PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import type { PortFilter } from "../api/connections.js";
import type { PortMatch } from "../ir/types.js";
import type { Model } from "./model.js";
import { domainAddresses } from "../ir/domain-names.js";

/** The last port. */
export const MAX_PORT = 65535;
/** `::ffff:0:0/96`, the IPv4-mapped IPv6 addresses. */
const MAPPED: AddressRange = { first: 0xffffn << 32n, last: (0xffffn << 32n) | 0xffffffffn };
const LAST = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n } as const;

/** Per address family, the sorted first addresses of the ranges the address space is cut into (the first is 0). */
interface AddressCuts {
  readonly 4: readonly bigint[];
  readonly 6: readonly bigint[];
}

/** One port class: a protocol and an inclusive port range. */
export interface PortClass {
  readonly protocol: Protocol;
  readonly first: number;
  readonly last: number;
}

/** An outside range and the address that stands for it. */
export interface OutsideRange {
  readonly name: string;
  readonly family: 4 | 6;
  readonly representative: bigint;
}

/** Every port match of every rule of every tier. */
function rulePorts(model: Model): PortMatch[] {
  const out: PortMatch[] = [];
  for (const policy of model.rules.policies) {
    for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) out.push(...(rule.ports ?? []));
  }
  for (const policy of model.rules.clusterPolicies) for (const rule of [...policy.ingress, ...policy.egress]) out.push(...(rule.ports ?? []));
  return out;
}

/**
 * The port classes of `model`, narrowed to `filters` (when given), in groups of
 * classes that have the same verdict on every flow: a flow's port is read only
 * through the numeric rule ports holding it and the named rule ports it resolves
 * on the destination, so classes inside the same numeric rule ports, where no pod has
 * a container port of a name some rule port names, are one group.
 */
export function portGroups(model: Model, filters: readonly PortFilter[] | undefined): PortClass[][] {
  const matches = rulePorts(model);
  const groups = new Map<string, PortClass[]>();
  for (const protocol of PROTOCOLS) {
    const ranges = new Map<string, readonly [number, number]>();
    const names = new Set<string>();
    for (const p of matches) {
      if (p.protocol !== protocol) continue;
      if (p.kind === "range") ranges.set(`${p.first}-${p.last}`, [p.first, p.last]);
      else names.add(p.name);
    }
    const cuts = new Set<number>([1, MAX_PORT + 1]);
    const cut = (first: number, last: number): void => void cuts.add(first).add(last + 1);
    for (const [first, last] of ranges.values()) cut(first, last);
    // ports where a named rule port may resolve: single-port classes of their own
    const named = new Set<number>();
    for (const pod of model.cluster.pods) {
      for (const p of pod.ports) {
        if (p.name === null || p.protocol !== protocol) continue;
        cut(p.port, p.port);
        if (names.has(p.name)) named.add(p.port);
      }
    }
    const wanted = filters?.filter((f) => (f.protocol ?? "TCP") === protocol).map((f) => [f.port, f.endPort ?? f.port] as const);
    for (const [first, last] of wanted ?? []) cut(first, last);
    const sorted = [...cuts].sort((a, b) => a - b);
    const spans = [...ranges.values()];
    for (let k = 0; k + 1 < sorted.length; k++) {
      const c = { protocol, first: sorted[k]!, last: sorted[k + 1]! - 1 };
      if (wanted !== undefined && !wanted.some(([first, last]) => first <= c.first && c.last <= last)) continue;
      const inside = spans.flatMap(([first, last], i) => (first <= c.first && c.last <= last ? [i] : []));
      const key = `${protocol} ${inside.join(",")}${c.first === c.last && named.has(c.first) ? ` @${c.first}` : ""}`;
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(c);
    }
  }
  return [...groups.values()];
}

/**
 * Where the policies (and `cutBy`) cut each family's address space, and whether IPv6
 * ranges are listed (see the module comment).
 */
function addressCuts(model: Model, cutBy: readonly string[] = []): { cuts: AddressCuts; v6: boolean } {
  const cuts = { 4: new Set<bigint>([0n]), 6: new Set<bigint>([0n, MAPPED.first, MAPPED.last + 1n]) };
  let v6 = false;
  for (const policy of model.rules.policies) {
    for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind !== "ipBlock") continue;
        if (peer.family === 6) v6 = true;
        for (const r of peer.ranges) cuts[peer.family].add(r.first).add(r.last + 1n);
      }
    }
  }
  for (const policy of model.rules.clusterPolicies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers) {
        if (peer.kind === "domainNames") {
          // each address the cluster's DNS records give the names is a range of its own
          for (const a of domainAddresses(peer.names, model.cluster.dns)) {
            if (a.family === 6) v6 = true;
            cuts[a.family].add(a.value).add(a.value + 1n);
          }
          continue;
        }
        if (peer.kind !== "networks") continue;
        if (peer.v6.length > 0) v6 = true;
        for (const r of peer.v4) cuts[4].add(r.first).add(r.last + 1n);
        for (const r of peer.v6) cuts[6].add(r.first).add(r.last + 1n);
      }
    }
  }
  for (const text of cutBy) {
    const cidr = parseCidr(text)!;
    if (cidr.family === 6) v6 = true;
    cuts[cidr.family].add(cidr.first).add(cidr.last + 1n);
  }
  const sorted = (family: 4 | 6): bigint[] => [...cuts[family]].filter((c) => c <= LAST[family]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { cuts: { 4: sorted(4), 6: sorted(6) }, v6 };
}

/** The outside ranges of `model`, also cut at `cutBy` (see the module comment). */
export function outsideRanges(model: Model, cutBy: readonly string[] = []): OutsideRange[] {
  const { cuts, v6: cutV6 } = addressCuts(model, cutBy);
  const podAddresses = { 4: [] as bigint[], 6: [] as bigint[] };
  // node addresses are endpoints too (`node:NAME`), never outside
  for (const end of [...model.cluster.pods, ...model.cluster.nodes]) for (const ip of end.ips) podAddresses[ip.family].push(ip.value);
  const v6 = cutV6 || podAddresses[6].length > 0;
  const out: OutsideRange[] = [];
  for (const family of v6 ? ([4, 6] as const) : ([4] as const)) {
    const owned = new Set(podAddresses[family]);
    const sorted = cuts[family];
    sorted.forEach((first, k) => {
      const last = k + 1 < sorted.length ? sorted[k + 1]! - 1n : LAST[family];
      if (family === 6 && first === MAPPED.first) return;
      let representative = first;
      while (representative <= last && owned.has(representative)) representative++;
      if (representative > last) return;
      out.push({ name: `${formatAddress(family, first)}-${formatAddress(family, last)}`, family, representative });
    });
  }
  return out;
}
