/**
 * Re-reading a large manifest text after a small edit without re-reading all of it.
 *
 * YAML documents are parsed independently (the parser starts a document at every
 * `---` line), and `parseManifests` reads a policy document (of any policy kind) on its own: only
 * namespaces, pods, nodes and workloads are decided across documents (workloads standing for
 * their pods, duplicates, undefined namespaces). So the text is cut into its documents;
 * every policy document is parsed alone and remembered by its text, and all
 * other documents are parsed together, as one text, remembered whole. An edit to one
 * policy re-parses that policy only; an edit elsewhere re-parses the cluster part. The
 * pieces are put back in document order with document indexes and lines of the whole
 * text, so the result equals `parseManifests(text)` up to the order of the issues
 * (test/playground-incremental.test.ts checks this).
 *
 * `EngineCache` then keeps the engine over an unchanged cluster and applies changed
 * policies as `engine.update` calls, rebuilding only when an update cannot express the
 * change (a cluster edit, a renamed, reordered or duplicated policy).
 */
import { createEngine, type Engine, type EngineUpdate, type Manifests, type PolicyManifest } from "../../../src/index.js";
import { parseManifests } from "../../../src/manifests-entry.js";
import { dropDuplicatePolicies } from "../../../src/manifests/manifests.js";

/** One YAML document of the text: its text (from its `---` line) and where it starts. */
interface Piece {
  readonly text: string;
  /** 1-based line of the text's first line in the whole text. */
  readonly line: number;
  readonly policy: boolean;
}

/** A line that starts a document: `---`, alone or before content. */
const MARKERS = /^---(?:[ \t][^\n]*)?$/gm;
/** A document whose top-level kind is a policy (NetworkPolicy, or a cluster-scoped kind). */
const POLICY_KIND = /^kind:[ \t]*(["']?)(?:NetworkPolicy|ClusterNetworkPolicy|AdminNetworkPolicy|BaselineAdminNetworkPolicy)\1[ \t]*(?:#.*)?$/m;
const ANY_KIND = /^kind:/gm;

/** Newlines in `text` from `from` to `to`. */
function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * The documents of `text`, or null when it is not a plain stream of YAML documents
 * (JSON, directives, `...` document ends): then it is parsed whole.
 */
export function splitDocuments(text: string): Piece[] | null {
  const start = text.trimStart();
  if (start.startsWith("{") || start.startsWith("[") || /^(%|\.\.\.(\s|$))/m.test(text)) return null;
  const starts = [0];
  for (const m of text.matchAll(MARKERS)) if (m.index > 0) starts.push(m.index);
  // comments and blank lines before the first marker belong to the first document
  if (starts.length > 1 && text.slice(0, starts[1]).split("\n").every((l) => /^\s*(#.*)?$/.test(l))) starts.splice(1, 1);
  let line = 1;
  return starts.map((from, k) => {
    const to = starts[k + 1] ?? text.length;
    const piece = text.slice(from, to);
    const kinds = piece.match(ANY_KIND)?.length ?? 0;
    const out = { text: piece, line, policy: kinds === 1 && POLICY_KIND.test(piece) };
    line += newlines(text, from, to);
    return out;
  });
}

type Issue = Manifests["issues"][number];
type Located = { document: number; line?: number };

/** Moves a parse's document indexes and lines into the whole text. */
function relocate<T extends Located>(item: T, document: (d: number) => number, line: (l: number) => number): T {
  return { ...item, document: document(item.document), ...(item.line !== undefined ? { line: line(item.line) } : {}) };
}

/** Parses manifest texts, re-reading only the documents an edit touched. */
export class ManifestCache {
  private policies = new Map<string, Manifests>();
  private cluster: { text: string; manifests: Manifests } | null = null;

  /** What `parseManifests(text)` gives; the cluster part (`namespaces`, `pods`) is the same object while it is unchanged. */
  parse(text: string): Manifests {
    const pieces = splitDocuments(text);
    if (pieces === null) {
      this.policies.clear();
      this.cluster = null;
      return parseManifests(text);
    }
    const clusterPieces = pieces.map((p, document) => ({ ...p, document })).filter((p) => !p.policy);
    const clusterText = clusterPieces.map((p) => p.text).join("");
    if (this.cluster?.text !== clusterText) this.cluster = { text: clusterText, manifests: parseManifests(clusterText) };
    const cluster = this.cluster.manifests;
    // cluster-text line L sits in cluster piece k: whole-text line = piece line + offset within it
    const starts: number[] = [];
    let at = 1;
    for (const p of clusterPieces) {
      starts.push(at);
      at += p.text.split("\n").length - (p.text.endsWith("\n") ? 1 : 0);
    }
    const clusterLine = (l: number): number => {
      let k = starts.length - 1;
      while (k > 0 && starts[k]! > l) k--;
      return clusterPieces[k] === undefined ? l : clusterPieces[k]!.line + (l - starts[k]!);
    };
    const clusterDocument = (d: number): number => clusterPieces[d]?.document ?? d;

    const seen = new Map<string, Manifests>();
    const policies: Array<{ document: number; policy: PolicyManifest; location: Manifests["policyLocations"][number] }> = [];
    const issues: Issue[] = cluster.issues.map((i) => (i.document === undefined ? i : relocate(i as Issue & Located, clusterDocument, clusterLine)));
    cluster.policies.forEach((policy, k) => {
      const location = relocate(cluster.policyLocations[k]!, clusterDocument, clusterLine);
      policies.push({ document: location.document, policy, location });
    });
    pieces.forEach((piece, document) => {
      if (!piece.policy) return;
      const parsed = this.policies.get(piece.text) ?? seen.get(piece.text) ?? parseManifests(piece.text);
      seen.set(piece.text, parsed);
      const toDocument = () => document;
      const toLine = (l: number) => piece.line + l - 1;
      parsed.policies.forEach((policy, k) => policies.push({ document, policy, location: relocate(parsed.policyLocations[k]!, toDocument, toLine) }));
      for (const i of parsed.issues) issues.push(i.document === undefined ? i : relocate(i as Issue & Located, toDocument, toLine));
    });
    this.policies = seen;
    policies.sort((a, b) => a.document - b.document);
    const out: Manifests = { ...cluster, policies: policies.map((p) => p.policy), policyLocations: policies.map((p) => p.location), issues };
    // a policy named twice across documents: the later one is an error and skipped, as when read whole
    dropDuplicatePolicies(out);
    issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return out;
  }
}

/** A policy as updates name it: a NetworkPolicy's `namespace/name`, a cluster-scoped one's `Kind/name`. */
const policyName = (p: PolicyManifest): string =>
  p.kind === "NetworkPolicy" ? `${p.metadata?.namespace ?? "default"}/${p.metadata?.name ?? ""}` : `${p.kind}/${p.metadata?.name ?? ""}`;

/** Above this many removals and additions at the end, a fresh engine is cheaper than updates. */
const MAX_TAIL_UPDATES = 8;

/**
 * The updates that turn an engine over `before` into one over `after` (same cluster)
 * with every policy at its index: a policy changed under its name is replaced in
 * place; from the first policy whose name differs on, the old ones are removed and the
 * new ones appended. Null when that would take too many updates, or when a name is
 * given twice (updates address policies by name).
 */
export function policyUpdates(before: readonly PolicyManifest[], after: readonly PolicyManifest[]): EngineUpdate[] | null {
  const names = after.map(policyName);
  const old = before.map(policyName);
  if (new Set(names).size !== names.length || new Set(old).size !== old.length) return null;
  const updates: EngineUpdate[] = [];
  let i = 0;
  for (; i < Math.min(before.length, after.length) && old[i] === names[i]; i++) {
    if (before[i] !== after[i]) updates.push({ op: "upsertPolicy", policy: after[i]! });
  }
  if (before.length - i + after.length - i > MAX_TAIL_UPDATES) return null;
  for (let k = before.length - 1; k >= i; k--) updates.push({ op: "removePolicy", policy: old[k]! });
  for (let k = i; k < after.length; k++) updates.push({ op: "upsertPolicy", policy: after[k]! });
  return updates;
}

/** The cluster an engine is built over: `Manifests` namespaces, pods, nodes, DNS records and Services (optional: a part without them has none). */
export type ClusterPart = Pick<Manifests, "namespaces" | "pods" | "nodes" | "dns"> & Partial<Pick<Manifests, "services">>;

/** Keeps an engine and brings it up to date with the least work. */
export class EngineCache {
  private last: { cluster: ClusterPart; policies: readonly PolicyManifest[]; engine: Engine } | null = null;

  /** An engine over `cluster` and `policies`; throws `NetpolValidationError` as `createEngine` does. */
  async build(cluster: ClusterPart, policies: readonly PolicyManifest[]): Promise<Engine> {
    const last = this.last;
    if (last !== null && last.cluster.pods === cluster.pods && last.cluster.namespaces === cluster.namespaces && last.cluster.nodes === cluster.nodes && last.cluster.services === cluster.services && last.cluster.dns === cluster.dns) {
      const updates = policyUpdates(last.policies, policies);
      if (updates !== null) {
        try {
          if (updates.length > 0) last.engine.update(updates);
          this.last = { ...last, policies };
          return last.engine;
        } catch {
          // an update the engine refused: build afresh, which reports the problem
        }
      }
    }
    this.last = null;
    const engine = await createEngine({ cluster: { namespaces: cluster.namespaces, pods: cluster.pods, nodes: cluster.nodes, services: cluster.services ?? [], dns: cluster.dns }, policies });
    this.last = { cluster, policies, engine };
    return engine;
  }
}
