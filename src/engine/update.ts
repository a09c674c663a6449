/**
 * Changes to a loaded model: add, replace or remove one pod, namespace, node or policy.
 *
 * Semantics (what "built from scratch" means after an update): an upserted pod,
 * node or NetworkPolicy replaces the one of the same name (`namespace/name` for
 * pods and NetworkPolicies) in place, or is appended; a removed one is taken out,
 * later indexes shift down (an upserted pod that has finished is removed). A
 * cluster-scoped policy replaces the one of the same kind and name, or is added; the
 * evaluation order is then recomputed. An upserted namespace replaces the labels of
 * the one of that name or is added; removing a namespace removes its pods too. Each
 * change is validated like the same object in `createEngine`'s input.
 */
import { failure, success, type Result } from "../primitives/result.js";
import { isPlainObject, NetpolValidationError, quote, unsupportedValue, type Issue } from "../primitives/issues.js";
import { namespacedName } from "../primitives/kubernetes.js";
import type { Address } from "../primitives/address.js";
import { isFinished } from "../primitives/pod-phase.js";
import { IpOwners } from "../validate/ip-owners.js";
import type { EngineUpdate } from "../api/engine.js";
import { normalizeClusterPolicy, orderClusterPolicies } from "../normalize/cluster-policies.js";
import { indexNodes, nodeOf, normalizeCluster, normalizePolicies } from "../normalize/normalize.js";
import { clusterPolicyId } from "../ir/tiers.js";
import type { Namespace, Node, Pod, Policy, Rule } from "../ir/types.js";
import { decodeAnyPolicy, isClusterPolicyKind } from "../validate/cluster-policy-decoders.js";
import { decodeCluster, podName } from "../validate/decoders.js";
import { canonicalEndpoint } from "../primitives/endpoint-names.js";
import { PodAddresses } from "./addresses.js";
import { clusterLookups, type Model } from "./model.js";

/** Every `op` of an `EngineUpdate`. */
const UPDATE_OPS: readonly EngineUpdate["op"][] = ["upsertPod", "removePod", "upsertNamespace", "removeNamespace", "upsertPolicy", "removePolicy", "upsertNode", "removeNode"];

/** What an update changed, for evaluators that keep derived state. */
export interface UpdateEffect {
  /**
   * Pods added (`before` undefined), replaced, or removed (`after` undefined), in an
   * order where each `before.index` is the pod's index once the earlier entries are applied.
   */
  readonly pods: ReadonlyArray<{ readonly before: Pod | undefined; readonly after: Pod | undefined }>;
  /** Namespaces added, relabelled (`after` set) or removed (`after` undefined), after their pods. */
  readonly namespaces: ReadonlyArray<{ readonly name: string; readonly after: Namespace | undefined }>;
  /** Whether any policy (of any kind) changed. */
  readonly policies: boolean;
}

/**
 * A model whose pod list differs from `model`'s only in pod `changed` (replaced in
 * place, or appended when it is the new last index): lookups patched, not rebuilt,
 * unless the replaced pod's addresses changed.
 */
function withPod(model: Model, namespaces: Map<string, Namespace>, pods: readonly Pod[], changed: Pod): Model {
  const before = model.cluster.pods[changed.index];
  const sameIps = before !== undefined && before.ips.length === changed.ips.length && before.ips.every((ip, i) => ip.text === changed.ips[i]!.text);
  if (before !== undefined && !sameIps) return withCluster(model, namespaces, pods);
  const cluster = { namespaces, pods, nodes: model.cluster.nodes, services: model.cluster.services, dns: model.cluster.dns };
  if (before !== undefined) return { ...model, cluster };
  const id = namespacedName(changed);
  const podByAddress = model.podByAddress.with(changed) ?? PodAddresses.of(pods);
  return { ...model, cluster, podIds: [...model.podIds, id], podByName: model.podByName.with(id), podByAddress };
}

/** A model over new pods, namespaces and nodes, lookups rebuilt. */
function withCluster(model: Model, namespaces: Map<string, Namespace>, pods: readonly Pod[], nodes: readonly Node[] = model.cluster.nodes): Model {
  // as loadModel: a shared (host-network) address stands for the first pod listing it
  const cluster = { namespaces, pods, nodes, services: model.cluster.services, dns: model.cluster.dns };
  return { ...model, cluster, ...clusterLookups(cluster) };
}

/** The pods placed again on their nodes after the node list changed; unchanged pods keep their object. */
function replacePods(pods: readonly Pod[], nodes: readonly Node[]): Pod[] {
  const index = indexNodes(nodes);
  return pods.map((pod) => {
    const node = nodeOf(pod, index);
    return node === pod.node ? pod : { ...pod, node };
  });
}

const clusterPolicyTarget = /^(ClusterNetworkPolicy|AdminNetworkPolicy|BaselineAdminNetworkPolicy)\/(.+)$/;

const reindexPod = (pod: Pod, index: number): Pod => (pod.index === index ? pod : podAt(pod, index));

/** `pod` at index `index`: a literal of `Pod`'s own fields, so that every pod made here has one shape (a spread of pods of mixed shapes is several times slower). */
const podAt = (pod: Pod, index: number): Pod => ({
  index,
  namespace: pod.namespace,
  name: pod.name,
  workload: pod.workload,
  labels: pod.labels,
  ips: pod.ips,
  nodeName: pod.nodeName,
  node: pod.node,
  ports: pod.ports,
  hostNetwork: pod.hostNetwork,
});

function reindexPolicy(policy: Policy, index: number): Policy {
  if (policy.index === index) return policy;
  const rules = (list: readonly Rule[] | null): Rule[] | null => list && list.map((r) => ({ ...r, origin: { ...r.origin, policy: index } }));
  return { ...policy, index, ingress: rules(policy.ingress), egress: rules(policy.egress) };
}

const prefixed = (issues: readonly Issue[], prefix: string, from: RegExp = /^/): Issue[] =>
  issues.map((i) => ({ ...i, path: i.path.replace(from, prefix).replace(/\.$/, "") }));

/** `namespace/name`; for a pod also a workload's stand-in `namespace/kind/name` (kubectl's short kinds read as `canonicalEndpoint` reads them). */
function namedTarget(text: unknown, path: string, standIns = false): Result<{ namespace: string; name: string }> {
  const canonical = standIns && typeof text === "string" ? canonicalEndpoint(text) : text;
  const parts = typeof canonical === "string" ? canonical.split("/") : [];
  if (standIns && parts.length === 3 && parts.every((p) => p !== "")) return success({ namespace: parts[0]!, name: `${parts[1]}/${parts[2]}` });
  if (parts.length !== 2 || parts[0] === "" || parts[1] === "") return failure([{ path, message: `expected \`namespace/name\`, got ${quote(text)}` }]);
  return success({ namespace: parts[0]!, name: parts[1]! });
}

/**
 * The owners of `ip` among the model's pods other than pod `replaced`, in pod order,
 * for a pod (`hostNetwork` or not) claiming it after them. Only host-network pods
 * share an address, so the first pod listing it (the address index's answer) is
 * owner enough, unless it is the replaced pod: then another pod lists it only when
 * the replaced pod runs on the host network, and only a pod that does not may clash.
 */
function addressOwners(model: Model, ip: Address, replaced: number | undefined, hostNetwork: boolean): IpOwners {
  const owners = new IpOwners();
  const first = model.podByAddress.get(ip);
  if (first === undefined) return owners;
  const pods = model.cluster.pods;
  if (first === replaced && (!pods[first]!.hostNetwork || hostNetwork)) return owners;
  for (const p of first === replaced ? pods : [pods[first]!]) {
    if (p.index !== replaced && p.ips.some((own) => own.text === ip.text)) owners.claim(ip.text, namespacedName(p), p.hostNetwork);
  }
  return owners;
}

/**
 * The model without pod `index`, and the effect saying so: later indexes move down.
 * The lookups hold pod slots (`PodSlots`), so only the pods after `index` are made
 * again (their `index`); the id list is copied.
 */
function removePod(model: Model, namespaces: Map<string, Namespace>, index: number): Result<{ model: Model; effect: UpdateEffect }> {
  const pods = model.cluster.pods;
  const removed = pods[index]!;
  const next = pods.slice(0, index);
  for (let i = index + 1; i < pods.length; i++) next.push(reindexPod(pods[i]!, i - 1));
  const podIds = model.podIds.slice();
  podIds.splice(index, 1);
  const cluster = { ...model.cluster, namespaces, pods: next };
  const lookups = { podIds, podByName: model.podByName.without(index), podByAddress: model.podByAddress.without(removed, next) };
  return success({ model: { ...model, cluster, ...lookups }, effect: { pods: [{ before: removed, after: undefined }], namespaces: [], policies: false } });
}

/** Applies one change; `path` prefixes every issue (e.g. `updates[2]`). */
export function applyUpdate(model: Model, change: EngineUpdate, path: string): Result<{ model: Model; effect: UpdateEffect }> {
  const at = (field: string): string => (path === "" ? field : `${path}.${field}`);
  if (!isPlainObject(change)) return failure([{ path, message: `expected an update object, got ${quote(change)}` }]);
  const pods = model.cluster.pods;
  const namespaces = new Map(model.cluster.namespaces);
  switch (change.op) {
    case "upsertPod": {
      const decoded = decodeCluster({ pods: [change.pod] });
      if (!decoded.ok) return failure(prefixed(decoded.issues, at("pod"), /^pods\[0\]/));
      const wire = decoded.value.pods![0]!;
      if (isFinished(wire.phase)) {
        // a pod that finished is no endpoint any more: as if removed (createEngine leaves it
        // out); the namespace it names exists all the same, as normalizeCluster has it
        const gone = model.podByName.get(namespacedName({ namespace: wire.namespace!, name: podName(wire) }));
        if (gone !== undefined) return removePod(model, namespaces, gone);
        if (namespaces.has(wire.namespace!)) return success({ model, effect: { pods: [], namespaces: [], policies: false } });
        const ns = normalizeCluster(decoded.value).namespaces.get(wire.namespace!)!;
        namespaces.set(ns.name, ns);
        return success({ model: withCluster(model, namespaces, pods), effect: { pods: [], namespaces: [{ name: ns.name, after: ns }], policies: false } });
      }
      const fresh = normalizeCluster(decoded.value, model.cluster.nodes).pods[0]!;
      const existing = model.podByName.get(namespacedName(fresh));
      const index = existing ?? pods.length;
      const after = reindexPod(fresh, index);
      const issues: Issue[] = [];
      after.ips.forEach((ip, j) => {
        const clash = addressOwners(model, ip, existing, after.hostNetwork).claim(ip.text, namespacedName(after), after.hostNetwork);
        if (clash !== null) issues.push({ path: `${at("pod")}.ips[${j}]`, message: clash });
        const node = after.hostNetwork ? undefined : model.nodeByAddress.get(ip);
        if (node !== undefined) {
          issues.push({ path: `${at("pod")}.ips[${j}]`, message: `IP ${quote(ip.text)} belongs to node ${quote(model.cluster.nodes[node]!.name)}; only a host-network pod may share its node's address` });
        }
      });
      if (issues.length > 0) return failure(issues);
      const namespaceAdded = !namespaces.has(after.namespace);
      if (namespaceAdded) namespaces.set(after.namespace, normalizeCluster(decoded.value).namespaces.get(after.namespace)!);
      const next = [...pods];
      next[index] = after;
      return success({
        model: withPod(model, namespaces, next, after),
        effect: {
          pods: [{ before: existing === undefined ? undefined : pods[existing], after }],
          namespaces: namespaceAdded ? [{ name: after.namespace, after: namespaces.get(after.namespace) }] : [],
          policies: false,
        },
      });
    }
    case "removePod": {
      const target = namedTarget(change.pod, at("pod"), true);
      if (!target.ok) return target;
      const index = model.podByName.get(namespacedName(target.value));
      if (index === undefined) return failure([{ path: at("pod"), message: `unknown pod ${quote(change.pod)}` }]);
      return removePod(model, namespaces, index);
    }
    case "upsertNamespace": {
      const decoded = decodeCluster({ namespaces: [change.namespace] });
      if (!decoded.ok) return failure(prefixed(decoded.issues, at("namespace"), /^namespaces\[0\]/));
      const ns = [...normalizeCluster(decoded.value).namespaces.values()][0]!;
      namespaces.set(ns.name, ns);
      // pods and nodes are the same: so are the lookups over them
      return success({ model: { ...model, cluster: { ...model.cluster, namespaces } }, effect: { pods: [], namespaces: [{ name: ns.name, after: ns }], policies: false } });
    }
    case "removeNamespace": {
      const name = change.namespace;
      if (typeof name !== "string" || !namespaces.has(name)) return failure([{ path: at("namespace"), message: `unknown namespace ${quote(name)}` }]);
      namespaces.delete(name);
      // last first: each removal's `before.index` then still holds when the one before it is applied
      const removed = pods.filter((p) => p.namespace === name).reverse();
      const next = pods.filter((p) => p.namespace !== name).map(reindexPod);
      return success({
        model: withCluster(model, namespaces, next),
        effect: { pods: removed.map((before) => ({ before, after: undefined })), namespaces: [{ name, after: undefined }], policies: false },
      });
    }
    case "upsertPolicy": {
      const decoded = decodeAnyPolicy(change.policy, { validate: model.validate });
      if (!decoded.ok) return failure(prefixed(decoded.issues, `${at("policy")}.`));
      const effect = { pods: [], namespaces: [], policies: true };
      const d = decoded.value;
      if (d.kind !== "NetworkPolicy") {
        const fresh = normalizeClusterPolicy(d);
        const id = clusterPolicyId(fresh);
        const others = model.rules.clusterPolicies.filter((p) => clusterPolicyId(p) !== id);
        const policyWarnings = new Map(model.policyWarnings);
        if (d.warnings.length > 0) policyWarnings.set(id, d.warnings.map((w) => ({ ...w, object: `${fresh.kind} ${fresh.name}` })));
        else policyWarnings.delete(id);
        const rules = { ...model.rules, clusterPolicies: orderClusterPolicies([...others, fresh]) };
        return success({ model: { ...model, rules, policyWarnings }, effect });
      }
      const fresh = normalizePolicies([d.policy]).policies[0]!;
      const list = model.rules.policies;
      // a policy named by generateName alone is a new object every time, as the API server names it
      const named = Boolean(d.policy.metadata?.name);
      const existing = named ? list.findIndex((p) => p.namespace === fresh.namespace && p.name === fresh.name) : -1;
      const policy = reindexPolicy(fresh, existing < 0 ? list.length : existing);
      const next = existing < 0 ? [...list, policy] : list.map((p, i) => (i === existing ? policy : p));
      return success({ model: { ...model, rules: { ...model.rules, policies: next } }, effect });
    }
    case "removePolicy": {
      const effect = { pods: [], namespaces: [], policies: true };
      const cluster = typeof change.policy === "string" ? clusterPolicyTarget.exec(change.policy) : null;
      if (cluster !== null && isClusterPolicyKind(cluster[1])) {
        const list = model.rules.clusterPolicies;
        const next = list.filter((p) => clusterPolicyId(p) !== change.policy);
        if (next.length === list.length) return failure([{ path: at("policy"), message: `unknown policy ${quote(change.policy)}` }]);
        const policyWarnings = new Map(model.policyWarnings);
        policyWarnings.delete(change.policy);
        return success({ model: { ...model, rules: { ...model.rules, clusterPolicies: orderClusterPolicies(next) }, policyWarnings }, effect });
      }
      const target = namedTarget(change.policy, at("policy"));
      if (!target.ok) return target;
      const list = model.rules.policies;
      const existing = list.findIndex((p) => p.namespace === target.value.namespace && p.name === target.value.name);
      if (existing < 0) return failure([{ path: at("policy"), message: `unknown policy ${quote(change.policy)}` }]);
      const next = list.filter((_, i) => i !== existing).map(reindexPolicy);
      return success({ model: { ...model, rules: { ...model.rules, policies: next } }, effect });
    }
    case "upsertNode": {
      const decoded = decodeCluster({ nodes: [change.node] });
      if (!decoded.ok) return failure(prefixed(decoded.issues, at("node"), /^nodes\[0\]/));
      const fresh = normalizeCluster(decoded.value).nodes[0]!;
      const existing = model.nodeByName.get(fresh.name);
      const issues: Issue[] = [];
      fresh.ips.forEach((ip, j) => {
        const owner = model.nodeByAddress.get(ip);
        if (owner !== undefined && owner !== existing) issues.push({ path: `${at("node")}.ips[${j}]`, message: `IP ${quote(ip.text)} already belongs to node ${quote(model.cluster.nodes[owner]!.name)}` });
        const pod = model.podByAddress.get(ip);
        if (pod !== undefined && !pods[pod]!.hostNetwork) issues.push({ path: `${at("node")}.ips[${j}]`, message: `IP ${quote(ip.text)} already belongs to pod ${quote(namespacedName(pods[pod]!))}` });
      });
      if (issues.length > 0) return failure(issues);
      const nodes = model.cluster.nodes;
      const next = existing === undefined ? [...nodes, { ...fresh, index: nodes.length }] : nodes.map((n) => (n.index === existing ? { ...fresh, index: existing } : n));
      return success({ model: withCluster(model, namespaces, replacePods(pods, next), next), effect: { pods: [], namespaces: [], policies: false } });
    }
    case "removeNode": {
      const existing = typeof change.node === "string" ? model.nodeByName.get(change.node) : undefined;
      if (existing === undefined) return failure([{ path: at("node"), message: `unknown node ${quote(change.node)}` }]);
      const next = model.cluster.nodes.filter((n) => n.index !== existing).map((n, index) => (n.index === index ? n : { ...n, index }));
      return success({ model: withCluster(model, namespaces, replacePods(pods, next), next), effect: { pods: [], namespaces: [], policies: false } });
    }
    default:
      return failure([{ path: at("op"), message: unsupportedValue((change as { op?: unknown }).op, UPDATE_OPS) }]);
  }
}

/**
 * Applies a list of changes in order; throws `NetpolValidationError` (paths
 * `updates[i]...`, or `update...` for a single change) and returns nothing when one is invalid.
 */
export function applyUpdates(model: Model, changes: EngineUpdate | readonly EngineUpdate[]): { model: Model; effects: UpdateEffect[] } {
  const list: readonly EngineUpdate[] = Array.isArray(changes) ? changes : [changes as EngineUpdate];
  const effects: UpdateEffect[] = [];
  let current = model;
  // by index, not forEach: a hole in a sparse array is a missing change, not one to skip
  for (let i = 0; i < list.length; i++) {
    const result = applyUpdate(current, list[i]!, Array.isArray(changes) ? `updates[${i}]` : "update");
    if (!result.ok) throw new NetpolValidationError(result.issues);
    current = result.value.model;
    effects.push(result.value.effect);
  }
  return { model: current, effects };
}
