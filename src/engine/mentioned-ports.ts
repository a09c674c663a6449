/**
 * The ports an input names: the numbers the policies' rules give (both ends of an
 * `endPort` range), in the order they appear, then every pod's container ports not
 * listed yet (which also covers the numbers named ports resolve to). Views offer them as choices and compute "anything allowed"
 * as the union of the engine's matrices on these ports. That union is exact for the
 * ports listed, not for every port: a pair allowed only on a port nobody names is
 * missed. Invalid policies are skipped here; the engine reports them.
 */
import * as E from "fp-ts/lib/Either.js";
import { decodeNetworkPolicy, type ValidNetworkPolicy } from "../api/decode.js";
import { normalizePolicies } from "../ir/normalize.js";
import { PROTOCOLS, type Protocol } from "../ir/types.js";
import type { PortQuery } from "./types.js";

/** What `mentionedPorts` reads: policies as given to `createEngine`, and pods' container ports. */
export interface PortSources {
  readonly policies: readonly unknown[];
  readonly pods: ReadonlyArray<{ readonly ports: ReadonlyArray<{ readonly containerPort: number; readonly protocol?: string }> }>;
}

/** The ports named by `input`, each once: the policies' first, in order of appearance, then the pods'. */
export function mentionedPorts(input: PortSources): Array<Required<PortQuery>> {
  const seen = new Set<number>();
  const add = (protocol: string | undefined, port: number): void => {
    const code = PROTOCOLS.indexOf((protocol ?? "TCP") as Protocol);
    if (code >= 0 && Number.isInteger(port) && port >= 1 && port <= 65535) seen.add(code * 65536 + port);
  };
  const valid = input.policies.flatMap((p) => {
    const decoded = decodeNetworkPolicy(p);
    return E.isRight(decoded) ? [decoded.right] : ([] as ValidNetworkPolicy[]);
  });
  for (const policy of normalizePolicies(valid).policies) {
    for (const rule of [...(policy.ingress ?? []), ...(policy.egress ?? [])]) {
      for (const port of rule.ports ?? []) {
        // a range over the whole line is a NetworkPolicyPort without `port`: it names no number
        if (port.kind !== "range" || (port.first === 1 && port.last === 65535)) continue;
        add(port.protocol, port.first);
        add(port.protocol, port.last);
      }
    }
  }
  for (const pod of input.pods) for (const port of pod.ports) add(port.protocol, port.containerPort);
  return [...seen].map((key) => ({ protocol: PROTOCOLS[key >>> 16]!, port: key & 0xffff }));
}
