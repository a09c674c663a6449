/**
 * From the manifest text to what the page shows: the engine, the problems found, the
 * ports worth offering, and the pods grouped by namespace. No DOM here.
 */
import {
  createEngine,
  formatIssue,
  NetpolValidationError,
  parseManifests,
  PROTOCOLS,
  type Engine,
  type Manifests,
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
  for (const policy of manifests.policies) {
    for (const rule of [...(policy.spec?.ingress ?? []), ...(policy.spec?.egress ?? [])]) {
      for (const port of rule?.ports ?? []) add(port?.protocol, port?.port);
    }
  }
  for (const pod of manifests.pods) for (const port of pod.ports) add(port.protocol, port.containerPort);
  return [...seen.values()];
}

/** Parses `text` and builds an engine from what it holds (the default evaluator). */
export async function analyze(text: string): Promise<Analysis> {
  const manifests = parseManifests(text);
  const problems: Problem[] = manifests.issues.map((issue) => ({
    severity: issue.severity,
    text: formatIssue(issue),
    ...(issue.line !== undefined ? { line: issue.line } : {}),
  }));
  let engine: Engine | null = null;
  try {
    engine = await createEngine({ cluster: { namespaces: manifests.namespaces, pods: manifests.pods }, policies: manifests.policies });
  } catch (error) {
    if (!(error instanceof NetpolValidationError)) throw error;
    problems.push(...error.issues.map((issue) => ({ severity: "error" as const, text: formatIssue(issue) })));
  }
  return { manifests, engine, problems, ports: portsOf(manifests) };
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
