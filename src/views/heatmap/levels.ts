/**
 * The heatmap's axes at three levels of detail: namespaces, workloads, pods. An axis
 * is a list of entries, each a set of endpoints (engine indexes) shown as one row or
 * column; at the pod level every entry has one member.
 *
 * Workloads are a grouping for the eye, read from names and the labels Kubernetes
 * controllers put on their pods; they never change a verdict (every cell still counts
 * the engine's answers for its member pairs). See `workloadOf` for the rules.
 */
import { namespaceOf, shortName } from "../endpoints.js";

/** How much one row or column holds. */
export type Level = "namespace" | "workload" | "pod";

/** The levels from the coarsest. */
export const LEVELS: readonly Level[] = ["namespace", "workload", "pod"];

/** Pod labels, as `PodEntry.labels`. */
export type Labels = Readonly<Record<string, string>>;

/** One row or column. */
export interface Entry {
  /** The namespace, workload key or endpoint id; unique on its axis. */
  readonly key: string;
  /** What the header shows: the namespace, `deployment/web`, or the pod's name. */
  readonly label: string;
  readonly namespace: string;
  readonly level: Level;
  /** Engine indexes, in display order. */
  readonly members: Uint32Array;
}

const own = (labels: Labels, key: string): string | undefined => (Object.hasOwn(labels, key) ? labels[key] : undefined);

/** `name` without `-suffix` when it ends so. */
function strip(name: string, suffix: RegExp): string | null {
  const m = suffix.exec(name);
  return m === null || m.index === 0 ? null : name.slice(0, m.index);
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The workload a display id belongs to, as `namespace/kind/name`, from what the
 * controllers leave on their pods:
 * - a workload standing for its pods (`ns/deployment/web`) is itself;
 * - label `pod-template-hash=H` and a name `NAME-H-xxxxx`: Deployment `NAME`;
 * - label `statefulset.kubernetes.io/pod-name` and a name `NAME-N`: StatefulSet `NAME`;
 * - label `batch.kubernetes.io/job-name` (or `job-name`): that Job;
 * - label `pod-template-generation` and a name `NAME-xxxxx`: DaemonSet `NAME`;
 * - otherwise the pod is a workload of its own, keyed by its id.
 */
export function workloadOf(id: string, labels: Labels): string {
  const namespace = namespaceOf(id);
  const name = shortName(id);
  if (name.includes("/")) return id;
  const hash = own(labels, "pod-template-hash");
  const deployment = hash !== undefined && hash !== "" ? strip(name, new RegExp(`-${escape(hash)}-[a-z0-9]+$`)) : null;
  if (deployment !== null) return `${namespace}/deployment/${deployment}`;
  const statefulSet = own(labels, "statefulset.kubernetes.io/pod-name") === name ? strip(name, /-\d+$/) : null;
  if (statefulSet !== null) return `${namespace}/statefulset/${statefulSet}`;
  const job = own(labels, "batch.kubernetes.io/job-name") ?? own(labels, "job-name");
  if (job !== undefined && job !== "") return `${namespace}/job/${job}`;
  const daemonSet = own(labels, "pod-template-generation") !== undefined ? strip(name, /-[a-z0-9]{5}$/) : null;
  if (daemonSet !== null) return `${namespace}/daemonset/${daemonSet}`;
  return id;
}

/** The entries of one axis: `shown` are engine indexes in display order, `ids` display ids, `workloads` each endpoint's `workloadOf`. */
export function axisEntries(level: Level, shown: readonly number[], ids: readonly string[], workloads: readonly string[]): Entry[] {
  if (level === "pod") {
    return shown.map((i) => ({ key: ids[i]!, label: shortName(ids[i]!), namespace: namespaceOf(ids[i]!), level, members: Uint32Array.of(i) }));
  }
  const groups = new Map<string, number[]>();
  for (const i of shown) {
    const key = level === "namespace" ? namespaceOf(ids[i]!) : workloads[i]!;
    let members = groups.get(key);
    if (members === undefined) groups.set(key, (members = []));
    members.push(i);
  }
  return [...groups].map(([key, members]) => ({
    key,
    label: level === "namespace" ? key : shortName(key),
    namespace: namespaceOf(ids[members[0]!]!),
    level,
    members: Uint32Array.from(members),
  }));
}

/** The next finer level, or null at the pod level. */
export const finer = (level: Level): Level | null => LEVELS[LEVELS.indexOf(level) + 1] ?? null;
