// Which workloads stand for their pods (controller references first, selectors only
// for orphan pods) and the labels their controllers add to the stand-ins; each rule
// cites the upstream code it follows (see src/api/workloads.ts).
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { LabelSelectorManifest } from "../src/index.js";
import { FACTORIES } from "./support/evaluators.js";
import { parseManifests } from "../src/manifests/manifests.js";
import { podEntryId } from "../src/manifests/entries.js";
import { MAX_ORDINAL_STAND_INS, UNKNOWN_LABEL_VALUE } from "../src/manifests/workloads.js";

const NS = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n";

const deployment = (name: string, labels: string, extra = "") => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  ${extra}selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
`;

const pod = (name: string, labels: string, owner?: string) => `---
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  labels: ${labels}${owner === undefined ? "" : `\n  ownerReferences: [{apiVersion: apps/v1, kind: ${owner.split("/")[0]}, name: ${owner.split("/")[1]}, controller: true, uid: u}]`}
status: {podIP: 10.0.0.${name.length}}
`;

const names = (text: string): string[] => parseManifests(NS + text).pods.map((p) => podEntryId(p).slice(p.namespace.length + 1));
const warnings = (text: string): string[] => parseManifests(NS + text).issues.map((i) => `${i.severity} ${i.path}: ${i.message}`);

test("a Job or CronJob without labels or selector claims no pod (issue 14.6: `{}` used to own every pod)", () => {
  const job = `---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec: {template: {spec: {containers: [{name: c}]}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: shop}
spec: {schedule: "0 * * * *", jobTemplate: {spec: {template: {spec: {containers: [{name: c}]}}}}}
`;
  assert.equal(names(job + pod("web-1", "{app: web}")), ["web-1", "job/migrate", "cronjob/backup"]);
  assert.equal(warnings(job + pod("web-1", "{app: web}")), []);
});

test("an orphan pod matching a Deployment's selector drops it, with a warning naming the pod", () => {
  const text = deployment("web", "{app: web}") + pod("canary", "{app: web, track: canary}");
  assert.equal(names(text), ["canary"]);
  assert.equal(warnings(text), [
    "warning : Deployment `shop/web` is not an endpoint: pod `shop/canary`, which has no controller reference, matches its selector and is taken for one of its pods",
  ]);
});

test("a pod with a controller reference belongs to its controller only, never to a selector", () => {
  // the canary belongs to its own Deployment (through a ReplicaSet named by the deployment
  // controller: `<deployment>-<pod-template-hash>`), so `web` still stands for its pods
  const text =
    deployment("web", "{app: web}") + deployment("web-canary", "{app: web, track: canary}") + pod("canary-x", "{app: web, track: canary, pod-template-hash: 5f7c}", "ReplicaSet/web-canary-5f7c");
  assert.equal(names(text), ["canary-x", "deployment/web"]);
  assert.equal(warnings(text), []);
  // a controller netpol does not know (an operator's kind) owns its pods too
  assert.equal(names(deployment("web", "{app: web}") + pod("r-1", "{app: web}", "Rollout/web")), ["r-1", "deployment/web"]);
});

test("the chain of controllers: ReplicaSet to Deployment, Job to CronJob, also when the middle object is absent", () => {
  // `kubectl get deploy,pods -o yaml` has no ReplicaSets: the name web-7d9 with the pod's
  // pod-template-hash 7d9 links the pod to Deployment web
  assert.equal(names(deployment("web", "{app: web}") + pod("web-7d9-abcde", "{app: web, pod-template-hash: 7d9}", "ReplicaSet/web-7d9")), ["web-7d9-abcde"]);
  // a ReplicaSet of another hash is not web's
  assert.equal(names(deployment("web", "{app: web}") + pod("web-7d9-abcde", "{app: web, pod-template-hash: '111'}", "ReplicaSet/web-7d9")), ["web-7d9-abcde", "deployment/web"]);
  // cronjob controller: a Job `<cronjob>-<scheduled minute>`
  const cron = `---
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: shop}
spec: {schedule: "0 * * * *", jobTemplate: {spec: {template: {metadata: {labels: {app: backup}}}}}}
`;
  assert.equal(names(cron + pod("backup-28930020-x", "{app: backup}", "Job/backup-28930020")), ["backup-28930020-x"]);
  assert.equal(names(cron + pod("backup-x", "{app: other}", "Job/backup-latest")), ["backup-x", "cronjob/backup"]);
  // with the ReplicaSet in the input, its controller reference leads to the Deployment
  const rs = `---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-abc, namespace: shop, ownerReferences: [{kind: Deployment, name: web, controller: true}]}
spec: {replicas: 0, selector: {matchLabels: {app: web}}, template: {metadata: {labels: {app: web}}}}
`;
  assert.equal(names(deployment("web", "{app: web}") + rs + pod("web-abc-1", "{app: web}", "ReplicaSet/web-abc")), ["web-abc-1"]);
  assert.equal(warnings(deployment("web", "{app: web}") + rs + pod("web-abc-1", "{app: web}", "ReplicaSet/web-abc")), []);
});

test("a workload with 0 replicas is no endpoint, with a warning", () => {
  const text = deployment("idle", "{app: idle}", "replicas: 0\n  ");
  assert.equal(names(text), []);
  assert.equal(warnings(text), ["warning spec.replicas: Deployment `shop/idle` is not an endpoint: it has 0 replicas"]);
});

test("stand-ins carry the labels their controllers always add", () => {
  const m = parseManifests(
    NS +
      deployment("web", "{app: web}") +
      `---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop, uid: 0b4e8f1c-3b7a-4c5e-9d2f-6a1b2c3d4e5f}
spec: {completionMode: Indexed, completions: 3, template: {metadata: {labels: {job-name: custom}}}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: manual, namespace: shop}
spec: {manualSelector: true, selector: {matchLabels: {x: "y"}}, template: {metadata: {labels: {x: "y"}}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: shop}
spec: {schedule: "0 0 * * *", jobTemplate: {spec: {template: {metadata: {labels: {app: nightly}}}}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop, annotations: {deprecated.daemonset.template.generation: "4"}}
spec: {selector: {matchLabels: {app: agent}}, template: {metadata: {labels: {app: agent}}}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec: {replicas: 3, ordinals: {start: 1}, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}}}
`,
  );
  assert.equal(m.issues, []);
  const labels = Object.fromEntries(m.pods.map((p) => [podEntryId(p).slice(p.namespace.length + 1), { ...p.labels }]));
  const U = UNKNOWN_LABEL_VALUE;
  // getNewReplicaSet: pod-template-hash, a hash of the template netpol cannot compute
  assert.equal(labels["deployment/web"], { app: "web", "pod-template-hash": U });
  // generateSelector keeps a job-name the template already has; the UID is metadata.uid;
  // addCompletionIndexLabel gives each pod of an Indexed Job its own index
  assert.equal(labels["job/migrate"], {
    "job-name": "custom",
    "batch.kubernetes.io/job-name": "migrate",
    "controller-uid": "0b4e8f1c-3b7a-4c5e-9d2f-6a1b2c3d4e5f",
    "batch.kubernetes.io/controller-uid": "0b4e8f1c-3b7a-4c5e-9d2f-6a1b2c3d4e5f",
    "batch.kubernetes.io/job-completion-index": U,
  });
  // manualSelector: true asks the API server to add nothing
  assert.equal(labels["job/manual"], { x: "y" });
  // getJobName: a CronJob's Jobs are named `<cronjob>-<scheduled minute>`
  assert.equal(labels["cronjob/nightly"], { app: "nightly", "job-name": U, "batch.kubernetes.io/job-name": U, "controller-uid": U, "batch.kubernetes.io/controller-uid": U });
  // CreatePodTemplate: the hash and the template generation from the annotation
  assert.equal(labels["daemonset/agent"], { app: "agent", "controller-revision-hash": U, "pod-template-generation": "4" });
  // updateIdentity: one pod per ordinal, named <name>-<ordinal>, from spec.ordinals.start
  assert.equal(
    m.pods.filter((p) => p.workload?.kind === "StatefulSet").map((p) => [p.name, p.workload, p.labels["statefulset.kubernetes.io/pod-name"], p.labels["apps.kubernetes.io/pod-index"], p.labels["controller-revision-hash"]]),
    [1, 2, 3].map((i) => [`db-${i}`, { kind: "StatefulSet", name: "db", ordinal: i }, `db-${i}`, String(i), U]),
  );
});

test("policies that select on controller labels select the stand-ins they would select in the cluster", async () => {
  const m = parseManifests(
    NS +
      deployment("web", "{app: web}") +
      `---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec: {replicas: 2, selector: {matchLabels: {app: db}}, template: {metadata: {labels: {app: db}}}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec: {template: {spec: {containers: [{name: c}]}}}
`,
  );
  const deny = (name: string, podSelector: LabelSelectorManifest) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace: "shop" },
    spec: { podSelector, policyTypes: ["Ingress"] },
  });
  const policies = [
    deny("primary-only", { matchLabels: { "statefulset.kubernetes.io/pod-name": "db-0" } }),
    deny("migrations", { matchLabels: { "job-name": "migrate" } }),
    deny("deployment-pods", { matchExpressions: [{ key: "pod-template-hash", operator: "Exists" }] }),
  ];
  for (const create of FACTORIES) {
    const engine = await create({ cluster: { namespaces: m.namespaces, pods: m.pods }, policies });
    const isolated = engine.pods.filter((to) => !engine.decide({ from: "192.0.2.1", to, port: 80 }).allowed);
    assert.equal(isolated, ["shop/deployment/web", "shop/db-0", "shop/job/migrate"], create.evaluator);
  }
});

test("a StatefulSet with more ordinal pods than netpol stands in for is an error", () => {
  const m = parseManifests(
    NS +
      `---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: big, namespace: shop}
spec: {replicas: ${MAX_ORDINAL_STAND_INS + 1}, selector: {matchLabels: {app: big}}, template: {metadata: {labels: {app: big}}}}
`,
  );
  assert.equal(m.pods, []);
  assert.match(m.issues[0]!.message, /too many ordinal pods/);
  assert.is(m.issues[0]!.path, "spec.replicas");
});

test.run();
