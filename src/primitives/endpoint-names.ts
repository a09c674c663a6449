/**
 * The one naming scheme of endpoints, in every input and every output: a pod is
 * `namespace/name`, a workload `namespace/kind/name` (kind in lower case, e.g.
 * `shop/deployment/web`), a Service `namespace/service/name`, a node `node:NAME`.
 * On input, kubectl's spellings of a kind are accepted too (`deploy`, `sts`, `ds`,
 * `rs`, `job`, `cj`, `po`, `svc`, `no`, plurals, any case) and read as the canonical
 * form (`canonicalEndpoint`).
 */

/** The kinds whose pod template stands for their pods (the compact pod's `workload.kind`). */
export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"] as const;

/** A workload kind. */
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** Whether `kind` is one of `WORKLOAD_KINDS`. */
export const isWorkloadKind = (kind: unknown): kind is WorkloadKind => (WORKLOAD_KINDS as readonly unknown[]).includes(kind);

/** The prefix of a node endpoint: `node:<name>`. */
export const NODE_PREFIX = "node:";

/** The endpoint of a workload: `namespace/kind/name`, the kind in lower case (`default/deployment/web`). */
export const workloadId = (namespace: string, kind: string, name: string): string => `${namespace}/${kind.toLowerCase()}/${name}`;

/** The endpoint of a Service: `namespace/service/name`. */
export const serviceId = (namespace: string, name: string): string => `${namespace}/service/${name}`;

/**
 * The kinds an endpoint name may carry, by every spelling kubectl accepts on its
 * command line: the kind, its plural and its short name, in any case; each maps to
 * the lower-case kind netpol writes.
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
      ["node", "nodes", "no"],
    ] as const
  ).flatMap((names) => names.map((n) => [n, names[0]] as const)),
);

/**
 * An endpoint text in the canonical form: `shop/svc/api` → `shop/service/api`,
 * `shop/deploy/web` → `shop/deployment/web`, a pod named with its kind
 * (`shop/po/web-1`) → `shop/web-1`, a node named kubectl's way (`node/n1`, `no/n1`)
 * → `node:n1`. Any other text is returned as is.
 */
export function canonicalEndpoint(text: string): string {
  const slash = text.indexOf("/");
  if (slash < 0) return text;
  const second = text.indexOf("/", slash + 1);
  if (second < 0) {
    // `no/NAME`: a node as kubectl names it
    return KIND_NAMES.get(text.slice(0, slash).toLowerCase()) === "node" && slash + 1 < text.length ? `${NODE_PREFIX}${text.slice(slash + 1)}` : text;
  }
  if (text.indexOf("/", second + 1) >= 0) return text;
  const kind = KIND_NAMES.get(text.slice(slash + 1, second).toLowerCase());
  if (kind === undefined || kind === "node") return text;
  const namespace = text.slice(0, slash);
  const name = text.slice(second + 1);
  return kind === "pod" ? `${namespace}/${name}` : `${namespace}/${kind}/${name}`;
}
