/**
 * Endpoint names as the views and the CLI list them: the engine's own ids (pods
 * `namespace/name`, a workload's stand-in `namespace/kind/name`, a node `node:<name>`),
 * read back from what users type (kubectl's kind spellings, `canonicalEndpoint`),
 * and the display order: by namespace, then name, numbers in names compared as numbers.
 */
import type { NodeEntry } from "./entries.js";
import { parseAddress } from "../primitives/address.js";
import { canonicalEndpoint, NODE_PREFIX } from "../primitives/endpoint-names.js";

/** Names compared with their numbers as numbers: `web-2` before `web-10`. */
const NATURAL = new Intl.Collator("en", { numeric: true });

/** An endpoint given on the command line or in a flow file, resolved for the engine. */
export type EndpointText = { readonly ok: true; readonly engine: string } | { readonly ok: false; readonly message: string };

/** The engine's pods, in the order views list them. */
export class Endpoints {
  /** The id of each engine pod, in engine order (`Engine.pods`). */
  readonly ids: readonly string[];
  private readonly known: ReadonlySet<string>;
  /** The nodes' endpoint names, `node:<name>`. */
  private readonly nodes: ReadonlySet<string>;

  constructor(enginePods: readonly string[], nodes: readonly NodeEntry[] = []) {
    this.ids = enginePods;
    this.known = new Set(enginePods);
    this.nodes = new Set(nodes.map((n) => `${NODE_PREFIX}${n.name}`));
  }

  /** The namespace of engine pod `i`. */
  namespace(i: number): string {
    return this.ids[i]!.slice(0, this.ids[i]!.indexOf("/"));
  }

  /**
   * One endpoint (a pod, a workload's stand-in, a node or an IP address) in the
   * engine's name, or why not; a name that stands for several pods (a workload whose
   * pods are given, a Service) is for `Engine.decide`, not for one column of a batch.
   */
  resolve(given: string): EndpointText {
    const text = canonicalEndpoint(given);
    if (this.known.has(text) || this.nodes.has(text) || parseAddress(text) !== null) return { ok: true, engine: text };
    if (text.startsWith(NODE_PREFIX)) return { ok: false, message: `unknown node \`${text}\`: not in the input (give Node objects, or \`nodes\` in a compact cluster)` };
    if (/^[^/]+\/[^/]+\/[^/]+$/.test(text)) return { ok: false, message: `\`${text}\` is no single pod: a workload whose pods are given, a Service, or nothing in the input (\`netpol check\` answers for groups)` };
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
