// The CRD schema and CEL rules of ClusterNetworkPolicy (v1alpha2) and of the v1alpha1
// AdminNetworkPolicy / BaselineAdminNetworkPolicy: each rule, its field path and message.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { isCelCidr } from "../src/validate/cel-cidr.js";
import { decodeAnyPolicy } from "../src/validate/cluster-policy-decoders.js";
import { formatIssue } from "../src/primitives/issues.js";

const cnp = (spec: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: "policy.networking.k8s.io/v1alpha2",
  kind: "ClusterNetworkPolicy",
  metadata: { name: "p" },
  spec: { tier: "Admin", priority: 10, subject: { namespaces: {} }, ...spec },
  ...extra,
});
const anp = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: "policy.networking.k8s.io/v1alpha1",
  kind: "AdminNetworkPolicy",
  metadata: { name: "a" },
  spec: { priority: 10, subject: { namespaces: {} }, ...spec },
});
const banp = (spec: Record<string, unknown>, name = "default"): Record<string, unknown> => ({
  apiVersion: "policy.networking.k8s.io/v1alpha1",
  kind: "BaselineAdminNetworkPolicy",
  metadata: { name },
  spec: { subject: { namespaces: {} }, ...spec },
});
const egress = (rule: Record<string, unknown>): Record<string, unknown> => cnp({ egress: [{ action: "Deny", to: [{ namespaces: {} }], ...rule }] });
const ingress = (rule: Record<string, unknown>): Record<string, unknown> => cnp({ ingress: [{ action: "Deny", from: [{ namespaces: {} }], ...rule }] });
const protocol = (entry: unknown): Record<string, unknown> => egress({ protocols: [entry] });

/** Errors as `path: message`, or [] when valid. */
function errors(input: unknown): string[] {
  const r = decodeAnyPolicy(input);
  return r.ok ? [] : r.issues.map(formatIssue);
}

function warnings(input: unknown): string[] {
  const r = decodeAnyPolicy(input);
  return r.ok ? r.value.warnings.map(formatIssue) : [`rejected: ${errors(input).join("; ")}`];
}

/** Exactly these errors (each a full `path: message` line). */
function rejects(input: unknown, ...expected: string[]): void {
  assert.equal(errors(input), expected);
}

test("a full valid ClusterNetworkPolicy passes with no warning", () => {
  const policy = cnp({
    tier: "Baseline",
    priority: 0,
    subject: { pods: { namespaceSelector: { matchLabels: { team: "a" } }, podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["x"] }] } } },
    ingress: [{ name: "in", action: "Accept", from: [{ namespaces: {} }, { pods: { podSelector: {} } }], protocols: [{ tcp: { destinationPort: { number: 80 } } }] }],
    egress: [
      {
        action: "Pass",
        to: [{ nodes: {} }, { networks: ["10.0.0.0/8", "fd00::/8", "::ffff:1.2.3.4/128"] }],
        protocols: [{ udp: { destinationPort: { range: { start: 1, end: 65535 } } } }, { sctp: { destinationPort: { number: 9 } } }],
      },
      { action: "Accept", to: [{ pods: { podSelector: {} } }], protocols: [{ destinationNamedPort: "web" }] },
    ],
  });
  assert.equal(errors(policy), []);
  assert.equal(warnings(policy), []);
});

test("kubectl get -o json output (status, metadata extras, nulls) passes", () => {
  assert.equal(errors(cnp({ ingress: null }, { metadata: { name: "p", uid: "u", resourceVersion: "1", annotations: { a: "b" } }, status: { conditions: [] } })), []);
});

test("apiVersion and kind", () => {
  rejects({ ...cnp({}), apiVersion: "policy.networking.k8s.io/v1alpha1" }, "apiVersion: expected `policy.networking.k8s.io/v1alpha2`, got `policy.networking.k8s.io/v1alpha1`");
  rejects({ ...anp({}), apiVersion: "policy.networking.k8s.io/v1alpha2" }, "apiVersion: expected `policy.networking.k8s.io/v1alpha1`, got `policy.networking.k8s.io/v1alpha2`");
});

test("root: metadata and spec are required; metadata.name a DNS-1123 subdomain", () => {
  rejects({ apiVersion: "policy.networking.k8s.io/v1alpha2", kind: "ClusterNetworkPolicy", metadata: { name: "p" } }, "spec: required value");
  rejects({ apiVersion: "policy.networking.k8s.io/v1alpha2", kind: "ClusterNetworkPolicy", spec: cnp({}).spec }, "metadata: required value");
  assert.ok(errors(cnp({}, { metadata: { name: "Bad_Name" } }))[0]!.startsWith("metadata.name: invalid value `Bad_Name`: a lowercase RFC 1123 subdomain"));
  rejects(cnp({}, { metadata: {} }), "metadata.name: name or generateName is required");
});

test("unknown fields are errors (kubectl's strict field validation)", () => {
  rejects(cnp({ foo: 1 }), "spec.foo: unknown field");
  rejects(egress({ ports: [{ portNumber: { port: 80 } }] }), "spec.egress[0].ports: unknown field");
  rejects(cnp({}, { extra: true }), "extra: unknown field");
});

test("spec.tier: required, enum Admin/Baseline", () => {
  const spec = { ...(cnp({}).spec as object), tier: undefined };
  rejects({ ...cnp({}), spec }, "spec.tier: required value");
  rejects(cnp({ tier: "Override" }), 'spec.tier: unsupported value `Override`: supported values: "Admin", "Baseline"');
});

test("spec.priority: required, 0..1000", () => {
  rejects(cnp({ priority: null }), "spec.priority: required value");
  rejects(cnp({ priority: -1 }), "spec.priority: invalid value `-1`: should be greater than or equal to 0");
  rejects(cnp({ priority: 1001 }), "spec.priority: invalid value `1001`: should be less than or equal to 1000");
  assert.equal(errors(cnp({ priority: 1000 })), []);
  rejects(cnp({ priority: "1" }), "spec.priority: expected Int, got `1`");
});

test("spec.subject: required, exactly one of namespaces and pods; pods.podSelector required", () => {
  rejects(cnp({ subject: null }), "spec.subject: required value");
  rejects(cnp({ subject: {} }), "spec.subject: invalid value `0`: should have at least 1 properties");
  rejects(cnp({ subject: { namespaces: {}, pods: { podSelector: {} } } }), "spec.subject: too many: 2: must have at most 1 items");
  rejects(cnp({ subject: { pods: { namespaceSelector: {} } } }), "spec.subject.pods.podSelector: required value");
  assert.equal(errors(cnp({ subject: { pods: { podSelector: {} } } })), []);
});

test("label selectors must parse as LabelSelectorAsSelector parses them", () => {
  rejects(cnp({ subject: { namespaces: { matchExpressions: [{ key: "a", operator: "Is" }] } } }), 'spec.subject.namespaces.matchExpressions[0].operator: unsupported value `Is`: supported values: "DoesNotExist", "Exists", "In", "NotIn": not a valid selector operator');
  rejects(cnp({ subject: { namespaces: { matchExpressions: [{ operator: "Exists" }] } } }), "spec.subject.namespaces.matchExpressions[0].key: required value");
  assert.ok(errors(cnp({ subject: { namespaces: { matchLabels: { a: "b c" } } } }))[0]!.startsWith("spec.subject.namespaces.matchLabels.a: invalid label value `b c`"));
});

test("spec.ingress / spec.egress: at most 25 rules", () => {
  const rule = { action: "Deny", from: [{ namespaces: {} }] };
  rejects(cnp({ ingress: Array(26).fill(rule) }), "spec.ingress: too many: 26: must have at most 25 items");
  rejects(cnp({ egress: Array(26).fill({ action: "Deny", to: [{ namespaces: {} }] }) }), "spec.egress: too many: 26: must have at most 25 items");
  assert.equal(errors(cnp({ ingress: Array(25).fill(rule) })), []);
});

test("rule: name at most 100 bytes", () => {
  rejects(ingress({ name: "x".repeat(101) }), "spec.ingress[0].name: too long: may not be more than 100 bytes");
  rejects(ingress({ name: "é".repeat(51) }), "spec.ingress[0].name: too long: may not be more than 100 bytes");
  assert.equal(errors(ingress({ name: "x".repeat(100) })), []);
});

test("rule: action required, enum Accept/Deny/Pass", () => {
  rejects(ingress({ action: null }), "spec.ingress[0].action: required value");
  rejects(egress({ action: "Allow" }), 'spec.egress[0].action: unsupported value `Allow`: supported values: "Accept", "Deny", "Pass"');
});

test("rule: from / to required, 1..25 peers", () => {
  rejects(ingress({ from: null }), "spec.ingress[0].from: required value");
  rejects(egress({ to: [] }), "spec.egress[0].to: invalid value `0`: should have at least 1 items");
  rejects(egress({ to: Array(26).fill({ namespaces: {} }) }), "spec.egress[0].to: too many: 26: must have at most 25 items");
});

test("rule: protocols 1..25 entries", () => {
  rejects(egress({ protocols: [] }), "spec.egress[0].protocols: invalid value `0`: should have at least 1 items");
  rejects(egress({ protocols: Array(26).fill({ tcp: { destinationPort: { number: 1 } } }) }), "spec.egress[0].protocols: too many: 26: must have at most 25 items");
});

test("ingress peer: exactly one of namespaces and pods (no address peer)", () => {
  rejects(ingress({ from: [{}] }), "spec.ingress[0].from[0]: invalid value `0`: should have at least 1 properties");
  rejects(ingress({ from: [{ namespaces: {}, pods: { podSelector: {} } }] }), "spec.ingress[0].from[0]: too many: 2: must have at most 1 items");
  rejects(ingress({ from: [{ networks: ["10.0.0.0/8"] }] }), "spec.ingress[0].from[0].networks: unknown field", "spec.ingress[0].from[0]: invalid value `0`: should have at least 1 properties");
  rejects(ingress({ from: [{ pods: {} }] }), "spec.ingress[0].from[0].pods.podSelector: required value");
});

test("egress peer: exactly one of namespaces, pods, nodes, networks, domainNames", () => {
  rejects(egress({ to: [{}] }), "spec.egress[0].to[0]: invalid value `0`: should have at least 1 properties");
  rejects(egress({ to: [{ nodes: {}, networks: ["10.0.0.0/8"] }] }), "spec.egress[0].to[0]: too many: 2: must have at most 1 items");
});

test("networks: 1..25 CIDRs, each at most 43 bytes, isCIDR, no duplicates", () => {
  const net = (networks: unknown): Record<string, unknown> => egress({ to: [{ networks }] });
  rejects(net([]), "spec.egress[0].to[0].networks: invalid value `0`: should have at least 1 items");
  rejects(net(Array.from({ length: 26 }, (_, i) => `10.0.${i}.0/24`)), "spec.egress[0].to[0].networks: too many: 26: must have at most 25 items");
  rejects(net(["10.0.0.0/8", "10.0.0.0/8"]), "spec.egress[0].to[0].networks[1]: duplicate value `10.0.0.0/8`");
  rejects(net(["10.0.0.1"]), "spec.egress[0].to[0].networks[0]: invalid value: Invalid CIDR format provided");
  rejects(net(["010.0.0.0/8"]), "spec.egress[0].to[0].networks[0]: invalid value: Invalid CIDR format provided");
  rejects(net(["10.0.0.0/33"]), "spec.egress[0].to[0].networks[0]: invalid value: Invalid CIDR format provided");
  const long = "1111:2222:3333:4444:5555:6666:7777:8888/128"; // 43 bytes: valid
  assert.equal(errors(net([long])), []);
  rejects(net([`${long.slice(0, -4)}/0128`]), "spec.egress[0].to[0].networks[0]: too long: may not be more than 43 bytes", "spec.egress[0].to[0].networks[0]: invalid value: Invalid CIDR format provided");
});

test("isCIDR reads CIDRs as Go's netip.ParsePrefix", () => {
  for (const ok of ["0.0.0.0/0", "10.1.2.3/8", "::/0", "fd00::/8", "::ffff:10.0.0.0/104", "1:2:3:4:5:6:7:8/128", "1:2:3:4:5:6:1.2.3.4/128", "::1.2.3.4/128", "FD00::/8"]) {
    assert.ok(isCelCidr(ok), ok);
  }
  for (const bad of ["10.0.0.0", "10.0.0.0/08", "10.0.0.0/+8", "10.0.0.00/8", "1.2.3/8", "1.2.3.256/32", "fe80::1%eth0/64", "::/129", "1::2::3/64", "1:2:3:4:5:6:7:8:9/128", "1:2:3:4:5:6:7::8/128", ":1::/64", "1:/64", "1.2.3.4::/64", "12345::/16", "::1.2.3.04/128", " 10.0.0.0/8"]) {
    assert.not.ok(isCelCidr(bad), bad);
  }
});

test("domainNames: 1..25 names matching the CRD pattern, no duplicates; a warning that only cluster.dns resolves them", () => {
  const dn = (domainNames: unknown, action = "Accept"): Record<string, unknown> => egress({ action, to: [{ domainNames }] });
  rejects(dn([]), "spec.egress[0].to[0].domainNames: invalid value `0`: should have at least 1 items");
  rejects(dn(["a.example.com", "a.example.com"]), "spec.egress[0].to[0].domainNames[1]: duplicate value `a.example.com`");
  assert.ok(errors(dn(["*example.com"]))[0]!.startsWith("spec.egress[0].to[0].domainNames[0]: invalid value `*example.com`: should match '^(\\*\\.)?"));
  assert.equal(errors(dn(["*.example.com", "kubernetes.io."])), []);
  assert.equal(warnings(dn(["kubernetes.io"])), ["spec.egress[0].to[0].domainNames: domain names are resolved only by the cluster's DNS records (cluster.dns): a name no record matches matches no address"]);
  assert.equal(warnings(dn(["kubernetes.io"], "Deny")).length, 2);
});

test("protocol entry: exactly one of tcp, udp, sctp, destinationNamedPort", () => {
  rejects(protocol({}), "spec.egress[0].protocols[0]: invalid value `0`: should have at least 1 properties");
  rejects(protocol({ tcp: { destinationPort: { number: 1 } }, udp: { destinationPort: { number: 1 } } }), "spec.egress[0].protocols[0]: too many: 2: must have at most 1 items");
});

test("tcp / udp / sctp need a destinationPort; it is exactly one of number and range", () => {
  rejects(protocol({ tcp: {} }), "spec.egress[0].protocols[0].tcp: invalid value `0`: should have at least 1 properties");
  rejects(protocol({ udp: { destinationPort: {} } }), "spec.egress[0].protocols[0].udp.destinationPort: invalid value `0`: should have at least 1 properties");
  rejects(
    protocol({ sctp: { destinationPort: { number: 1, range: { start: 1, end: 2 } } } }),
    "spec.egress[0].protocols[0].sctp.destinationPort: too many: 2: must have at most 1 items",
  );
});

test("number and range ports 1..65535; range start < end (CEL)", () => {
  rejects(protocol({ tcp: { destinationPort: { number: 0 } } }), "spec.egress[0].protocols[0].tcp.destinationPort.number: invalid value `0`: should be greater than or equal to 1");
  rejects(protocol({ tcp: { destinationPort: { number: 65536 } } }), "spec.egress[0].protocols[0].tcp.destinationPort.number: invalid value `65536`: should be less than or equal to 65535");
  rejects(protocol({ tcp: { destinationPort: { range: { end: 5 } } } }), "spec.egress[0].protocols[0].tcp.destinationPort.range.start: required value");
  rejects(protocol({ tcp: { destinationPort: { range: { start: 5 } } } }), "spec.egress[0].protocols[0].tcp.destinationPort.range.end: required value");
  rejects(protocol({ tcp: { destinationPort: { range: { start: 5, end: 5 } } } }), "spec.egress[0].protocols[0].tcp.destinationPort.range: invalid value: Start port must be less than End port");
  rejects(
    protocol({ udp: { destinationPort: { range: { start: 0, end: 70000 } } } }),
    "spec.egress[0].protocols[0].udp.destinationPort.range.start: invalid value `0`: should be greater than or equal to 1",
    "spec.egress[0].protocols[0].udp.destinationPort.range.end: invalid value `70000`: should be less than or equal to 65535",
  );
});

test("egress CEL: no destinationNamedPort with networks, nodes or domainNames peers", () => {
  const message = "spec.egress[0]: invalid value: networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames";
  rejects(egress({ to: [{ namespaces: {} }, { networks: ["10.0.0.0/8"] }], protocols: [{ destinationNamedPort: "web" }] }), message);
  rejects(egress({ to: [{ nodes: {} }], protocols: [{ tcp: { destinationPort: { number: 1 } } }, { destinationNamedPort: "web" }] }), message);
  assert.equal(errors(egress({ to: [{ nodes: {} }], protocols: [{ tcp: { destinationPort: { number: 1 } } }] })), []);
  assert.equal(errors(ingress({ protocols: [{ destinationNamedPort: "web" }] })), []);
});

test("an empty destinationNamedPort is accepted with a warning", () => {
  assert.equal(warnings(protocol({ destinationNamedPort: "" })), ["spec.egress[0].protocols[0].destinationNamedPort: an empty name matches no container port"]);
});

test("v1alpha1 AdminNetworkPolicy: valid, with a withdrawn-version warning", () => {
  const policy = anp({
    ingress: [{ action: "Allow", from: [{ pods: { namespaceSelector: {}, podSelector: {} } }], ports: [{ portNumber: { port: 80 } }, { namedPort: "web" }] }],
    egress: [{ action: "Pass", to: [{ networks: ["10.0.0.0/8"] }], ports: [{ portRange: { protocol: "UDP", start: 1, end: 9 } }] }],
  });
  assert.equal(errors(policy), []);
  assert.equal(warnings(policy), [
    "apiVersion: policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy is withdrawn upstream: use policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy (tier Admin)",
  ]);
});

test("v1alpha1 AdminNetworkPolicy: its own schema", () => {
  rejects(anp({ priority: null }), "spec.priority: required value");
  rejects(anp({ priority: 1001 }), "spec.priority: invalid value `1001`: should be less than or equal to 1000");
  rejects(anp({ tier: "Admin" }), "spec.tier: unknown field");
  rejects(anp({ subject: { pods: { podSelector: {} } } }), "spec.subject.pods.namespaceSelector: required value");
  rejects(anp({ ingress: [{ action: "Accept", from: [{ namespaces: {} }] }] }), 'spec.ingress[0].action: unsupported value `Accept`: supported values: "Allow", "Deny", "Pass"');
  rejects(anp({ ingress: Array(101).fill({ action: "Deny", from: [{ namespaces: {} }] }) }), "spec.ingress: too many: 101: must have at most 100 items");
  rejects(anp({ egress: [{ action: "Deny", to: Array(101).fill({ namespaces: {} }) }] }), "spec.egress[0].to: too many: 101: must have at most 100 items");
  rejects(anp({ egress: [{ action: "Deny", to: [{ namespaces: {} }], ports: [] }] }), "spec.egress[0].ports: invalid value `0`: should have at least 1 items");
  rejects(anp({ egress: [{ action: "Deny", to: [{ namespaces: {} }], protocols: [{ destinationNamedPort: "x" }] }] }), "spec.egress[0].protocols: unknown field");
});

test("v1alpha1 ports: exactly one of portNumber, namedPort, portRange; their fields", () => {
  const port = (p: unknown): Record<string, unknown> => anp({ egress: [{ action: "Deny", to: [{ namespaces: {} }], ports: [p] }] });
  rejects(port({}), "spec.egress[0].ports[0]: invalid value `0`: should have at least 1 properties");
  rejects(port({ namedPort: "a", portNumber: { port: 1 } }), "spec.egress[0].ports[0]: too many: 2: must have at most 1 items");
  rejects(port({ portNumber: { protocol: "TCP" } }), "spec.egress[0].ports[0].portNumber.port: required value");
  rejects(port({ portNumber: { port: 0 } }), "spec.egress[0].ports[0].portNumber.port: invalid value `0`: should be greater than or equal to 1");
  rejects(port({ portRange: { start: 1 } }), "spec.egress[0].ports[0].portRange.end: required value");
  rejects(port({ portRange: { start: 1, end: 65536 } }), "spec.egress[0].ports[0].portRange.end: invalid value `65536`: should be less than or equal to 65535");
  // no start < end rule and no protocol enum in v1alpha1: accepted, with warnings
  assert.equal(errors(port({ portRange: { start: 9, end: 1 } })), []);
  assert.ok(warnings(port({ portRange: { start: 9, end: 1 } })).includes("spec.egress[0].ports[0].portRange: start 9 is after end 1: this range matches no port"));
  assert.ok(warnings(port({ portNumber: { protocol: "ICMP", port: 1 } })).some((w) => w.startsWith("spec.egress[0].ports[0].portNumber.protocol: protocol `ICMP`")));
  rejects(
    anp({ egress: [{ action: "Deny", to: [{ domainNames: ["a.io"] }], ports: [{ namedPort: "web" }] }] }),
    "spec.egress[0]: invalid value: networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames",
  );
});

test("v1alpha1 BaselineAdminNetworkPolicy: named default, no priority, no Pass, no domainNames", () => {
  assert.equal(errors(banp({ ingress: [{ action: "Allow", from: [{ namespaces: {} }] }] })), []);
  rejects(banp({}, "other"), ': invalid value: Only one baseline admin network policy with metadata.name="default" can be created in the cluster'.slice(2));
  rejects(banp({ priority: 1 }), "spec.priority: unknown field");
  rejects(banp({ egress: [{ action: "Pass", to: [{ namespaces: {} }] }] }), 'spec.egress[0].action: unsupported value `Pass`: supported values: "Allow", "Deny"');
  rejects(banp({ egress: [{ action: "Allow", to: [{ domainNames: ["a.io"] }] }] }), "spec.egress[0].to[0].domainNames: unknown field", "spec.egress[0].to[0]: invalid value `0`: should have at least 1 properties");
  rejects(
    banp({ egress: [{ action: "Deny", to: [{ nodes: {} }], ports: [{ namedPort: "web" }] }] }),
    "spec.egress[0]: invalid value: networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes",
  );
});

test("decodeAnyPolicy reads NetworkPolicies as before", () => {
  const np = { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "n", namespace: "x" }, spec: { podSelector: {} } };
  const r = decodeAnyPolicy(np);
  assert.ok(r.ok && r.value.kind === "NetworkPolicy");
  assert.ok(errors({ ...np, kind: "Pod" })[0]!.startsWith("kind: expected `NetworkPolicy`"));
});

test.run();
