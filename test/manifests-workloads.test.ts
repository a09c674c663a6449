// Workloads as endpoints: pod templates standing for their pods when no Pod of the
// workload is given, across files, with every problem located.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { createEngine } from "../src/index.js";
import { parseManifests, parseSources } from "../src/manifests/manifests.js";
import { workloadId } from "../src/primitives/endpoint-names.js";
import { podEntryId, type PodEntry } from "../src/manifests/entries.js";

/** A pod entry's id without its namespace: `web-abc`, `deployment/web`. */
const id = (p: PodEntry): string => podEntryId(p).slice(p.namespace.length + 1);

const NS = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
`;

const deployment = (name: string, labels: string, extra = "") => `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec:
      containers: [{name: c, ports: [{name: http, containerPort: 8080}]}]${extra}
`;

test("every workload kind stands for its pods, named kind.name (a StatefulSet by its ordinal pods) with a workload field", () => {
  const kinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].map(
    (kind) => `---
apiVersion: apps/v1
kind: ${kind}
metadata: {name: w, namespace: shop}
spec:
  template:
    metadata: {labels: {kind: ${kind.toLowerCase()}}}
    spec: {hostNetwork: ${kind === "DaemonSet"}, containers: [{ports: [{containerPort: 53, protocol: UDP}]}]}
`,
  );
  const cron = `---
apiVersion: batch/v1
kind: CronJob
metadata: {name: w, namespace: shop}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {kind: cronjob}}
        spec: {containers: [{name: c}]}
`;
  const m = parseManifests(NS + kinds.join("") + cron);
  assert.equal(m.issues, []);
  assert.equal(
    m.pods.map((p) => [id(p), p.workload, p.labels.kind, p.ips, p.hostNetwork]),
    ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"].map((kind) => [
      kind === "StatefulSet" ? "w-0" : `${kind.toLowerCase()}/w`,
      kind === "StatefulSet" ? { kind, name: "w", ordinal: 0 } : { kind, name: "w" },
      kind.toLowerCase(),
      [],
      kind === "DaemonSet",
    ]),
  );
  assert.equal(m.pods[0]!.ports, [{ containerPort: 53, protocol: "UDP" }]);
});

test("a workload whose pods are given is skipped, also when they are in another file", () => {
  const pod = `apiVersion: v1
kind: Pod
metadata: {name: web-abc, namespace: shop, labels: {app: web, pod-template-hash: abc}}
`;
  const one = parseManifests(NS + deployment("web", "{app: web}") + "---\n" + pod);
  assert.equal(one.pods.map(id), ["web-abc"]);
  const two = parseSources([{ text: NS + deployment("web", "{app: web}") + deployment("api", "{app: api}"), file: "a.yaml" }, { text: pod, file: "b.yaml" }]);
  assert.equal(two.pods.map(id), ["web-abc", "deployment/api"]);
  // same labels in another namespace do not count
  const other = parseManifests(NS + deployment("web", "{app: web}") + "---\n" + pod.replace("namespace: shop", "namespace: else"));
  assert.equal(other.pods.map(podEntryId), ["else/web-abc", "shop/deployment/web"]);
});

test("a ReplicaSet controlled by a Deployment of the input is not an endpoint of its own", () => {
  const rs = `---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-abc
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: x}]
spec:
  selector: {matchLabels: {app: web, pod-template-hash: abc}}
  template:
    metadata: {labels: {app: web, pod-template-hash: abc}}
`;
  const m = parseManifests(NS + deployment("web", "{app: web}") + rs);
  assert.equal(m.pods.map(id), ["deployment/web"]);
  const alone = parseManifests(NS + rs);
  assert.equal(alone.pods.map(id), ["replicaset/web-abc"]);
});

test("a workload without spec.selector owns the pods its template's labels select", () => {
  const job = `---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    metadata: {labels: {job: migrate}}
---
apiVersion: v1
kind: Pod
metadata: {name: migrate-x, namespace: shop, labels: {job: migrate, batch.kubernetes.io/controller-uid: u}}
`;
  assert.equal(parseManifests(NS + job).pods.map(id), ["migrate-x"]);
});

test("invalid workloads are reported with their paths; the rest loads", () => {
  const m = parseManifests(
    NS +
      `---
apiVersion: apps/v1
kind: Deployment
metadata: {namespace: shop}
spec: {template: {}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: bad, namespace: shop}
spec:
  selector: {matchExpressions: [{key: app, operator: Near}]}
  template:
    metadata: {labels: {"__proto__": x}}
    spec: {containers: [{ports: [{containerPort: 70000}]}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nothing, namespace: shop}
spec: {}
` +
      deployment("fine", "{app: fine}"),
  );
  const errors = m.issues.map((i) => `${i.document} ${i.path}: ${i.message}`);
  assert.ok(errors.includes("1 metadata.name: required value"), errors.join("\n"));
  assert.ok(errors.some((e) => e.startsWith("2 spec.selector.matchExpressions[0].operator: unsupported value `Near`")), errors.join("\n"));
  assert.ok(errors.includes("3 spec.jobTemplate.spec.template: required value"), errors.join("\n"));
  assert.equal(m.pods.map(id), ["deployment/fine"]);
  const template = parseManifests(
    NS + deployment("bad", "{app: bad}").replace("[{name: http, containerPort: 8080}]", "[{containerPort: 70000}]"),
  ).issues.map((i) => `${i.path}: ${i.message}`);
  assert.equal(template, ["spec.template.spec.containers[*].ports[0].containerPort: invalid value `70000`: must be between 1 and 65535, inclusive"]);
});

test("a workload's stand-in cannot collide with a given pod: its id has a kind", () => {
  const m = parseManifests(
    NS +
      deployment("web", "{app: web}") +
      `---
apiVersion: v1
kind: Pod
metadata: {name: deployment.web, namespace: shop}
`,
  );
  assert.equal(m.pods.map(id).sort(), ["deployment.web", "deployment/web"]);
  assert.equal(m.issues.filter((i) => i.severity === "error"), []);
});

test("namespaces used but not defined get a warning that says what is assumed", () => {
  const m = parseSources([{ text: deployment("web", "{app: web}").replace(/namespace: shop/g, "namespace: data"), file: "w.yaml" }]);
  assert.equal(
    m.issues.map((i) => [i.file, i.document, i.path, i.severity, i.message]),
    [["w.yaml", 0, "metadata.namespace", "warning", "namespace `data` is not defined: assumed to have only the label `kubernetes.io/metadata.name=data`"]],
  );
});

test("endpoints: the engine names a workload's stand-in namespace/kind/name, and reads kubectl's kinds", async () => {
  const m = parseManifests(NS + deployment("web", "{app: web}"));
  const engine = await createEngine({ cluster: { namespaces: m.namespaces, pods: m.pods }, policies: [] });
  assert.equal(engine.pods, ["shop/deployment/web"]);
  assert.is(m.pods[0]!.name, undefined);
  assert.is(workloadId("x", "CronJob", "r"), "x/cronjob/r");
  assert.ok(engine.decide({ from: "shop/deploy/web", to: "shop/deployment/web", port: 80 }).allowed);
  assert.ok(engine.decide({ from: "shop/deployments/web", to: "shop/Deploy/web", port: 80 }).allowed);
});

test.run();
