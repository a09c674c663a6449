/**
 * netpol: would Kubernetes let this traffic through? The public API.
 */
export { createEngine, createEngineSync, EVALUATORS } from "./engine/create.js";
export type { ColumnarFlows, Decision, Engine, EngineInput, EvaluatorName, Flow, PortQuery, ReachCounts } from "./engine/types.js";
export type { EngineUpdate } from "./engine/update.js";
export { ReachabilityMatrix } from "./engine/matrix.js";
export { NetpolValidationError, formatIssue, type Issue } from "./api/issues.js";
export { decodeNetworkPolicy, decodeCluster } from "./api/decode.js";
export type { ClusterManifest, NetworkPolicyManifest } from "./api/codecs.js";
export { DEFAULT_OPTIONS, PROTOCOLS, type Options, type Protocol, type Direction } from "./ir/types.js";
export type { Explanation, SideExplanation, RuleRef, PolicyRef } from "./reference/explanation.js";
export { explanationText } from "./reference/explanation.js";
export { parseManifests, type Manifests, type ParseOptions, type NamespaceEntry, type PodEntry, type Location } from "./api/manifests.js";
export { endpointAliases } from "./api/workloads.js";
export { mentionedPorts, type PortSources } from "./engine/mentioned-ports.js";
