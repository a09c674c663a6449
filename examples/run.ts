/**
 * `npm run example`: loads the NetworkPolicy documentation's example policy with a
 * small cluster and prints its verdicts as tables, using only the public API.
 */
import { readFileSync } from "node:fs";
import { createEngine, describeDecision, formatIssue, type Engine, type Protocol } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";

const here = (name: string): string => new URL(name, import.meta.url).pathname;
const text = ["cluster.yaml", "test-network-policy.yaml"].map((f) => readFileSync(here(f), "utf8")).join("\n---\n");
const manifests = parseManifests(text);
for (const issue of manifests.issues) console.error(formatIssue(issue));

const engine: Engine = await createEngine({
  cluster: { namespaces: manifests.namespaces, pods: manifests.pods },
  policies: manifests.policies,
});

function matrixTable(protocol: Protocol, port: number): string {
  const m = engine.matrix({ protocol, port });
  const width = Math.max(...m.pods.map((p) => p.length));
  const head = `${"from \\ to".padEnd(width)}  ${m.pods.map((_, j) => String(j + 1).padStart(2)).join(" ")}`;
  const rows = m.pods.map((p, i) => `${p.padEnd(width)}  ${m.pods.map((_, j) => (m.allowed(i, j) ? " ✓" : " ·")).join(" ")}`);
  const legend = m.pods.map((p, j) => `${j + 1}=${p}`).join("  ");
  return [`${protocol}/${port}: ${m.count()} of ${m.pods.length ** 2} pod pairs allowed`, head, ...rows, legend].join("\n");
}

const flows = [
  { from: "default/frontend", to: "default/db", port: 6379 },
  { from: "myproject/app", to: "default/db", port: 6379 },
  { from: "other/frontend", to: "default/db", port: 6379 },
  { from: "default/backend", to: "default/db", port: 6379 },
  { from: "172.17.0.5", to: "default/db", port: 6379 },
  { from: "172.17.1.5", to: "default/db", port: 6379 },
  { from: "172.17.2.5", to: "default/db", port: 6379 },
  { from: "default/frontend", to: "default/db", port: 80 },
  { from: "default/db", to: "10.0.0.7", port: 5978 },
  { from: "default/db", to: "10.0.1.7", port: 5978 },
  { from: "default/db", to: "default/frontend", port: 80 },
] as const;

console.log(`netpol: ${manifests.policies.length} ${manifests.policies.length === 1 ? "policy" : "policies"}, ${engine.pods.length} pods, evaluator ${engine.evaluator}\n`);
console.log(matrixTable("TCP", 6379));
console.log();
console.log(matrixTable("TCP", 80));
console.log("\nflow                                         verdict  why");
for (const f of flows) {
  const { allowed, explanation } = engine.decide({ ...f, protocol: "TCP" });
  // the side that denied it, else the first rule that allowed it, in the library's words
  const { egress, ingress } = describeDecision(explanation, { rules: engine.rules });
  const deciding = [egress, ingress].find((s) => !s.allowed) ?? [egress, ingress].find((s) => s.allowedBy.length > 0) ?? ingress;
  const why = deciding.allowedBy[0]?.text ?? `${deciding.direction.toLowerCase()}: ${deciding.summary}`;
  console.log(`${`${f.from} -> ${f.to} TCP/${f.port}`.padEnd(45)}${(allowed ? "allowed" : "denied").padEnd(9)}${why}`);
}
