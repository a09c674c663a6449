// Services, workloads and named ports in the library (issue 11, points 1 to 3), on
// both evaluators: `cluster.services` and a pod's `workload` in the compact cluster,
// one endpoint naming scheme (kubectl's kinds read too), a group's verdict pod by pod,
// a named `Flow.port` resolved on each destination pod.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { onEveryEvaluator } from "./support/evaluators.js";
import { NetpolValidationError, type EngineInput, type Engine } from "../src/index.js";

const policy = {
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { namespace: "shop", name: "api" },
  spec: { podSelector: { matchLabels: { app: "api" } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: "web" } } }], ports: [{ port: "http" }] }] },
};

const INPUT: EngineInput = {
  cluster: {
    namespaces: [{ name: "shop" }],
    pods: [
      { namespace: "shop", name: "api-1", labels: { app: "api" }, ports: [{ name: "http", containerPort: 8080 }], workload: { kind: "Deployment", name: "api" } },
      { namespace: "shop", name: "api-2", labels: { app: "api" }, ports: [{ name: "http", containerPort: 8081 }], workload: { kind: "Deployment", name: "api" } },
      { namespace: "shop", name: "api-3", labels: { app: "api" }, ports: [{ name: "metrics", containerPort: 9090 }], workload: { kind: "Deployment", name: "api" } },
      { namespace: "shop", workload: { kind: "Deployment", name: "web" }, labels: { app: "web" } },
      { namespace: "shop", name: "other", labels: { app: "other" } },
    ],
    services: [
      { namespace: "shop", name: "api", selector: { app: "api" }, ports: [{ name: "main", port: 80, targetPort: "http" }] },
      { namespace: "shop", name: "legacy", ports: [{ port: 80 }] },
      { namespace: "shop", name: "empty", selector: { app: "nothing" }, ports: [{ port: 80 }] },
    ],
  },
  policies: [policy],
};

/** The issues `decide` throws for `flow`, as `path: message`. */
function issuesOf(engine: Engine, flow: Parameters<Engine["decide"]>[0]): string[] {
  try {
    engine.decide(flow);
  } catch (error) {
    assert.instance(error, NetpolValidationError);
    return (error as NetpolValidationError).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

onEveryEvaluator("a workload's stand-in is `namespace/kind/name`; kubectl's kinds are read on input", async (create) => {
  const engine = await create(INPUT);
  assert.equal(engine.pods, ["shop/api-1", "shop/api-2", "shop/api-3", "shop/deployment/web", "shop/other"]);
  for (const from of ["shop/deployment/web", "shop/deploy/web", "shop/Deployments/web"]) assert.ok(engine.decide({ from, to: "shop/po/api-1", port: 8080 }).allowed, from);
  assert.equal([...engine.decideBatch([{ from: "shop/deploy/web", to: "shop/api-1", port: 8080 }])], [1]);
  assert.equal(engine.endpointIds(["shop/deploy/web"]).ids, Uint32Array.of(3));
});

onEveryEvaluator("a Service stands for the pods its selector picks, each on its targetPort; a pod without the named port is not served", async (create) => {
  const engine = await create(INPUT);
  const d = engine.decide({ from: "shop/deployment/web", to: "shop/svc/api", port: 80 });
  assert.ok(d.allowed);
  assert.equal([d.group!.to, d.group!.allowed, d.group!.total], ["shop/service/api", 2, 2]);
  assert.equal(
    d.group!.members.map((m) => [m.to, m.port, m.allowed]),
    [
      ["shop/api-1", 8080, true],
      ["shop/api-2", 8081, true],
      ["shop/api-3", null, false],
    ],
  );
  assert.match(d.group!.members[2]!.reason!, /no container port named `http` for TCP on this pod: it is no endpoint of this Service port/);
  // a Service port by name; from a pod the policy does not admit: denied for every pod
  const denied = engine.decide({ from: "shop/other", to: "shop/service/api", port: "main" });
  assert.equal([denied.allowed, denied.group!.allowed, denied.group!.total, denied.explanation.ingress.reason], [false, 0, 2, "no-rule"]);
  assert.equal(engine.endpointGroup("shop/svc/api"), { id: "shop/service/api", kind: "service", pods: [0, 1, 2], ports: [{ name: "main", port: 80, protocol: "TCP", targetPort: "http" }] });
});

onEveryEvaluator("a workload whose pods are given stands for all of them; both ends groups: pod pairs", async (create) => {
  const engine = await create(INPUT);
  const d = engine.decide({ from: "shop/deploy/web", to: "shop/deploy/api", port: "http" });
  assert.equal([d.allowed, d.group!.from, d.group!.to, d.group!.allowed, d.group!.total], [true, null, "shop/deployment/api", 2, 2]);
  const pairs = engine.decide({ from: "shop/deploy/api", to: "shop/deploy/api", port: 8080 });
  assert.equal([pairs.group!.from, pairs.group!.total], ["shop/deployment/api", 9]);
  assert.equal(engine.endpointGroup("shop/deployment/api")?.pods, [0, 1, 2]);
  assert.is(engine.endpointGroup("shop/deployment/web"), null, "a stand-in is one pod");
});

onEveryEvaluator("a named Flow.port resolves on the destination pod; a name on no destination pod is an error", async (create) => {
  const engine = await create(INPUT);
  const d = engine.decide({ from: "shop/deployment/web", to: "shop/api-2", port: "http" });
  assert.equal([d.allowed, d.group], [true, undefined]);
  assert.equal(issuesOf(engine, { from: "shop/deployment/web", to: "shop/api-3", port: "http" }), [
    "flow.port: port `http` (TCP) resolves on no destination pod: no container port named `http` for TCP on this pod",
  ]);
  assert.equal(issuesOf(engine, { from: "shop/api-1", to: "10.0.0.9", port: "http" }), [
    "flow.port: port `http` (TCP) resolves on no destination pod: a named port (`http`) is resolved on a destination pod; this destination is no pod",
  ]);
  // a batch: 1 when allowed for every pod a flow stands for; the plain flows keep their fast path
  const flows = [
    { from: "shop/deployment/web", to: "shop/api-1", port: 8080 },
    { from: "shop/deployment/web", to: "shop/service/api", port: 80 },
    { from: "shop/other", to: "shop/service/api", port: 80 },
    { from: "shop/deployment/web", to: "shop/api-2", port: "http" },
  ];
  assert.equal([...engine.decideBatch(flows)], [1, 1, 0, 1]);
  // the async form, threads or not, plans groups and named ports alike
  for (const threads of [1, 2]) {
    const threaded = await create({ ...INPUT, threads });
    assert.equal([...(await threaded.decideBatchAsync(flows))], [1, 1, 0, 1], `${threads} threads`);
    const refused = await threaded.decideBatchAsync([...flows, { from: "shop/other", to: "shop/service/empty", port: 80 }]).then(
      () => "accepted",
      (e: unknown) => (e instanceof NetpolValidationError ? e.issues[0]!.path : String(e)),
    );
    assert.is(refused, "flows[4].to");
    threaded.close();
  }
});

onEveryEvaluator("a Service without a selector, or selecting nothing, is reported, not guessed", async (create) => {
  const engine = await create(INPUT);
  assert.equal(issuesOf(engine, { from: "shop/other", to: "shop/svc/legacy", port: 80 }), [
    "to: Service `shop/service/legacy` has no selector: its endpoints are managed outside the cluster state, so netpol cannot know its pods",
  ]);
  assert.equal(issuesOf(engine, { from: "shop/svc/empty", to: "shop/other", port: 80 }), ["from: Service `shop/service/empty` selects no pod of the cluster"]);
  assert.equal(issuesOf(engine, { from: "shop/other", to: "shop/svc/api", port: 81 }), ["flow.port: Service `shop/service/api` has no port 81/TCP; its ports: 80/TCP (main)"]);
  assert.match(engine.endpointGroup("shop/service/legacy")!.problem!, /no selector/);
  assert.throws(
    () => engine.decideBatch([{ from: "shop/other", to: "shop/service/empty", port: 80 }]),
    (e: unknown) => e instanceof NetpolValidationError && e.issues[0]!.path === "flows[0].to",
  );
});

onEveryEvaluator("compact Services and workloads are validated with their paths; updates name a stand-in its way", async (create) => {
  const bad = await create.rejection({
    cluster: {
      pods: [{ namespace: "a", workload: { kind: "Rollout", name: "x" } }, { namespace: "a" }],
      services: [{ namespace: "a", name: "s", ports: [{ port: 70000, targetPort: "Not_A_Name" }] }],
    },
    policies: [],
  });
  assert.equal(
    bad.issues.map((i) => i.path),
    ["cluster.pods[0].workload.kind", "cluster.pods[1].name", "cluster.services[0].ports[0].port", "cluster.services[0].ports[0].targetPort"],
  );
  const engine = await create(INPUT);
  engine.update({ op: "removePod", pod: "shop/deploy/web" });
  assert.equal(engine.pods, ["shop/api-1", "shop/api-2", "shop/api-3", "shop/other"]);
  engine.update({ op: "upsertPod", pod: { namespace: "shop", workload: { kind: "StatefulSet", name: "db" }, labels: { app: "web" } } });
  assert.equal(engine.pods.at(-1), "shop/statefulset/db");
  assert.ok(engine.decide({ from: "shop/sts/db", to: "shop/svc/api", port: 80 }).allowed);
});

test.run();
