/**
 * The public engine interface, shared by every evaluation path (reference, WASM).
 */
import type { ClusterManifest, NetworkPolicyManifest } from "../api/codecs.js";
import type { Options, Protocol } from "../ir/types.js";
import type { Explanation } from "../reference/explanation.js";
import type { ReachabilityMatrix } from "./matrix.js";

/** Which evaluator answers: the spec-literal TypeScript reference, or the compiled WASM core. */
export type EvaluatorName = "reference" | "wasm";

/** What `createEngine` takes. */
export interface EngineInput {
  /** The cluster, in the compact form of the conformance format (namespaces and pods). */
  readonly cluster: ClusterManifest | unknown;
  /** NetworkPolicy objects as `kubectl get -o json` prints them. */
  readonly policies: ReadonlyArray<NetworkPolicyManifest | unknown>;
  /** Implementation-defined choices; see `Options` for each default. */
  readonly options?: Partial<Options>;
  /** The evaluation path. */
  readonly evaluator?: EvaluatorName;
}

/**
 * One flow: `from`/`to` are `"namespace/name"` of a pod, or an IPv4/IPv6 literal (an
 * address that belongs to a pod stands for that pod). `protocol` defaults to TCP.
 */
export interface Flow {
  readonly from: string;
  readonly to: string;
  readonly protocol?: Protocol;
  readonly port: number;
}

/** A verdict with its explanation. */
export interface Decision {
  readonly allowed: boolean;
  readonly explanation: Explanation;
}

/** A port and protocol to compute a reachability matrix for. */
export interface PortQuery {
  readonly protocol?: Protocol;
  readonly port: number;
}

/** A loaded cluster and policy set that answers reachability questions. */
export interface Engine {
  /** The evaluation path behind this engine. */
  readonly evaluator: EvaluatorName;
  /** The options in force, defaults filled in. */
  readonly options: Options;
  /** Pod ids (`namespace/name`) in cluster order: the index space of matrices. */
  readonly pods: readonly string[];
  /** One verdict, explained. Throws `NetpolValidationError` for an unknown endpoint. */
  decide(flow: Flow): Decision;
  /** Many verdicts: 1 allowed, 0 denied, one byte per flow in order. */
  decideBatch(flows: readonly Flow[]): Uint8Array;
  /** Who can reach whom on one port: row = source, column = destination. */
  matrix(query: PortQuery): ReachabilityMatrix;
}
