// One notion of validity: what parseManifests accepts, createEngine accepts, and what
// createEngine would refuse in the cluster, parseManifests refuses first, with the
// file, document, line and field path of the object at fault.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type Manifests } from "../src/index.js";
import { parseManifests } from "../src/manifests-entry.js";
import { FACTORIES } from "./support/evaluators.js";

const ns = (name: string, labels = "{}"): string => `---\napiVersion: v1\nkind: Namespace\nmetadata: {name: ${JSON.stringify(name)}, labels: ${labels}}\n`;
const pod = (name: string, ips: string[], extra = ""): string =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: x}\nspec: {${extra}}\nstatus:\n  podIPs: [${ips.map((ip) => `{ip: ${JSON.stringify(ip)}}`).join(", ")}]\n`;

/** Builds an engine from what was parsed, on every evaluation path; none may refuse it. */
async function engineAccepts(m: Manifests): Promise<void> {
  for (const create of FACTORIES) await create({ cluster: { namespaces: m.namespaces, pods: m.pods }, policies: m.policies });
}

test("Namespace objects are validated: name and labels, at their lines; the rest loads", async () => {
  const m = parseManifests(`${ns("x")}${ns("Bad_Name")}${ns("y", "{'bad key!': v, ok: 'bad value!'}")}`, { file: "ns.yaml" });
  assert.equal(
    m.issues.map((i) => [i.file, i.document, i.line, i.path, i.message.split(":")[0]]),
    [
      ["ns.yaml", 1, 8, "metadata.name", "invalid value `Bad_Name`"],
      ["ns.yaml", 2, 12, "metadata.labels", "invalid label key `bad key!`"],
      ["ns.yaml", 2, 12, "metadata.labels.ok", "invalid label value `bad value!`"],
    ],
  );
  assert.equal(m.namespaces.map((n) => n.name), ["x"]);
  await engineAccepts(m);
});

test("an IP held by two Pod objects is an error at the second (its line, its field), naming the first; host-network pods may share", async () => {
  const text = `${ns("x")}${pod("a", ["10.0.0.1"])}${pod("b", ["10.0.0.2", "10.0.0.1"])}${pod("n1", ["192.168.0.1"], "hostNetwork: true")}${pod("n2", ["192.168.0.1"], "hostNetwork: true")}${pod("c", ["::ffff:10.0.0.1"])}`;
  const m = parseManifests(text, { file: "pods.yaml" });
  assert.equal(
    m.issues.map((i) => [i.document, i.line, i.path, i.message]),
    [
      [2, 12, "status.podIPs[1].ip", "IP `10.0.0.1` already belongs to pod `x/a`, defined at pods.yaml:5 document 1: this one is skipped"],
      // an IPv4-mapped IPv6 address is the IPv4 address (semantics.md, IP addresses)
      [5, 33, "status.podIPs[0].ip", "IP `::ffff:10.0.0.1` already belongs to pod `x/a`, defined at pods.yaml:5 document 1: this one is skipped"],
    ],
  );
  assert.equal(m.pods.map((p) => p.name), ["a", "n1", "n2"]);
  await engineAccepts(m);
});

test("the same across files and formats: a compact cluster and Pod objects share one check", () => {
  const m = parseManifests(`{"namespaces": [{"name": "x"}], "pods": [{"namespace": "x", "name": "a", "ips": ["10.0.0.1"]}, {"namespace": "x", "name": "b", "ips": ["10.0.0.1"]}]}`);
  assert.equal(m.issues.map((i) => [i.path, i.message.split(",")[0]]), [["pods[1].ips[0]", "IP `10.0.0.1` already belongs to pod `x/a`"]]);
});

test("parseManifests and createEngine agree on a mixed, partly broken input", async () => {
  const text = `${ns("x")}${ns("x")}${ns("y", "{a: b}")}${pod("a", ["10.0.0.1"])}${pod("a", ["10.0.0.9"])}${pod("b", ["10.0.0.300"])}${pod("c", ["10.0.0.1"])}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec: {podSelector: {matchLabels: {a: b}}, ingress: [{ports: [{port: 80, endPort: 79}]}]}
`;
  const m = parseManifests(text);
  assert.equal(m.issues.filter((i) => i.severity === "error").length, 5);
  await engineAccepts(m);
});

test.run();
