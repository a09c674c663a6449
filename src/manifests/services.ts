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
import { DEFAULT_NAMESPACE, isProtocol, PROTOCOLS } from "../primitives/kubernetes.js";
import { serviceId } from "../primitives/endpoint-names.js";
import { labelRecord } from "../decode/codecs.js";
import { decodeCluster } from "../validate/decoders.js";
import { unsupportedValue } from "../primitives/issues.js";
import { portName, portNumber } from "../validate/names.js";
import type { PodEntry, ServiceEntry, ServicePortEntry } from "./entries.js";

/** Reads one Service object: the entry, or every problem with its path under `path`. */
export function readService(raw: unknown, path: string, namespace: string = DEFAULT_NAMESPACE): { ok: true; value: ServiceEntry } | { ok: false; issues: Issue[] } {
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
  const entry: ServiceEntry = {
    namespace: service.metadata?.namespace || namespace,
    name: name!,
    ...(selector && selector.size > 0 ? { selector: labelRecord(selector) } : {}),
    ports,
  };
  // the cluster's own checks (names, ports) on this one Service, with paths mapped back
  const checked = decodeCluster({ services: [entry] });
  if (!checked.ok) return { ok: false, issues: checked.issues.map((i) => ({ path: child(path, i.path.replace(/^services\[0\]\.?/, "").replace(/^(name|namespace)/, "metadata.$1").replace(/^(selector|ports)/, "spec.$1")), message: i.message })) };
  return { ok: true, value: entry };
}

/**
 * The warning for each Service that stands for no pod of the input
 * (`report(index, message)`, by input order): one without a selector, or whose
 * selector picks no pod (given or stand-in). The engine refuses flows to them.
 */
export function serviceProblems(services: readonly ServiceEntry[], pods: readonly PodEntry[], report: (index: number, message: string) => void): void {
  services.forEach((s, i) => {
    const id = quote(serviceId(s.namespace, s.name));
    const selector = s.selector;
    if (selector === undefined) {
      report(i, `Service ${id} has no selector: its endpoints are managed outside the manifests, so it stands for no pod here`);
      return;
    }
    const picked = pods.some((p) => p.namespace === s.namespace && Object.entries(selector).every(([k, v]) => p.labels[k] === v));
    if (!picked) report(i, `Service ${id} selects no pod of the input: it stands for no pod`);
  });
}
