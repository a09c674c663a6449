/**
 * Text in: YAML or JSON, one or many documents, `List` kinds, turned into the
 * NetworkPolicies and the compact cluster (`namespaces` and `pods`, which together
 * are the `cluster` that `createEngine` takes), plus every problem found with its document index, line and field path.
 *
 * Workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) become
 * endpoints standing for their pods when none of their pods is given; see
 * `workloads.ts`. That is decided over all texts at once: `parseSources` reads many
 * files as one input, `parseManifests` is the one-text case.
 *
 * Contract: never throws on bad input. One bad document, or one bad item of a list,
 * does not stop the rest from loading. Unknown kinds are reported as warnings and
 * skipped, and so are namespaces that pods use but no Namespace object defines.
 */
import { LineCounter, parseAllDocuments } from "yaml";
import { ClusterCodec, NamespaceObject, NodeObject, PodObject, labelRecord } from "../decode/codecs.js";
import type { PolicyManifest } from "../decode/cluster-policy-manifest-types.js";
import { decodeAnyPolicy, isClusterPolicyKind } from "../validate/cluster-policy-decoders.js";
import { decodeCluster } from "../validate/decoders.js";
import { NODE_ADDRESS_TYPES } from "../validate/nodes.js";
import { decodeWith } from "../decode/decode-with.js";
import type { FieldValidation } from "../decode/unknown-fields.js";
import { child, index, isPlainObject, quote, type Issue } from "../primitives/issues.js";
import { DEFAULT_NAMESPACE, namespacedName } from "../primitives/kubernetes.js";
import { finishedPodMessage, isFinished } from "../primitives/pod-phase.js";
import type { EndpointGroup, NamespaceEntry, NodeEntry, PodEntry } from "./entries.js";
import { readService, serviceGroups, type ServiceEntry } from "./services.js";
import { controllerOf, isWorkloadKind, readWorkload, standIns, workloadId, type WorkloadEntry } from "./workloads.js";

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
  readonly pods: PodEntry[];
  /**
   * Names that stand for several pods: workloads whose pods are given, StatefulSets
   * standing in as their ordinal pods, and Services (the pods their selector picks).
   */
  readonly groups: EndpointGroup[];
  readonly nodes: NodeEntry[];
  /** Every problem; those with `severity: "warning"` did not drop anything that could be read. */
  readonly issues: Array<Issue & { severity: "error" | "warning" }>;
}

/** One input text and the file it came from. */
export interface Source {
  readonly text: string;
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
  /** Where each of `out.pods` was read (same order). */
  readonly podsAt: PodAt[];
  /** Where each of `out.namespaces` was read (same order). */
  readonly namespacesAt: At[];
  /** Where each of `out.nodes` was read (same order). */
  readonly nodesAt: At[];
  readonly workloads: Array<{ readonly entry: WorkloadEntry; readonly at: At }>;
  readonly services: Array<{ readonly entry: ServiceEntry; readonly at: At }>;
  readonly options: SourceOptions;
  error(path: string, message: string, object?: string): void;
  warning(path: string, message: string, object?: string): void;
}

/** Where a pod was read, the path of its namespace field there, and its controller reference (`Kind/name`, null for none). */
type PodAt = At & { readonly namespacePath: string; readonly controller: string | null };

const at = (sink: Sink, path: string): At => ({ ...sink.base, path });

/** Maps a compact-pod field path back to the Pod object's own field. */
function podPath(compact: string): string {
  return compact
    .replace(/^(name|namespace|labels)/, "metadata.$1")
    .replace(/^ips\[(\d+)\]/, "status.podIPs[$1].ip")
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
  if (leftOutFinished(pod.metadata?.namespace ?? DEFAULT_NAMESPACE, pod.metadata?.name ?? "", pod.status?.phase, child(path, "status.phase"), sink)) return;
  const ips = (pod.status?.podIPs ?? []).flatMap((p) => (p.ip ? [p.ip] : []));
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  const entry: PodEntry = {
    namespace: pod.metadata?.namespace ?? DEFAULT_NAMESPACE,
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
    for (const i of checked.issues) sink.error(child(path, podPath(i.path.replace(/^pods\[0\]\.?/, ""))), i.message, "Pod");
    return;
  }
  sink.out.pods.push(entry);
  sink.podsAt.push({ ...at(sink, path), namespacePath: child(path, "metadata.namespace"), controller: controllerOf(pod.metadata?.ownerReferences) });
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
  sink.out.namespaces.push({ name, labels: labelRecord(decoded.value.metadata?.labels) });
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

function addCompactCluster(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(ClusterCodec, raw, path);
  if (!decoded.ok) {
    for (const i of decoded.issues) sink.error(i.path, i.message, "cluster");
    return;
  }
  const checked = decodeCluster(raw);
  if (!checked.ok) {
    for (const i of checked.issues) sink.error(child(path, i.path), i.message, "cluster");
    return;
  }
  for (const [i, ns] of (checked.value.namespaces ?? []).entries()) {
    sink.out.namespaces.push({ name: ns.name!, labels: labelRecord(ns.labels) });
    sink.namespacesAt.push(at(sink, index(child(path, "namespaces"), i)));
  }
  for (const [i, p] of (checked.value.pods ?? []).entries()) {
    const podPath = index(child(path, "pods"), i);
    if (leftOutFinished(p.namespace!, p.name!, p.phase, child(podPath, "phase"), sink)) continue;
    sink.podsAt.push({ ...at(sink, podPath), namespacePath: child(podPath, "namespace"), controller: null });
    sink.out.pods.push({
      namespace: p.namespace!,
      name: p.name!,
      labels: labelRecord(p.labels),
      ips: [...(p.ips ?? [])],
      ports: (p.ports ?? []).map((q) => ({ ...(q.name ? { name: q.name } : {}), containerPort: q.containerPort!, protocol: q.protocol ?? "TCP" })),
      hostNetwork: p.hostNetwork ?? false,
      ...(p.nodeName ? { nodeName: p.nodeName } : {}),
    });
  }
  for (const [i, node] of (checked.value.nodes ?? []).entries()) {
    sink.out.nodes.push({ name: node.name!, labels: labelRecord(node.labels), ips: [...(node.ips ?? [])] });
    sink.nodesAt.push(at(sink, index(child(path, "nodes"), i)));
  }
}

/** Dispatches one object by its kind; `kind` may be inferred from a typed list. */
function addObject(raw: unknown, path: string, sink: Sink, inferredKind?: string): void {
  if (!isPlainObject(raw)) {
    if (raw !== null && raw !== undefined) sink.error(path, `expected an object, got ${quote(raw)}`);
    return;
  }
  const kind = typeof raw.kind === "string" ? raw.kind : inferredKind;
  if (kind === undefined) {
    if ("cluster" in raw && "policies" in raw) {
      // a whole conformance case
      addCompactCluster(raw.cluster, child(path, "cluster"), sink);
      if (Array.isArray(raw.policies)) raw.policies.forEach((p, i) => addObject(p, index(child(path, "policies"), i), sink));
    } else if ("pods" in raw || "namespaces" in raw || "nodes" in raw) addCompactCluster(raw, path, sink);
    else sink.error(child(path, "kind"), "required value: cannot tell what this object is");
    return;
  }
  if (kind === "List" || (kind.endsWith("List") && Array.isArray(raw.items))) {
    if (!Array.isArray(raw.items)) {
      sink.error(child(path, "items"), `expected an array, got ${quote(raw.items)}`);
      return;
    }
    const itemKind = kind === "List" ? undefined : kind.slice(0, -"List".length);
    raw.items.forEach((item, i) => addObject(item, index(child(path, "items"), i), sink, itemKind));
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
      const service = readService(object, path);
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
  const ns = typeof meta.namespace === "string" ? meta.namespace : DEFAULT_NAMESPACE;
  return `${kind} ${ns}/${meta.name}`;
}

/** One document of the input; `lineOf` finds the line of a field path where the parser knows it. */
interface Document {
  readonly value: unknown;
  readonly line?: number;
  readonly lineOf?: (path: string) => number | undefined;
}

/** Splits `a.b[0].c` into `["a", "b", 0, "c"]`. */
function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** The documents of `text`: JSON when it parses as such, otherwise YAML (multi-document). */
function readDocuments(text: string, report: (document: number, line: number | undefined, message: string) => void): Document[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return [{ value: JSON.parse(text) as unknown, line: 1 }];
    } catch {
      // not JSON after all: YAML (a superset) reports the problem with a position
    }
  }
  const lines = new LineCounter();
  const out: Document[] = [];
  let docs;
  try {
    docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  } catch (error) {
    report(0, undefined, `cannot parse YAML: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
  if (!Array.isArray(docs)) docs = [docs]; // an empty stream
  docs.forEach((doc, i) => {
    const line = lines.linePos(doc.range[0]).line;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) report(i, e.linePos?.[0].line ?? line, `invalid YAML: ${e.message.split("\n")[0]}`);
      out.push({ value: undefined, line });
      return;
    }
    // the deepest node on the path that exists; label keys with dots may stop it early
    const lineOf = (path: string): number | undefined => {
      const segments = pathSegments(path);
      for (let n = segments.length; n > 0; n--) {
        const node = doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return lines.linePos(node.range[0]).line;
      }
      return undefined;
    };
    try {
      out.push({ value: doc.toJS({ maxAliasCount: 1000 }) as unknown, line, lineOf });
    } catch (error) {
      report(i, line, `cannot read YAML document: ${error instanceof Error ? error.message : String(error)}`);
      out.push({ value: undefined, line });
    }
  });
  return out;
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
function dropDuplicatePolicies(out: Manifests): void {
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
function addStandIns(out: Manifests, podsAt: PodAt[], workloads: Sink["workloads"]): void {
  const given = out.pods.map((p, i) => ({ namespace: p.namespace, name: p.name, labels: p.labels, controller: podsAt[i]!.controller }));
  standIns(
    workloads.map((w) => w.entry),
    given,
  ).forEach(({ workload, dropped, given }, i) => {
    const where = workloads[i]!.at;
    const what = `${workload.kind} ${quote(namespacedName(workload))}`;
    const id = workloadId(workload.namespace, workload.kind, workload.name);
    if (dropped === null && workload.pods.some((p) => p.workload?.ordinal !== undefined)) out.groups.push({ id, pods: workload.pods.map((p) => namespacedName(p)) });
    if (dropped !== null && given.length > 0) out.groups.push({ id, pods: [...new Set(given)] });
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
}

/**
 * What can only be decided once every text is read: which workloads stand for their
 * pods, pods or namespaces given twice, and namespaces used but never defined.
 */
function finish(out: Manifests, podsAt: PodAt[], namespacesAt: At[], workloads: Sink["workloads"], services: Sink["services"]): void {
  dropDuplicatePolicies(out);
  addStandIns(out, podsAt, workloads);
  const seen = new Map<string, number>();
  const keep: boolean[] = out.pods.map((p, i) => {
    const id = p.workload && p.workload.ordinal === undefined ? workloadId(p.namespace, p.workload.kind, p.workload.name) : namespacedName(p);
    const key = namespacedName(p);
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return true;
    }
    out.issues.push(issueAt(podsAt[i]!, `duplicate endpoint ${quote(id)}, first defined at ${placeText(podsAt[first]!)}: this one is skipped`, "error"));
    return false;
  });
  const pods = out.pods.filter((_, i) => keep[i]);
  const podsWhere = podsAt.filter((_, i) => keep[i]);
  out.pods.splice(0, out.pods.length, ...pods);
  const namespaces = new Set<string>();
  const firstAt = new Map<string, At>();
  const unique = out.namespaces.filter((ns, i) => {
    const first = firstAt.get(ns.name);
    if (first !== undefined) {
      out.issues.push(issueAt(namespacesAt[i]!, `duplicate namespace ${quote(ns.name)}, first defined at ${placeText(first)}: this one is skipped`, "error"));
      return false;
    }
    firstAt.set(ns.name, namespacesAt[i]!);
    namespaces.add(ns.name);
    return true;
  });
  out.namespaces.splice(0, out.namespaces.length, ...unique);
  // groups name only pods that were kept
  const kept = new Set(pods.map((p) => namespacedName(p)));
  out.groups.splice(0, out.groups.length, ...out.groups.map((g) => ({ ...g, pods: g.pods.filter((p) => kept.has(p)) })));
  out.groups.push(...serviceGroups(services.map((s) => s.entry), pods, (i, message) => out.issues.push(issueAt(services[i]!.at, message, "warning", "Service"))));
  pods.forEach((p, i) => {
    if (namespaces.has(p.namespace)) return;
    namespaces.add(p.namespace);
    out.issues.push(
      issueAt(
        { ...podsWhere[i]!, path: podsWhere[i]!.namespacePath },
        `namespace ${quote(p.namespace)} is not defined: assumed to have only the label \`kubernetes.io/metadata.name=${p.namespace}\``,
        "warning",
      ),
    );
  });
}

/** Keeps the first node of each name; later ones are errors. */
function dropDuplicateNodes(out: Manifests, nodesAt: readonly At[]): void {
  const firstAt = new Map<string, At>();
  const unique = out.nodes.filter((node, i) => {
    const first = firstAt.get(node.name);
    if (first !== undefined) {
      out.issues.push(issueAt(nodesAt[i]!, `duplicate node ${quote(node.name)}, first defined at ${placeText(first)}: this one is skipped`, "error"));
      return false;
    }
    firstAt.set(node.name, nodesAt[i]!);
    return true;
  });
  out.nodes.splice(0, out.nodes.length, ...unique);
}

/**
 * Reads policies (NetworkPolicy, ClusterNetworkPolicy, v1alpha1 AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy), Namespaces, Pods, Nodes and workloads (and compact
 * clusters or whole conformance cases) from many texts as one input.
 */
export function parseSources(sources: readonly Source[], options: SourceOptions = {}): Manifests {
  const out: Manifests = { policies: [], policyLocations: [], namespaces: [], pods: [], nodes: [], groups: [], issues: [] };
  const services: Sink["services"] = [];
  const podsAt: PodAt[] = [];
  const namespacesAt: At[] = [];
  const nodesAt: At[] = [];
  const workloads: Sink["workloads"] = [];
  for (const source of sources) {
    const file = source.file !== undefined ? { file: source.file } : {};
    const docs = readDocuments(source.text, (document, line, message) =>
      out.issues.push({ path: "", message, document, ...(line !== undefined ? { line } : {}), ...file, severity: "error" }),
    );
    docs.forEach((doc, document) => {
      const base = { document, ...(doc.line !== undefined ? { line: doc.line } : {}), ...file };
      // an issue's line is its field's own where the YAML parser knows it
      const at = (path: string) => {
        const line = doc.lineOf?.(path) ?? doc.line;
        return { ...base, ...(line !== undefined ? { line } : {}), path };
      };
      const sink: Sink = {
        out,
        base,
        podsAt,
        namespacesAt,
        nodesAt,
        workloads,
        services,
        options,
        error: (path, message, object) => out.issues.push({ ...at(path), message, ...(object ? { object } : {}), severity: "error" }),
        warning: (path, message, object) => out.issues.push({ ...at(path), message, ...(object ? { object } : {}), severity: "warning" }),
      };
      if (Array.isArray(doc.value)) doc.value.forEach((item, i) => addObject(item, `[${i}]`, sink));
      else addObject(doc.value, "", sink);
    });
  }
  finish(out, podsAt, namespacesAt, workloads, services);
  dropDuplicateNodes(out, nodesAt);
  return out;
}

/**
 * Reads NetworkPolicies, Namespaces, Pods and workloads (and compact clusters or
 * whole conformance cases) from YAML or JSON text.
 */
export function parseManifests(text: string, options: ParseOptions = {}): Manifests {
  const { file, ...rest } = options;
  return parseSources([{ text, ...(file !== undefined ? { file } : {}) }], rest);
}
