/**
 * Workloads as endpoints: the pod template of a Deployment, StatefulSet, DaemonSet,
 * ReplicaSet, Job or CronJob stands for the workload's pods when no Pod of it is
 * given.
 *
 * Contract: `readWorkload` decodes one object into a `WorkloadEntry` or every problem
 * with its field path; `standIns` decides, once every object of the input is known,
 * which workloads become endpoints and which are dropped, and why. Nothing here
 * throws on bad input.
 *
 * Which pods are a workload's: a pod's controller reference (`metadata.ownerReferences`
 * with `controller: true`, what `metav1.GetControllerOf` reads) names its workload,
 * and that workload's own controller reference its parent (a Deployment's ReplicaSet,
 * a CronJob's Job). When the middle object is not in the input, the controllers'
 * naming links them: the deployment controller names a ReplicaSet
 * `<deployment>-<pod-template-hash>` and the cronjob controller a Job
 * `<cronjob>-<scheduled minute>` (`getNewReplicaSet`, `getJobName`). Only a pod
 * without a controller reference (an orphan, as hand-written compact pods are) is
 * matched by selector: `spec.selector`, or the template's labels as written when
 * there is none; an empty selector claims nothing.
 *
 * Stand-ins carry the labels their controllers always add to the pods they create
 * (`controllerLabels`), and a StatefulSet stands in as its ordinal pods, named
 * `<name>-<ordinal>` as the StatefulSet controller names them.
 *
 * Naming: a workload's endpoint is a compact-cluster pod without a name carrying
 * `workload: { kind, name }`, which the engine names `namespace/kind/name`
 * (`default/deployment/web`, `workloadId`). StatefulSet ordinal pods keep their pod
 * names (`default/db-0`) and carry their `workload`, as given pods of a workload do:
 * `default/statefulset/db` stands for all of them.
 */
import { failure, success, type Result } from "../primitives/result.js";
import * as t from "io-ts";
import { ContainerPortCodec, LabelSelector, LabelMap, OwnerReference, goSlice, labelRecord, optional } from "../decode/codecs.js";
import { DEFAULT_NAMESPACE, namespacedName } from "../primitives/kubernetes.js";
import { decodeCluster } from "../validate/decoders.js";
import { decodeWith } from "../decode/decode-with.js";
import { child, quote, type Issue } from "../primitives/issues.js";
import type { PodEntry, WorkloadKind } from "./entries.js";
import { isWorkloadKind } from "../primitives/endpoint-names.js";
import { validateSelector } from "../validate/network-policy.js";
import { canonicalSelector, selectorMatches, type Selector } from "../primitives/selector.js";

export { isWorkloadKind };

/**
 * The value a stand-in's label gets when its controller's value cannot be known
 * offline: a hash of the pod template (`pod-template-hash`, `controller-revision-hash`),
 * a UID assigned at creation, a CronJob's Job name (`<cronjob>-<scheduled minute>`) or
 * an Indexed Job's completion index. No controller ever writes it (hashes use the
 * alphabet `bcdfghjklmnpqrstvwxz2456789`, UIDs hex digits, names end in digits), so a
 * selector's `Exists` matches the stand-in and `In` with a real value does not.
 */
export const UNKNOWN_LABEL_VALUE = "netpol-unknown";

/** The most ordinal pods one StatefulSet stands in as (more is an error: give its pods instead). */
export const MAX_ORDINAL_STAND_INS = 10_000;

/** A workload read from a manifest, before deciding whether it stands for its pods. */
export interface WorkloadEntry {
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  /**
   * Which orphan pods (no controller reference) are its own: `spec.selector`, or the
   * template's labels as written when it has none; `null` when that is empty (an
   * empty selector claims nothing).
   */
  readonly selector: Selector | null;
  /** `Kind/name` of the workload controlling this one (`metadata.ownerReferences`), if any. */
  readonly owner: string | null;
  /** `spec.replicas` of a Deployment, ReplicaSet or StatefulSet (default 1); `null` for other kinds. */
  readonly replicas: number | null;
  /** The endpoints that stand for its pods: one, or one per ordinal of a StatefulSet. */
  readonly pods: readonly PodEntry[];
}

/** What the input says about one given (not stand-in) pod's owner. */
export interface PodOwnership {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** `Kind/name` of its controller reference, or `null` for an orphan. */
  readonly controller: string | null;
}

const Container = t.partial({ ports: optional(goSlice(ContainerPortCodec, {})) }, "Container");

const Template = t.partial(
  {
    metadata: optional(t.partial({ labels: optional(LabelMap) }, "ObjectMeta")),
    spec: optional(t.partial({ hostNetwork: optional(t.boolean), containers: optional(goSlice(Container, {})) }, "PodSpec")),
  },
  "PodTemplateSpec",
);

const WorkloadSpec = t.partial(
  {
    selector: optional(LabelSelector),
    template: optional(Template),
    replicas: optional(t.Int),
    ordinals: optional(t.partial({ start: optional(t.Int) }, "StatefulSetOrdinals")),
    manualSelector: optional(t.boolean),
    completionMode: optional(t.string),
  },
  "WorkloadSpec",
);

const Workload = t.partial(
  {
    metadata: optional(
      t.partial(
        { name: optional(t.string), namespace: optional(t.string), uid: optional(t.string), annotations: optional(LabelMap), ownerReferences: optional(goSlice(OwnerReference, {})) },
        "ObjectMeta",
      ),
    ),
    spec: optional(t.intersection([WorkloadSpec, t.partial({ jobTemplate: optional(t.partial({ spec: optional(WorkloadSpec) }, "JobTemplateSpec")) })], "Spec")),
  },
  "Workload",
);

type Decoded = t.TypeOf<typeof Workload>;
type Spec = t.TypeOf<typeof WorkloadSpec>;

/** The `Kind/name` of an object's controller reference, as `metav1.GetControllerOf` finds it. */
export function controllerOf(refs: ReadonlyArray<t.TypeOf<typeof OwnerReference>> | null | undefined): string | null {
  const ref = (refs ?? []).find((o) => o.controller === true && o.kind && o.name);
  return ref ? `${ref.kind}/${ref.name}` : null;
}

/** Maps a compact-pod field path of a workload's endpoint back to the workload's own field. */
function templatePath(compact: string, template: string): string {
  return compact
    .replace(/^name/, "metadata.name")
    .replace(/^namespace/, "metadata.namespace")
    .replace(/^labels/, `${template}.metadata.labels`)
    .replace(/^ports\[(\d+)\]/, `${template}.spec.containers[*].ports[$1]`);
}

/**
 * The labels a workload's controller adds to every pod it creates, on top of the
 * template's (`ordinal` for a StatefulSet's pod). Sources, by kind:
 * - Job (and a CronJob's Jobs): unless `manualSelector`, the API server's
 *   `generateSelector` (pkg/registry/batch/job/strategy.go) adds `job-name` and
 *   `batch.kubernetes.io/job-name` (the Job's name) and `controller-uid` and
 *   `batch.kubernetes.io/controller-uid` (its UID) to the template, keeping values the
 *   template already has; an Indexed Job's pods get
 *   `batch.kubernetes.io/job-completion-index` (`addCompletionIndexLabel`).
 * - Deployment: `pod-template-hash` (`getNewReplicaSet`, pkg/controller/deployment).
 * - StatefulSet: `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`
 *   (`updateIdentity`) and `controller-revision-hash` (`setPodRevision`).
 * - DaemonSet: `controller-revision-hash` and `pod-template-generation`
 *   (`CreatePodTemplate`; the generation is the `deprecated.daemonset.template.generation`
 *   annotation the API server writes, 1 for a new DaemonSet).
 * - ReplicaSet: nothing (its template carries what its Deployment put there).
 * Values netpol cannot know are `UNKNOWN_LABEL_VALUE`.
 */
function controllerLabels(kind: WorkloadKind, meta: NonNullable<Decoded["metadata"]>, spec: Spec | null | undefined, ordinal?: number): Array<[string, string, "keep" | "set"]> {
  const name = meta.name ?? "";
  switch (kind) {
    case "Job":
    case "CronJob": {
      const out: Array<[string, string, "keep" | "set"]> = [];
      if (spec?.manualSelector !== true) {
        const jobName = kind === "Job" ? name : UNKNOWN_LABEL_VALUE;
        const uid = kind === "Job" && meta.uid ? meta.uid : UNKNOWN_LABEL_VALUE;
        out.push(["job-name", jobName, "keep"], ["batch.kubernetes.io/job-name", jobName, "keep"]);
        out.push(["controller-uid", uid, "keep"], ["batch.kubernetes.io/controller-uid", uid, "keep"]);
      }
      if (spec?.completionMode === "Indexed") out.push(["batch.kubernetes.io/job-completion-index", UNKNOWN_LABEL_VALUE, "set"]);
      return out;
    }
    case "Deployment":
      return [["pod-template-hash", UNKNOWN_LABEL_VALUE, "set"]];
    case "StatefulSet":
      return [
        ["statefulset.kubernetes.io/pod-name", `${name}-${ordinal}`, "set"],
        ["apps.kubernetes.io/pod-index", String(ordinal), "set"],
        ["controller-revision-hash", UNKNOWN_LABEL_VALUE, "set"],
      ];
    case "DaemonSet":
      return [
        ["controller-revision-hash", UNKNOWN_LABEL_VALUE, "set"],
        ["pod-template-generation", meta.annotations?.get("deprecated.daemonset.template.generation") ?? "1", "set"],
      ];
    case "ReplicaSet":
      return [];
  }
}

/** Decodes one workload object of `kind`; issue paths start at `path`. */
export function readWorkload(raw: unknown, kind: WorkloadKind, path: string): Result<WorkloadEntry> {
  const decoded = decodeWith(Workload, raw, path);
  if (!decoded.ok) return decoded;
  const meta = decoded.value.metadata ?? {};
  const issues: Issue[] = [];
  const name = meta.name ?? "";
  if (name === "") issues.push({ path: child(path, "metadata.name"), message: "required value" });
  const spec = kind === "CronJob" ? decoded.value.spec?.jobTemplate?.spec : decoded.value.spec;
  const specPath = kind === "CronJob" ? "spec.jobTemplate.spec" : "spec";
  const template = spec?.template;
  if (!template) issues.push({ path: child(path, `${specPath}.template`), message: "required value" });
  if (spec?.selector) validateSelector(spec.selector, child(path, `${specPath}.selector`), (p, message) => issues.push({ path: p, message }));
  const counted = kind === "Deployment" || kind === "ReplicaSet" || kind === "StatefulSet";
  const replicas = counted ? (spec?.replicas ?? 1) : null;
  if (replicas !== null && replicas < 0) issues.push({ path: child(path, "spec.replicas"), message: `invalid value ${quote(replicas)}: must be greater than or equal to 0` });
  const start = kind === "StatefulSet" ? (spec?.ordinals?.start ?? 0) : 0;
  if (start < 0) issues.push({ path: child(path, "spec.ordinals.start"), message: `invalid value ${quote(start)}: must be greater than or equal to 0` });
  if (kind === "StatefulSet" && replicas !== null && replicas > MAX_ORDINAL_STAND_INS) {
    issues.push({ path: child(path, "spec.replicas"), message: `too many ordinal pods to stand in for: ${replicas} (at most ${MAX_ORDINAL_STAND_INS}); give the StatefulSet's pods instead` });
  }
  if (issues.length > 0) return failure(issues);
  // an empty namespace is no namespace (Go's zero value): kubectl's default
  const namespace = meta.namespace || DEFAULT_NAMESPACE;
  const ports = (template?.spec?.containers ?? []).flatMap((c) =>
    (c.ports ?? []).map((p) => ({ ...(p.name ? { name: p.name } : {}), containerPort: p.containerPort ?? 0, protocol: p.protocol ?? "TCP" })),
  );
  const standIn = (podName: string | undefined, ordinal?: number): PodEntry => {
    const labels = labelRecord(template?.metadata?.labels);
    for (const [key, value, mode] of controllerLabels(kind, meta, spec, ordinal)) if (mode === "set" || !Object.hasOwn(labels, key)) labels[key] = value;
    return {
      namespace,
      ...(podName !== undefined ? { name: podName } : {}),
      labels,
      ips: [],
      ports,
      hostNetwork: template?.spec?.hostNetwork ?? false,
      workload: ordinal === undefined ? { kind, name } : { kind, name, ordinal },
    };
  };
  const pods =
    kind === "StatefulSet"
      ? Array.from({ length: replicas! }, (_, i) => standIn(`${name}-${start + i}`, start + i))
      : [standIn(undefined)];
  const at = `${specPath}.template`;
  for (const pod of pods) {
    const checked = decodeCluster({ pods: [pod] });
    if (!checked.ok) return failure(checked.issues.map((i) => ({ path: child(path, templatePath(i.path.replace(/^pods\[0\]\.?/, ""), at)), message: i.message })));
  }
  const selector = canonicalSelector(spec?.selector ?? { matchLabels: template?.metadata?.labels });
  return success({
    kind,
    namespace,
    name,
    selector: selector.requirements.length === 0 ? null : selector,
    owner: controllerOf(meta.ownerReferences),
    replicas,
    pods,
  });
}

/** Why a workload does not stand for its pods. */
export type Dropped =
  /** Its controlling workload is in the input and stands (or not) for the same pods. */
  | { readonly reason: "controlled" }
  /** A given pod's controller reference (through its ReplicaSet or Job) names it: certain. */
  | { readonly reason: "owned-pods"; readonly pod: string }
  /** A given orphan pod matches its selector: a guess, which the caller warns about. */
  | { readonly reason: "selected-pods"; readonly pod: string }
  /** `spec.replicas: 0`: it has no pods. */
  | { readonly reason: "no-replicas" };

/** The decision over every workload of the input, in input order. */
export interface StandInDecision {
  readonly workload: WorkloadEntry;
  /** `null` when it stands for its pods (its `pods` become endpoints). */
  readonly dropped: Dropped | null;
  /** The given pods that are its own (by controller reference, or by selector for orphans), as `namespace/name`. */
  readonly given: readonly string[];
}

const key = (namespace: string, kind: string, name: string): string => `${namespace}/${kind}/${name}`;

/**
 * The workload a given pod belongs to, from its controller reference: a ReplicaSet
 * named `<deployment>-<pod-template-hash>` (the pod's own label) is its Deployment's,
 * as the deployment controller names it; a Job named `<cronjob>-<scheduled minute>`
 * is not followed (its CronJob may not exist); any other controller of a
 * `WORKLOAD_KINDS` kind is the workload itself. `null` for an orphan pod, or one
 * controlled by another kind (a custom controller's).
 */
export function podWorkload(pod: PodOwnership): { readonly kind: WorkloadKind; readonly name: string } | null {
  if (pod.controller === null) return null;
  const slash = pod.controller.indexOf("/");
  const kind = pod.controller.slice(0, slash);
  const name = pod.controller.slice(slash + 1);
  const hash = pod.labels["pod-template-hash"];
  if (kind === "ReplicaSet" && hash !== undefined && name.endsWith(`-${hash}`)) return { kind: "Deployment", name: name.slice(0, -hash.length - 1) };
  return isWorkloadKind(kind) ? { kind, name } : null;
}

/**
 * Decides which workloads stand for their pods: not those controlled by another
 * workload of the input, not those whose pods are given (by controller reference,
 * through the chain of controlling workloads; or, for orphan pods, by selector), and
 * not those with no replicas.
 */
export function standIns(workloads: readonly WorkloadEntry[], pods: readonly PodOwnership[]): StandInDecision[] {
  const present = new Map(workloads.map((w) => [key(w.namespace, w.kind, w.name), w]));
  const inNamespace = new Map<string, WorkloadEntry[]>();
  for (const w of workloads) {
    if (w.selector === null) continue;
    const list = inNamespace.get(w.namespace);
    if (list === undefined) inNamespace.set(w.namespace, [w]);
    else list.push(w);
  }
  /** The workload controlling the object `kind/name` of `namespace`, by reference or by the controllers' naming. */
  const parentOf = (namespace: string, kind: string, name: string, pod: PodOwnership | null): string | null => {
    const w = present.get(key(namespace, kind, name));
    if (w !== undefined) return w.owner === null ? null : `${namespace}/${w.owner}`;
    // ReplicaSet `<deployment>-<pod-template-hash>`, the hash being the pod's label
    const hash = pod?.labels["pod-template-hash"];
    if (kind === "ReplicaSet" && hash !== undefined && name.endsWith(`-${hash}`)) {
      const d = key(namespace, "Deployment", name.slice(0, -hash.length - 1));
      return present.has(d) ? d : null;
    }
    // Job `<cronjob>-<scheduled minute>`
    const minute = /-\d+$/.exec(name);
    if (kind === "Job" && minute !== null) {
      const c = key(namespace, "CronJob", name.slice(0, minute.index));
      return present.has(c) ? c : null;
    }
    return null;
  };
  const owned = new Map<string, Dropped>();
  const members = new Map<string, string[]>();
  const claim = (start: string | null, dropped: Extract<Dropped, { pod: string }>): void => {
    const seen = new Set<string>();
    for (let at = start; at !== null && !seen.has(at); ) {
      seen.add(at);
      if (!owned.has(at)) owned.set(at, dropped);
      const list = members.get(at);
      if (list === undefined) members.set(at, [dropped.pod]);
      else list.push(dropped.pod);
      const [namespace, kind, ...rest] = at.split("/");
      at = parentOf(namespace!, kind!, rest.join("/"), null);
    }
  };
  for (const pod of pods) {
    const id = namespacedName(pod);
    if (pod.controller !== null) {
      const slash = pod.controller.indexOf("/");
      const kind = pod.controller.slice(0, slash);
      const name = pod.controller.slice(slash + 1);
      const direct = key(pod.namespace, kind, name);
      claim(present.has(direct) ? direct : parentOf(pod.namespace, kind, name, pod), { reason: "owned-pods", pod: id });
      continue;
    }
    const candidates = inNamespace.get(pod.namespace);
    if (candidates === undefined) continue;
    const labels = new Map(Object.entries(pod.labels));
    for (const w of candidates) if (selectorMatches(w.selector!, labels)) claim(key(w.namespace, w.kind, w.name), { reason: "selected-pods", pod: id });
  }
  return workloads.map((w) => {
    const k = key(w.namespace, w.kind, w.name);
    const given = members.get(k) ?? [];
    if (w.owner !== null && present.has(`${w.namespace}/${w.owner}`)) return { workload: w, dropped: { reason: "controlled" }, given };
    const by = owned.get(k);
    if (by !== undefined) return { workload: w, dropped: by, given };
    if (w.replicas === 0) return { workload: w, dropped: { reason: "no-replicas" }, given };
    return { workload: w, dropped: null, given };
  });
}

