/**
 * The loaded model every evaluator works from: the input decoded, validated and
 * normalized, the options filled in, and endpoint lookup by name and by address.
 */
import { failure, success, type Result } from "../primitives/result.js";
import { decodeCluster, type ValidNetworkPolicy } from "../validate/decoders.js";
import { decodeAnyPolicy } from "../validate/cluster-policy-decoders.js";
import { index, isPlainObject, quote, unsupportedValue, type Issue } from "../primitives/issues.js";
import { normalizeCluster, normalizePolicies } from "../normalize/normalize.js";
import { normalizeClusterPolicies, type ClusterPolicySource } from "../normalize/cluster-policies.js";
import { clusterPolicyId } from "../ir/tiers.js";
import { equalPriorityOverlaps } from "../reference/tiers.js";
import { DEFAULT_OPTIONS, type Cluster, type Endpoint, type Options, type ResolvedFlow, type RuleSet } from "../ir/types.js";
import { isProtocol, namespacedName, PROTOCOLS, type Protocol } from "../primitives/kubernetes.js";
import { PodAddresses } from "./addresses.js";
import { PodNames } from "./pod-names.js";
import { NO_ENDPOINT, endpointMessage, endpointOf, scanEndpoint } from "./endpoints.js";
import type { Flow } from "../api/engine.js";
import { FIELD_VALIDATIONS, type FieldValidation } from "../decode/unknown-fields.js";

/** Everything an evaluator needs, with lookups. */
export interface Model {
  readonly rules: RuleSet;
  readonly cluster: Cluster;
  readonly options: Options;
  /** How unknown policy fields are treated, here and by updates (`warn` reads as `ignore`: an engine has no warnings). */
  readonly validate: FieldValidation;
  /** `namespace/name` of every pod, in cluster order. */
  readonly podIds: readonly string[];
  /** Pod index by `namespace/name`. */
  readonly podByName: PodNames;
  /** Pod index by address, keyed by number. */
  readonly podByAddress: PodAddresses;
  /** Node index by name. */
  readonly nodeByName: ReadonlyMap<string, number>;
  /** Node index by address: a node's address stands for the node. */
  readonly nodeByAddress: PodAddresses;
  /**
   * What validation warned about each cluster-scoped policy (by `Kind/name`): a
   * withdrawn API version, peers netpol cannot resolve, entries that match nothing.
   */
  readonly policyWarnings: ReadonlyMap<string, readonly Issue[]>;
}

/** A model's lookups over its cluster: pod ids, pods and nodes by name and by address. */
export function clusterLookups(cluster: Cluster): Pick<Model, "podIds" | "podByName" | "podByAddress" | "nodeByName" | "nodeByAddress"> {
  const podIds = cluster.pods.map(namespacedName);
  return {
    podIds,
    podByName: PodNames.of(podIds),
    podByAddress: PodAddresses.of(cluster.pods),
    nodeByName: new Map(cluster.nodes.map((n) => [n.name, n.index])),
    nodeByAddress: PodAddresses.of(cluster.nodes),
  };
}

/** `model` with only the pods `pods` (ascending pod indexes), re-indexed in that order; rules, nodes and options unchanged. */
export function representativeModel(model: Model, pods: ArrayLike<number>): Model {
  const cluster = {
    namespaces: model.cluster.namespaces,
    nodes: model.cluster.nodes,
    dns: model.cluster.dns,
    pods: Array.from(pods, (p, index) => ({ ...model.cluster.pods[p]!, index })),
    services: model.cluster.services,
  };
  return { ...model, cluster, ...clusterLookups(cluster) };
}

/**
 * Every warning about a model: its policies' own (see `Model.policyWarnings`), then
 * same-tier, same-priority cluster-scoped policies whose subjects share a pod and
 * which both have rules for one direction (their order is implementation-defined
 * upstream; netpol's is by name).
 */
export function modelWarnings(model: Model): Issue[] {
  const { rules, cluster } = model;
  const ties = equalPriorityOverlaps(rules.clusterPolicies, cluster).map(([a, b, direction]): Issue => ({
    path: "spec.priority",
    object: `${a.kind} ${a.name}`,
    message: `same tier (${a.tier}) and priority (${a.priority ?? "none"}) as ${b.kind} ${b.name}, and both apply to the ${direction.toLowerCase()} of some pod: netpol evaluates ${a.name} first (ties are broken by name), an implementation may not`,
  }));
  return [...[...model.policyWarnings.values()].flat(), ...ties];
}

const OPTION_VALUES: { readonly [K in keyof Options]: readonly Options[K][] } = {
  selfTraffic: ["allow", "policy"],
  ipBlockMatchesPods: [true, false],
  hostNetwork: ["host", "pod"],
  nodeLocal: ["allow", "policy"],
};

/** Fills in default options and reports unknown names and values. */
export function decodeOptions(input: unknown): Result<Options> {
  if (input === undefined || input === null) return success(DEFAULT_OPTIONS);
  if (!isPlainObject(input)) return failure([{ path: "options", message: `expected an object, got ${quote(input)}` }]);
  const issues: Issue[] = [];
  const out: Record<string, unknown> = { ...DEFAULT_OPTIONS };
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (!Object.hasOwn(OPTION_VALUES, key)) {
      issues.push({ path: `options.${key}`, message: `unknown option, expected one of ${Object.keys(OPTION_VALUES).join(", ")}` });
    } else if (value !== undefined) {
      const allowed = OPTION_VALUES[key as keyof Options] as readonly unknown[];
      if (!allowed.includes(value)) issues.push({ path: `options.${key}`, message: unsupportedValue(value, OPTION_VALUES[key as keyof Options]) });
      else out[key] = value;
    }
  }
  return issues.length > 0 ? failure(issues) : success(out as unknown as Options);
}

/** An engine's input before any check: `EngineInput`'s fields, of any type. */
export interface UncheckedInput {
  readonly cluster?: unknown;
  readonly policies?: unknown;
  readonly options?: unknown;
  readonly validate?: unknown;
}

/**
 * Two NetworkPolicies with one namespace and name: the API server keeps one object
 * per name (a second create is `AlreadyExists`), so such input is no cluster's state.
 * Each later one is reported, naming the first (`positions[k]` is the input index of
 * `policies[k]`). Policies named by `generateName` alone get distinct names from the
 * API server and never collide.
 */
function duplicatePolicies(rules: RuleSet, policies: readonly ValidNetworkPolicy[], positions: readonly number[]): Issue[] {
  const first = new Map<string, number>();
  const issues: Issue[] = [];
  rules.policies.forEach((policy, k) => {
    if (!policies[k]!.metadata?.name) return;
    const id = namespacedName(policy);
    const seen = first.get(id);
    if (seen === undefined) first.set(id, positions[k]!);
    else {
      issues.push({
        path: "metadata.name",
        object: index("policies", positions[k]!),
        message: `duplicate NetworkPolicy ${quote(id)}: ${index("policies", seen)} has the same namespace and name, and the API server keeps one object per name`,
      });
    }
  });
  return issues;
}

/** Decodes, validates and normalizes an engine's input; every problem is reported. */
export function loadModel(input: UncheckedInput): Result<Model> {
  const issues: Issue[] = [];
  const options = decodeOptions(input.options);
  if (!options.ok) issues.push(...options.issues);
  const validate = (input.validate ?? "strict") as FieldValidation;
  if (!FIELD_VALIDATIONS.includes(validate)) issues.push({ path: "validate", message: unsupportedValue(validate, FIELD_VALIDATIONS) });
  const cluster = decodeCluster(input.cluster);
  if (!cluster.ok) issues.push(...cluster.issues.map((i) => ({ ...i, path: i.path === "" ? "cluster" : `cluster.${i.path}` })));
  const policies: ValidNetworkPolicy[] = [];
  const positions: number[] = [];
  const clusterPolicies: ClusterPolicySource[] = [];
  const policyWarnings = new Map<string, readonly Issue[]>();
  const seen = new Map<string, number>();
  if (!Array.isArray(input.policies)) issues.push({ path: "policies", message: `expected an array, got ${quote(input.policies)}` });
  else {
    input.policies.forEach((p: unknown, i) => {
      const decoded = decodeAnyPolicy(p, { validate });
      if (!decoded.ok) {
        const object = index("policies", i);
        issues.push(...decoded.issues.map((issue) => ({ ...issue, object })));
        return;
      }
      const d = decoded.value;
      if (d.kind === "NetworkPolicy") {
        policies.push(d.policy);
        positions.push(i);
        return;
      }
      // one object per kind and name, as the API server keeps them (generateName alone gets a fresh name)
      const id = clusterPolicyId({ kind: d.kind, name: d.policy.metadata!.name || d.policy.metadata!.generateName! });
      const first = d.policy.metadata!.name ? seen.get(id) : undefined;
      if (first !== undefined) {
        issues.push({ path: "metadata.name", object: index("policies", i), message: `duplicate ${d.kind} ${quote(id.slice(d.kind.length + 1))}: ${index("policies", first)} has the same name, and the API server keeps one object per name` });
      } else {
        seen.set(id, i);
        clusterPolicies.push(d);
        if (d.warnings.length > 0) policyWarnings.set(id, d.warnings.map((w) => ({ ...w, object: `${d.kind} ${id.slice(d.kind.length + 1)}` })));
      }
    });
  }
  const networkPolicies = normalizePolicies(policies);
  issues.push(...duplicatePolicies(networkPolicies, policies, positions));
  if (issues.length > 0 || !options.ok || !cluster.ok) return failure(issues);
  const normalized = normalizeCluster(cluster.value);
  const rules: RuleSet = { policies: networkPolicies.policies, clusterPolicies: normalizeClusterPolicies(clusterPolicies) };
  return success({
    rules,
    cluster: normalized,
    options: options.value,
    validate,
    ...clusterLookups(normalized),
    policyWarnings,
  });
}

const scanned = new Uint32Array(4);

/** Resolves an endpoint string as `scanEndpoint` reads it: a pod id, `node:<name>`, or an address (a node's or a pod's own, or outside). */
export function resolveEndpoint(model: Model, text: unknown, path: string): Result<Endpoint> {
  const kind = scanEndpoint(model, text, scanned);
  return kind === NO_ENDPOINT ? failure([{ path, message: endpointMessage(text) }]) : success(endpointOf(kind, scanned));
}

/** Checks a protocol and port from a flow or a query. */
export function resolvePort(protocol: unknown, port: unknown, path: string): Result<{ protocol: Protocol; port: number }> {
  const p = protocol ?? "TCP";
  if (!isProtocol(p)) return failure([{ path: `${path}.protocol`, message: unsupportedValue(p, PROTOCOLS) }]);
  if (typeof port !== "number" || !Number.isInteger(port) || port < 1 || port > 65535) {
    return failure([{ path: `${path}.port`, message: `invalid value ${quote(port)}: must be between 1 and 65535, inclusive` }]);
  }
  return success({ protocol: p, port });
}

/** Resolves a user's flow; `path` prefixes the issue (e.g. `flows[3]`). */
export function resolveFlow(model: Model, flow: Flow, path: string): Result<ResolvedFlow> {
  if (!isPlainObject(flow)) return failure([{ path, message: `expected a flow object, got ${quote(flow)}` }]);
  const from = resolveEndpoint(model, flow.from, path === "" ? "from" : `${path}.from`);
  const to = resolveEndpoint(model, flow.to, path === "" ? "to" : `${path}.to`);
  const port = resolvePort(flow.protocol, flow.port, path === "" ? "flow" : path);
  const issues = [from, to, port].flatMap((r) => (r.ok ? [] : r.issues));
  if (!from.ok || !to.ok || !port.ok) return failure(issues);
  return success({ from: from.value, to: to.value, ...port.value });
}
