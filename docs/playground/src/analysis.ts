/**
 * From the editors' texts to what the page shows: the engine (and, in diff mode, the
 * engine before the change), the problems found, the ports the manifests name, and
 * the endpoints under the CLI's names and in its order. No DOM here.
 *
 * Diff mode reads as `netpol diff BEFORE AFTER` does: one cluster, BEFORE's
 * namespaces, pods and workloads; BEFORE's policies against AFTER's.
 */
import { formatIssue, mentionedPorts, NetpolValidationError, podEntryId, policyLocations, type Engine, type Issue, type Manifests, type PodEntry, type PolicyLocations } from "../../../src/index.js";
import type { PortChoice } from "../../../src/views/chips.js";
import { endpointNames } from "../../../src/views/endpoints.js";
import type { Labels } from "../../../src/views/heatmap/levels.js";
import { EngineCache, ManifestCache, type ClusterPart } from "./incremental.js";

/** Which editor a problem is in. */
export type EditorName = "after" | "before";

/** A problem with the input, with the editor and line it points at when known. */
export interface Problem {
  readonly severity: "error" | "warning";
  readonly text: string;
  readonly editor: EditorName;
  readonly line?: number;
}

/** The endpoints as every view shows them. */
export interface Endpoints {
  /** Display id per engine index. */
  readonly ids: readonly string[];
  /** Engine indexes in display order. */
  readonly order: readonly number[];
  /** Labels per engine index. */
  readonly labels: readonly Labels[];
}

/** Everything known about the editors' texts. */
export interface Analysis {
  readonly manifests: Manifests;
  /** Where each policy the engine refers to was read (NetworkPolicies by index, the others by `Kind/name`). */
  readonly locations: PolicyLocations;
  /** The manifests before, in diff mode. */
  readonly before: Manifests | null;
  /** Null when the input could not be loaded into an engine (see `problems`). */
  readonly engine: Engine | null;
  /** In diff mode, the engine over the policies before. */
  readonly beforeEngine: Engine | null;
  readonly problems: readonly Problem[];
  /** The ports the manifests name (both texts in diff mode). */
  readonly ports: readonly PortChoice[];
  readonly endpoints: Endpoints | null;
}

/** The line of the policy an engine issue names (`object` is `Kind name`), when known. */
function issueLine(issue: Issue, locations: PolicyLocations): { line?: number } {
  const line = issue.line ?? (issue.object === undefined ? undefined : locations.clusterPolicies.get(issue.object.replace(" ", "/"))?.line);
  return line !== undefined ? { line } : {};
}

function parseProblems(manifests: Manifests, editor: EditorName): Problem[] {
  return manifests.issues.map((issue) => ({
    severity: issue.severity,
    text: `${editor === "before" ? "before: " : ""}${formatIssue(issue)}`,
    editor,
    ...(issue.line !== undefined ? { line: issue.line } : {}),
  }));
}

/** Reads the editors' texts again and again, re-reading and rebuilding only what changed. */
export class Analyzer {
  private readonly parsers = { after: new ManifestCache(), before: new ManifestCache() };
  private readonly engines = { after: new EngineCache(), before: new EngineCache() };
  private names: { pods: readonly string[]; entries: readonly PodEntry[]; endpoints: Endpoints } | null = null;

  /** Analyzes `text`, against `beforeText` in diff mode (null otherwise). */
  async analyze(text: string, beforeText: string | null): Promise<Analysis> {
    const manifests = this.parsers.after.parse(text);
    const before = beforeText === null ? null : this.parsers.before.parse(beforeText);
    const cluster: ClusterPart = before ?? manifests;
    const problems = [...(before === null ? [] : parseProblems(before, "before")), ...parseProblems(manifests, "after")];
    const locations = policyLocations(manifests);
    const build = async (editor: EditorName, read: Manifests): Promise<Engine | null> => {
      const prefix = editor === "before" ? "before: " : "";
      const where = editor === "before" ? policyLocations(read) : locations;
      try {
        const engine = await this.engines[editor].build(cluster, read.policies);
        // what only the whole input shows (equal-priority cluster-scoped policies that overlap), unless parsing said it
        const said = new Set(read.issues.map((i) => `${i.object ?? ""}\u0000${i.message}`));
        for (const warning of engine.warnings) {
          if (!said.has(`${warning.object ?? ""}\u0000${warning.message}`)) problems.push({ severity: "warning", text: `${prefix}${formatIssue(warning)}`, editor, ...issueLine(warning, where) });
        }
        return engine;
      } catch (error) {
        if (!(error instanceof NetpolValidationError)) throw error;
        problems.push(...error.issues.map((issue) => ({ severity: "error" as const, text: `${prefix}${formatIssue(issue)}`, editor, ...issueLine(issue, where) })));
        return null;
      }
    };
    const beforeEngine = before === null ? null : await build("before", before);
    const engine = await build("after", manifests);
    // the ports the engines' rule sets name (both in diff mode, every tier), then the pods'
    const rules = {
      policies: [...(beforeEngine?.rules.policies ?? []), ...(engine?.rules.policies ?? [])],
      clusterPolicies: [...(beforeEngine?.rules.clusterPolicies ?? []), ...(engine?.rules.clusterPolicies ?? [])],
    };
    const ports = mentionedPorts(rules, cluster.pods);
    return { manifests, locations, before, engine, beforeEngine, problems, ports, endpoints: engine === null ? null : this.endpoints(engine.pods, cluster.pods) };
  }

  /** Names, order and labels of the engine's pods, kept while the cluster is unchanged. */
  private endpoints(pods: readonly string[], entries: readonly PodEntry[]): Endpoints {
    if (this.names !== null && this.names.pods === pods && this.names.entries === entries) return this.names.endpoints;
    const labelsOf = new Map(entries.map((p) => [podEntryId(p), p.labels]));
    const endpoints = { ...endpointNames(pods), labels: pods.map((id) => labelsOf.get(id) ?? {}) };
    this.names = { pods, entries, endpoints };
    return endpoints;
  }
}
