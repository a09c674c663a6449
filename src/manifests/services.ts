/**
 * Services as endpoints: `namespace/service/name` stands for the pods its selector
 * picks in its namespace (what the endpoints controller puts in its EndpointSlices),
 * and each service port maps to its `targetPort` on each pod: a number, or a
 * container port name resolved on that pod (`targetPort` absent: the service port).
 *
 * A Service without a selector has endpoints managed by hand or by another
 * controller, which the manifests do not show; one whose selector picks no pod has
 * none. Both are reported, not guessed.
 */
import { decodeWith } from "../decode/decode-with.js";
import { ServiceObject } from "../decode/codecs.js";
import { child, quote, type Issue } from "../primitives/issues.js";
import { DEFAULT_NAMESPACE, isProtocol, namespacedName, PROTOCOLS } from "../primitives/kubernetes.js";
import { unsupportedValue } from "../primitives/issues.js";
import { portName, portNumber } from "../validate/names.js";
import type { EndpointGroup, PodEntry, ServicePortEntry } from "./entries.js";

/** A Service read from a manifest. */
export interface ServiceEntry {
  readonly namespace: string;
  readonly name: string;
  /** `spec.selector`; null when absent or empty (no selector). */
  readonly selector: ReadonlyMap<string, string> | null;
  readonly ports: readonly ServicePortEntry[];
}

/** Reads one Service object: the entry, or every problem with its path under `path`. */
export function readService(raw: unknown, path: string): { ok: true; value: ServiceEntry } | { ok: false; issues: Issue[] } {
  const decoded = decodeWith(ServiceObject, raw, path);
  if (!decoded.ok) return { ok: false, issues: [...decoded.issues] };
  const service = decoded.value;
  const issues: Issue[] = [];
  const name = service.metadata?.name;
  if (!name) issues.push({ path: child(path, "metadata.name"), message: "required value" });
  const ports: ServicePortEntry[] = [];
  (service.spec?.ports ?? []).forEach((p, i) => {
    const at = child(path, `spec.ports[${i}]`);
    if (p.port === undefined || p.port === null) issues.push({ path: child(at, "port"), message: "required value" });
    else for (const m of portNumber(p.port)) issues.push({ path: child(at, "port"), message: `invalid value ${quote(p.port)}: ${m}` });
    const protocol = p.protocol ?? "TCP";
    if (!isProtocol(protocol)) issues.push({ path: child(at, "protocol"), message: unsupportedValue(protocol, PROTOCOLS) });
    const target = p.targetPort ?? p.port ?? 0;
    if (typeof target === "string") for (const m of portName(target)) issues.push({ path: child(at, "targetPort"), message: `invalid value ${quote(target)}: ${m}` });
    ports.push({ ...(p.name ? { name: p.name } : {}), port: p.port ?? 0, protocol, targetPort: target });
  });
  if (issues.length > 0) return { ok: false, issues };
  const selector = service.spec?.selector;
  return {
    ok: true,
    value: { namespace: service.metadata?.namespace || DEFAULT_NAMESPACE, name: name!, selector: selector && selector.size > 0 ? selector : null, ports },
  };
}

/** `namespace/service/name`. */
export const serviceId = (namespace: string, name: string): string => `${namespace}/service/${name}`;

/**
 * The group each Service stands for over the input's pods (given and stand-ins), and
 * a problem for each that stands for none (`report(index, message)`, by input order).
 */
export function serviceGroups(services: readonly ServiceEntry[], pods: readonly PodEntry[], report: (index: number, message: string) => void): EndpointGroup[] {
  const out: EndpointGroup[] = [];
  services.forEach((s, i) => {
    const id = serviceId(s.namespace, s.name);
    if (s.selector === null) {
      report(i, `Service ${quote(`${s.namespace}/${s.name}`)} has no selector: its endpoints are managed outside the manifests, so it stands for no pod here`);
      return;
    }
    const selector = s.selector;
    const picked = pods.filter((p) => p.namespace === s.namespace && [...selector].every(([k, v]) => p.labels[k] === v)).map((p) => namespacedName(p));
    if (picked.length === 0) report(i, `Service ${quote(`${s.namespace}/${s.name}`)} selects no pod of the input: it stands for no pod`);
    out.push({ id, pods: picked, ports: s.ports });
  });
  return out;
}
