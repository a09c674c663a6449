/**
 * `Engine.exposure`: per endpoint, the outside ranges that may reach it and that it
 * may reach (from `connections`), and the namespaces and pods its ingress rules admit
 * (from the rules that select it). Endpoints any outside address may reach come first.
 */
import { selectorText, portsText } from "../explain/words.js";
import { namespacedName } from "../primitives/kubernetes.js";
import type { Engine } from "../api/engine.js";
import type { Exposure, ExposureOptions, PeerExposure, RangeExposure } from "../api/exposure.js";
import { compareEndpoints } from "./connections.js";
import { outsideRanges } from "./connection-space.js";
import type { Model } from "./model.js";

/** The exposure of every endpoint. Throws `NetpolValidationError` for bad options. */
export function exposure(engine: Engine, model: Model, options: ExposureOptions = {}): Exposure[] {
  const groups = options.groups ?? model.podIds;
  const first = new Map<string, number>();
  groups.forEach((g, i) => void (first.has(g) ? null : first.set(g, i)));
  const ranges = new Set(outsideRanges(model).map((r) => r.name));
  const from = new Map<string, RangeExposure[]>();
  const to = new Map<string, RangeExposure[]>();
  for (const c of engine.connections({ groups })) {
    if (ranges.has(c.from)) from.set(c.to, [...(from.get(c.to) ?? []), { range: c.from, allowed: c.allowed }]);
    else if (ranges.has(c.to)) to.set(c.from, [...(to.get(c.from) ?? []), { range: c.to, allowed: c.allowed }]);
  }
  const out: Exposure[] = [...first].map(([endpoint, pod]) => {
    const isolating = engine.isolatingPolicies(pod, "Ingress");
    const fromPods: PeerExposure[] =
      isolating.length === 0
        ? [{ namespaces: "any", pods: "all pods", ports: "on every port", policy: null, direction: "Ingress", rule: null }]
        : isolating.flatMap((index) => {
            const policy = model.rules.policies[index]!;
            return (policy.ingress ?? []).flatMap((rule) => {
              const base = { ports: portsText(rule.ports), policy: namespacedName(policy), direction: "Ingress" as const, rule: rule.origin.rule };
              if (rule.peers === null) return [{ namespaces: "any", pods: "all pods", ...base }];
              return rule.peers.flatMap((peer) =>
                peer.kind === "ipBlock"
                  ? []
                  : [
                      {
                        namespaces:
                          peer.namespaces.kind === "namespace"
                            ? `namespace ${peer.namespaces.name}`
                            : peer.namespaces.selector.requirements.length === 0
                              ? "any"
                              : selectorText(peer.namespaces.selector, "namespaces"),
                        pods: selectorText(peer.pods, "pods"),
                        ...base,
                      },
                    ],
              );
            });
          });
    const fromOutside = from.get(endpoint) ?? [];
    return { endpoint, fromAnyAddress: ranges.size > 0 && fromOutside.length === ranges.size, fromOutside, toOutside: to.get(endpoint) ?? [], fromPods };
  });
  return out.sort((a, b) => (a.fromAnyAddress === b.fromAnyAddress ? compareEndpoints(a.endpoint, b.endpoint) : a.fromAnyAddress ? -1 : 1));
}
