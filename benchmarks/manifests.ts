/**
 * A synthetic world (benchmarks/synthetic.ts) as the Kubernetes manifests a user
 * would have: Namespace, Pod and NetworkPolicy objects in one multi-document YAML
 * text, as `kubectl get ns,pods,networkpolicies -A -o yaml` prints them (split into
 * documents). The views benchmark feeds it to the CLI and pastes it into the playground.
 */
import { stringify } from "yaml";
import type { PodJson, PolicyJson } from "../test/support/arbitraries.js";
import type { World } from "./synthetic.js";

/** A Pod object for a compact pod. */
function podObject(pod: PodJson): unknown {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: pod.name, namespace: pod.namespace, labels: pod.labels },
    spec: {
      ...(pod.hostNetwork ? { hostNetwork: true } : {}),
      containers: [{ name: "main", image: "example/app:1", ports: pod.ports.map((p) => ({ ...p })) }],
    },
    status: { podIP: pod.ips[0], podIPs: pod.ips.map((ip) => ({ ip })) },
  };
}

/** The world as one YAML text of many documents: namespaces, pods, then policies. */
export function worldYaml(world: World): string {
  const objects: unknown[] = [
    ...world.cluster.namespaces.map((ns) => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns.name, labels: ns.labels } })),
    ...world.cluster.pods.map(podObject),
    ...world.policies,
  ];
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join("---\n");
}

/** A policy that opens ingress to every pod of `namespace` from anywhere: an edit that changes the matrix. */
export function allowAllIngress(namespace: string): PolicyJson {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "bench-allow-all-ingress", namespace },
    spec: { podSelector: {}, ingress: [{}] },
  };
}

/** `policy` as a YAML document to append to a text of documents. */
export const yamlDocument = (policy: PolicyJson): string => `---\n${stringify(policy, { lineWidth: 0 })}`;
