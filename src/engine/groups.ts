/**
 * Endpoints that stand for several pods, and flows between them: a workload
 * `namespace/kind/name` whose pods are given (compact pods with `workload` and a
 * name, e.g. a StatefulSet's ordinal pods) stands for all of them; a Service
 * `namespace/service/name` for the pods of its namespace its selector picks (what
 * the EndpointSlice controller lists), each on the container port its `targetPort`
 * names there. A workload given as one stand-in pod is that pod (`endpoints.ts`).
 *
 * `planFlow` turns one `Flow` into the pod-level flows it stands for, with each
 * destination port resolved: a Service port to its `targetPort` on each pod (a
 * number, or a container port name looked up per pod, as `podutil.FindPort` does),
 * a named `Flow.port` to the destination pod's container port of that name and
 * protocol. A pod where a name does not resolve is no endpoint of that port (the
 * EndpointSlice controller skips it; a client cannot connect to a name): it is
 * listed with the reason and not counted. Nothing here is a guess: a Service
 * without a selector, a group that stands for no pod, and a name that resolves on no
 * destination pod are errors with the flow's path.
 */
import { failure, success, type Result } from "../primitives/result.js";
import { quote, type Issue } from "../primitives/issues.js";
import { canonicalEndpoint, serviceId, workloadId } from "../primitives/endpoint-names.js";
import { namespacedName, type Protocol } from "../primitives/kubernetes.js";
import type { Endpoint, Pod, ResolvedFlow, Service } from "../ir/types.js";
import type { Flow } from "../api/engine.js";
import { resolveEndpoint, resolvePort, type Model } from "./model.js";
import { isPlainObject } from "../primitives/issues.js";

/** What a group endpoint stands for. */
export interface Group {
  /** The canonical id: `namespace/kind/name` or `namespace/service/name`. */
  readonly id: string;
  readonly kind: "workload" | "service";
  /** The pods (indexes) it stands for, in cluster order. */
  readonly pods: readonly number[];
  /** The Service, for a Service. */
  readonly service: Service | null;
}

/** Whether `pod` carries every label of `selector`. */
const selects = (selector: ReadonlyMap<string, string>, pod: Pod): boolean => {
  for (const [key, value] of selector) if (pod.labels.get(key) !== value) return false;
  return true;
};

/**
 * The group `text` names (kubectl's kind spellings accepted), or null when it names
 * none: a Service of the cluster, or a workload some given pod is one of. A
 * workload's stand-in is a pod, not a group: `scanEndpoint` finds it first.
 */
export function findGroup(model: Model, text: unknown): Group | null {
  if (typeof text !== "string") return null;
  const id = canonicalEndpoint(text);
  const parts = id.split("/");
  if (parts.length !== 3) return null;
  const [namespace, kind, name] = parts as [string, string, string];
  const pods = model.cluster.pods;
  if (kind === "service") {
    const service = model.cluster.services.find((s) => s.namespace === namespace && s.name === name);
    if (service === undefined) return null;
    const selector = service.selector;
    const picked = selector === null ? [] : pods.filter((p) => p.namespace === namespace && selects(selector, p)).map((p) => p.index);
    return { id, kind: "service", pods: picked, service };
  }
  const members = pods.filter((p) => p.namespace === namespace && p.workload !== null && p.workload.name === name && p.workload.kind.toLowerCase() === kind).map((p) => p.index);
  return members.length === 0 ? null : { id: workloadId(namespace, kind, name), kind: "workload", pods: members, service: null };
}

/** One pod-level flow a flow stands for; `flow` null when its destination port does not resolve there (`reason` says why). */
export interface PlannedMember {
  /** Endpoint texts as the engine names them (pod ids, or the flow's own text for a node or an address). */
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  /** The port on the destination: the flow's, a Service port's `targetPort`, or a named port resolved there. */
  readonly port: number | null;
  readonly flow: ResolvedFlow | null;
  readonly reason?: string;
}

/** A flow read: one resolved flow (`group` false), or the pod-level flows of a flow with a group end or a named port. */
export type FlowPlan =
  | { readonly group: false; readonly flow: ResolvedFlow }
  | { readonly group: true; readonly from: Group | null; readonly to: Group | null; readonly members: readonly PlannedMember[] };

/** The Service port a flow names (`port` a number or a port name), with its protocol; or why none. */
function servicePort(service: Service, port: number | string, protocol: Protocol | undefined): { ok: true; value: Service["ports"][number] } | { ok: false; message: string } {
  const found = service.ports.find((p) => (typeof port === "number" ? p.port === port && p.protocol === (protocol ?? "TCP") : p.name === port && (protocol === undefined || p.protocol === protocol)));
  if (found !== undefined) return { ok: true, value: found };
  const known = service.ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` (${p.name})` : ""}`).join(", ") || "none";
  const asked = typeof port === "number" ? `${port}/${protocol ?? "TCP"}` : quote(port);
  return { ok: false, message: `Service ${quote(serviceId(service.namespace, service.name))} has no port ${asked}; its ports: ${known}` };
}

/** The container port named `name` for `protocol` on `pod`, or null. */
const namedPort = (pod: Pod, name: string, protocol: Protocol): number | null => pod.ports.find((c) => c.name === name && c.protocol === protocol)?.port ?? null;

/**
 * Reads one flow: plain ends and a numeric port resolve as `resolveFlow` does; a
 * group end, or a port given by name, expands into its pod-level flows. `path`
 * prefixes every issue (`flows[3]`).
 */
export function planFlow(model: Model, flow: Flow, path: string): Result<FlowPlan> {
  const at = (field: string): string => (path === "" ? field : `${path}.${field}`);
  if (!isPlainObject(flow)) return failure([{ path, message: `expected a flow object, got ${quote(flow)}` }]);
  const fromGroup = findGroupEnd(model, flow.from);
  const toGroup = findGroupEnd(model, flow.to);
  const named = typeof flow.port === "string";
  const issues: Issue[] = [];
  const from = fromGroup === null ? resolveEndpoint(model, flow.from, at("from")) : null;
  const to = toGroup === null ? resolveEndpoint(model, flow.to, at("to")) : null;
  if (from !== null && !from.ok) issues.push(...from.issues);
  if (to !== null && !to.ok) issues.push(...to.issues);
  const portAt = path === "" ? "flow" : path;
  if (named) {
    if ((flow.port as string) === "") issues.push({ path: `${portAt}.port`, message: "invalid value \"\": expected a port number or a port name" });
    if (flow.protocol !== undefined && flow.protocol !== null) {
      const p = resolvePort(flow.protocol, 1, portAt);
      if (!p.ok) issues.push(...p.issues);
    }
  } else {
    const p = resolvePort(flow.protocol, flow.port, portAt);
    if (!p.ok) issues.push(...p.issues);
  }
  for (const [group, field] of [
    [fromGroup, "from"],
    [toGroup, "to"],
  ] as const) {
    if (group === null) continue;
    if (group.service !== null && group.service.selector === null) {
      issues.push({ path: at(field), message: `Service ${quote(group.id)} has no selector: its endpoints are managed outside the cluster state, so netpol cannot know its pods` });
    } else if (group.pods.length === 0) issues.push({ path: at(field), message: `Service ${quote(group.id)} selects no pod of the cluster` });
  }
  if (issues.length > 0) return failure(issues);
  const protocol = (flow.protocol ?? undefined) as Protocol | undefined;
  // the Service port the flow names, when the destination is a Service
  let target: Service["ports"][number] | null = null;
  if (toGroup?.service) {
    const sp = servicePort(toGroup.service, flow.port, protocol);
    if (!sp.ok) return failure([{ path: `${portAt}.port`, message: sp.message }]);
    target = sp.value;
  }
  const proto: Protocol = target?.protocol ?? protocol ?? "TCP";
  if (fromGroup === null && toGroup === null && !named) {
    return success({ group: false, flow: { from: endpointOf(from), to: endpointOf(to), protocol: proto, port: flow.port as number } });
  }
  const pods = model.cluster.pods;
  const ends = (group: Group | null, text: unknown, end: typeof from): Array<{ text: string; endpoint: ResolvedFlow["from"] }> =>
    group !== null ? group.pods.map((i) => ({ text: namespacedName(pods[i]!), endpoint: { kind: "pod", pod: i } })) : [{ text: canonicalEndpoint(text as string), endpoint: endpointOf(end) }];
  const sources = ends(fromGroup, flow.from, from);
  const targets = ends(toGroup, flow.to, to);
  // the destination port on each target
  const portOn = (endpoint: ResolvedFlow["to"]): { port: number | null; reason?: string } => {
    const asked = target !== null ? target.targetPort : flow.port;
    if (typeof asked === "number") return { port: asked };
    if (endpoint.kind !== "pod") return { port: null, reason: `a named port (${quote(asked)}) is resolved on a destination pod; this destination is no pod` };
    const number = namedPort(pods[endpoint.pod]!, asked, proto);
    return number !== null ? { port: number } : { port: null, reason: `no container port named ${quote(asked)} for ${proto} on this pod${target !== null ? ": it is no endpoint of this Service port" : ""}` };
  };
  const resolvedPorts = targets.map((t) => portOn(t.endpoint));
  if (resolvedPorts.every((p) => p.port === null)) {
    const asked = target !== null ? target.targetPort : flow.port;
    const why = toGroup !== null ? `no pod of ${quote(toGroup.id)} has a container port of that name` : (resolvedPorts[0]?.reason ?? "");
    return failure([{ path: `${portAt}.port`, message: `port ${quote(asked)} (${proto}) resolves on no destination pod: ${why}` }]);
  }
  const members: PlannedMember[] = [];
  for (const s of sources) {
    targets.forEach((t, k) => {
      const { port, reason } = resolvedPorts[k]!;
      members.push({
        from: s.text,
        to: t.text,
        protocol: proto,
        port,
        flow: port === null ? null : { from: s.endpoint, to: t.endpoint, protocol: proto, port },
        ...(reason !== undefined ? { reason } : {}),
      });
    });
  }
  if (fromGroup === null && toGroup === null) {
    // one pod-level flow, its named port resolved
    return success({ group: false, flow: members[0]!.flow! });
  }
  return success({ group: true, from: fromGroup, to: toGroup, members });
}

/** The endpoint of a plain end that resolved (the caller checked: no issue was found). */
function endpointOf(end: Result<Endpoint> | null): Endpoint {
  if (end === null || !end.ok) throw new Error("netpol: internal error: an unresolved end was read");
  return end.value;
}

/** The group an end names, unless it names a pod (a workload's stand-in is one): what `Flow` ends and `Engine.endpointGroup` read. */
export function findGroupEnd(model: Model, text: unknown): Group | null {
  if (typeof text !== "string" || model.podByName.has(text)) return null;
  const canonical = canonicalEndpoint(text);
  if (model.podByName.has(canonical)) return null;
  return findGroup(model, canonical);
}
