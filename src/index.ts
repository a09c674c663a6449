/**
 * netpol: would Kubernetes let this traffic through? The public API.
 */
export { createEngine, createEngineSync } from "./engine/create.js";
export type { Decision, Engine, EngineInput, EvaluatorName, Flow, PortQuery } from "./engine/types.js";
export { ReachabilityMatrix } from "./engine/matrix.js";
export { NetpolValidationError, formatIssue, type Issue } from "./api/issues.js";
export { decodeNetworkPolicy, decodeCluster } from "./api/decode.js";
export type { ClusterManifest, NetworkPolicyManifest } from "./api/codecs.js";
export { DEFAULT_OPTIONS, type Options, type Protocol, type Direction } from "./ir/types.js";
export type { Explanation, SideExplanation, RuleRef, PolicyRef } from "./reference/explanation.js";
export { explanationText } from "./reference/explanation.js";
export { parseManifests, type Manifests, type ParseOptions, type NamespaceEntry, type PodEntry, type Location } from "./api/manifests.js";
