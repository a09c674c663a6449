/**
 * Text in: YAML or JSON, one or many documents, `List` kinds, turned into the
 * policies and the compact cluster (`namespaces`, `pods` and `nodes`, which together
 * are the `cluster` that `createEngine` takes), plus every problem found with its document index, line and field path.
 *
 * Text is read as kubectl reads it (`src/read`: YAML 1.1, JSON as JSON, document by
 * document and a large `List` item by item, so that memory stays bounded).
 *
 * Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) become
 * endpoints standing for their pods when none of their pods is given; see
 * `workloads.ts`. That is decided over all texts at once: `parseSources` reads many
 * files as one input, `parseManifests` is the one-text case.
 *
 * One notion of validity: everything `createEngine` would refuse in the cluster is
 * refused here first, with its file, document, line and field path: each Pod,
 * Namespace, Node and workload on its own, then across all of them (an endpoint, a
 * namespace or a node given twice, an IP address held by two pods or two nodes, a
 * node's address on a pod that is not host-networked).
 *
 * Contract: never throws on bad input (only on arguments of the wrong type, with a
 * `NetpolValidationError`). One bad document, or one bad item of a list, does not
 * stop the rest from loading. Unknown kinds are reported as warnings and skipped,
 * and so are namespaces that pods use but no Namespace object defines.
 */
import { ClusterDnsRecord, ClusterNamespace, ClusterNode, ClusterPod, ClusterService, NamespaceObject, NodeObject, PodObject, labelRecord } from "../decode/codecs.js";
import type { PolicyManifest } from "../decode/cluster-policy-manifest-types.js";
import { decodeAnyPolicy, isClusterPolicyKind } from "../validate/cluster-policy-decoders.js";
import { decodeCluster } from "../validate/decoders.js";
import { IpOwners } from "../validate/ip-owners.js";
import { NODE_ADDRESS_TYPES } from "../validate/nodes.js";
import { decodeWith } from "../decode/decode-with.js";
import { FIELD_VALIDATIONS, type FieldValidation } from "../decode/unknown-fields.js";
import { child, index, isPlainObject, NetpolValidationError, quote, type Issue } from "../primitives/issues.js";
import { DEFAULT_NAMESPACE, namespacedName } from "../primitives/kubernetes.js";
import { parseAddress } from "../primitives/address.js";
import { canonicalDomainName } from "../primitives/domain-name.js";
import { inputText } from "../read/input-text.js";
import { readDocuments, type Elements } from "../read/documents.js";
import { finishedPodMessage, isFinished } from "../primitives/pod-phase.js";
import { podEntryId, type DnsEntry, type NamespaceEntry, type NodeEntry, type PodEntry, type ServiceEntry } from "./entries.js";
import { readService, serviceProblems } from "./services.js";
import { controllerOf, isWorkloadKind, podWorkload, readWorkload, standIns, type WorkloadEntry } from "./workloads.js";
import { podName } from "../validate/decoders.js";
import { serviceId, type WorkloadKind } from "../primitives/endpoint-names.js";

/** Where an object was found. */
export interface Location {
  /** The source file, when known. */
  readonly file?: string;
  readonly document: number;
  readonly line?: number;
  /** The path inside the document, e.g. `items[2]`; empty for a whole document. */
  readonly path: string;
}

/** What `parseManifests` found. */
export interface Manifests {
  /**
   * Policies that passed the API server's validation, as JSON objects: NetworkPolicies,
   * ClusterNetworkPolicies, and v1alpha1 AdminNetworkPolicies / BaselineAdminNetworkPolicies.
   */
  readonly policies: PolicyManifest[];
  /** Where each policy came from (same order as `policies`). */
  readonly policyLocations: Location[];
  readonly namespaces: NamespaceEntry[];
  /** Where each namespace came from (same order as `namespaces`). */
  readonly namespaceLocations: Location[];
  readonly pods: PodEntry[];
  /** Where each pod (or workload standing for pods) came from (same order as `pods`). */
  readonly podLocations: Location[];
  /**
   * Services (the engine's `cluster.services`): `namespace/service/name` stands for the
   * pods its selector picks. One without a selector, or picking no pod, is a warning.
   */
  readonly services: ServiceEntry[];
  /** Where each Service came from (same order as `services`). */
  readonly serviceLocations: Location[];
  readonly nodes: NodeEntry[];
  /** Where each node came from (same order as `nodes`). */
  readonly nodeLocations: Location[];
  /** DNS records from compact clusters (`dns`), for ClusterNetworkPolicy `domainNames` peers. */
  readonly dns: DnsEntry[];
  /** Where each DNS record came from (same order as `dns`). */
  readonly dnsLocations: Location[];
  /** Every problem; those with `severity: "warning"` did not drop anything that could be read. */
  readonly issues: Array<Issue & { severity: "error" | "warning" }>;
}

/** One input text (or its bytes: UTF-8, or UTF-16 with a byte-order mark) and the file it came from. */
export interface Source {
  readonly text: string | Uint8Array;
  /** The file name put on every issue. */
  readonly file?: string;
}

/** Options of `parseSources` (and `parseManifests`). */
export interface SourceOptions {
  /**
   * Unknown fields in NetworkPolicies, as kubectl's `--validate`: `"strict"` (default)
   * an error at the field's path, `"warn"` a warning, `"ignore"` nothing. Other kinds
   * (Pods, Namespaces, workloads) are read leniently: netpol reads a few of their fields.
   */
  readonly validate?: FieldValidation;
  /**
   * The namespace of objects that name none, as `kubectl apply -n` sets it (default
   * `default`); objects that name a namespace keep theirs.
   */
  readonly namespace?: string;
}

/** Options of `parseManifests`. */
export interface ParseOptions extends SourceOptions {
  /** The file name put on every issue. */
  readonly file?: string;
}

/** Where a pod or workload was read, for the problems found once all input is in. */
type At = { readonly document: number; readonly line?: number; readonly file?: string; readonly path: string };

interface Sink {
  readonly out: Manifests;
  readonly base: { document: number; line?: number; file?: string };
  /** A sink for an element of a split array at `path` (its own line and lines). */
  element(path: string, line: number, lineOf: (path: string) => number | undefined): Sink;
  /** Where each of `out.pods` was read (same order). */
  readonly podsAt: PodAt[];
  /** Where each of `out.namespaces` was read (same order). */
  readonly namespacesAt: At[];
  /** Where each of `out.nodes` was read (same order). */
  readonly nodesAt: At[];
  /** Where each of `out.dns` was read (same order). */
  readonly dnsAt: At[];
  readonly workloads: Array<{ readonly entry: WorkloadEntry; readonly at: At }>;
  readonly services: Array<{ readonly entry: ServiceEntry; readonly at: At }>;
  readonly options: SourceOptions;
  error(path: string, message: string, object?: string): void;
  warning(path: string, message: string, object?: string): void;
}

/**
 * Where a pod was read, the paths of its namespace field and of each of its IPs there,
 * and its controller reference (`Kind/name`, null for none).
 */
type PodAt = At & { readonly namespacePath: string; readonly ipPaths?: readonly string[]; readonly controller: string | null };

const at = (sink: Sink, path: string): At => ({ ...sink.base, path });

/** Maps a compact-pod field path back to the Pod object's own field (`ipPaths[j]` for `ips[j]`). */
function podPath(compact: string, ipPaths: readonly string[]): string {
  return compact
    .replace(/^(name|namespace|labels)/, "metadata.$1")
    .replace(/^ips\[(\d+)\]/, (_, j: string) => ipPaths[Number(j)] ?? "status.podIPs")
    .replace(/^ports\[(\d+)\]/, "spec.containers[*].ports[$1]");
}

/** Whether the pod has finished, and then warns that it is left out (see `phase.ts`). */
function leftOutFinished(namespace: string, name: string, phase: string | null | undefined, path: string, sink: Sink): boolean {
  if (!isFinished(phase)) return false;
  sink.warning(path, finishedPodMessage(namespacedName({ namespace, name }), phase!));
  return true;
}

function addPod(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(PodObject, raw, path);
  if (!decoded.ok) {
    for (const i of decoded.issues) sink.error(i.path, i.message, "Pod");
    return;
  }
  const pod = decoded.value;
  // an empty namespace is no namespace (Go's zero value): kubectl's default
  const namespace = pod.metadata?.namespace || DEFAULT_NAMESPACE;
  if (leftOutFinished(namespace, pod.metadata?.name ?? "", pod.status?.phase, child(path, "status.phase"), sink)) return;
  const ips: string[] = [];
  const ipPaths: string[] = [];
  (pod.status?.podIPs ?? []).forEach((p, k) => {
    if (!p.ip) return;
    ips.push(p.ip);
    ipPaths.push(`status.podIPs[${k}].ip`);
  });
  if (ips.length === 0 && pod.status?.podIP) {
    ips.push(pod.status.podIP);
    ipPaths.push("status.podIP");
  }
  const entry: PodEntry = {
    namespace,
    name: pod.metadata?.name ?? "",
    labels: labelRecord(pod.metadata?.labels),
    ips,
    ports: (pod.spec?.containers ?? []).flatMap((c) =>
      (c.ports ?? []).map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        containerPort: p.containerPort ?? 0,
        protocol: p.protocol ?? "TCP",
      })),
    ),
    hostNetwork: pod.spec?.hostNetwork ?? false,
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
  };
  // the cluster checks (names, IPs, ports) on this one pod, with paths mapped back
  const checked = decodeCluster({ pods: [entry] });
  if (!checked.ok) {
    for (const i of checked.issues) sink.error(child(path, podPath(i.path.replace(/^pods\[0\]\.?/, ""), ipPaths)), i.message, "Pod");
    return;
  }
  sink.out.pods.push(entry);
  sink.podsAt.push({
    ...at(sink, path),
    namespacePath: child(path, "metadata.namespace"),
    ipPaths: ipPaths.map((p) => child(path, p)),
    controller: controllerOf(pod.metadata?.ownerReferences),
  });
}

function addNamespace(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(NamespaceObject, raw, path);
  if (!decoded.ok) {
    for (const i of decoded.issues) sink.error(i.path, i.message, "Namespace");
    return;
  }
  const name = decoded.value.metadata?.name;
  if (!name) {
    sink.error(child(path, "metadata.name"), "required value", "Namespace");
    return;
  }
  const labels = labelRecord(decoded.value.metadata?.labels);
  // the cluster's own checks (name, labels) on this one namespace, with paths mapped back
  const checked = decodeCluster({ namespaces: [{ name, labels }] });
  if (!checked.ok) {
    for (const i of checked.issues) sink.error(child(path, i.path.replace(/^namespaces\[0\]\.(name|labels)/, "metadata.$1")), i.message, "Namespace");
    return;
  }
  sink.out.namespaces.push({ name, labels });
  sink.namespacesAt.push(at(sink, path));
}

function addNode(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(NodeObject, raw, path);
  if (!decoded.ok) {
    for (const i of decoded.issues) sink.error(i.path, i.message, "Node");
    return;
  }
  const node = decoded.value;
  const entry: NodeEntry = {
    name: node.metadata?.name ?? "",
    labels: labelRecord(node.metadata?.labels),
    ips: (node.status?.addresses ?? []).flatMap((a) => (a.address && a.type && NODE_ADDRESS_TYPES.includes(a.type) ? [a.address] : [])),
  };
  const checked = decodeCluster({ nodes: [entry] });
  if (!checked.ok) {
    const nodePath = (compact: string): string =>
      compact.replace(/^(name|labels)/, "metadata.$1").replace(/^ips\[(\d+)\]/, "status.addresses[*].address");
    for (const i of checked.issues) sink.error(child(path, nodePath(i.path.replace(/^nodes\[0\]\.?/, ""))), i.message, "Node");
    return;
  }
  sink.out.nodes.push(entry);
  sink.nodesAt.push(at(sink, path));
}

/** Calls `add` on each element of `raw[key]`, or of its split elements when the reader cut them out. */
function eachElement(
  raw: Record<string, unknown>,
  key: string,
  path: string,
  sink: Sink,
  elements: ReadonlyMap<string, Elements> | undefined,
  add: (item: unknown, path: string, sink: Sink) => void,
): void {
  const at = child(path, key);
  const split = elements?.get(key);
  if (split === undefined) {
    const items = raw[key];
    if (Array.isArray(items)) for (let i = 0; i < items.length; i++) add(items[i], index(at, i), sink);
    return;
  }
  for (let i = 0; i < split.length; i++) {
    const item = split.read(i);
    const itemPath = index(at, i);
    if (item.ok) add(item.value, itemPath, sink.element(itemPath, item.line, item.lineOf));
    else {
      for (const issue of item.issues) {
        const inner = issue.path === undefined ? "" : issue.path.replace(/^\[0\]/, "").replace(/^(?=[^.[])/, ".");
        sink.out.issues.push({ ...sink.base, line: issue.line, path: `${itemPath}${inner}`, message: issue.message, severity: "error" });
      }
    }
  }
}

/** One namespace of a compact cluster. */
function addCompactNamespace(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(ClusterNamespace, raw, path);
  if (!decoded.ok) {
    for (const i of decoded.issues) sink.error(i.path, i.message, "cluster");
    return;
  }
  const checked = decodeCluster({ namespaces: [raw] });
  if (!checked.ok) {
    for (const i of checked.issues) sink.error(child(path, i.path.replace(/^namespaces\[0\]\.?/, "")), i.message, "cluster");
    return;
  }
  sink.out.namespaces.push({ name: decoded.value.name!, labels: labelRecord(decoded.value.labels) });
  sink.namespacesAt.push(at(sink, path));
}

/** One pod of a compact cluster; a finished one is left out with a warning. */
function addCompactPod(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(ClusterPod, raw, path);
  if (!decoded.ok) {
    for (const i of decoded.issues) sink.error(i.path, i.message, "cluster");
    return;
  }
  const checked = decodeCluster({ pods: [raw] });
  if (!checked.ok) {
    for (const i of checked.issues) sink.error(child(path, i.path.replace(/^pods\[0\]\.?/, "")), i.message, "cluster");
    return;
  }
  const p = decoded.value;
  if (leftOutFinished(p.namespace!, podName(p), p.phase, child(path, "phase"), sink)) return;
  sink.podsAt.push({ ...at(sink, path), namespacePath: child(path, "namespace"), ipPaths: (p.ips ?? []).map((_, j) => index(child(path, "ips"), j)), controller: null });
  sink.out.pods.push({
    namespace: p.namespace!,
    ...(p.name ? { name: p.name } : {}),
    labels: labelRecord(p.labels),
    ips: [...(p.ips ?? [])],
    ports: (p.ports ?? []).map((q) => ({ ...(q.name ? { name: q.name } : {}), containerPort: q.containerPort!, protocol: q.protocol ?? "TCP" })),
    hostNetwork: p.hostNetwork ?? false,
    ...(p.nodeName ? { nodeName: p.nodeName } : {}),
    ...(p.workload ? { workload: { kind: p.workload.kind as WorkloadKind, name: p.workload.name! } } : {}),
  });
}

/** One Service of a compact cluster. */
function addCompactService(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(ClusterService, raw, path);
  if (!decoded.ok) {
    for (const i of decoded.issues) sink.error(i.path, i.message, "cluster");
    return;
  }
  const checked = decodeCluster({ services: [raw] });
  if (!checked.ok) {
    for (const i of checked.issues) sink.error(child(path, i.path.replace(/^services\[0\]\.?/, "")), i.message, "cluster");
    return;
  }
  const s = decoded.value;
  const selector = s.selector && s.selector.size > 0 ? { selector: labelRecord(s.selector) } : {};
  const ports = (s.ports ?? []).map((q) => ({ ...(q.name ? { name: q.name } : {}), port: q.port!, protocol: q.protocol ?? "TCP", targetPort: q.targetPort ?? q.port! }));
  sink.services.push({ entry: { namespace: s.namespace!, name: s.name!, ...selector, ports }, at: at(sink, path) });
}

/** One node of a compact cluster. */
function addCompactNode(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(ClusterNode, raw, path);
  if (!decoded.ok) {
    for (const i of decoded.issues) sink.error(i.path, i.message, "cluster");
    return;
  }
  const checked = decodeCluster({ nodes: [raw] });
  if (!checked.ok) {
    for (const i of checked.issues) sink.error(child(path, i.path.replace(/^nodes\[0\]\.?/, "")), i.message, "cluster");
    return;
  }
  sink.out.nodes.push({ name: decoded.value.name!, labels: labelRecord(decoded.value.labels), ips: [...(decoded.value.ips ?? [])] });
  sink.nodesAt.push(at(sink, path));
}

/** One DNS record of a compact cluster. */
function addCompactDns(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(ClusterDnsRecord, raw, path);
  if (!decoded.ok) {
    for (const i of decoded.issues) sink.error(i.path, i.message, "cluster");
    return;
  }
  const checked = decodeCluster({ dns: [raw] });
  if (!checked.ok) {
    for (const i of checked.issues) sink.error(child(path, i.path.replace(/^dns\[0\]\.?/, "")), i.message, "cluster");
    return;
  }
  sink.out.dns.push({ name: decoded.value.name!, ips: [...(decoded.value.ips ?? [])] });
  sink.dnsAt.push(at(sink, path));
}

/** The lists of a compact cluster: a document without `kind` holding one of them is one. */
const COMPACT_CLUSTER_KEYS = ["namespaces", "pods", "nodes", "services", "dns"] as const;

/** A compact cluster (`COMPACT_CLUSTER_KEYS`), each item checked on its own; what spans items is checked in `finish`. */
function addCompactCluster(raw: unknown, path: string, sink: Sink, elements?: ReadonlyMap<string, Elements>): void {
  if (!isPlainObject(raw)) {
    if (raw !== null && raw !== undefined) sink.error(path, `expected an object, got ${quote(raw)}`, "cluster");
    return;
  }
  for (const key of COMPACT_CLUSTER_KEYS) {
    const items = raw[key];
    if (items !== undefined && items !== null && !Array.isArray(items)) sink.error(child(path, key), `expected an array, got ${quote(items)}`, "cluster");
  }
  eachElement(raw, "namespaces", path, sink, elements, addCompactNamespace);
  eachElement(raw, "pods", path, sink, elements, addCompactPod);
  eachElement(raw, "nodes", path, sink, elements, addCompactNode);
  eachElement(raw, "services", path, sink, elements, addCompactService);
  eachElement(raw, "dns", path, sink, elements, addCompactDns);
}

/**
 * Dispatches one object by its kind; `kind` may be inferred from a typed list.
 * `elements` are the arrays the reader cut out of a large document (in `raw` as `[]`).
 */
function addObject(raw: unknown, path: string, sink: Sink, inferredKind?: string, elements?: ReadonlyMap<string, Elements>): void {
  if (!isPlainObject(raw)) {
    if (raw !== null && raw !== undefined) sink.error(path, `expected an object, got ${quote(raw)}`);
    return;
  }
  const kind = typeof raw.kind === "string" ? raw.kind : inferredKind;
  if (kind === undefined) {
    if ("cluster" in raw && "policies" in raw) {
      // a whole conformance case
      addCompactCluster(raw.cluster, child(path, "cluster"), sink);
      if (!Array.isArray(raw.policies)) sink.error(child(path, "policies"), `expected an array, got ${quote(raw.policies)}`);
      // a null entry is no empty document here: createEngine refuses it, and so does the reader
      eachElement(raw, "policies", path, sink, elements, (p, at, s) => (p === null ? s.error(at, `expected a policy object, got ${quote(p)}`) : addObject(p, at, s)));
    } else if (COMPACT_CLUSTER_KEYS.some((key) => key in raw)) addCompactCluster(raw, path, sink, elements);
    else sink.error(child(path, "kind"), "required value: cannot tell what this object is");
    return;
  }
  if (kind === "List" || (kind.endsWith("List") && Array.isArray(raw.items))) {
    if (!Array.isArray(raw.items)) {
      sink.error(child(path, "items"), `expected an array, got ${quote(raw.items)}`);
      return;
    }
    const itemKind = kind === "List" ? undefined : kind.slice(0, -"List".length);
    eachElement(raw, "items", path, sink, elements, (item, at, s) => addObject(item, at, s, itemKind));
    return;
  }
  const object = CLUSTER_SCOPED.has(kind) ? raw : withNamespace(raw, sink.options.namespace);
  if (kind === "NetworkPolicy" || isClusterPolicyKind(kind)) {
    // items of a typed list may leave out apiVersion and kind
    const policy = { apiVersion: POLICY_API_VERSIONS[kind], kind, ...object };
    const decoded = decodeAnyPolicy(policy, { validate: sink.options.validate ?? "strict" });
    if (!decoded.ok) for (const i of decoded.issues) sink.error(child(path, i.path), i.message, policyName(object, kind));
    else {
      for (const w of decoded.value.warnings) sink.warning(child(path, w.path), w.message, policyName(object, kind));
      sink.out.policies.push(policy as PolicyManifest);
      sink.out.policyLocations.push({ ...at(sink, path) });
    }
    return;
  }
  switch (kind) {
    case "Node":
      addNode(raw, path, sink);
      return;
    case "Pod":
      addPod(object, path, sink);
      return;
    case "Namespace":
      addNamespace(object, path, sink);
      return;
    case "Service": {
      const service = readService(object, path, sink.options.namespace);
      if (!service.ok) for (const i of service.issues) sink.error(i.path, i.message, "Service");
      else sink.services.push({ entry: service.value, at: at(sink, path) });
      return;
    }
    default:
      if (isWorkloadKind(kind)) {
        const workload = readWorkload(object, kind, path);
        if (!workload.ok) for (const i of workload.issues) sink.error(i.path, i.message, kind);
        else sink.workloads.push({ entry: workload.value, at: at(sink, path) });
        return;
      }
      sink.warning(child(path, "kind"), `skipped object of unsupported kind ${quote(kind)}`);
  }
}

/** Kinds without a namespace, which `SourceOptions.namespace` leaves alone. */
const CLUSTER_SCOPED: ReadonlySet<string> = new Set(["Namespace", "Node", "ClusterNetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy"]);

/** `raw` with `metadata.namespace` set to `namespace` when it names none (`kubectl apply -n`). */
function withNamespace(raw: Record<string, unknown>, namespace: string | undefined): Record<string, unknown> {
  if (namespace === undefined) return raw;
  const meta = raw.metadata;
  if (meta !== undefined && meta !== null && !isPlainObject(meta)) return raw; // a type error, reported by the decoder
  if (isPlainObject(meta) && typeof meta.namespace === "string" && meta.namespace !== "") return raw;
  return { ...raw, metadata: { ...(meta ?? {}), namespace } };
}

/** The apiVersion a typed list's items of each policy kind default to. */
const POLICY_API_VERSIONS: Readonly<Record<string, string>> = {
  NetworkPolicy: "networking.k8s.io/v1",
  ClusterNetworkPolicy: "policy.networking.k8s.io/v1alpha2",
  AdminNetworkPolicy: "policy.networking.k8s.io/v1alpha1",
  BaselineAdminNetworkPolicy: "policy.networking.k8s.io/v1alpha1",
};

/** `Kind namespace/name` of a namespaced policy, `Kind name` of a cluster-scoped one. */
function policyName(raw: Record<string, unknown>, kind: string): string {
  const meta = isPlainObject(raw.metadata) ? raw.metadata : {};
  if (typeof meta.name !== "string") return kind;
  if (kind !== "NetworkPolicy") return `${kind} ${meta.name}`;
  // "" is Go's zero value, an unset namespace: the default namespace
  const ns = typeof meta.namespace === "string" && meta.namespace !== "" ? meta.namespace : DEFAULT_NAMESPACE;
  return `${kind} ${ns}/${meta.name}`;
}

/** `file:line document N`, for pointing at an earlier place in a message. */
const placeText = (where: At): string =>
  `${where.file ?? ""}${where.file !== undefined && where.line !== undefined ? ":" : ""}${where.line ?? ""} document ${where.document}`.trimStart();

/** An issue at a place read earlier. */
const issueAt = (where: At, message: string, severity: "error" | "warning", object?: string): Manifests["issues"][number] => ({
  document: where.document,
  ...(where.line !== undefined ? { line: where.line } : {}),
  ...(where.file !== undefined ? { file: where.file } : {}),
  path: where.path,
  message,
  ...(object !== undefined ? { object } : {}),
  severity,
});

/**
 * Policies given twice (one kind, namespace and name; cluster-scoped kinds have no
 * namespace): the API server keeps one object per name, so each later one is an error naming the first, and is skipped.
 * Policies named by `generateName` alone get distinct names there and never collide.
 */
export function dropDuplicatePolicies(out: Manifests): void {
  const first = new Map<string, Location>();
  const keep = out.policies.map((policy, i) => {
    const meta = isPlainObject(policy.metadata) ? policy.metadata : {};
    if (typeof meta.name !== "string" || meta.name === "") return true;
    // cluster-scoped kinds (ClusterNetworkPolicy, AdminNetworkPolicy, ...) are one per name and kind
    const kind = typeof policy.kind === "string" ? policy.kind : "NetworkPolicy";
    const name = kind === "NetworkPolicy" ? `${typeof meta.namespace === "string" && meta.namespace !== "" ? meta.namespace : DEFAULT_NAMESPACE}/${meta.name}` : meta.name;
    const id = `${kind}/${name}`;
    const seen = first.get(id);
    if (seen === undefined) {
      first.set(id, out.policyLocations[i]!);
      return true;
    }
    out.issues.push(issueAt(out.policyLocations[i]!, `duplicate ${kind} ${quote(name)}, first defined at ${placeText(seen)}: this one is skipped`, "error", `${kind} ${name}`));
    return false;
  });
  if (keep.every(Boolean)) return;
  const policies = out.policies.filter((_, i) => keep[i]);
  const locations = out.policyLocations.filter((_, i) => keep[i]);
  out.policies.length = out.policyLocations.length = 0;
  for (let i = 0; i < policies.length; i++) {
    out.policies.push(policies[i]!);
    out.policyLocations.push(locations[i]!);
  }
}

/**
 * Adds the endpoints of the workloads that stand for their pods (see `workloads.ts`),
 * and warns about each one dropped on a guess: its selector matched a pod without a
 * controller reference, or it has no replicas. A workload dropped because the input
 * gives its pods by controller reference, or gives its controlling workload, is
 * dropped silently: that is certain.
 */
function addStandIns(out: Manifests, podsAt: PodAt[], workloads: Sink["workloads"]): ReadonlyMap<string, NonNullable<PodEntry["workload"]>> {
  const given = out.pods.map((p, i) => ({ namespace: p.namespace, name: podName(p), labels: p.labels, controller: podsAt[i]!.controller }));
  const members = new Map<string, NonNullable<PodEntry["workload"]>>();
  standIns(
    workloads.map((w) => w.entry),
    given,
  ).forEach(({ workload, dropped, given }, i) => {
    const where = workloads[i]!.at;
    const what = `${workload.kind} ${quote(namespacedName(workload))}`;
    // the given pods a workload claims are its own: `namespace/kind/name` stands for them
    if (dropped !== null && dropped.reason !== "controlled") for (const pod of given) members.set(pod, { kind: workload.kind, name: workload.name });
    if (dropped === null) {
      for (const pod of workload.pods) {
        out.pods.push(pod);
        podsAt.push({ ...where, namespacePath: child(where.path, "metadata.namespace"), controller: null });
      }
    } else if (dropped.reason === "selected-pods") {
      const message = `${what} is not an endpoint: pod ${quote(dropped.pod)}, which has no controller reference, matches its selector and is taken for one of its pods`;
      out.issues.push(issueAt(where, message, "warning"));
    } else if (dropped.reason === "no-replicas") {
      out.issues.push(issueAt({ ...where, path: child(where.path, "spec.replicas") }, `${what} is not an endpoint: it has 0 replicas`, "warning"));
    }
  });
  return members;
}

/** Services given twice: each later one is an error naming the first, and is skipped; the rest go to `out.services`. */
function dropDuplicateServices(out: Manifests, services: Sink["services"]): void {
  const firstAt = new Map<string, At>();
  for (const { entry, at: where } of services) {
    const id = serviceId(entry.namespace, entry.name);
    const first = firstAt.get(id);
    if (first !== undefined) {
      out.issues.push(issueAt(where, `duplicate Service ${quote(id)}, first defined at ${placeText(first)}: this one is skipped`, "error"));
      continue;
    }
    firstAt.set(id, where);
    out.services.push(entry);
    out.serviceLocations.push(location(where));
  }
}

/** Keeps the entries of `items` (and of `where`, in step) for which `keep` holds, in place, in one pass. */
function keepWhere<T, W>(items: T[], where: W[], keep: (item: T, i: number) => boolean): void {
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    if (!keep(items[i]!, i)) continue;
    items[n] = items[i]!;
    where[n] = where[i]!;
    n++;
  }
  items.length = n;
  where.length = n;
}

/**
 * Nodes given twice, and an address held by two nodes (`checkNodes`, the rule
 * `createEngine` applies): each later one is an error naming the first, and is
 * skipped. Returns the node owning each address, by canonical text.
 */
function dropDuplicateNodes(out: Manifests, nodesAt: At[]): Map<string, string> {
  const firstAt = new Map<string, At>();
  const owners = new Map<string, string>();
  keepWhere(out.nodes, nodesAt, (node, i) => {
    const first = firstAt.get(node.name);
    if (first !== undefined) {
      out.issues.push(issueAt(nodesAt[i]!, `duplicate node ${quote(node.name)}, first defined at ${placeText(first)}: this one is skipped`, "error"));
      return false;
    }
    // every address is valid here: each node passed the cluster's own checks
    const addresses = node.ips.map((ip) => parseAddress(ip)!.text);
    const taken = addresses.findIndex((a) => owners.has(a) && owners.get(a) !== node.name);
    if (taken >= 0) {
      const owner = owners.get(addresses[taken]!)!;
      out.issues.push(issueAt(nodesAt[i]!, `IP ${quote(node.ips[taken])} already belongs to node ${quote(owner)}, defined at ${placeText(firstAt.get(owner)!)}: this one is skipped`, "error"));
      return false;
    }
    for (const a of addresses) owners.set(a, node.name);
    firstAt.set(node.name, nodesAt[i]!);
    return true;
  });
  return owners;
}

/** A DNS name given twice (without regard to case or a trailing dot, as `checkDns`): each later record is an error naming the first, and is skipped. */
function dropDuplicateDns(out: Manifests, dnsAt: At[]): void {
  const firstAt = new Map<string, At>();
  keepWhere(out.dns, dnsAt, (record, i) => {
    const name = canonicalDomainName(record.name);
    const first = firstAt.get(name);
    if (first !== undefined) {
      out.issues.push(issueAt(dnsAt[i]!, `duplicate DNS name ${quote(record.name)}, first defined at ${placeText(first)}: this one is skipped`, "error"));
      return false;
    }
    firstAt.set(name, dnsAt[i]!);
    return true;
  });
}

/**
 * What can only be decided once every text is read: which workloads stand for their
 * pods; policies, pods, workloads, namespaces or nodes given twice; an IP address held
 * by two pods (`IpOwners`, the rule `createEngine` applies) or two nodes, or a node's
 * held by a pod that is not host-networked; namespaces used but never defined.
 */
function finish(out: Manifests, podsAt: PodAt[], namespacesAt: At[], nodesAt: At[], dnsAt: At[], workloads: Sink["workloads"], services: Sink["services"]): void {
  dropDuplicatePolicies(out);
  dropDuplicateDns(out, dnsAt);
  const members = addStandIns(out, podsAt, workloads);
  const nodeOwners = dropDuplicateNodes(out, nodesAt);
  /** Where each kept endpoint was read, by `namespace/name` (not by index: the pass below compacts in place). */
  const seen = new Map<string, At>();
  const owners = new IpOwners();
  keepWhere(out.pods, podsAt, (p, i) => {
    const id = podEntryId(p);
    const key = id;
    const first = seen.get(key);
    if (first !== undefined) {
      out.issues.push(issueAt(podsAt[i]!, `duplicate endpoint ${quote(id)}, first defined at ${placeText(first)}: this one is skipped`, "error"));
      return false;
    }
    // every address is valid here: each pod passed the cluster's own checks
    const addresses = p.ips.map((ip) => parseAddress(ip)!.text);
    // a node's address is only a host-network pod's to share (`checkNodes`)
    const onNode = p.hostNetwork ? -1 : addresses.findIndex((a) => nodeOwners.has(a));
    if (onNode >= 0) {
      const node = nodeOwners.get(addresses[onNode]!)!;
      const ipPath = podsAt[i]!.ipPaths?.[onNode] ?? podsAt[i]!.path;
      out.issues.push(issueAt({ ...podsAt[i]!, path: ipPath }, `IP ${quote(p.ips[onNode])} belongs to node ${quote(node)}; only a host-network pod may share its node's address: this one is skipped`, "error"));
      return false;
    }
    for (let j = 0; j < addresses.length; j++) {
      const owner = owners.clash(addresses[j]!, key, p.hostNetwork);
      if (owner === null) continue;
      const ipPath = podsAt[i]!.ipPaths?.[j] ?? podsAt[i]!.path;
      out.issues.push(
        issueAt(
          { ...podsAt[i]!, path: ipPath },
          `IP ${quote(p.ips[j])} already belongs to pod ${quote(owner)}, defined at ${placeText(seen.get(owner)!)}: this one is skipped`,
          "error",
        ),
      );
      return false;
    }
    for (const address of addresses) owners.claim(address, key, p.hostNetwork);
    seen.set(key, podsAt[i]!);
    return true;
  });
  // a given pod's workload, by controller reference when its workload claimed it by neither
  out.pods.forEach((p, i) => {
    if (p.workload !== undefined) return;
    const workload = members.get(podEntryId(p)) ?? podWorkload({ namespace: p.namespace, name: podName(p), labels: p.labels, controller: podsAt[i]!.controller });
    if (workload !== null && workload !== undefined) out.pods[i] = { ...p, workload: { kind: workload.kind, name: workload.name } };
  });
  const namespaces = new Set<string>();
  const firstAt = new Map<string, At>();
  keepWhere(out.namespaces, namespacesAt, (ns, i) => {
    const first = firstAt.get(ns.name);
    if (first !== undefined) {
      out.issues.push(issueAt(namespacesAt[i]!, `duplicate namespace ${quote(ns.name)}, first defined at ${placeText(first)}: this one is skipped`, "error"));
      return false;
    }
    firstAt.set(ns.name, namespacesAt[i]!);
    namespaces.add(ns.name);
    return true;
  });
  dropDuplicateServices(out, services);
  serviceProblems(out.services, out.pods, (i, message) => out.issues.push(issueAt(services[i]!.at, message, "warning", "Service")));
  for (let i = 0; i < out.pods.length; i++) {
    const p = out.pods[i]!;
    if (namespaces.has(p.namespace)) continue;
    namespaces.add(p.namespace);
    out.issues.push(
      issueAt(
        { ...podsAt[i]!, path: podsAt[i]!.namespacePath },
        `namespace ${quote(p.namespace)} is not defined: assumed to have only the label \`kubernetes.io/metadata.name=${p.namespace}\``,
        "warning",
      ),
    );
  }
  for (const where of podsAt) out.podLocations.push(location(where));
  for (const where of namespacesAt) out.namespaceLocations.push(location(where));
  for (const where of nodesAt) out.nodeLocations.push(location(where));
  for (const where of dnsAt) out.dnsLocations.push(location(where));
}

/** The public form of a place. */
const location = (where: At): Location => ({
  ...(where.file !== undefined ? { file: where.file } : {}),
  document: where.document,
  ...(where.line !== undefined ? { line: where.line } : {}),
  path: where.path,
});

/** A text's own problem (it could not be read, or one of its documents), as an issue. */
type TextProblem = { readonly line?: number; readonly message: string; readonly path?: string };

/**
 * Reads policies (NetworkPolicy, ClusterNetworkPolicy, v1alpha1 AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy), Namespaces, Pods, Nodes and workloads (and compact
 * clusters or whole conformance cases) from many texts as one input.
 */
export function parseSources(sources: readonly Source[], options: SourceOptions = {}): Manifests {
  if (!Array.isArray(sources)) throw new NetpolValidationError([{ path: "sources", message: `expected an array of { text, file? }, got ${quote(sources)}` }]);
  sources.forEach((source, i) => checkSource(source?.text, source?.file, `sources[${i}]`));
  checkOptions(options, "options");
  const out: Manifests = { policies: [], policyLocations: [], namespaces: [], namespaceLocations: [], pods: [], podLocations: [], nodes: [], nodeLocations: [], services: [], serviceLocations: [], dns: [], dnsLocations: [], issues: [] };
  const services: Sink["services"] = [];
  const podsAt: PodAt[] = [];
  const namespacesAt: At[] = [];
  const nodesAt: At[] = [];
  const dnsAt: At[] = [];
  const workloads: Sink["workloads"] = [];
  for (const source of sources) {
    const file = source.file !== undefined ? { file: source.file } : {};
    const problem = (document: number, issue: TextProblem): void => {
      out.issues.push({ path: issue.path ?? "", message: issue.message, document, ...(issue.line !== undefined ? { line: issue.line } : {}), ...file, severity: "error" });
    };
    const text = inputText(source.text);
    if (!text.ok) {
      problem(0, { message: text.message });
      continue;
    }
    for (const doc of readDocuments(text.text, problem)) {
      const sink = makeSink(out, { document: doc.document, line: doc.line, ...file }, doc.lineOf, "", { podsAt, namespacesAt, nodesAt, dnsAt, workloads, services, options });
      if (Array.isArray(doc.value)) doc.value.forEach((item, i) => addObject(item, `[${i}]`, sink));
      else addObject(doc.value, "", sink, undefined, doc.elements);
    }
  }
  finish(out, podsAt, namespacesAt, nodesAt, dnsAt, workloads, services);
  return out;
}

/**
 * A sink writing to `out` at `base`; paths under `prefix` are looked up with `lineOf`
 * (the field's own line where the reader knows it, else the base line).
 */
function makeSink(
  out: Manifests,
  base: Sink["base"],
  lineOf: (path: string) => number | undefined,
  prefix: string,
  places: Pick<Sink, "podsAt" | "namespacesAt" | "nodesAt" | "dnsAt" | "workloads" | "services" | "options">,
): Sink {
  const at = (path: string) => {
    const inner = path.startsWith(prefix) ? path.slice(prefix.length).replace(/^\./, "") : path;
    const line = lineOf(inner) ?? base.line;
    return { ...base, ...(line !== undefined ? { line } : {}), path };
  };
  return {
    out,
    base,
    ...places,
    element: (path, line, elementLineOf) => makeSink(out, { ...base, line }, elementLineOf, path, places),
    error: (path, message, object) => out.issues.push({ ...at(path), message, ...(object ? { object } : {}), severity: "error" }),
    warning: (path, message, object) => out.issues.push({ ...at(path), message, ...(object ? { object } : {}), severity: "warning" }),
  };
}

/** Throws `NetpolValidationError` unless `text` is a string or bytes and `file` a string or absent. */
function checkSource(text: unknown, file: unknown, path: string): void {
  const issues: Issue[] = [];
  if (typeof text !== "string" && !(text instanceof Uint8Array)) issues.push({ path: child(path, "text"), message: `expected manifest text (a string or a Uint8Array), got ${quote(text)}` });
  if (file !== undefined && typeof file !== "string") issues.push({ path: child(path, "file"), message: `expected a file name, got ${quote(file)}` });
  if (issues.length > 0) throw new NetpolValidationError(issues);
}

/** Throws `NetpolValidationError` unless `validate` and `namespace` of `options` are absent or of their types. */
function checkOptions(options: SourceOptions, path: string): void {
  const issues: Issue[] = [];
  if (typeof options !== "object" || options === null) throw new NetpolValidationError([{ path, message: `expected an object, got ${quote(options)}` }]);
  if (options.validate !== undefined && !FIELD_VALIDATIONS.includes(options.validate))
    issues.push({ path: child(path, "validate"), message: `expected one of ${FIELD_VALIDATIONS.map((v) => quote(v)).join(", ")}, got ${quote(options.validate)}` });
  if (options.namespace !== undefined && (typeof options.namespace !== "string" || options.namespace === ""))
    issues.push({ path: child(path, "namespace"), message: `expected a namespace name, got ${quote(options.namespace)}` });
  if (issues.length > 0) throw new NetpolValidationError(issues);
}

/**
 * Reads NetworkPolicies, Namespaces, Pods and workloads (and compact clusters or
 * whole conformance cases) from YAML or JSON text (a string, or bytes in UTF-8 or
 * UTF-16 with a byte-order mark). Throws `NetpolValidationError` only when `text`
 * or `options` is of the wrong type; problems with the input are in `issues`.
 */
export function parseManifests(text: string | Uint8Array, options: ParseOptions = {}): Manifests {
  if (typeof options !== "object" || options === null) throw new NetpolValidationError([{ path: "options", message: `expected an object, got ${quote(options)}` }]);
  checkSource(text, options.file, "");
  const { file, ...rest } = options;
  return parseSources([{ text, ...(file !== undefined ? { file } : {}) }], rest);
}
