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
import { validateLabels, validateNetworkPolicy } from "./network-policy.js";
import { isFinished, POD_PHASES } from "../primitives/pod-phase.js";
import { scanAddress, wordsToBigInt } from "../primitives/address.js";

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
 * compared by value (`scanAddress`), so no canonical text is built either.
 */
function checkPods(pods: NonNullable<ClusterDecoded["pods"]>, report: (path: string, message: string) => void): void {
  const at = (i: number, field: string): string => `pods[${i}]${field}`;
  const id = (i: number): string => `${pods[i]!.namespace}/${pods[i]!.name}`;
  // the names seen in each namespace, for duplicates
  const names = new Map<string | null | undefined, Set<string | null | undefined>>();
  // addresses by value (IPv4 a number, IPv6 a BigInt): no canonical text is built
  const owners = new IpOwners();
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i]!;
    if (!pod.namespace) report(at(i, ".namespace"), "required value");
    else if (dns1123Label(pod.namespace).length > 0) for (const m of dns1123Label(pod.namespace)) report(at(i, ".namespace"), `invalid value ${quote(pod.namespace)}: ${m}`);
    if (!pod.name) report(at(i, ".name"), "required value");
    else if (!isDns1123Subdomain(pod.name)) for (const m of dns1123Subdomain(pod.name)) report(at(i, ".name"), `invalid value ${quote(pod.name)}: ${m}`);
    let inNamespace = names.get(pod.namespace);
    if (inNamespace === undefined) names.set(pod.namespace, (inNamespace = new Set()));
    if (inNamespace.has(pod.name)) report(at(i, ""), `duplicate pod ${quote(id(i))}`);
    else inNamespace.add(pod.name);
    if (pod.labels && !labelsValid(pod.labels)) validateLabels(pod.labels, at(i, ".labels"), report);
    const phase = pod.phase;
    if (phase !== undefined && phase !== null && !(POD_PHASES as readonly string[]).includes(phase)) {
      report(at(i, ".phase"), unsupportedValue(phase, POD_PHASES));
    }
    const hostNetwork = pod.hostNetwork === true;
    // a finished pod's IPs may have been handed to another pod: they own nothing
    const owns = !isFinished(phase);
    const ips = pod.ips ?? [];
    for (let j = 0; j < ips.length; j++) {
      const ip = ips[j]!;
      const family = scanAddress(ip, scanned);
      if (family === 0) report(at(i, `.ips[${j}]`), `invalid value ${quote(ip)}: must be a valid IP address`);
      else if (owns) {
        const clash = owners.claim(family === 4 ? scanned[0]! : wordsToBigInt(scanned), id(i), hostNetwork, ip);
        if (clash !== null) report(at(i, `.ips[${j}]`), clash);
      }
    }
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
 * Decodes and checks a compact cluster: names present and well formed, no pod twice,
 * IPs parse and belong to one pod only (host-network pods may share their node's IP;
 * such an address then stands for the first of them; a finished pod's IPs belong to
 * no one), container ports valid, `phase` a PodPhase, and the nodes (see `nodes.ts`).
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
  checkPods(cluster.pods ?? [], report);
  checkNodes(cluster, report);
  return issues.length > 0 ? failure(issues) : success(cluster as ValidCluster);
}
