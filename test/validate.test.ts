// The API server's NetworkPolicy validation: each rule, its field path and message, from
// the decoder and from createEngine on every evaluator.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { decodeNetworkPolicy } from "../src/validate/decoders.js";
import { formatIssue } from "../src/primitives/issues.js";
import { FACTORIES } from "./support/evaluators.js";

const policy = (spec: unknown, metadata: unknown = { name: "p", namespace: "x" }): unknown => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata,
  spec,
});

/** The rendered issues of a policy, `path: message`, or [] when it is valid. */
function problems(input: unknown): string[] {
  const r = decodeNetworkPolicy(input);
  return r.ok ? [] : r.issues.map(formatIssue);
}

/** `input` is refused with the `expected` issues by the decoder, and by createEngine on every evaluator. */
function rejects(input: unknown, ...expected: string[]): void {
  const got = problems(input);
  for (const e of expected) assert.ok(got.some((g) => g.includes(e)), `expected an issue containing ${JSON.stringify(e)}, got ${JSON.stringify(got)}`);
  for (const create of FACTORIES) {
    const engineIssues = create.rejectionSync({ cluster: {}, policies: [input] }).issues.map(formatIssue);
    for (const e of expected) assert.ok(engineIssues.some((g) => g.includes(e)), `[${create.evaluator}] expected an issue containing ${JSON.stringify(e)}, got ${JSON.stringify(engineIssues)}`);
  }
}

const ingressPort = (port: unknown) => policy({ podSelector: {}, ingress: [{ ports: [port] }] });
const ingressPeer = (peer: unknown) => policy({ podSelector: {}, ingress: [{ from: [peer] }] });

test("a full valid policy passes", () => {
  assert.equal(
    problems(
      policy({
        podSelector: { matchLabels: { "app.kubernetes.io/name": "db", tier: "" } },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          {
            from: [
              { podSelector: { matchExpressions: [{ key: "role", operator: "In", values: ["a", "b"] }] }, namespaceSelector: {} },
              { ipBlock: { cidr: "10.0.0.0/8", except: ["10.1.0.0/16", "10.2.3.4/32"] } },
              { ipBlock: { cidr: "fd00::/8", except: ["fd00:1::/32"] } },
            ],
            ports: [{ port: 80 }, { protocol: "UDP", port: 1000, endPort: 2000 }, { port: "http" }, { protocol: "SCTP" }],
          },
        ],
        egress: [{}],
      }),
    ),
    [],
  );
});

test("null fields read as absent, as Go's JSON decoding does", () => {
  assert.equal(problems(policy({ podSelector: null, ingress: null, egress: [{ to: null, ports: null }] })), []);
});

test("apiVersion and kind must be networking.k8s.io/v1 NetworkPolicy", () => {
  rejects({ apiVersion: "extensions/v1beta1", kind: "NetworkPolicy", metadata: { name: "p" }, spec: {} }, "apiVersion: expected `networking.k8s.io/v1`");
  rejects({ apiVersion: "networking.k8s.io/v1", kind: "Pod", metadata: { name: "p" }, spec: {} }, "kind: expected `NetworkPolicy`");
});

test("metadata.name is required and a DNS-1123 subdomain", () => {
  rejects(policy({}, {}), "metadata.name: name or generateName is required");
  rejects(policy({}, { name: "Bad_Name" }), "metadata.name: invalid value `Bad_Name`");
  rejects(policy({}, { name: "a".repeat(254) }), "must be no more than 253 characters");
  rejects(policy({}, { name: "ok", namespace: "No" }), "metadata.namespace");
  assert.equal(problems(policy({}, { generateName: "netpol-" })), []);
  rejects(policy({}, { generateName: "Bad-" }), "metadata.generateName: invalid value `Bad-`");
});

test("label selectors: keys, values and operators", () => {
  rejects(policy({ podSelector: { matchLabels: { "bad key!": "v" } } }), "spec.podSelector.matchLabels: invalid label key `bad key!`");
  rejects(policy({ podSelector: { matchLabels: { k: "x".repeat(64) } } }), "spec.podSelector.matchLabels.k: invalid label value", "no more than 63 characters");
  rejects(policy({ podSelector: { matchLabels: { "a/b/c": "v" } } }), "invalid label key `a/b/c`");
  rejects(policy({ podSelector: { matchLabels: { "Bad_Prefix/name": "v" } } }), "prefix part");
  rejects(policy({ podSelector: { matchExpressions: [{ key: "k", operator: "In" }] } }), "spec.podSelector.matchExpressions[0].values: must be specified when `operator` is 'In' or 'NotIn'");
  rejects(policy({ podSelector: { matchExpressions: [{ key: "k", operator: "NotIn", values: [] }] } }), "matchExpressions[0].values: must be specified");
  rejects(policy({ podSelector: { matchExpressions: [{ key: "k", operator: "Exists", values: ["v"] }] } }), "values: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  rejects(policy({ podSelector: { matchExpressions: [{ key: "k", operator: "Near", values: ["v"] }] } }), "matchExpressions[0].operator: unsupported value `Near`");
  rejects(policy({ podSelector: { matchExpressions: [{ operator: "Exists" }] } }), "matchExpressions[0].key: required value");
  rejects(policy({ podSelector: { matchExpressions: [{ key: "k", operator: "In", values: ["ok", "not ok"] }] } }), "matchExpressions[0].values[1]: invalid value `not ok`");
  rejects(ingressPeer({ namespaceSelector: { matchLabels: { "-x": "y" } } }), "spec.ingress[0].from[0].namespaceSelector.matchLabels: invalid label key `-x`");
});

test("policyTypes: only Ingress and Egress, at most two", () => {
  rejects(policy({ podSelector: {}, policyTypes: ["Ingres"] }), 'spec.policyTypes[0]: unsupported value `Ingres`: supported values: "Egress", "Ingress"');
  rejects(policy({ podSelector: {}, policyTypes: ["Ingress", "Egress", "Ingress"] }), "spec.policyTypes: may not specify more than two policyTypes");
  // the API server accepts a repeated type; so does netpol
  assert.equal(problems(policy({ podSelector: {}, policyTypes: ["Ingress", "Ingress"] })), []);
});

test("ports: protocol, number, name and endPort", () => {
  rejects(ingressPort({ protocol: "ICMP" }), 'spec.ingress[0].ports[0].protocol: unsupported value `ICMP`: supported values: "SCTP", "TCP", "UDP"');
  rejects(ingressPort({ protocol: "tcp" }), "protocol: unsupported value `tcp`");
  rejects(ingressPort({ port: 0 }), "spec.ingress[0].ports[0].port: invalid value `0`: must be between 1 and 65535, inclusive");
  rejects(ingressPort({ port: 65536 }), "must be between 1 and 65535");
  rejects(ingressPort({ port: 1e30 }), "ports[0].port: invalid value");
  rejects(ingressPort({ port: 80.5 }), "spec.ingress[0].ports[0].port: expected integer or string, got `80.5`");
  rejects(ingressPort({ port: "HTTP" }), "port: invalid value `HTTP`: must contain only alpha-numeric characters");
  rejects(ingressPort({ port: "123" }), "must contain at least one letter");
  rejects(ingressPort({ port: "a--b" }), "must not contain consecutive hyphens");
  rejects(ingressPort({ port: "abcdefghijklmnop" }), "must be no more than 15 characters");
  rejects(ingressPort({ port: "-web" }), "must not begin or end with a hyphen");
  rejects(ingressPort({ endPort: 20000 }), "spec.ingress[0].ports[0].endPort: invalid value `20000`: may not be specified when `port` is not specified");
  rejects(ingressPort({ port: "serve-80", endPort: 20000 }), "endPort: invalid value `20000`: may not be specified when `port` is non-numeric");
  rejects(ingressPort({ port: 100, endPort: 99 }), "spec.ingress[0].ports[0].endPort: invalid value `99`: must be greater than or equal to `port`");
  rejects(ingressPort({ port: 100, endPort: 70000 }), "endPort: invalid value `70000`: must be between 1 and 65535");
  assert.equal(problems(ingressPort({ port: 100, endPort: 100 })), []);
});

test("peers: exactly ipBlock or selectors", () => {
  rejects(ingressPeer({}), "spec.ingress[0].from[0]: must specify a peer");
  rejects(ingressPeer({ podSelector: {}, ipBlock: { cidr: "10.0.0.0/8" } }), "spec.ingress[0].from[0]: may not specify both ipBlock and another peer");
  rejects(
    policy({ podSelector: {}, egress: [{ to: [{ namespaceSelector: {}, ipBlock: { cidr: "10.0.0.0/8" } }] }] }),
    "spec.egress[0].to[0]: may not specify both ipBlock and another peer",
  );
});

test("ipBlock: valid CIDRs, excepts strictly inside and of the same family", () => {
  rejects(ingressPeer({ ipBlock: {} }), "spec.ingress[0].from[0].ipBlock.cidr: required value");
  rejects(ingressPeer({ ipBlock: { cidr: "10.0.0.1/33" } }), "ipBlock.cidr: invalid value `10.0.0.1/33`: must be a valid CIDR");
  rejects(ingressPeer({ ipBlock: { cidr: "10.0.0.1" } }), "must be a valid CIDR");
  rejects(ingressPeer({ ipBlock: { cidr: "fe80::1%eth0/64" } }), "must be a valid CIDR");
  rejects(ingressPeer({ ipBlock: { cidr: "10.0.0.0/8", except: ["11.0.0.0/16"] } }), "ipBlock.except[0]: invalid value `11.0.0.0/16`: must be a strict subset of `cidr`");
  rejects(ingressPeer({ ipBlock: { cidr: "10.0.0.0/8", except: ["10.0.0.0/8"] } }), "must be a strict subset");
  rejects(ingressPeer({ ipBlock: { cidr: "10.0.0.0/16", except: ["10.0.0.0/8"] } }), "must be a strict subset");
  rejects(ingressPeer({ ipBlock: { cidr: "10.0.0.0/8", except: ["fd00::/64"] } }), "must be a strict subset");
  rejects(ingressPeer({ ipBlock: { cidr: "10.0.0.0/8", except: ["nope"] } }), "except[0]: invalid value `nope`: must be a valid CIDR");
  // host bits and leading zeros, as the API server's sloppy parser reads them
  assert.equal(problems(ingressPeer({ ipBlock: { cidr: "10.1.2.3/8", except: ["010.001.0.0/16"] } })), []);
});

test("all failures of a document are reported, not just the first", () => {
  const got = problems(
    policy({
      podSelector: { matchExpressions: [{ key: "k", operator: "In" }] },
      ingress: [{ ports: [{ port: 0 }, { protocol: "X" }], from: [{}] }],
      policyTypes: ["Sideways"],
    }),
  );
  assert.is(got.length, 5, JSON.stringify(got));
});

test("wrong types come back with paths, never as exceptions", () => {
  rejects(policy({ podSelector: { matchLabels: { a: 1 } } }), "spec.podSelector.matchLabels.a: expected string, got `1`");
  rejects(policy({ ingress: {} }), "spec.ingress: expected");
  rejects(policy({ ingress: [{ from: "everyone" }] }), "spec.ingress[0].from: expected");
  rejects(policy({ podSelector: [] }), "spec.podSelector: expected");
  rejects("not a policy", "expected NetworkPolicy");
  rejects(null, "expected NetworkPolicy");
  let deep: unknown = {};
  for (let i = 0; i < 100000; i++) deep = { podSelector: deep };
  rejects(policy({ podSelector: { matchLabels: deep } }), "spec.podSelector.matchLabels");
});

test("__proto__ and other prototype names as label keys are data", () => {
  const input = JSON.parse('{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"p"},"spec":{"podSelector":{"matchLabels":{"__proto__":{"polluted":"yes"}}}}}');
  rejects(input, "spec.podSelector.matchLabels.__proto__: expected string, got `object`");
  // `__proto__` is no valid label key for the API server either
  rejects(JSON.parse('{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{"name":"p"},"spec":{"podSelector":{"matchLabels":{"__proto__":"x"}}}}'), "invalid label key `__proto__`");
  assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
  const ok = decodeNetworkPolicy(policy({ podSelector: { matchLabels: { constructor: "x", toString: "y" } } }));
  assert.ok(ok.ok);
  if (ok.ok) assert.equal([...ok.value.spec!.podSelector!.matchLabels!.entries()], [["constructor", "x"], ["toString", "y"]]);
});

test.run();
