/**
 * Workloads as endpoints: the pod template of a Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job or CronJob stands for the workload's pods when no Pod object of it
 * is given.
 *
 * Contract: `readWorkload` decodes one object into a `WorkloadEntry` or every problem
 * with its field path; `standInPods` decides, once every object of the input is
 * known, which workloads become endpoints. Nothing here throws on bad input.
 *
 * Naming: a workload's endpoint is the compact-cluster pod named `<kind>.<name>`
 * (`deployment.web`) in the workload's namespace, carrying `workload: { kind, name }`.
 * The compact cluster validates pod names as DNS-1123 subdomains, which `kind.name`
 * is; the user-facing id `namespace/kind/name` (`default/deployment/web`) is
 * `workloadId`, and `endpointAliases` maps between the two.
 */
import * as E from "fp-ts/lib/Either.js";
import * as t from "io-ts";
import { ContainerPortCodec, LabelSelector, LabelMap, goSlice, labelRecord } from "./codecs.js";
import { decodeCluster, decodeWith } from "./decode.js";
import { child, type Issue } from "./issues.js";
import type { PodEntry } from "./manifests.js";
import { validateSelector } from "./validate.js";
import { canonicalSelector, selectorMatches } from "../ir/selector.js";
import type { Selector } from "../ir/types.js";

/** The kinds whose pod template stands for their pods. */
export const WORKLOAD_KINDS = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"] as const;

/** A workload kind. */
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/** Whether `kind` is one of `WORKLOAD_KINDS`. */
export const isWorkloadKind = (kind: string): kind is WorkloadKind => (WORKLOAD_KINDS as readonly string[]).includes(kind);

/** A workload read from a manifest, before deciding whether it stands for its pods. */
export interface WorkloadEntry {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  /** Which pods are its own: `spec.selector`, or the template's labels when it has none. */
  readonly selector: Selector;
  /** `Kind/name` of the workload controlling this one (`metadata.ownerReferences`), if any. */
  readonly owner: string | null;
  /** The endpoint that stands for its pods. */
  readonly pod: PodEntry;
}

const opt = <C extends t.Mixed>(codec: C) => t.union([codec, t.null, t.undefined], codec.name);

const Container = t.partial({ ports: opt(goSlice(ContainerPortCodec, {})) }, "Container");

const Template = t.partial(
  {
    metadata: opt(t.partial({ labels: opt(LabelMap) }, "ObjectMeta")),
    spec: opt(t.partial({ hostNetwork: opt(t.boolean), containers: opt(goSlice(Container, {})) }, "PodSpec")),
  },
  "PodTemplateSpec",
);

const WorkloadSpec = t.partial({ selector: opt(LabelSelector), template: opt(Template) }, "WorkloadSpec");

const Workload = t.partial(
  {
    metadata: opt(
      t.partial(
        {
          name: opt(t.string),
          namespace: opt(t.string),
          ownerReferences: opt(goSlice(t.partial({ kind: opt(t.string), name: opt(t.string), controller: opt(t.boolean) }, "OwnerReference"), {})),
        },
        "ObjectMeta",
      ),
    ),
    spec: opt(t.partial({ selector: opt(LabelSelector), template: opt(Template), jobTemplate: opt(t.partial({ spec: opt(WorkloadSpec) }, "JobTemplateSpec")) }, "Spec")),
  },
  "Workload",
);

/** The compact pod name of a workload's endpoint: `deployment.web`. */
export const workloadEndpointName = (kind: WorkloadKind, name: string): string => `${kind.toLowerCase()}.${name}`;

/** The user-facing id of a workload's endpoint: `default/deployment/web`. */
export const workloadId = (namespace: string, kind: WorkloadKind, name: string): string => `${namespace}/${kind.toLowerCase()}/${name}`;

/** Maps a compact-pod field path of a workload's endpoint back to the workload's own field. */
function templatePath(compact: string, template: string): string {
  return compact
    .replace(/^name/, "metadata.name")
    .replace(/^namespace/, "metadata.namespace")
    .replace(/^labels/, `${template}.metadata.labels`)
    .replace(/^ports\[(\d+)\]/, `${template}.spec.containers[*].ports[$1]`);
}

/** Decodes one workload object of `kind`; issue paths start at `path`. */
export function readWorkload(raw: unknown, kind: WorkloadKind, path: string): E.Either<Issue[], WorkloadEntry> {
  const decoded = decodeWith(Workload, raw, path);
  if (E.isLeft(decoded)) return decoded;
  const meta = decoded.right.metadata ?? {};
  const issues: Issue[] = [];
  const name = meta.name ?? "";
  if (name === "") issues.push({ path: child(path, "metadata.name"), message: "required value" });
  const spec = kind === "CronJob" ? decoded.right.spec?.jobTemplate?.spec : decoded.right.spec;
  const specPath = kind === "CronJob" ? "spec.jobTemplate.spec" : "spec";
  const template = spec?.template;
  if (!template) issues.push({ path: child(path, `${specPath}.template`), message: "required value" });
  if (spec?.selector) validateSelector(spec.selector, child(path, `${specPath}.selector`), (p, message) => issues.push({ path: p, message }));
  if (issues.length > 0) return E.left(issues);
  // an empty namespace is no namespace (Go's zero value): kubectl's default
  const namespace = meta.namespace || "default";
  const pod: PodEntry = {
    namespace,
    name: workloadEndpointName(kind, name),
    labels: labelRecord(template?.metadata?.labels),
    ips: [],
    ports: (template?.spec?.containers ?? []).flatMap((c) =>
      (c.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.containerPort ?? 0, protocol: p.protocol ?? "TCP" })),
    ),
    hostNetwork: template?.spec?.hostNetwork ?? false,
    workload: { kind, name },
  };
  const checked = decodeCluster({ pods: [pod] });
  if (E.isLeft(checked)) {
    const at = `${specPath}.template`;
    return E.left(checked.left.map((i) => ({ path: child(path, templatePath(i.path.replace(/^pods\[0\]\.?/, ""), at)), message: i.message })));
  }
  const controller = (meta.ownerReferences ?? []).find((o) => o.controller && o.kind && o.name && isWorkloadKind(o.kind));
  return E.right({
    kind,
    namespace,
    name,
    selector: canonicalSelector(spec?.selector ?? { matchLabels: template?.metadata?.labels }),
    owner: controller ? `${controller.kind}/${controller.name}` : null,
    pod,
  });
}

/**
 * The workloads that stand for their pods: those with no Pod of theirs among `pods`
 * (same namespace, `spec.selector` matching) and no controlling workload among
 * `workloads` (a Deployment's ReplicaSet, a CronJob's Job).
 */
export function standInPods(workloads: readonly WorkloadEntry[], pods: readonly PodEntry[]): WorkloadEntry[] {
  const present = new Set(workloads.map((w) => `${w.namespace}/${w.kind}/${w.name}`));
  const labels = pods.filter((p) => p.workload === undefined).map((p) => ({ namespace: p.namespace, labels: new Map(Object.entries(p.labels)) }));
  return workloads.filter(
    (w) =>
      !(w.owner !== null && present.has(`${w.namespace}/${w.owner}`)) &&
      !labels.some((p) => p.namespace === w.namespace && selectorMatches(w.selector, p.labels)),
  );
}

/**
 * Two-way names of endpoints: `display` maps a compact pod id (`default/deployment.web`)
 * to what users read and type (`default/deployment/web`); `engine` maps back. Pods
 * that are not workloads keep their id.
 */
export function endpointAliases(pods: readonly PodEntry[]): { readonly display: Map<string, string>; readonly engine: Map<string, string> } {
  const display = new Map<string, string>();
  const engine = new Map<string, string>();
  for (const p of pods) {
    if (p.workload === undefined) continue;
    const id = workloadId(p.namespace, p.workload.kind, p.workload.name);
    display.set(`${p.namespace}/${p.name}`, id);
    engine.set(id, `${p.namespace}/${p.name}`);
  }
  return { display, engine };
}
