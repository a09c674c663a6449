/**
 * The ports a rule set and a cluster name: the numbers the rules of every tier give (both ends of
 * an `endPort` range), in the order they appear, then every pod's container ports not
 * listed yet (which also covers the numbers named ports resolve to). Views offer them
 * as choices and compute "anything allowed" as the union of the engine's matrices on
 * these ports (pass `engine.rules`). That union is exact for the ports listed, not for
 * every port: a pair allowed only on a port nobody names is missed.
 */
import { PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import type { RuleSet } from "./types.js";

/** Pods' container ports, as `PodEntry` and the compact cluster give them. */
export interface ContainerPorts {
  readonly ports: ReadonlyArray<{ readonly containerPort: number; readonly protocol?: string }>;
}

/** A port and protocol a rule set or a pod names. */
export interface MentionedPort {
  readonly protocol: Protocol;
  readonly port: number;
}

/** The ports named by `rules` and `pods`, each once: the rules' first, in order of appearance, then the pods'. */
export function mentionedPorts(rules: RuleSet, pods: readonly ContainerPorts[]): MentionedPort[] {
  const seen = new Set<number>();
  const add = (protocol: string | undefined, port: number): void => {
    const code = PROTOCOLS.indexOf((protocol ?? "TCP") as Protocol);
    if (code >= 0 && Number.isInteger(port) && port >= 1 && port <= 65535) seen.add(code * 65536 + port);
  };
  // NetworkPolicies first, then the cluster-scoped policies of the Admin and Baseline tiers
  for (const policy of [...rules.policies, ...rules.clusterPolicies]) {
    for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
      for (const port of rule.ports ?? []) {
        // a range over the whole line is a NetworkPolicyPort without `port`: it names no number
        if (port.kind !== "range" || (port.first === 1 && port.last === 65535)) continue;
        add(port.protocol, port.first);
        add(port.protocol, port.last);
      }
    }
  }
  for (const pod of pods) for (const port of pod.ports) add(port.protocol, port.containerPort);
  return [...seen].map((key) => ({ protocol: PROTOCOLS[key >>> 16]!, port: key & 0xffff }));
}
