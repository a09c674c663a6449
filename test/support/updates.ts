/**
 * Random `engine.update` changes and their meaning on the wire-format scenario: the
 * scenario an engine built from scratch would be given after the same changes (see
 * src/engine/update.ts: upserts replace in place or append, removals shift later
 * entries down, removing a namespace removes its pods; a cluster-scoped policy is
 * known by kind and name, a node by name).
 */
import fc from "fast-check";
import type { EngineUpdate, PolicyManifest } from "../../src/index.js";
import { parseAddress } from "../../src/primitives/address.js";
import { buildPod, finished, isNetworkPolicy, namespace, podShape, policy, type AnyPolicyJson, type PodJson, type Scenario } from "./arbitraries.js";
import { buildNode, clusterNetworkPolicy, nodeUpdate } from "./tier-arbitraries.js";

const podSpecs = [
  fc.record({ op: fc.constant("upsertPod" as const), pick: fc.nat(), replace: fc.boolean(), pod: podShape }),
  fc.record({ op: fc.constant("removePod" as const), pick: fc.nat() }),
  fc.record({ op: fc.constant("upsertNamespace" as const), namespace }),
  fc.record({ op: fc.constant("removeNamespace" as const), pick: fc.nat() }),
] as const;

const policySpecs = [
  fc.record({ op: fc.constant("upsertPolicy" as const), pick: fc.nat(), replace: fc.boolean(), policy: policy("updated") }),
  fc.record({ op: fc.constant("removePolicy" as const), pick: fc.nat() }),
] as const;

const clusterPolicySpec = fc.record({ op: fc.constant("upsertClusterPolicy" as const), pick: fc.nat(), replace: fc.boolean(), policy: clusterNetworkPolicy("c-updated") });

/** A change before it is fitted to a scenario: `pick` chooses the pod, policy or namespace it touches. */
export const updateSpec = fc.oneof(
  ...policySpecs,
  ...podSpecs,
  clusterPolicySpec,
  fc.record({ op: fc.constant("upsertNode" as const), node: nodeUpdate, replace: fc.boolean() }),
  fc.record({ op: fc.constant("removeNode" as const), pick: fc.nat() }),
);

/** A change of pods, namespaces or policies of any kind (what a WASM engine patches its tables for), as `updateSpec` draws it. */
export const patchableUpdateSpec = fc.oneof(...podSpecs, ...policySpecs, clusterPolicySpec);

/** A change as `updateSpec` draws it. */
export type UpdateSpec = typeof updateSpec extends fc.Arbitrary<infer T> ? T : never;

/** A policy's identity as `removePolicy` names it: `namespace/name`, or `Kind/name` for a cluster-scoped one. */
const policyId = (p: AnyPolicyJson): string => (isNetworkPolicy(p) ? `${p.metadata.namespace ?? "default"}/${p.metadata.name}` : `${p.kind}/${p.metadata.name}`);
const podId = (p: PodJson): string => `${p.namespace}/${p.name ?? `${p.workload!.kind.toLowerCase()}/${p.workload!.name}`}`;

/** Replaces the entry with the same id in place, or appends. */
function upsert<T>(list: readonly T[], item: T, id: (t: T) => string): T[] {
  const k = list.findIndex((x) => id(x) === id(item));
  return k < 0 ? [...list, item] : list.map((x, i) => (i === k ? item : x));
}

/**
 * `upsert` for pods: a finished pod is no endpoint, so a pod replacing one is new to
 * the engine and goes last (the finished entry is dropped), as `upsertPod` appends it.
 */
function upsertPod(list: readonly PodJson[], pod: PodJson): PodJson[] {
  const k = list.findIndex((x) => podId(x) === podId(pod));
  if (k >= 0 && finished(list[k]!.phase)) return [...list.filter((_, i) => i !== k), pod];
  return upsert(list, pod, podId);
}

/**
 * Fits a change to the scenario: the update to send and the scenario it leads to.
 * Null when the change has nothing to act on (removing from an empty list).
 */
function applySpec(s: Scenario, spec: UpdateSpec): { change: EngineUpdate; next: Scenario } | null {
  const { cluster, policies } = s;
  switch (spec.op) {
    case "upsertPolicy": {
      const nps = policies.filter(isNetworkPolicy);
      const target = nps[spec.pick % Math.max(1, nps.length)];
      const named = spec.replace && target !== undefined ? { ...spec.policy, metadata: target.metadata } : spec.policy;
      return { change: { op: "upsertPolicy", policy: named }, next: { ...s, policies: upsert(policies, named, policyId) } };
    }
    case "upsertClusterPolicy": {
      const cnps = policies.filter((p) => p.kind === "ClusterNetworkPolicy");
      const target = cnps[spec.pick % Math.max(1, cnps.length)];
      const named = spec.replace && target !== undefined ? { ...spec.policy, metadata: target.metadata } : spec.policy;
      return { change: { op: "upsertPolicy", policy: named as PolicyManifest }, next: { ...s, policies: upsert(policies, named, policyId) } };
    }
    case "upsertNode": {
      const nodes = cluster.nodes ?? [];
      const target = spec.replace ? nodes[spec.node.pick % Math.max(1, nodes.length)] : undefined;
      // a new node takes the first free node number: its addresses are then free too
      const used = new Set(nodes.map((n) => n.name));
      let k = 0;
      while (used.has(`n${k}`)) k++;
      const node = target !== undefined ? buildNode(spec.node.shape, Number(target.name.slice(1)), target.name) : buildNode(spec.node.shape, k);
      return { change: { op: "upsertNode", node }, next: { ...s, cluster: { ...cluster, nodes: upsert(nodes, node, (n) => n.name) } } };
    }
    case "removeNode": {
      const nodes = cluster.nodes ?? [];
      const target = nodes[spec.pick % Math.max(1, nodes.length)];
      if (target === undefined) return null;
      return { change: { op: "removeNode", node: target.name }, next: { ...s, cluster: { ...cluster, nodes: nodes.filter((n) => n !== target) } } };
    }
    case "removePolicy": {
      const target = policies[spec.pick % Math.max(1, policies.length)];
      if (target === undefined) return null;
      return { change: { op: "removePolicy", policy: policyId(target) }, next: { ...s, policies: policies.filter((p) => p !== target) } };
    }
    case "upsertPod": {
      const target = cluster.pods[spec.pick % Math.max(1, cluster.pods.length)];
      // buildPod compares canonical texts: the pods' own IPs may be spelled otherwise (010.0.0.1)
      const taken = new Set(cluster.pods.filter((p) => p !== target || !spec.replace).flatMap((p) => p.ips.map((ip) => parseAddress(ip)?.text ?? ip)));
      const replacing = spec.replace && target !== undefined;
      const pod = buildPod(replacing ? { ...spec.pod, namespace: target.namespace } : spec.pod, replacing ? (target.name ?? "updated") : "updated", taken);
      return { change: { op: "upsertPod", pod }, next: { ...s, cluster: { ...cluster, pods: upsertPod(cluster.pods, pod) } } };
    }
    case "removePod": {
      // a finished pod is not in the engine: only live pods can be removed
      const live = cluster.pods.filter((p) => !finished(p.phase));
      const target = live[spec.pick % Math.max(1, live.length)];
      if (target === undefined) return null;
      return { change: { op: "removePod", pod: podId(target) }, next: { ...s, cluster: { ...cluster, pods: cluster.pods.filter((p) => p !== target) } } };
    }
    case "upsertNamespace":
      return {
        change: { op: "upsertNamespace", namespace: spec.namespace },
        next: { ...s, cluster: { ...cluster, namespaces: upsert(cluster.namespaces, spec.namespace, (n) => n.name) } },
      };
    case "removeNamespace": {
      const names = [...new Set([...cluster.namespaces.map((n) => n.name), ...cluster.pods.map((p) => p.namespace)])];
      const name = names[spec.pick % Math.max(1, names.length)];
      if (name === undefined) return null;
      return {
        change: { op: "removeNamespace", namespace: name },
        next: { ...s, cluster: { ...cluster, namespaces: cluster.namespaces.filter((n) => n.name !== name), pods: cluster.pods.filter((p) => p.namespace !== name) } },
      };
    }
  }
}

/** Fits a list of changes in order; changes with nothing to act on are dropped. */
export function applySpecs(s: Scenario, specs: readonly UpdateSpec[]): { changes: EngineUpdate[]; next: Scenario } {
  const changes: EngineUpdate[] = [];
  let next = s;
  for (const spec of specs) {
    const step = applySpec(next, spec);
    if (step === null) continue;
    changes.push(step.change);
    next = step.next;
  }
  return { changes, next };
}
