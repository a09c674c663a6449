/**
 * netpol: would Kubernetes let this traffic through? The public API.
 */
export { createEngine, createEngineSync, EVALUATORS } from "./engine/create.js";
export type { ColumnarFlows, Decision, Engine, EngineInput, EvaluatorName, Flow, PortQuery, ReachCounts, EngineUpdate } from "./api/engine.js";
export { ReachabilityMatrix } from "./api/matrix.js";
export { NetpolValidationError, formatIssue, type Issue } from "./primitives/issues.js";
export { decodeNetworkPolicy, decodeCluster } from "./validate/decoders.js";
export type { ClusterManifest, NetworkPolicyManifest } from "./decode/codecs.js";
export { DEFAULT_OPTIONS, type Options } from "./ir/types.js";
export { PROTOCOLS, type Protocol, type Direction } from "./primitives/kubernetes.js";
export type { Explanation, SideExplanation, RuleRef, PolicyRef } from "./api/explanation.js";
export { explanationText } from "./explain/explanation-text.js";
export { parseManifests, type Manifests, type ParseOptions, type Location } from "./manifests/manifests.js";
export { type NamespaceEntry, type NodeEntry, type PodEntry } from "./manifests/entries.js";
