/**
 * Flows and port queries drawn from a scenario, reproducibly from a seed: between
 * pods (by id or by one of their addresses), nodes (`node:<name>` or an address of
 * theirs) and addresses outside the cluster, many of them on an ipBlock's or a
 * `networks` CIDR's edges, over the ports the policies and containers mention and
 * their neighbours. Thousands of flows come from one integer, so a failing run
 * is reproduced (and shrunk) by fast-check through the scenario and that seed alone.
 */
import { formatAddress, parseAddress, parseCidr } from "../../src/primitives/address.js";
import type { Flow, PortQuery } from "../../src/api/engine.js";
import { PROTOCOLS, type Protocol } from "../../src/primitives/kubernetes.js";
import { finished, isNetworkPolicy, type Scenario } from "./arbitraries.js";
import { SPELLINGS, spellAddress } from "./notation.js";
import { Random } from "./random.js";

/** A cluster-scoped policy's rule, loosely typed: what the flows read of it. */
type LooseRule = {
  to?: Array<{ networks?: string[] }>;
  protocols?: Array<Record<string, { destinationPort?: { number?: number; range?: { start: number; end: number } } }>>;
  ports?: Array<{ portNumber?: { protocol?: Protocol; port: number }; portRange?: { protocol?: Protocol; start: number; end: number } }>;
};

/** Every rule of the scenario's cluster-scoped policies. */
function clusterRules(scenario: Scenario): LooseRule[] {
  return scenario.policies.flatMap((p) => (isNetworkPolicy(p) ? [] : [...((p.spec.ingress ?? []) as LooseRule[]), ...((p.spec.egress ?? []) as LooseRule[])]));
}

/** Every ipBlock's CIDR and excepts, and every `networks` CIDR, of the scenario's policies. */
function addressBlocks(scenario: Scenario): string[] {
  const out: string[] = [];
  for (const p of scenario.policies) {
    if (!isNetworkPolicy(p)) continue;
    for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]) {
      for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) if (peer.ipBlock) out.push(peer.ipBlock.cidr, ...(peer.ipBlock.except ?? []));
    }
  }
  for (const rule of clusterRules(scenario)) for (const peer of rule.to ?? []) out.push(...(peer.networks ?? []));
  return out;
}

/**
 * The distinct (protocol, port) pairs the scenario mentions: numeric policy ports and
 * the ends of their ranges, and every container port (what named ports resolve to).
 */
function mentionedPorts(scenario: Scenario): Required<PortQuery>[] {
  const seen = new Map<string, Required<PortQuery>>();
  const add = (protocol: Protocol, port: number): void => {
    seen.set(`${protocol}/${port}`, { protocol, port });
  };
  for (const p of scenario.policies) {
    if (!isNetworkPolicy(p)) continue;
    for (const rule of [...(p.spec.ingress ?? []), ...(p.spec.egress ?? [])]) {
      for (const port of rule.ports ?? []) {
        if (typeof port.port !== "number") continue;
        add(port.protocol ?? "TCP", port.port);
        if (port.endPort !== undefined) add(port.protocol ?? "TCP", port.endPort);
      }
    }
  }
  for (const rule of clusterRules(scenario)) {
    for (const entry of rule.protocols ?? []) {
      for (const [name, value] of Object.entries(entry)) {
        const proto = name.toUpperCase() as Protocol;
        if (value?.destinationPort?.number !== undefined) add(proto, value.destinationPort.number);
        if (value?.destinationPort?.range !== undefined) add(proto, value.destinationPort.range.start), add(proto, value.destinationPort.range.end);
      }
    }
    for (const port of rule.ports ?? []) {
      if (port.portNumber) add(port.portNumber.protocol ?? "TCP", port.portNumber.port);
      if (port.portRange) add(port.portRange.protocol ?? "TCP", port.portRange.start), add(port.portRange.protocol ?? "TCP", port.portRange.end);
    }
  }
  for (const pod of scenario.cluster.pods) for (const c of pod.ports) add(c.protocol ?? "TCP", c.containerPort);
  return [...seen.values()];
}

/**
 * Addresses at the edges of every ipBlock CIDR and except (first − 1, first, last,
 * last + 1), and next to every pod address and DNS record address: where an
 * off-by-one would show.
 */
function edgeAddresses(scenario: Scenario): string[] {
  const out = new Set<string>();
  const around = (family: 4 | 6, values: readonly bigint[]): void => {
    const max = (1n << (family === 4 ? 32n : 128n)) - 1n;
    for (const v of values) for (const d of [-1n, 0n, 1n]) if (v + d >= 0n && v + d <= max) out.add(formatAddress(family, v + d));
  };
  for (const text of addressBlocks(scenario)) {
    const cidr = parseCidr(text);
    if (cidr !== null) around(cidr.family, [cidr.first, cidr.last]);
  }

  for (const end of [...scenario.cluster.pods, ...(scenario.cluster.dns ?? [])]) {
    for (const ip of end.ips) {
      const cidr = parseCidr(`${ip}/${ip.includes(":") ? 128 : 32}`);
      if (cidr !== null) around(cidr.family, [cidr.first]);
    }
  }
  return [...out];
}

/** A port near one the scenario mentions (± 1, within 1..65535), or now and then any port. */
function pickPort(random: Random, ports: readonly Required<PortQuery>[]): { protocol: Protocol; port: number } {
  if (ports.length === 0 || random.chance(0.05)) return { protocol: random.pick(PROTOCOLS), port: random.between(1, 65535) };
  const base = random.pick(ports);
  const port = Math.min(65535, Math.max(1, base.port + random.between(-1, 1)));
  return { protocol: random.chance(0.75) ? base.protocol : random.pick(PROTOCOLS), port };
}

/**
 * `count` flows for the scenario, a function of `seed`: each end is a pod id (60%),
 * one of a pod's addresses (15%) or another address (25%, mostly ipBlock and pod
 * address edges, else random IPv4 / IPv6), and when the cluster has nodes, one end in
 * ten is a node (`node:<name>`, or one of its addresses); a flow from outside mostly
 * goes to a pod.
 * Finished pods are no ends, but their addresses are. Addresses are sometimes spelled
 * another way (see notation.ts).
 */
export function deriveFlows(scenario: Scenario, seed: number, count: number): Flow[] {
  const random = new Random(seed);
  // finished pods are no endpoints: their ids are unknown, their addresses nobody's or a live pod's
  const pods = scenario.cluster.pods.filter((p) => !finished(p.phase));
  // a workload's stand-in is `namespace/kind/name`
  const idOf = (p: (typeof pods)[number]): string => `${p.namespace}/${p.name ?? `${p.workload!.kind.toLowerCase()}/${p.workload!.name}`}`;
  const ids = pods.map(idOf);
  const edges = edgeAddresses(scenario);
  const podAddresses = new Set(pods.flatMap((p) => p.ips));
  const isPodEnd = (end: string): boolean => end.includes("/") || podAddresses.has(end);
  const ports = mentionedPorts(scenario);
  // an address in another of the spellings Go reads the same way, one time in four
  const respell = (text: string): string => {
    const address = parseAddress(text);
    return address === null || !random.chance(0.25) ? text : spellAddress(address.family, address.value, random.below(SPELLINGS));
  };
  const nodes = scenario.cluster.nodes ?? [];
  const endpoint = (podsOnly: boolean): string => {
    if (!podsOnly && nodes.length > 0 && random.chance(0.1)) {
      const node = random.pick(nodes);
      return random.chance(0.5) || node.ips.length === 0 ? `node:${node.name}` : respell(random.pick(node.ips));
    }
    const roll = podsOnly ? random.next() * 0.75 : random.next();
    if (ids.length > 0 && roll < 0.6) return random.pick(ids);
    if (ids.length > 0 && roll < 0.75) {
      const pod = random.pick(pods);
      if (pod.ips.length > 0) return respell(random.pick(pod.ips));
      return idOf(pod);
    }
    if (edges.length > 0 && random.chance(0.8)) return respell(random.pick(edges));
    return random.chance(0.5) ? formatAddress(4, random.bits(32)) : formatAddress(6, random.bits(128));
  };
  const flows: Flow[] = [];
  for (let i = 0; i < count; i++) {
    const from = endpoint(false);
    // two outside addresses never meet a policy: keep such flows rare
    const to = endpoint(!isPodEnd(from) && random.chance(0.9));
    flows.push({ from, to, ...pickPort(random, ports) });
  }
  return flows;
}

/** Up to `max` port queries for matrices: mentioned ports, and one mentioned port + 1. */
export function matrixQueries(scenario: Scenario, seed: number, max: number): Required<PortQuery>[] {
  const random = new Random(seed ^ 0x5bd1e995);
  const mentioned = random.shuffle(mentionedPorts(scenario));
  if (mentioned.length === 0) return [{ protocol: "TCP", port: 80 }];
  const near = random.pick(mentioned);
  return [...mentioned.slice(0, max - 1), { protocol: near.protocol, port: near.port === 65535 ? 65534 : near.port + 1 }];
}
