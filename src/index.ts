/**
 * netpol: would Kubernetes let this traffic through? The public API: every function
 * and every type a public signature mentions.
 */
export { createEngine, createEngineSync, createEngineFromJson, createEngineFromJsonSync, EVALUATORS } from "./engine/create.js";
export type {
  ColumnarFlows,
  Decision,
  EndpointGroupInfo,
  EndpointIds,
  Engine,
  EngineInput,
  EngineUpdate,
  EvaluatorName,
  Flow,
  GroupVerdict,
  MatrixOptions,
  MatrixStrip,
  MemberDecision,
  PortQuery,
  ReachCounts,
  StripOptions,
} from "./api/engine.js";
export { canonicalEndpoint, serviceId, workloadId, KIND_NAMES, WORKLOAD_KINDS, type WorkloadKind } from "./primitives/endpoint-names.js";
export { ReachabilityMatrix } from "./api/matrix.js";
export { LINT_RULES, type LintFinding, type LintRuleName, type LintSeverity } from "./api/lint.js";
export type { Exposure, ExposureOptions, PeerExposure, RangeExposure } from "./api/exposure.js";
export { connectionChanges } from "./engine/connection-changes.js";
export type { AllowedPorts, Connection, ConnectionChange, ConnectionOptions, ConnectionRule, PortFilter, PortSpan, RuleTier } from "./api/connections.js";
export { FlowColumns, toColumns } from "./api/flow-columns.js";
export type { Explanation, SideExplanation, RuleRef, PolicyRef, ClusterPolicyRef, TierRuleRef, TierStep } from "./api/explanation.js";
export { describeDecision, decisionLines, explanationText, type DescribedDecision, type DescribedRule, type DescribedSide } from "./explain/decision.js";
export { policyLines } from "./explain/policy.js";
export type { DescribedTier, DescribedTierRule } from "./explain/tiers.js";
export { NetpolValidationError, formatIssue, type Issue } from "./primitives/issues.js";
export type { Result } from "./primitives/result.js";
export { decodeNetworkPolicy, decodeCluster, type DecodeOptions, type ValidCluster, type ValidNetworkPolicy } from "./validate/decoders.js";
export { FIELD_VALIDATIONS, type FieldValidation } from "./decode/unknown-fields.js";
export {
  decodeAnyPolicy,
  decodeClusterNetworkPolicy,
  decodeAdminNetworkPolicy,
  type DecodedPolicy,
  type ValidClusterNetworkPolicy,
  type ValidAdminNetworkPolicy,
} from "./validate/cluster-policy-decoders.js";
export type {
  ClusterManifest,
  ClusterNamespaceManifest,
  ClusterNodeManifest,
  ClusterDnsRecordManifest,
  ClusterPodManifest,
  ClusterServiceManifest,
  ClusterServicePortManifest,
  ContainerPortManifest,
  LabelSelectorManifest,
  LabelSelectorRequirementManifest,
  LabelsManifest,
  NetworkPolicyManifest,
  NetworkPolicyPeerManifest,
  NetworkPolicyPortManifest,
  ObjectMetaManifest,
} from "./decode/manifest-types.js";
export type {
  AdminNetworkPolicyManifest,
  AnpPortManifest,
  ClusterNetworkPolicyManifest,
  DestinationPortManifest,
  EgressPeerManifest,
  NamespacedPodManifest,
  PolicyManifest,
  ProtocolEntryManifest,
  SubjectManifest,
} from "./decode/cluster-policy-manifest-types.js";
export type { Labels, Requirement, Selector } from "./primitives/selector.js";
export type { AddressRange } from "./primitives/address.js";
export {
  DEFAULT_OPTIONS,
  type ClusterPolicy,
  type ClusterPolicyKind,
  type NamespaceScope,
  type Options,
  type Origin,
  type Peer,
  type Policy,
  type PortMatch,
  type Rule,
  type RuleSet,
  type Tier,
  type TierAction,
  type TierOrigin,
  type TierPeer,
  type TierRule,
} from "./ir/types.js";
export { PROTOCOLS, type Protocol, type Direction } from "./primitives/kubernetes.js";
// reading manifest text needs a YAML parser: `parseManifests` is in `netpol/manifests` (src/manifests-entry.ts)
export type { Manifests, ParseOptions, SourceOptions, Source, Location } from "./manifests/manifests.js";
export { podEntryId, type DnsEntry, type NamespaceEntry, type NodeEntry, type PodEntry, type ServiceEntry, type ServicePortEntry } from "./manifests/entries.js";
export { policyLocations, policyPosition, type PolicyLocations } from "./manifests/policy-locations.js";
export { Endpoints, type EndpointText } from "./manifests/endpoints.js";
export { mentionedPorts, type ContainerPorts, type MentionedPort } from "./ir/mentioned-ports.js";
