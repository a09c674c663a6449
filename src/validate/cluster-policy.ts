/**
 * The API server's validation of the cluster-scoped policy kinds: the CRD schemas
 * and CEL rules of policy.networking.k8s.io v1alpha2 ClusterNetworkPolicy
 * (experimental channel, network-policy-api v0.2.0) and of the withdrawn v1alpha1
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy (v0.1.8), applied to a decoded
 * object. Paths and messages are the API server's (see `crd-schema.ts`); every rule
 * is listed with its path in docs/semantics.md.
 *
 * Returns `errors` (the API server would refuse the object) and `warnings` (it
 * accepts it, but netpol reads it in a way worth saying: a withdrawn version,
 * `domainNames` it cannot resolve, a port entry that can match nothing).
 *
 * Two readings stricter than the API server, both documented: unknown fields are
 * errors (kubectl's default strict field validation), and label selectors must
 * parse as `metav1.LabelSelectorAsSelector` parses them (the CRD schema checks only
 * that `key` and `operator` are present; every implementation fails on the rest).
 */
import { DOMAIN_NAME_PATTERN } from "../primitives/domain-name.js";
import { isCelCidr } from "./cel-cidr.js";
import type { AdminNetworkPolicy, AnpPort, ClusterNetworkPolicy, EgressPeer, IngressPeer, ProtocolEntry, Subject } from "../decode/cluster-policy-codecs.js";
import type { LabelSelector } from "../decode/codecs.js";
import {
  atLeastOne,
  celFailure,
  exactlyOne,
  intRange,
  itemCount,
  knownFields,
  maxLength,
  oneOfValues,
  pattern,
  present,
  required,
  uniqueItems,
  type Report,
} from "./crd-schema.js";
import { child, index, quote, type Issue } from "../primitives/issues.js";
import { validateLabels, validateObjectName, validateSelector } from "./network-policy.js";

/** The API group of the cluster-scoped policy kinds. */
export const POLICY_GROUP = "policy.networking.k8s.io";

/** What validation found: errors refuse the object, warnings do not. */
export interface Findings {
  readonly errors: Issue[];
  readonly warnings: Issue[];
}


/** The named-port CEL rule messages: v1alpha2 and ANP, then BANP (which has no domainNames). */
const NAMED_PORT_CEL = "networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames";
const NAMED_PORT_CEL_BANP = "networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes";

/** Which CRD a walk validates, and its limits. */
interface Version {
  readonly kind: "ClusterNetworkPolicy" | "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy";
  readonly maxRules: number;
  readonly maxPeers: number;
  readonly actions: readonly string[];
  readonly egressPeers: readonly (keyof EgressPeer)[];
  /** v1alpha1 requires `pods.namespaceSelector`; v1alpha2 defaults it to "all namespaces". */
  readonly namespaceSelectorRequired: boolean;
  readonly namedPortMessage: string;
}

const V1ALPHA2: Version = {
  kind: "ClusterNetworkPolicy",
  maxRules: 25,
  maxPeers: 25,
  actions: ["Accept", "Deny", "Pass"],
  egressPeers: ["namespaces", "pods", "nodes", "networks", "domainNames"],
  namespaceSelectorRequired: false,
  namedPortMessage: NAMED_PORT_CEL,
};

const ANP: Version = { ...V1ALPHA2, kind: "AdminNetworkPolicy", maxRules: 100, maxPeers: 100, actions: ["Allow", "Deny", "Pass"], namespaceSelectorRequired: true };

const BANP: Version = {
  ...ANP,
  kind: "BaselineAdminNetworkPolicy",
  actions: ["Allow", "Deny"],
  egressPeers: ["namespaces", "pods", "nodes", "networks"],
  namedPortMessage: NAMED_PORT_CEL_BANP,
};

/** Collects errors and warnings of one object. */
class Walk {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  readonly error: Report = (path, message) => void this.errors.push({ path, message });
  readonly warn: Report = (path, message) => void this.warnings.push({ path, message });
  constructor(readonly version: Version) {}

  /** A `metav1.LabelSelector`: its known fields, then the selector rules. */
  selector(selector: LabelSelector, path: string): void {
    knownFields(selector, ["matchLabels", "matchExpressions"], path, this.error);
    (selector.matchExpressions ?? []).forEach((e, i) => knownFields(e, ["key", "operator", "values"], index(child(path, "matchExpressions"), i), this.error));
    validateSelector(selector, path, this.error);
  }

  /** `NamespacedPod`: `podSelector` required (and `namespaceSelector` in v1alpha1). */
  namespacedPod(pods: NonNullable<Subject["pods"]>, path: string): void {
    knownFields(pods, ["namespaceSelector", "podSelector"], path, this.error);
    if (this.version.namespaceSelectorRequired) required(pods.namespaceSelector, child(path, "namespaceSelector"), this.error);
    if (present(pods.namespaceSelector)) this.selector(pods.namespaceSelector, child(path, "namespaceSelector"));
    if (required(pods.podSelector, child(path, "podSelector"), this.error)) this.selector(pods.podSelector!, child(path, "podSelector"));
  }

  /** The subject, or an ingress peer: exactly one of `namespaces` and `pods`. */
  podsOrNamespaces(value: Subject | IngressPeer, path: string): void {
    knownFields(value, ["namespaces", "pods"], path, this.error);
    exactlyOne(value, ["namespaces", "pods"], path, this.error);
    if (present(value.namespaces)) this.selector(value.namespaces, child(path, "namespaces"));
    if (present(value.pods)) this.namespacedPod(value.pods, child(path, "pods"));
  }

  /** An egress peer: exactly one of the version's peer kinds. */
  egressPeer(peer: EgressPeer, path: string, action: string | null | undefined): void {
    const kinds = this.version.egressPeers;
    knownFields(peer, kinds, path, this.error);
    exactlyOne(peer, kinds, path, this.error);
    if (present(peer.namespaces)) this.selector(peer.namespaces, child(path, "namespaces"));
    if (present(peer.pods)) this.namespacedPod(peer.pods, child(path, "pods"));
    if (present(peer.nodes)) this.selector(peer.nodes, child(path, "nodes"));
    if (present(peer.networks)) {
      const at = child(path, "networks");
      itemCount(peer.networks, 1, 25, at, this.error);
      peer.networks.forEach((cidr, i) => {
        maxLength(cidr, 43, index(at, i), this.error);
        if (!isCelCidr(cidr)) celFailure(index(at, i), "Invalid CIDR format provided", this.error);
      });
      uniqueItems(peer.networks, at, this.error);
    }
    if (present(peer.domainNames) && kinds.includes("domainNames")) {
      const at = child(path, "domainNames");
      itemCount(peer.domainNames, 1, 25, at, this.error);
      peer.domainNames.forEach((name, i) => pattern(name, DOMAIN_NAME_PATTERN, index(at, i), this.error));
      uniqueItems(peer.domainNames, at, this.error);
      this.warn(at, "domain names are resolved only by the cluster's DNS records (cluster.dns): a name no record matches matches no address");
      if (action !== "Accept" && action !== "Allow" && present(action)) {
        this.warn(at, `domainNames is only supported for ${this.version.kind === "ClusterNetworkPolicy" ? "Accept" : "Allow"} rules`);
      }
    }
  }

  /** A v1alpha2 protocol entry: exactly one of `tcp`, `udp`, `sctp`, `destinationNamedPort`. */
  protocol(entry: ProtocolEntry, path: string): void {
    knownFields(entry, ["tcp", "udp", "sctp", "destinationNamedPort"], path, this.error);
    exactlyOne(entry, ["tcp", "udp", "sctp", "destinationNamedPort"], path, this.error);
    for (const name of ["tcp", "udp", "sctp"] as const) {
      const ports = entry[name];
      if (!present(ports)) continue;
      const at = child(path, name);
      knownFields(ports, ["destinationPort"], at, this.error);
      if (!atLeastOne(ports, ["destinationPort"], at, this.error) || !present(ports.destinationPort)) continue;
      const port = ports.destinationPort;
      const portAt = child(at, "destinationPort");
      knownFields(port, ["number", "range"], portAt, this.error);
      exactlyOne(port, ["number", "range"], portAt, this.error);
      if (present(port.number)) intRange(port.number, 1, 65535, child(portAt, "number"), this.error);
      if (present(port.range)) {
        const rangeAt = child(portAt, "range");
        knownFields(port.range, ["start", "end"], rangeAt, this.error);
        const start = port.range.start;
        const end = port.range.end;
        if (required(start, child(rangeAt, "start"), this.error)) intRange(start!, 1, 65535, child(rangeAt, "start"), this.error);
        if (required(end, child(rangeAt, "end"), this.error)) intRange(end!, 1, 65535, child(rangeAt, "end"), this.error);
        if (present(start) && present(end) && !(start < end)) celFailure(rangeAt, "Start port must be less than End port", this.error);
      }
    }
    if (entry.destinationNamedPort === "") this.warn(child(path, "destinationNamedPort"), "an empty name matches no container port");
  }

  /** A v1alpha1 port: exactly one of `portNumber`, `namedPort`, `portRange`. */
  port(port: AnpPort, path: string): void {
    knownFields(port, ["portNumber", "namedPort", "portRange"], path, this.error);
    exactlyOne(port, ["portNumber", "namedPort", "portRange"], path, this.error);
    const protocol = (value: string | null | undefined, at: string): void => {
      // the schema defaults it to TCP and has no enum
      if (present(value) && !["TCP", "UDP", "SCTP"].includes(value)) this.warn(at, `protocol ${quote(value)} is not TCP, UDP or SCTP: this entry matches no flow netpol evaluates`);
    };
    if (present(port.portNumber)) {
      const at = child(path, "portNumber");
      knownFields(port.portNumber, ["protocol", "port"], at, this.error);
      protocol(port.portNumber.protocol, child(at, "protocol"));
      if (required(port.portNumber.port, child(at, "port"), this.error)) intRange(port.portNumber.port!, 1, 65535, child(at, "port"), this.error);
    }
    if (present(port.portRange)) {
      const at = child(path, "portRange");
      const { start, end } = port.portRange;
      knownFields(port.portRange, ["protocol", "start", "end"], at, this.error);
      protocol(port.portRange.protocol, child(at, "protocol"));
      if (required(start, child(at, "start"), this.error)) intRange(start!, 1, 65535, child(at, "start"), this.error);
      if (required(end, child(at, "end"), this.error)) intRange(end!, 1, 65535, child(at, "end"), this.error);
      if (present(start) && present(end) && start > end) this.warn(at, `start ${start} is after end ${end}: this range matches no port`);
    }
    if (port.namedPort === "") this.warn(child(path, "namedPort"), "an empty name matches no container port");
  }

  /** One ingress or egress rule of either version. */
  rule(
    rule: { name?: string | null; action?: string | null; protocols?: readonly ProtocolEntry[] | null; ports?: readonly AnpPort[] | null },
    peers: readonly unknown[] | null | undefined,
    direction: "ingress" | "egress",
    path: string,
  ): void {
    const v2 = this.version.kind === "ClusterNetworkPolicy";
    const peerField = direction === "ingress" ? "from" : "to";
    const portField = v2 ? "protocols" : "ports";
    knownFields(rule, ["name", "action", peerField, portField], path, this.error);
    if (present(rule.name)) maxLength(rule.name, 100, child(path, "name"), this.error);
    if (required(rule.action, child(path, "action"), this.error)) oneOfValues(rule.action!, this.version.actions, child(path, "action"), this.error);
    const peersAt = child(path, peerField);
    if (required(peers, peersAt, this.error)) {
      itemCount(peers!, 1, this.version.maxPeers, peersAt, this.error);
      peers!.forEach((peer, j) => {
        if (direction === "ingress") this.podsOrNamespaces(peer as IngressPeer, index(peersAt, j));
        else this.egressPeer(peer as EgressPeer, index(peersAt, j), rule.action);
      });
    }
    const portsAt = child(path, portField);
    let named = false;
    if (v2 && present(rule.protocols)) {
      itemCount(rule.protocols, 1, 25, portsAt, this.error);
      rule.protocols.forEach((entry, k) => this.protocol(entry, index(portsAt, k)));
      named = rule.protocols.some((entry) => present(entry.destinationNamedPort));
    }
    if (!v2 && present(rule.ports)) {
      itemCount(rule.ports, 1, this.version.maxPeers, portsAt, this.error);
      rule.ports.forEach((port, k) => this.port(port, index(portsAt, k)));
      named = rule.ports.some((port) => present(port.namedPort));
    }
    if (direction === "egress" && named && present(peers)) {
      const addressPeer = (peers as readonly EgressPeer[]).some((p) => present(p.networks) || present(p.nodes) || (present(p.domainNames) && this.version.egressPeers.includes("domainNames")));
      if (addressPeer) celFailure(path, this.version.namedPortMessage, this.error);
    }
  }

  /** `spec.ingress` / `spec.egress`. */
  rules(
    list: ReadonlyArray<{ name?: string | null; action?: string | null; from?: readonly unknown[] | null; to?: readonly unknown[] | null }> | null | undefined,
    direction: "ingress" | "egress",
  ): void {
    if (!present(list)) return;
    const at = `spec.${direction}`;
    itemCount(list, 0, this.version.maxRules, at, this.error);
    list.forEach((rule, i) => this.rule(rule, direction === "ingress" ? rule.from : rule.to, direction, index(at, i)));
  }

  /** apiVersion, kind, the root's fields and metadata. */
  object(policy: { apiVersion?: string | null; kind?: string | null; metadata?: ClusterNetworkPolicy["metadata"]; spec?: unknown }, apiVersion: string): boolean {
    if (policy.apiVersion !== apiVersion) this.error("apiVersion", `expected ${quote(apiVersion)}, got ${quote(policy.apiVersion)}`);
    if (policy.kind !== this.version.kind) this.error("kind", `expected ${quote(this.version.kind)}, got ${quote(policy.kind)}`);
    knownFields(policy, ["apiVersion", "kind", "metadata", "spec", "status"], "", this.error);
    if (required(policy.metadata, "metadata", this.error)) {
      validateObjectName(policy.metadata!, this.error);
      if (policy.metadata!.labels) validateLabels(policy.metadata!.labels, "metadata.labels", this.error);
    }
    return required(policy.spec, "spec", this.error);
  }

  findings(): Findings {
    return { errors: this.errors, warnings: this.warnings };
  }
}

/** Validates a decoded v1alpha2 ClusterNetworkPolicy. */
export function validateClusterNetworkPolicy(policy: ClusterNetworkPolicy): Findings {
  const walk = new Walk(V1ALPHA2);
  if (!walk.object(policy, `${POLICY_GROUP}/v1alpha2`)) return walk.findings();
  const spec = policy.spec!;
  knownFields(spec, ["tier", "priority", "subject", "ingress", "egress"], "spec", walk.error);
  if (required(spec.tier, "spec.tier", walk.error)) oneOfValues(spec.tier!, ["Admin", "Baseline"], "spec.tier", walk.error);
  if (required(spec.priority, "spec.priority", walk.error)) intRange(spec.priority!, 0, 1000, "spec.priority", walk.error);
  if (required(spec.subject, "spec.subject", walk.error)) walk.podsOrNamespaces(spec.subject!, "spec.subject");
  walk.rules(spec.ingress, "ingress");
  walk.rules(spec.egress, "egress");
  return walk.findings();
}

/** Validates a decoded v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy. */
export function validateAdminNetworkPolicy(policy: AdminNetworkPolicy, kind: "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy"): Findings {
  const banp = kind === "BaselineAdminNetworkPolicy";
  const walk = new Walk(banp ? BANP : ANP);
  const specPresent = walk.object(policy, `${POLICY_GROUP}/v1alpha1`);
  walk.warn("apiVersion", `${POLICY_GROUP}/v1alpha1 ${kind} is withdrawn upstream: use ${POLICY_GROUP}/v1alpha2 ClusterNetworkPolicy (tier ${banp ? "Baseline" : "Admin"})`);
  if (banp && present(policy.metadata) && policy.metadata.name !== "default") {
    celFailure("", 'Only one baseline admin network policy with metadata.name="default" can be created in the cluster', walk.error);
  }
  if (!specPresent) return walk.findings();
  const spec = policy.spec!;
  knownFields(spec, banp ? ["subject", "ingress", "egress"] : ["priority", "subject", "ingress", "egress"], "spec", walk.error);
  if (!banp && required(spec.priority, "spec.priority", walk.error)) intRange(spec.priority!, 0, 1000, "spec.priority", walk.error);
  if (required(spec.subject, "spec.subject", walk.error)) walk.podsOrNamespaces(spec.subject!, "spec.subject");
  walk.rules(spec.ingress, "ingress");
  walk.rules(spec.egress, "egress");
  return walk.findings();
}
