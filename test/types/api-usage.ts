// Compiled, never run, by test/types.test.ts: the calls the README and docs/guide.md
// document must compile, and each line after a `@ts-expect-error` must not.
import { createEngine, createEngineFromJson, createEngineSync, decodeCluster, decodeNetworkPolicy, describeDecision, explanationText, NetpolValidationError, policyLines, type ClusterManifest, type ColumnarFlows, type Engine, type EngineInput, type Issue, type NetworkPolicyManifest } from "../../src/index.js";
import { parseManifests } from "../../src/manifests-entry.js";

/** The documented calls. */
export async function documented(yamlText: string, json: string): Promise<void> {
  const { policies, namespaces, pods, issues } = parseManifests(yamlText);
  if (issues.some((i) => i.severity === "error")) throw new Error(issues.map((i) => i.message).join("\n"));
  const engine: Engine = await createEngine({ cluster: { namespaces, pods }, policies, options: { selfTraffic: "allow" } });
  const d = engine.decide({ from: "default/frontend", to: "default/db", protocol: "TCP", port: 6379 });
  const text: string = explanationText(d.explanation, "default/frontend", "default/db", engine.rules);
  const words = describeDecision(d.explanation, { rules: engine.rules, from: "default/frontend" }).ingress.allowedBy.map((r) => r.text);
  const selected: readonly number[] = engine.selectedPods(0, "Ingress");
  const isolating: readonly number[] = engine.isolatingPolicies(0, "Egress");
  for (const policy of engine.rules.policies) policyLines(policy, engine.selectedPods(policy.index).map((i) => engine.pods[i]!));
  const verdicts: Uint8Array = engine.decideBatch([{ from: "default/db", to: "10.0.0.7", port: 5978 }]);
  const columns: ColumnarFlows = { from: Uint32Array.of(0), to: Uint32Array.of(1), ports: Uint32Array.of(80) };
  engine.decideBatch(columns);
  const { ids, addresses, addresses4, addresses6 } = engine.endpointIds(["default/db", "10.0.0.7"]);
  engine.decideBatch({ from: ids.subarray(0, 1), to: ids.subarray(1, 2), ports: Uint32Array.of(5978), addresses, addresses4, addresses6 });
  const reused = engine.matrix({ port: 6379 });
  engine.matrix({ port: 80 }, { into: reused.bits });
  engine.matrix({ protocol: "TCP", port: 6379 }).toJSON();
  engine.update({ op: "upsertPod", pod: { namespace: "x", name: "a", labels: { app: "web" }, ips: ["10.0.0.1"] } });

  // the compact cluster as plain data; label maps of different keys in one list
  const cluster: ClusterManifest = {
    namespaces: [{ name: "x", labels: { team: "a" } }, { name: "y", labels: { team: "b", env: "prod" } }],
    pods: [{ namespace: "x", name: "a", labels: { app: "web" }, ips: ["10.244.1.1", "fd00::1"], ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }], hostNetwork: false }],
  };
  const policy: NetworkPolicyManifest = {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "db", namespace: "x" },
    spec: { podSelector: { matchLabels: { app: "db" } }, ingress: [{ from: [{ ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16"] } }], ports: [{ port: "http" }, { port: 80, endPort: 90 }] }] },
  };
  const input: EngineInput = { cluster, policies: [policy], evaluator: "reference", options: { hostNetwork: "pod" } };
  createEngineSync(input);

  // untyped JSON goes through the explicitly untyped path
  await createEngineFromJson(JSON.parse(json));

  // decoders answer with a Result, never an fp-ts Either
  const decoded = decodeNetworkPolicy(JSON.parse(json));
  if (decoded.ok) decoded.value.spec?.podSelector?.matchLabels?.get("app");
  else decoded.issues.map((i: Issue) => i.path);
  const checked = decodeCluster(cluster);
  if (!checked.ok) throw new NetpolValidationError(checked.issues);
  void [text, verdicts, words, selected, isolating];
}

/** The calls that must not compile. */
export async function wrong(engine: Engine): Promise<void> {
  // the issue's example: neither a misspelt field nor a number as a policy gets through
  // @ts-expect-error `namespacez` is no field of the cluster (and 42 is no NetworkPolicy)
  await createEngine({ cluster: { namespacez: 1 }, policies: [42] });
  // @ts-expect-error a number is not a NetworkPolicy
  await createEngine({ cluster: {}, policies: [42] });
  // @ts-expect-error `namespacez` is no field of the cluster
  await createEngine({ cluster: { namespacez: 1 }, policies: [] });
  // @ts-expect-error the policies are required
  await createEngine({ cluster: {} });
  // @ts-expect-error a label value is a string
  await createEngine({ cluster: { pods: [{ namespace: "x", name: "a", labels: { app: 1 } }] }, policies: [] });
  // @ts-expect-error an unknown evaluator
  await createEngine({ cluster: {}, policies: [], evaluator: "quantum" });
  // @ts-expect-error an unknown option
  await createEngine({ cluster: {}, policies: [], options: { colour: "blue" } });
  // @ts-expect-error ICMP is not a protocol NetworkPolicy names
  engine.decide({ from: "x/a", to: "x/b", protocol: "ICMP", port: 1 });
  // @ts-expect-error an update needs a known op
  engine.update({ op: "explode" });
  // @ts-expect-error a decoded policy is a Result: `.right` is fp-ts, not netpol
  void decodeNetworkPolicy({}).right;
}
