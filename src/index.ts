/**
 * netpol: would Kubernetes let this traffic through? The public API: every function
 * and every type a public signature mentions.
 */
export { createEngine, createEngineSync, createEngineFromJson, createEngineFromJsonSync, EVALUATORS } from "./engine/create.js";
export type { ColumnarFlows, Decision, Engine, EngineInput, EngineUpdate, EvaluatorName, Flow, PortQuery, ReachCounts } from "./api/engine.js";
export { ReachabilityMatrix } from "./api/matrix.js";
export { FlowColumns, toColumns } from "./api/flow-columns.js";
export type { Explanation, SideExplanation, RuleRef, PolicyRef } from "./api/explanation.js";
export { describeDecision, decisionLines, explanationText, type DescribedDecision, type DescribedRule, type DescribedSide } from "./explain/decision.js";
export { policyLines } from "./explain/policy.js";
export { NetpolValidationError, formatIssue, type Issue } from "./primitives/issues.js";
export type { Result } from "./primitives/result.js";
export { decodeNetworkPolicy, decodeCluster, type DecodeOptions, type ValidCluster, type ValidNetworkPolicy } from "./validate/decoders.js";
export { FIELD_VALIDATIONS, type FieldValidation } from "./decode/unknown-fields.js";
export type {
  ClusterManifest,
  ClusterNamespaceManifest,
  ClusterPodManifest,
  ContainerPortManifest,
  LabelSelectorManifest,
  LabelSelectorRequirementManifest,
  LabelsManifest,
  NetworkPolicyManifest,
  NetworkPolicyPeerManifest,
  NetworkPolicyPortManifest,
  ObjectMetaManifest,
} from "./decode/manifest-types.js";
export type { Labels, Requirement, Selector } from "./primitives/selector.js";
export type { AddressRange } from "./primitives/address.js";
export { DEFAULT_OPTIONS, type NamespaceScope, type Options, type Origin, type Peer, type Policy, type PortMatch, type Rule, type RuleSet } from "./ir/types.js";
export { PROTOCOLS, type Protocol, type Direction } from "./primitives/kubernetes.js";
export { parseManifests, type Manifests, type ParseOptions, type Location } from "./manifests/manifests.js";
export type { EndpointGroup, NamespaceEntry, PodEntry, ServicePortEntry, WorkloadKind } from "./manifests/entries.js";
export { Endpoints, type EndpointText, type ResolvedGroup } from "./manifests/endpoints.js";
export { mentionedPorts, type ContainerPorts, type MentionedPort } from "./ir/mentioned-ports.js";
