/**
 * Text in: YAML or JSON, one or many documents, `List` kinds, turned into the
 * NetworkPolicies and the compact cluster (`namespaces` and `pods`, which together
 * are the `cluster` that `createEngine` takes), plus every problem found with its document index, line and field path.
 *
 * Contract: never throws on bad input. One bad document, or one bad item of a list,
 * does not stop the rest from loading. Unknown kinds are reported as warnings and
 * skipped.
 */
import * as E from "fp-ts/lib/Either.js";
import { LineCounter, parseAllDocuments } from "yaml";
import { ClusterCodec, NamespaceObject, PodObject, type NetworkPolicyManifest } from "./codecs.js";
import { decodeCluster, decodeNetworkPolicy, decodeWith } from "./decode.js";
import { child, index, quote, type Issue } from "./issues.js";

/** A namespace of the compact cluster, as parsed from a manifest. */
export interface NamespaceEntry {
  readonly name: string;
  readonly labels: Record<string, string>;
}

/** A pod of the compact cluster, as parsed from a manifest. */
export interface PodEntry {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ips: string[];
  readonly ports: Array<{ name?: string; containerPort: number; protocol: string }>;
  readonly hostNetwork: boolean;
}

/** Where an object was found. */
export interface Location {
  readonly document: number;
  readonly line?: number;
  /** The path inside the document, e.g. `items[2]`; empty for a whole document. */
  readonly path: string;
}

/** What `parseManifests` found. */
export interface Manifests {
  /** NetworkPolicies that passed the API server's validation, as JSON objects. */
  readonly policies: NetworkPolicyManifest[];
  /** Where each policy came from (same order as `policies`). */
  readonly policyLocations: Location[];
  readonly namespaces: NamespaceEntry[];
  readonly pods: PodEntry[];
  /** Every problem; those with `severity: "warning"` did not drop anything that could be read. */
  readonly issues: Array<Issue & { severity: "error" | "warning" }>;
}

/** Options of `parseManifests`. */
export interface ParseOptions {
  /** The file name put on every issue. */
  readonly file?: string;
}

const toRecord = (m: ReadonlyMap<string, string> | null | undefined): Record<string, string> => {
  const out = Object.create(null) as Record<string, string>;
  for (const [k, v] of m ?? []) out[k] = v;
  return out;
};

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u);

interface Sink {
  readonly out: Manifests;
  readonly base: { document: number; line?: number; file?: string };
  error(path: string, message: string, object?: string): void;
  warning(path: string, message: string): void;
}

/** Maps a compact-pod field path back to the Pod object's own field. */
function podPath(compact: string): string {
  return compact
    .replace(/^(name|namespace|labels)/, "metadata.$1")
    .replace(/^ips\[(\d+)\]/, "status.podIPs[$1].ip")
    .replace(/^ports\[(\d+)\]/, "spec.containers[*].ports[$1]");
}

function addPod(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(PodObject, raw, path);
  if (E.isLeft(decoded)) {
    for (const i of decoded.left) sink.error(i.path, i.message, "Pod");
    return;
  }
  const pod = decoded.right;
  const ips = (pod.status?.podIPs ?? []).flatMap((p) => (p.ip ? [p.ip] : []));
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  const entry: PodEntry = {
    namespace: pod.metadata?.namespace ?? "default",
    name: pod.metadata?.name ?? "",
    labels: toRecord(pod.metadata?.labels),
    ips,
    ports: (pod.spec?.containers ?? []).flatMap((c) =>
      (c.ports ?? []).map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        containerPort: p.containerPort ?? 0,
        protocol: p.protocol ?? "TCP",
      })),
    ),
    hostNetwork: pod.spec?.hostNetwork ?? false,
  };
  // the cluster checks (names, IPs, ports) on this one pod, with paths mapped back
  const checked = decodeCluster({ pods: [entry] });
  if (E.isLeft(checked)) {
    for (const i of checked.left) sink.error(child(path, podPath(i.path.replace(/^pods\[0\]\.?/, ""))), i.message, "Pod");
    return;
  }
  sink.out.pods.push(entry);
}

function addNamespace(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(NamespaceObject, raw, path);
  if (E.isLeft(decoded)) {
    for (const i of decoded.left) sink.error(i.path, i.message, "Namespace");
    return;
  }
  const name = decoded.right.metadata?.name;
  if (!name) {
    sink.error(child(path, "metadata.name"), "required value", "Namespace");
    return;
  }
  sink.out.namespaces.push({ name, labels: toRecord(decoded.right.metadata?.labels) });
}

function addCompactCluster(raw: unknown, path: string, sink: Sink): void {
  const decoded = decodeWith(ClusterCodec, raw, path);
  if (E.isLeft(decoded)) {
    for (const i of decoded.left) sink.error(i.path, i.message, "cluster");
    return;
  }
  const checked = decodeCluster(raw);
  if (E.isLeft(checked)) {
    for (const i of checked.left) sink.error(child(path, i.path), i.message, "cluster");
    return;
  }
  for (const ns of checked.right.namespaces ?? []) sink.out.namespaces.push({ name: ns.name!, labels: toRecord(ns.labels) });
  for (const p of checked.right.pods ?? []) {
    sink.out.pods.push({
      namespace: p.namespace!,
      name: p.name!,
      labels: toRecord(p.labels),
      ips: [...(p.ips ?? [])],
      ports: (p.ports ?? []).map((q) => ({ ...(q.name ? { name: q.name } : {}), containerPort: q.containerPort!, protocol: q.protocol ?? "TCP" })),
      hostNetwork: p.hostNetwork ?? false,
    });
  }
}

/** Dispatches one object by its kind; `kind` may be inferred from a typed list. */
function addObject(raw: unknown, path: string, sink: Sink, inferredKind?: string): void {
  if (!isObject(raw)) {
    if (raw !== null && raw !== undefined) sink.error(path, `expected an object, got ${quote(raw)}`);
    return;
  }
  const kind = typeof raw.kind === "string" ? raw.kind : inferredKind;
  if (kind === undefined) {
    if ("cluster" in raw && "policies" in raw) {
      // a whole conformance case
      addCompactCluster(raw.cluster, child(path, "cluster"), sink);
      if (Array.isArray(raw.policies)) raw.policies.forEach((p, i) => addObject(p, index(child(path, "policies"), i), sink));
    } else if ("pods" in raw || "namespaces" in raw) addCompactCluster(raw, path, sink);
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
  switch (kind) {
    case "NetworkPolicy": {
      // items of a NetworkPolicyList may leave out apiVersion and kind
      const policy = { apiVersion: "networking.k8s.io/v1", kind, ...raw };
      const decoded = decodeNetworkPolicy(policy);
      if (E.isLeft(decoded)) for (const i of decoded.left) sink.error(child(path, i.path), i.message, policyName(raw));
      else {
        sink.out.policies.push(policy as NetworkPolicyManifest);
        sink.out.policyLocations.push({ document: sink.base.document, path, ...(sink.base.line !== undefined ? { line: sink.base.line } : {}) });
      }
      return;
    }
    case "Pod":
      addPod(raw, path, sink);
      return;
    case "Namespace":
      addNamespace(raw, path, sink);
      return;
    default:
      sink.warning(child(path, "kind"), `skipped object of unsupported kind ${quote(kind)}`);
  }
}

function policyName(raw: Record<string, unknown>): string {
  const meta = isObject(raw.metadata) ? raw.metadata : {};
  const ns = typeof meta.namespace === "string" ? meta.namespace : "default";
  return typeof meta.name === "string" ? `NetworkPolicy ${ns}/${meta.name}` : "NetworkPolicy";
}

/** The documents of `text`: JSON when it parses as such, otherwise YAML (multi-document). */
function readDocuments(text: string, report: (document: number, line: number | undefined, message: string) => void): Array<{ value: unknown; line?: number }> {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      return [{ value: JSON.parse(text) as unknown, line: 1 }];
    } catch {
      // not JSON after all: YAML (a superset) reports the problem with a position
    }
  }
  const lines = new LineCounter();
  const out: Array<{ value: unknown; line?: number }> = [];
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
    try {
      out.push({ value: doc.toJS({ maxAliasCount: 1000 }) as unknown, line });
    } catch (error) {
      report(i, line, `cannot read YAML document: ${error instanceof Error ? error.message : String(error)}`);
      out.push({ value: undefined, line });
    }
  });
  return out;
}

/**
 * Reads NetworkPolicies, Namespaces and Pods (and compact clusters or whole
 * conformance cases) from YAML or JSON text.
 */
export function parseManifests(text: string, options: ParseOptions = {}): Manifests {
  const out: Manifests = { policies: [], policyLocations: [], namespaces: [], pods: [], issues: [] };
  const file = options.file !== undefined ? { file: options.file } : {};
  const docs = readDocuments(text, (document, line, message) =>
    out.issues.push({ path: "", message, document, ...(line !== undefined ? { line } : {}), ...file, severity: "error" }),
  );
  docs.forEach((doc, document) => {
    const base = { document, ...(doc.line !== undefined ? { line: doc.line } : {}), ...file };
    const sink: Sink = {
      out,
      base,
      error: (path, message, object) => out.issues.push({ ...base, path, message, ...(object ? { object } : {}), severity: "error" }),
      warning: (path, message) => out.issues.push({ ...base, path, message, severity: "warning" }),
    };
    if (Array.isArray(doc.value)) doc.value.forEach((item, i) => addObject(item, `[${i}]`, sink));
    else addObject(doc.value, "", sink);
  });
  return out;
}
