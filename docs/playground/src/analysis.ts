/**
 * From the manifest text to what the page shows: the engine, the problems found, the
 * ports worth offering, and the pods grouped by namespace. No DOM here.
 */
import {
  createEngine,
  formatIssue,
  NetpolValidationError,
  parseManifests,
  policyLocations,
  PROTOCOLS,
  type Engine,
  type Issue,
  type Manifests,
  type PolicyLocations,
  type Protocol,
} from "../../../src/index.js";

/** A problem with the input, with the line it points at when known. */
export interface Problem {
  readonly severity: "error" | "warning";
  readonly text: string;
  readonly line?: number;
}

/** A port and protocol, as the matrix is asked for. */
export interface PortChoice {
  readonly protocol: Protocol;
  readonly port: number;
}

/** Everything known about one manifest text. */
export interface Analysis {
  readonly manifests: Manifests;
  /** Where each policy the engine refers to was read (NetworkPolicies by index, the others by `Kind/name`). */
  readonly locations: PolicyLocations;
  /** Null when the text could not be loaded into an engine (see `problems`). */
  readonly engine: Engine | null;
  readonly problems: readonly Problem[];
  /** Numeric ports named by the policies, then the pods' container ports; no repeats. */
  readonly ports: readonly PortChoice[];
}

/** Pods of one namespace: their indexes into `engine.pods`, in cluster order. */
export interface NamespaceGroup {
  readonly namespace: string;
  readonly pods: ReadonlyArray<{ readonly index: number; readonly name: string }>;
}

function portsOf(manifests: Manifests): PortChoice[] {
  const seen = new Map<string, PortChoice>();
  const add = (protocol: unknown, port: unknown) => {
    const p = protocol ?? "TCP";
    if (typeof port === "number" && (PROTOCOLS as readonly unknown[]).includes(p)) seen.set(`${p}/${port}`, { protocol: p as Protocol, port });
  };
  type Rule = {
    ports?: ReadonlyArray<{ protocol?: unknown; port?: unknown; portNumber?: { protocol?: unknown; port?: unknown } | null } | null> | null;
    protocols?: ReadonlyArray<Record<string, { destinationPort?: { number?: unknown } | null } | null> | null> | null;
  };
  for (const policy of manifests.policies) {
    const spec = policy.spec as { ingress?: readonly (Rule | null)[] | null; egress?: readonly (Rule | null)[] | null } | null | undefined;
    for (const rule of [...(spec?.ingress ?? []), ...(spec?.egress ?? [])]) {
      // NetworkPolicy ports, v1alpha1 portNumber entries, v1alpha2 protocol entries
      for (const port of rule?.ports ?? []) {
        if (port?.portNumber) add(port.portNumber.protocol, port.portNumber.port);
        else add(port?.protocol, port?.port);
      }
      for (const entry of rule?.protocols ?? []) {
        for (const protocol of PROTOCOLS) add(protocol, entry?.[protocol.toLowerCase()]?.destinationPort?.number);
      }
    }
  }
  for (const pod of manifests.pods) for (const port of pod.ports) add(port.protocol, port.containerPort);
  return [...seen.values()];
}

/** The line of the policy an engine issue names (`object` is `Kind name`), when known. */
function issueLine(issue: Issue, locations: PolicyLocations): { line?: number } {
  const line = issue.line ?? (issue.object === undefined ? undefined : locations.clusterPolicies.get(issue.object.replace(" ", "/"))?.line);
  return line !== undefined ? { line } : {};
}

/** Parses `text` and builds an engine from what it holds (the default evaluator). */
export async function analyze(text: string): Promise<Analysis> {
  const manifests = parseManifests(text);
  const locations = policyLocations(manifests);
  const problems: Problem[] = manifests.issues.map((issue) => ({
    severity: issue.severity,
    text: formatIssue(issue),
    ...(issue.line !== undefined ? { line: issue.line } : {}),
  }));
  let engine: Engine | null = null;
  try {
    engine = await createEngine({ cluster: { namespaces: manifests.namespaces, pods: manifests.pods, nodes: manifests.nodes }, policies: manifests.policies });
    // what only the whole input shows: equal-priority cluster-scoped policies that overlap
    const read = new Set(manifests.issues.map((i) => `${i.object ?? ""}\u0000${i.message}`));
    for (const warning of engine.warnings) {
      if (!read.has(`${warning.object ?? ""}\u0000${warning.message}`)) problems.push({ severity: "warning", text: formatIssue(warning), ...issueLine(warning, locations) });
    }
  } catch (error) {
    if (!(error instanceof NetpolValidationError)) throw error;
    problems.push(...error.issues.map((issue) => ({ severity: "error" as const, text: formatIssue(issue), ...issueLine(issue, locations) })));
  }
  return { manifests, locations, engine, problems, ports: portsOf(manifests) };
}

/** Groups pod ids (`namespace/name`) by namespace, namespaces in order of first appearance. */
export function groupByNamespace(pods: readonly string[]): NamespaceGroup[] {
  const groups = new Map<string, Array<{ index: number; name: string }>>();
  pods.forEach((id, index) => {
    const slash = id.indexOf("/");
    const namespace = id.slice(0, slash);
    let group = groups.get(namespace);
    if (group === undefined) groups.set(namespace, (group = []));
    group.push({ index, name: id.slice(slash + 1) });
  });
  return [...groups].map(([namespace, members]) => ({ namespace, pods: members }));
}
