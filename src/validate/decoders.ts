/**
 * The API edge: unknown values in, typed and validated values or every problem out,
 * as a `Result`. Nothing here throws on bad input.
 */
import { ClusterCodec, NetworkPolicy, type ClusterDecoded } from "../decode/codecs.js";
import type { ClusterManifest, NetworkPolicyManifest } from "../decode/manifest-types.js";
import type { Labels } from "../primitives/selector.js";
import { decodeWith } from "../decode/decode-with.js";
import { unknownFields, type FieldValidation } from "../decode/unknown-fields.js";
import { child, index, quote, unsupportedValue, type Issue } from "../primitives/issues.js";
import { isProtocol, PROTOCOLS } from "../primitives/kubernetes.js";
import { IpOwners } from "./ip-owners.js";
import { failure, success, type Result } from "../primitives/result.js";
import { dns1123Label, dns1123Subdomain, isDns1123Subdomain, labelValue, portName, portNumber, qualifiedName } from "./names.js";
import { checkNodes } from "./nodes.js";
import { checkDns } from "./dns.js";
import { validateLabels, validateNetworkPolicy } from "./network-policy.js";
import { isFinished, POD_PHASES } from "../primitives/pod-phase.js";
import { scanAddress, scannedAddress, type Address } from "../primitives/address.js";
import { isWorkloadKind, serviceId, WORKLOAD_KINDS } from "../primitives/endpoint-names.js";

/** A NetworkPolicy that decoded (label maps as `Map`s) and passed the API server's validation. */
export type ValidNetworkPolicy = NetworkPolicyManifest<Labels> & { readonly __valid: true };

/** Options of the policy decoders. */
export interface DecodeOptions {
  /**
   * Fields the schema does not declare (`form:` for `from:`), as kubectl's `--validate`:
   * `"strict"` (default) makes each an error at its path, `"warn"` returns them as the
   * result's `warnings`, `"ignore"` drops them, as the API server does then.
   */
  readonly validate?: FieldValidation;
}

/** The unknown-field issues of `input` against `codec`, split by `validate` into errors and warnings. */
export function fieldIssues(codec: Parameters<typeof unknownFields>[0], input: unknown, validate: FieldValidation = "strict"): { errors: Issue[]; warnings: Issue[] } {
  if (validate === "ignore") return { errors: [], warnings: [] };
  const found = unknownFields(codec, input);
  return validate === "strict" ? { errors: found, warnings: [] } : { errors: [], warnings: found };
}

/** Decodes and validates one NetworkPolicy object (strict field validation unless `options.validate` says otherwise). */
export function decodeNetworkPolicy(input: unknown, options: DecodeOptions = {}): Result<ValidNetworkPolicy> {
  const decoded = decodeWith(NetworkPolicy, input);
  if (!decoded.ok) return decoded;
  const fields = fieldIssues(NetworkPolicy, input, options.validate);
  const issues = [...fields.errors, ...validateNetworkPolicy(decoded.value)];
  return issues.length > 0 ? failure(issues) : success(decoded.value as ValidNetworkPolicy, fields.warnings);
}

/** A compact cluster that decoded (label maps as `Map`s) and passed netpol's checks. */
export type ValidCluster = ClusterManifest<Labels> & { readonly __valid: true };

/** Whether every label of `labels` is valid (the common case), so `validateLabels` has nothing to report. */
function labelsValid(labels: ReadonlyMap<string, string>): boolean {
  let valid = true;
  // forEach: no [key, value] entry array per label
  labels.forEach((value, key) => {
    if (valid && (qualifiedName(key).length > 0 || labelValue(value).length > 0)) valid = false;
  });
  return valid;
}

const scanned = new Uint32Array(4);

/**
 * The per-pod checks of `decodeCluster`. Written as plain loops without per-pod
 * closures or path strings: it runs once per pod, and paths are built only for a
 * report. Duplicates are found by name within each namespace, and addresses are
 * compared by value (`scanAddress`). Each pod's addresses, parsed here, go to
 * `addresses` (pod by pod) for `normalizeCluster`, which then reads no text again.
 */
function checkPods(pods: NonNullable<ClusterDecoded["pods"]>, report: (path: string, message: string) => void, addresses: (readonly Address[])[]): void {
  const at = (i: number, field: string): string => `pods[${i}]${field}`;
  const id = (i: number): string => `${pods[i]!.namespace}/${podName(pods[i]!)}`;
  // the names seen in each namespace, for duplicates
  const names = new Map<string | null | undefined, Set<string | null | undefined>>();
  // addresses by value (IPv4 a number, IPv6 a BigInt), pods by index: no canonical text, no id text per address
  const owners = new IpOwners<number>(id);
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i]!;
    if (!pod.namespace) report(at(i, ".namespace"), "required value");
    else if (dns1123Label(pod.namespace).length > 0) for (const m of dns1123Label(pod.namespace)) report(at(i, ".namespace"), `invalid value ${quote(pod.namespace)}: ${m}`);
    const workload = pod.workload;
    if (workload) {
      if (!workload.kind) report(at(i, ".workload.kind"), "required value");
      else if (!isWorkloadKind(workload.kind)) report(at(i, ".workload.kind"), unsupportedValue(workload.kind, WORKLOAD_KINDS));
      if (!workload.name) report(at(i, ".workload.name"), "required value");
      else for (const m of dns1123Subdomain(workload.name)) report(at(i, ".workload.name"), `invalid value ${quote(workload.name)}: ${m}`);
    }
    if (!pod.name) {
      if (!workload) report(at(i, ".name"), "required value (or `workload`, for a workload's stand-in)");
    } else if (!isDns1123Subdomain(pod.name)) for (const m of dns1123Subdomain(pod.name)) report(at(i, ".name"), `invalid value ${quote(pod.name)}: ${m}`);
    const name = podName(pod);
    let inNamespace = names.get(pod.namespace);
    if (inNamespace === undefined) names.set(pod.namespace, (inNamespace = new Set()));
    if (inNamespace.has(name)) report(at(i, ""), `duplicate pod ${quote(id(i))}`);
    else inNamespace.add(name);
    if (pod.labels && !labelsValid(pod.labels)) validateLabels(pod.labels, at(i, ".labels"), report);
    const phase = pod.phase;
    if (phase !== undefined && phase !== null && !(POD_PHASES as readonly string[]).includes(phase)) {
      report(at(i, ".phase"), unsupportedValue(phase, POD_PHASES));
    }
    const hostNetwork = pod.hostNetwork === true;
    // a finished pod's IPs may have been handed to another pod: they own nothing
    const owns = !isFinished(phase);
    const ips = pod.ips ?? [];
    const parsed: Address[] = [];
    for (let j = 0; j < ips.length; j++) {
      const ip = ips[j]!;
      const family = scanAddress(ip, scanned);
      if (family === 0) {
        report(at(i, `.ips[${j}]`), `invalid value ${quote(ip)}: must be a valid IP address`);
        continue;
      }
      const address = scannedAddress(ip, family, scanned);
      parsed.push(address);
      if (owns) {
        const clash = owners.claim(family === 4 ? scanned[0]! : address.value, i, hostNetwork, ip);
        if (clash !== null) report(at(i, `.ips[${j}]`), clash);
      }
    }
    addresses.push(parsed);
    const ports = pod.ports ?? [];
    for (let j = 0; j < ports.length; j++) {
      const { containerPort, protocol, name } = ports[j]!;
      if (containerPort === undefined || containerPort === null) report(at(i, `.ports[${j}].containerPort`), "required value");
      else if (!(containerPort >= 1 && containerPort <= 65535)) {
        for (const m of portNumber(containerPort)) report(at(i, `.ports[${j}].containerPort`), `invalid value ${quote(containerPort)}: ${m}`);
      }
      if (protocol && !isProtocol(protocol)) report(at(i, `.ports[${j}].protocol`), unsupportedValue(protocol, PROTOCOLS));
      if (name && portName(name).length > 0) for (const m of portName(name)) report(at(i, `.ports[${j}].name`), `invalid value ${quote(name)}: ${m}`);
    }
  }
}

/**
 * A compact pod's name in its namespace: its `name`, or for a workload's stand-in
 * (`workload` without `name`) `kind/name` (kind in lower case), so that
 * `namespace/name` is its endpoint (`workloadId`).
 */
export function podName(pod: { readonly name?: string | null; readonly workload?: { readonly kind?: string | null; readonly name?: string | null } | null }): string {
  if (pod.name) return pod.name;
  const w = pod.workload;
  return w ? `${(w.kind ?? "").toLowerCase()}/${w.name ?? ""}` : "";
}

/**
 * The checks of the compact cluster's Services, as the API server validates a
 * Service (`ValidateService`): the name a DNS-1035 label (checked here as a DNS-1123
 * label), each port a number from 1 to 65535 with a supported protocol, `targetPort`
 * a port number or an IANA service name, port names unique, and no Service twice.
 */
function checkServices(services: NonNullable<ClusterDecoded["services"]>, report: (path: string, message: string) => void): void {
  const seen = new Set<string>();
  services.forEach((s, i) => {
    const at = index("services", i);
    if (!s.namespace) report(child(at, "namespace"), "required value");
    else for (const m of dns1123Label(s.namespace)) report(child(at, "namespace"), `invalid value ${quote(s.namespace)}: ${m}`);
    if (!s.name) report(child(at, "name"), "required value");
    else for (const m of dns1123Label(s.name)) report(child(at, "name"), `invalid value ${quote(s.name)}: ${m}`);
    if (s.namespace && s.name) {
      const id = serviceId(s.namespace, s.name);
      if (seen.has(id)) report(at, `duplicate service ${quote(id)}`);
      seen.add(id);
    }
    if (s.selector) validateLabels(s.selector, child(at, "selector"), report);
    const names = new Set<string>();
    (s.ports ?? []).forEach((p, j) => {
      const portAt = index(child(at, "ports"), j);
      if (p.port === undefined || p.port === null) report(child(portAt, "port"), "required value");
      else for (const m of portNumber(p.port)) report(child(portAt, "port"), `invalid value ${quote(p.port)}: ${m}`);
      if (p.protocol && !isProtocol(p.protocol)) report(child(portAt, "protocol"), unsupportedValue(p.protocol, PROTOCOLS));
      const target = p.targetPort;
      if (typeof target === "number") for (const m of portNumber(target)) report(child(portAt, "targetPort"), `invalid value ${quote(target)}: ${m}`);
      else if (typeof target === "string") for (const m of portName(target)) report(child(portAt, "targetPort"), `invalid value ${quote(target)}: ${m}`);
      if (p.name) {
        for (const m of dns1123Label(p.name)) report(child(portAt, "name"), `invalid value ${quote(p.name)}: ${m}`);
        if (names.has(p.name)) report(child(portAt, "name"), `duplicate value ${quote(p.name)}`);
        names.add(p.name);
      } else if ((s.ports ?? []).length > 1) report(child(portAt, "name"), "required value: a Service with more than one port names each");
    });
  });
}

/**
 * Decodes and checks a compact cluster: names present and well formed, no pod twice,
 * IPs parse and belong to one pod only (host-network pods may share their node's IP;
 * such an address then stands for the first of them; a finished pod's IPs belong to
 * no one), container ports valid, `phase` a PodPhase, the nodes (see `nodes.ts`) and
 * the DNS records (see `dns.ts`).
 */
export function decodeCluster(input: unknown): Result<ValidCluster> {
  const decoded = decodeWith(ClusterCodec, input);
  if (!decoded.ok) return decoded;
  const cluster = decoded.value;
  const issues: Issue[] = [];
  const report = (path: string, message: string): void => {
    issues.push({ path, message });
  };
  const namespaces = new Set<string>();
  (cluster.namespaces ?? []).forEach((ns, i) => {
    const at = index("namespaces", i);
    if (!ns.name) report(child(at, "name"), "required value");
    else {
      for (const m of dns1123Label(ns.name)) report(child(at, "name"), `invalid value ${quote(ns.name)}: ${m}`);
      if (namespaces.has(ns.name)) report(child(at, "name"), `duplicate namespace ${quote(ns.name)}`);
      namespaces.add(ns.name);
    }
    if (ns.labels) validateLabels(ns.labels, child(at, "labels"), report);
  });
  const addresses: (readonly Address[])[] = [];
  checkPods(cluster.pods ?? [], report, addresses);
  checkNodes(cluster, report);
  checkServices(cluster.services ?? [], report);
  checkDns(cluster, report);
  if (issues.length > 0) return failure(issues);
  PARSED.set(cluster, addresses);
  return success(cluster as ValidCluster);
}

/** The addresses of each pod of a cluster `decodeCluster` accepted, by the decoded cluster object. */
const PARSED = new WeakMap<object, readonly (readonly Address[])[]>();

/**
 * The parsed `ips` of each pod of `cluster` (pod by pod) as `decodeCluster` read them
 * (each `parseAddress` of the text), or null when it did not decode this object. A
 * caller takes a pod's list only while it has as many addresses as the pod's `ips`.
 */
export function decodedPodAddresses(cluster: ValidCluster): readonly (readonly Address[])[] | null {
  return PARSED.get(cluster) ?? null;
}
