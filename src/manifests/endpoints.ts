/**
 * Endpoint names as users read and type them. The engine knows a workload's
 * endpoint as the pod `deployment.web`; users see `default/deployment/web`
 * (see workloads.ts); a StatefulSet's ordinal pods keep their names (`default/db-0`);
 * a node is `node:<name>`, as the engine names it. Also the display order: by
 * namespace, then name, numbers in names compared as numbers.
 */
import { WORKLOAD_KINDS, type EndpointGroup, type NodeEntry, type PodEntry } from "./entries.js";
import { endpointAliases, workloadId } from "./workloads.js";
import { parseAddress } from "../primitives/address.js";
import { namespacedName } from "../primitives/kubernetes.js";

/** Names compared with their numbers as numbers: `web-2` before `web-10`. */
const NATURAL = new Intl.Collator("en", { numeric: true });

/**
 * The kinds an endpoint name may carry, by every spelling kubectl accepts on its
 * command line: the kind, its plural and its short name (`deploy`, `sts`, `ds`, `rs`,
 * `cj`, `po`, `svc`), in any case; each maps to the lower-case kind netpol writes.
 */
export const KIND_NAMES: ReadonlyMap<string, string> = new Map(
  (
    [
      ["deployment", "deployments", "deploy"],
      ["statefulset", "statefulsets", "sts"],
      ["daemonset", "daemonsets", "ds"],
      ["replicaset", "replicasets", "rs"],
      ["job", "jobs"],
      ["cronjob", "cronjobs", "cj"],
      ["pod", "pods", "po"],
      ["service", "services", "svc"],
    ] as const
  ).flatMap((names) => names.map((n) => [n, names[0]] as const)),
);

/**
 * An endpoint name with its kind as netpol writes it: `shop/svc/api` →
 * `shop/service/api`, `shop/deploy/web` → `shop/deployment/web`, and a pod named
 * with its kind, `shop/po/web-1`, → `shop/web-1`. Other text is returned as is.
 */
export function canonicalEndpoint(text: string): string {
  const m = /^([^/]+)\/([^/]+)\/([^/]+)$/.exec(text);
  if (m === null) return text;
  const kind = KIND_NAMES.get(m[2]!.toLowerCase());
  if (kind === undefined) return text;
  return kind === "pod" ? `${m[1]}/${m[3]}` : `${m[1]}/${kind}/${m[3]}`;
}

/** A group endpoint resolved for the engine: its pods as the engine names them, with their container ports. */
export interface ResolvedGroup {
  readonly id: string;
  readonly pods: ReadonlyArray<{ readonly id: string; readonly ports: PodEntry["ports"] }>;
  readonly ports?: EndpointGroup["ports"];
}

/** An endpoint given on the command line or in a flow file, resolved for the engine. */
export type EndpointText = { readonly ok: true; readonly engine: string } | { readonly ok: false; readonly message: string };

/** The engine's pods under their user-facing names. */
export class Endpoints {
  /** User-facing id of each engine pod, in engine order. */
  readonly ids: readonly string[];
  private readonly engineIds: ReadonlySet<string>;
  private readonly toEngine: ReadonlyMap<string, string>;
  /** `namespace/statefulset/name` → the ids of the ordinal pods it stands in as. */
  private readonly ordinals = new Map<string, string[]>();
  /** The nodes' endpoint names, `node:<name>`. */
  private readonly nodes: ReadonlySet<string>;

  private readonly groups: ReadonlyMap<string, EndpointGroup>;
  private readonly podPorts: ReadonlyMap<string, PodEntry["ports"]>;

  constructor(enginePods: readonly string[], pods: readonly PodEntry[], nodes: readonly NodeEntry[] = [], groups: readonly EndpointGroup[] = []) {
    this.nodes = new Set(nodes.map((n) => `node:${n.name}`));
    this.groups = new Map(groups.map((g) => [g.id, g]));
    this.podPorts = new Map(pods.map((p) => [namespacedName(p), p.ports]));
    const { display, engine } = endpointAliases(pods);
    this.ids = enginePods.map((id) => display.get(id) ?? id);
    this.engineIds = new Set(enginePods);
    this.toEngine = engine;
    for (const p of pods) {
      if (p.workload?.ordinal === undefined) continue;
      const id = workloadId(p.namespace, p.workload.kind, p.workload.name);
      this.ordinals.set(id, [...(this.ordinals.get(id) ?? []), namespacedName(p)]);
    }
  }

  /** The namespace of engine pod `i`. */
  namespace(i: number): string {
    return this.ids[i]!.slice(0, this.ids[i]!.indexOf("/"));
  }

  /**
   * The group `text` names (a workload whose pods are given, a StatefulSet, a Service;
   * kubectl's short kinds accepted), or null when it names one endpoint or nothing.
   */
  group(text: string): ResolvedGroup | null {
    const g = this.groups.get(canonicalEndpoint(text));
    if (g === undefined) return null;
    return { id: g.id, pods: g.pods.filter((p) => this.engineIds.has(p)).map((id) => ({ id, ports: this.podPorts.get(id) ?? [] })), ...(g.ports ? { ports: g.ports } : {}) };
  }

  /** A pod id, workload id, node (`node:<name>`) or IP address, as the engine names it. */
  resolve(given: string): EndpointText {
    const text = canonicalEndpoint(given);
    const engine = this.toEngine.get(text) ?? text;
    if (this.engineIds.has(engine)) return { ok: true, engine };
    if (parseAddress(text) !== null || this.nodes.has(text)) return { ok: true, engine: text };
    if (text.startsWith("node:")) return { ok: false, message: `unknown node \`${text}\`: not in the input (give Node objects, or \`nodes\` in a compact cluster)` };
    const ordinals = this.ordinals.get(text);
    if (ordinals !== undefined) return { ok: false, message: `\`${text}\` stands in as its ordinal pods: name one of ${ordinals.map((id) => `\`${id}\``).join(", ")}` };
    const workload = /^[^/]+\/([a-z]+)\/[^/]+$/.exec(text);
    if (workload !== null && WORKLOAD_KINDS.some((k) => k.toLowerCase() === workload[1])) {
      return { ok: false, message: `unknown workload \`${text}\`: not in the input, or its pods are given (then name one of its pods)` };
    }
    return { ok: false, message: `unknown endpoint \`${text}\`: expected a pod \`namespace/name\`, a workload \`namespace/kind/name\`, a node \`node:name\` or an IP address` };
  }

  /** Engine indexes sorted by namespace then name, optionally only of some namespaces. */
  order(namespaces?: readonly string[]): number[] {
    const keep = namespaces && namespaces.length > 0 ? new Set(namespaces) : null;
    return this.ids
      .map((_, i) => i)
      .filter((i) => keep === null || keep.has(this.namespace(i)))
      .sort((a, b) => {
        const na = this.namespace(a);
        const nb = this.namespace(b);
        return na !== nb ? NATURAL.compare(na, nb) : NATURAL.compare(this.ids[a]!, this.ids[b]!);
      });
  }
}
