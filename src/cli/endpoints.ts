/**
 * Endpoint names as users read and type them. The engine knows a workload's
 * endpoint as the pod `deployment.web`; users see `default/deployment/web`
 * (see src/api/workloads.ts). Names and display order are those of every view
 * (src/views/endpoints.ts).
 */
import type { PodEntry } from "../api/manifests.js";
import { endpointAliases, WORKLOAD_KINDS } from "../api/workloads.js";
import { parseAddress } from "../ir/address.js";
import { displayIds, displayOrder, namespaceOf } from "../views/endpoints.js";

/** An endpoint given on the command line or in a flow file, resolved for the engine. */
export type EndpointText = { readonly ok: true; readonly engine: string } | { readonly ok: false; readonly message: string };

/** The engine's pods under their user-facing names. */
export class Endpoints {
  /** User-facing id of each engine pod, in engine order. */
  readonly ids: readonly string[];
  private readonly engineIds: ReadonlySet<string>;
  private readonly toEngine: ReadonlyMap<string, string>;

  constructor(enginePods: readonly string[], pods: readonly PodEntry[]) {
    this.ids = displayIds(enginePods, pods);
    this.engineIds = new Set(enginePods);
    this.toEngine = endpointAliases(pods).engine;
  }

  /** The namespace of engine pod `i`. */
  namespace(i: number): string {
    return namespaceOf(this.ids[i]!);
  }

  /** A pod id, workload id or IP address, as the engine names it. */
  resolve(text: string): EndpointText {
    const engine = this.toEngine.get(text) ?? text;
    if (this.engineIds.has(engine)) return { ok: true, engine };
    if (parseAddress(text) !== null) return { ok: true, engine: text };
    const workload = /^[^/]+\/([a-z]+)\/[^/]+$/.exec(text);
    if (workload !== null && WORKLOAD_KINDS.some((k) => k.toLowerCase() === workload[1])) {
      return { ok: false, message: `unknown workload \`${text}\`: not in the input, or its pods are given (then name one of its pods)` };
    }
    return { ok: false, message: `unknown endpoint \`${text}\`: expected a pod \`namespace/name\`, a workload \`namespace/kind/name\` or an IP address` };
  }

  /** Engine indexes in display order, optionally only those of some namespaces. */
  order(namespaces?: readonly string[]): number[] {
    return displayOrder(this.ids, namespaces);
  }
}
