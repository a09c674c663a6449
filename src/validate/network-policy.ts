/**
 * The API server's validation of networking.k8s.io/v1 NetworkPolicy
 * (pkg/apis/networking/validation), applied to a decoded object. Returns every
 * problem with its field path; an empty list means the API server would accept it.
 *
 * One deliberate reading: the API server accepts a repeated policyType
 * (`[Ingress, Ingress]`), so netpol does too.
 */
import type { LabelSelector, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from "../decode/codecs.js";
import { child, index, quote, unsupportedValue, type Issue } from "../primitives/issues.js";
import { DIRECTIONS, isProtocol, PROTOCOLS } from "../primitives/kubernetes.js";
import { dns1123Label, dns1123Subdomain, labelValue, portName, portNumber, qualifiedName } from "./names.js";
import { parseCidr } from "../primitives/address.js";

const OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist"];

type Report = (path: string, message: string) => void;

/** ValidateLabels on a label map (`matchLabels`, `metadata.labels`). */
export function validateLabels(labels: ReadonlyMap<string, string>, path: string, report: Report): void {
  // forEach: no [key, value] entry array per label
  labels.forEach((value, key) => {
    for (const m of qualifiedName(key)) report(path, `invalid label key ${quote(key)}: ${m}`);
    for (const m of labelValue(value)) report(child(path, key), `invalid label value ${quote(value)}: ${m}`);
  });
}

/** ValidateLabelSelector. */
export function validateSelector(selector: LabelSelector, path: string, report: Report): void {
  if (selector.matchLabels) validateLabels(selector.matchLabels, child(path, "matchLabels"), report);
  (selector.matchExpressions ?? []).forEach((e, i) => {
    const at = index(child(path, "matchExpressions"), i);
    const values = e.values ?? [];
    switch (e.operator) {
      case "In":
      case "NotIn":
        if (values.length === 0) report(child(at, "values"), "must be specified when `operator` is 'In' or 'NotIn'");
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) report(child(at, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
        break;
      case undefined:
      case null:
        report(child(at, "operator"), "required value");
        break;
      default:
        report(child(at, "operator"), `${unsupportedValue(e.operator, OPERATORS)}: not a valid selector operator`);
    }
    if (e.key === undefined || e.key === null) report(child(at, "key"), "required value");
    else for (const m of qualifiedName(e.key)) report(child(at, "key"), `invalid value ${quote(e.key)}: ${m}`);
    values.forEach((v, j) => {
      for (const m of labelValue(v)) report(index(child(at, "values"), j), `invalid value ${quote(v)}: ${m}`);
    });
  });
}

/** ValidateNetworkPolicyPort. */
function validatePort(port: NetworkPolicyPort, path: string, report: Report): void {
  const { protocol, port: number, endPort } = port;
  if (protocol !== undefined && protocol !== null && !isProtocol(protocol)) report(child(path, "protocol"), unsupportedValue(protocol, PROTOCOLS));
  const hasEnd = endPort !== undefined && endPort !== null;
  if (number === undefined || number === null) {
    if (hasEnd) report(child(path, "endPort"), `invalid value ${quote(endPort)}: may not be specified when \`port\` is not specified`);
  } else if (typeof number === "number") {
    for (const m of portNumber(number)) report(child(path, "port"), `invalid value ${quote(number)}: ${m}`);
    if (hasEnd) {
      if (endPort < number) report(child(path, "endPort"), `invalid value ${quote(endPort)}: must be greater than or equal to \`port\``);
      for (const m of portNumber(endPort)) report(child(path, "endPort"), `invalid value ${quote(endPort)}: ${m}`);
    }
  } else {
    if (hasEnd) report(child(path, "endPort"), `invalid value ${quote(endPort)}: may not be specified when \`port\` is non-numeric`);
    for (const m of portName(number)) report(child(path, "port"), `invalid value ${quote(number)}: ${m}`);
  }
}

/** ValidateIPBlock. */
function validateIPBlock(block: NonNullable<NetworkPolicyPeer["ipBlock"]>, path: string, report: Report): void {
  const cidrText = block.cidr;
  if (cidrText === undefined || cidrText === null || cidrText === "") {
    report(child(path, "cidr"), "required value");
    return;
  }
  const cidr = parseCidr(cidrText);
  if (cidr === null) {
    report(child(path, "cidr"), `invalid value ${quote(cidrText)}: must be a valid CIDR`);
    return;
  }
  (block.except ?? []).forEach((text, i) => {
    const at = index(child(path, "except"), i);
    const except = parseCidr(text);
    if (except === null) report(at, `invalid value ${quote(text)}: must be a valid CIDR`);
    else if (except.family !== cidr.family || except.first < cidr.first || except.first > cidr.last || except.prefix <= cidr.prefix) {
      report(at, `invalid value ${quote(text)}: must be a strict subset of \`cidr\``);
    }
  });
}

/** ValidateNetworkPolicyPeer. */
function validatePeer(peer: NetworkPolicyPeer, path: string, report: Report): void {
  let count = 0;
  if (peer.podSelector) {
    count++;
    validateSelector(peer.podSelector, child(path, "podSelector"), report);
  }
  if (peer.namespaceSelector) {
    count++;
    validateSelector(peer.namespaceSelector, child(path, "namespaceSelector"), report);
  }
  if (peer.ipBlock) {
    count++;
    validateIPBlock(peer.ipBlock, child(path, "ipBlock"), report);
  }
  if (count === 0) report(path, "must specify a peer");
  else if (peer.ipBlock && count > 1) report(path, "may not specify both ipBlock and another peer");
}

/** ValidateObjectMeta's name rules: `name` (or `generateName`) a DNS-1123 subdomain. */
export function validateObjectName(meta: { readonly name?: string | null; readonly generateName?: string | null }, report: Report): void {
  if (meta.name) {
    for (const m of dns1123Subdomain(meta.name)) report("metadata.name", `invalid value ${quote(meta.name)}: ${m}`);
  } else if (meta.generateName) {
    // the API server appends a random suffix; the prefix may end in a hyphen
    for (const m of dns1123Subdomain(meta.generateName.replace(/-$/, ""))) report("metadata.generateName", `invalid value ${quote(meta.generateName)}: ${m}`);
  } else report("metadata.name", "name or generateName is required");
}

/** The `Report` that adds to `issues` (made here, not as a named closure per policy: a loader keeping function names would name each one). */
const collect =
  (issues: Issue[]): Report =>
  (path, message) => {
    issues.push({ path, message });
  };

/** ValidateNetworkPolicy: metadata, spec and the object's type. */
export function validateNetworkPolicy(policy: NetworkPolicy): Issue[] {
  const issues: Issue[] = [];
  const report = collect(issues);

  if (policy.apiVersion !== "networking.k8s.io/v1") {
    report("apiVersion", `expected \`networking.k8s.io/v1\`, got ${quote(policy.apiVersion)}`);
  }
  if (policy.kind !== "NetworkPolicy") report("kind", `expected \`NetworkPolicy\`, got ${quote(policy.kind)}`);

  const meta = policy.metadata ?? {};
  validateObjectName(meta, report);
  // "" is Go's zero value, an unset namespace: the default namespace, as kubectl reads it
  if (meta.namespace !== undefined && meta.namespace !== null && meta.namespace !== "") {
    for (const m of dns1123Label(meta.namespace)) report("metadata.namespace", `invalid value ${quote(meta.namespace)}: ${m}`);
  }
  if (meta.labels) validateLabels(meta.labels, "metadata.labels", report);

  const spec = policy.spec ?? {};
  validateSelector(spec.podSelector ?? {}, "spec.podSelector", report);
  (spec.ingress ?? []).forEach((rule, i) => {
    const at = index("spec.ingress", i);
    (rule.ports ?? []).forEach((p, j) => validatePort(p, index(child(at, "ports"), j), report));
    (rule.from ?? []).forEach((p, j) => validatePeer(p, index(child(at, "from"), j), report));
  });
  (spec.egress ?? []).forEach((rule, i) => {
    const at = index("spec.egress", i);
    (rule.ports ?? []).forEach((p, j) => validatePort(p, index(child(at, "ports"), j), report));
    (rule.to ?? []).forEach((p, j) => validatePeer(p, index(child(at, "to"), j), report));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > DIRECTIONS.length) {
    report("spec.policyTypes", "may not specify more than two policyTypes");
  } else {
    types.forEach((type, i) => {
      if (!(DIRECTIONS as readonly string[]).includes(type)) report(index("spec.policyTypes", i), unsupportedValue(type, DIRECTIONS));
    });
  }
  return issues;
}
