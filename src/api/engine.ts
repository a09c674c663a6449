/**
 * The public engine interface, shared by every evaluation path (reference, WASM).
 */
import type { PolicyManifest } from "../decode/cluster-policy-manifest-types.js";
import type { ClusterManifest, ClusterNamespaceManifest, ClusterNodeManifest, ClusterPodManifest } from "../decode/manifest-types.js";
import type { Direction, Protocol } from "../primitives/kubernetes.js";
import type { Options, RuleSet } from "../ir/types.js";
import type { Issue } from "../primitives/issues.js";
import type { Explanation } from "./explanation.js";
import type { FieldValidation } from "../decode/unknown-fields.js";
import type { ReachabilityMatrix } from "./matrix.js";
import type { Connection, ConnectionOptions } from "./connections.js";
import type { LintFinding } from "./lint.js";
import type { Exposure, ExposureOptions } from "./exposure.js";

/** Which evaluator answers: the spec-literal TypeScript reference, or the compiled WASM core. */
export type EvaluatorName = "reference" | "wasm";

/**
 * What `createEngine` takes. The types say what is read; the values are still checked
 * at run time (untyped JSON goes through `createEngineFromJson`).
 */
export interface EngineInput {
  /** The cluster, in the compact form of the conformance format (namespaces, pods and nodes). */
  readonly cluster: ClusterManifest;
  /**
   * Policy objects as `kubectl get -o json` prints them: NetworkPolicies,
   * ClusterNetworkPolicies (policy.networking.k8s.io/v1alpha2), and the withdrawn
   * v1alpha1 AdminNetworkPolicies and BaselineAdminNetworkPolicies.
   */
  readonly policies: readonly PolicyManifest[];
  /** Implementation-defined choices; see `Options` for each default. */
  readonly options?: Partial<Options>;
  /** The evaluation path. */
  readonly evaluator?: EvaluatorName;
  /**
   * Unknown fields in policies (`form:` for `from:`), as kubectl's `--validate`:
   * `"strict"` (default) rejects them at their path; `"warn"` and `"ignore"` read the
   * policy without them (an engine has no warnings: `parseManifests` and
   * `decodeNetworkPolicy` return them).
   */
  readonly validate?: FieldValidation;
  /**
   * How many threads may evaluate one large batch or matrix, the calling thread
   * included (an integer from 1 to 64); 1 keeps everything on the calling thread.
   * Default: the host's logical cores (at most 8) where it has threads that share
   * memory: Node's `worker_threads`, or Web Workers in a cross-origin isolated page;
   * elsewhere 1. Workers start with the first batch large enough to pay for them
   * (columnar batches of 2^18 flows and more); smaller ones, flow objects and matrices
   * (near memory speed on one thread) stay on the calling thread. The reference
   * evaluator always runs on the calling thread.
   */
  readonly threads?: number;
}

/**
 * One flow. `from`/`to` name an endpoint in netpol's one naming scheme: a pod
 * `namespace/name`; a workload `namespace/kind/name` (kind in lower case:
 * `shop/deployment/web`), its stand-in pod, or all of its given pods; a Service
 * `namespace/service/name` (the pods its selector picks); a node `node:<name>` (its
 * host network); or an IPv4/IPv6 literal (an address that belongs to a node stands
 * for that node, else one that belongs to a pod for that pod; an IPv4-mapped IPv6
 * literal such as `::ffff:10.0.0.1` is the IPv4 address it maps). kubectl's kind
 * spellings are read too (`shop/deploy/web`, `shop/svc/api`, `shop/po/web-1`,
 * `no/n1`). `protocol` defaults to TCP (for a Service port named by `port`, the
 * port's own protocol).
 *
 * `port` is a number, or a name: a container port name resolved on each destination
 * pod, as a NetworkPolicy's named port is (only a pod declaring that name for the
 * protocol serves it); toward a Service, the name or number of one of its ports,
 * which goes to its `targetPort` on each backing pod.
 */
export interface Flow {
  readonly from: string;
  readonly to: string;
  readonly protocol?: Protocol;
  readonly port: number | string;
}

/**
 * One pod-level flow of a flow whose end is a group (a workload's pods, a Service):
 * `from` / `to` are pod ids (or the flow's own text for a node or an address).
 */
export interface MemberDecision {
  readonly from: string;
  readonly to: string;
  readonly protocol: Protocol;
  /**
   * The port on the destination pod (a Service port's `targetPort` there, a named port
   * resolved there), or null when the name does not resolve on that pod: then it is
   * no endpoint of that port, `allowed` is false, `explanation` null and `reason` says why.
   */
  readonly port: number | null;
  readonly allowed: boolean;
  readonly explanation: Explanation | null;
  readonly reason?: string;
}

/**
 * The verdict of a flow with a group end, pod by pod: "allowed for `allowed` of
 * `total` pods" (pod pairs when both ends are groups). `total` counts the members
 * whose destination port resolves; `members` lists every pod pair, in cluster order.
 */
export interface GroupVerdict {
  /** The group ends' canonical ids (`shop/service/api`); null for a plain end. */
  readonly from: string | null;
  readonly to: string | null;
  readonly allowed: number;
  readonly total: number;
  readonly members: readonly MemberDecision[];
}

/**
 * A verdict with its explanation. For a flow with a group end, `allowed` is true when
 * every member flow is allowed (`group.allowed === group.total`), `explanation` is
 * that of the first member denied (else of the first member), and `group` has them all.
 */
export interface Decision {
  readonly allowed: boolean;
  readonly explanation: Explanation;
  /** Present when `from` or `to` names a group. */
  readonly group?: GroupVerdict;
}

/** A name that stands for several pods (`Engine.endpointGroup`). */
export interface EndpointGroupInfo {
  /** The canonical id: `namespace/kind/name` or `namespace/service/name`. */
  readonly id: string;
  readonly kind: "workload" | "service";
  /** Indexes into `Engine.pods`, in cluster order. */
  readonly pods: readonly number[];
  /** A Service's ports (`targetPort` a number or a container port name); empty for a workload. */
  readonly ports: ReadonlyArray<{ readonly name: string | null; readonly port: number; readonly protocol: Protocol; readonly targetPort: number | string }>;
  /** Why it stands for no pod (a Service without a selector, or one selecting nothing); absent when it stands for some. */
  readonly problem?: string;
}

/** A port and protocol to compute a reachability matrix for. */
export interface PortQuery {
  readonly protocol?: Protocol;
  readonly port: number;
}

/**
 * Flows as columns, for millions at a time. Flow k goes from `from[k]` to `to[k]`
 * on a port and protocol given either as `protocol[k]` (0 TCP, 1 UDP, 2 SCTP:
 * `PROTOCOLS` order) and `port[k]`, or packed as `ports[k] = port | protocol << 16`.
 * An endpoint value below the pod count is a pod index (`Engine.pods` order); a value
 * `pods.length + i` stands for entry `i` of the batch's address table (a node's
 * address stands for that node, a pod's own address for that pod, any other is a host
 * outside the cluster; an `addresses` entry may also name a node, `node:<name>`). The table is
 * `addresses` (IPv4/IPv6 literals), then `addresses4`, then `addresses6`, each
 * optional: with `A` literals and `B` IPv4 numbers, `pods.length + A + j` is
 * `addresses4[j]` and `pods.length + A + B + k` is the IPv6 address in
 * `addresses6[4k..4k+3]`. Callers who already hold addresses as numbers skip the
 * text entirely.
 */
export type ColumnarFlows = {
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  /** IPv4/IPv6 literals, or nodes as `node:<name>`, read as `Flow` endpoints are. */
  readonly addresses?: readonly string[];
  /** IPv4 addresses as u32 values (`10.0.0.1` is `0x0a000001`). */
  readonly addresses4?: Uint32Array;
  /**
   * IPv6 addresses, four u32 words each, most significant first (`fd00::1` is
   * `0xfd000000, 0, 0, 1`); an IPv4-mapped one (`::ffff:a.b.c.d`) stands for its IPv4 address.
   */
  readonly addresses6?: Uint32Array;
} & (
  | { readonly protocol: Uint8Array; readonly port: Uint16Array; readonly ports?: undefined }
  | { readonly ports: Uint32Array; readonly protocol?: undefined; readonly port?: undefined }
);

/**
 * Endpoints resolved once (`Engine.endpointIds`), for building many columnar batches:
 * `ids[i]` is the `ColumnarFlows.from` / `to` value of `refs[i]`, a pod index or
 * `pods.length + j` for entry j of the address table `addresses`, then `addresses4`,
 * then `addresses6` (`ColumnarFlows`' order), which goes with every batch using those
 * ids: `{ from, to, ports, addresses, addresses4, addresses6 }`. Valid until the
 * engine's next `update`.
 */
export interface EndpointIds {
  readonly ids: Uint32Array;
  /** The refs' nodes named `node:<name>`, each once. */
  readonly addresses: readonly string[];
  /** The refs' IPv4 addresses that are no pod's (outside, or a node's), as u32 values, each once. */
  readonly addresses4: Uint32Array;
  /** The refs' IPv6 addresses that are no pod's, four big-endian u32 words each, each once. */
  readonly addresses6: Uint32Array;
}

/**
 * Where a matrix is written. `into`: a caller's buffer of at least `N * ceil(N / 32)`
 * u32 words (N pods), such as the `bits` of an earlier matrix of this engine, reused
 * instead of allocating a fresh array per call; the matrix's `bits` is then a view of
 * its first `N * ceil(N / 32)` words, valid until the buffer is written again.
 */
export interface MatrixOptions {
  readonly into?: Uint32Array;
}

/**
 * How `matrixStrips` hands out a matrix: `rows` source rows per strip (a positive
 * integer; default: as many as fit in 1 MiB, at least one), and one side only
 * (`direction`, as `sideMatrix` reads it) or both when absent.
 */
export interface StripOptions {
  readonly rows?: number;
  readonly direction?: Direction;
}

/** A band of matrix rows from `matrixStrips`. */
export interface MatrixStrip {
  /** Its first row: the index of its first source pod. */
  readonly first: number;
  /** How many rows it holds. */
  readonly rows: number;
  /**
   * `rows * ceil(N / 32)` u32 words, each row as `ReachabilityMatrix.bits` lays it
   * out. The next strip overwrites it: copy what you keep.
   */
  readonly bits: Uint32Array;
}

/** Per pod, how many pods it may reach (`reach[i]`, its matrix row) and be reached from (`reachedBy[j]`, its column). */
export interface ReachCounts {
  readonly reach: Uint32Array;
  readonly reachedBy: Uint32Array;
}

/** One change to an engine's cluster or policies. */
export type EngineUpdate =
  /**
   * Adds a pod, or replaces the pod of the same `namespace/name` (the compact cluster
   * format's pod). A finished pod (`phase` `Succeeded` or `Failed`) is no endpoint: it
   * removes the pod of that name, if any.
   */
  | { readonly op: "upsertPod"; readonly pod: ClusterPodManifest }
  /** Removes the pod `namespace/name` (a workload's stand-in: `namespace/kind/name`). */
  | { readonly op: "removePod"; readonly pod: string }
  /** Adds a namespace or replaces its labels (`{ name, labels }`). */
  | { readonly op: "upsertNamespace"; readonly namespace: ClusterNamespaceManifest }
  /** Removes a namespace and every pod in it. */
  | { readonly op: "removeNamespace"; readonly namespace: string }
  /**
   * Adds a policy, or replaces the one of the same identity: a NetworkPolicy's
   * `namespace/name` (one named by `generateName` alone is always added), a
   * cluster-scoped policy's kind and name.
   */
  | { readonly op: "upsertPolicy"; readonly policy: PolicyManifest }
  /**
   * Removes the NetworkPolicy `namespace/name`, or the cluster-scoped policy
   * `Kind/name` (`ClusterNetworkPolicy/name`, `AdminNetworkPolicy/name`,
   * `BaselineAdminNetworkPolicy/default`).
   */
  | { readonly op: "removePolicy"; readonly policy: string }
  /** Adds a node, or replaces the node of the same name (the compact cluster format's node). */
  | { readonly op: "upsertNode"; readonly node: ClusterNodeManifest }
  /** Removes the node of that name. */
  | { readonly op: "removeNode"; readonly node: string };

/** A loaded cluster and policy set that answers reachability questions. */
export interface Engine {
  /** The evaluation path behind this engine. */
  readonly evaluator: EvaluatorName;
  /** Threads that may evaluate one large batch or matrix, the calling thread included (1 after `close`, or where the host has none; see `EngineInput.threads`). */
  readonly threads: number;
  /** The options in force, defaults filled in. */
  readonly options: Options;
  /**
   * Endpoint ids in cluster order, the index space of matrices: pods `namespace/name`,
   * a workload's stand-in `namespace/kind/name`.
   */
  readonly pods: readonly string[];
  /**
   * What the input says that is worth a warning but changes no verdict: withdrawn
   * API versions, `domainNames` peers, and same-tier, same-priority cluster-scoped
   * policies that overlap (netpol breaks such ties by name).
   */
  readonly warnings: readonly Issue[];
  /**
   * The policies as the engine reads them, defaults applied (read-only): each
   * NetworkPolicy with its index (the `PolicyRef.index` of explanations), namespace
   * and name (its id is `namespace/name`), target selector, and per direction its rules
   * with their peers and ports, or `null` for a direction it does not govern; and the
   * cluster-scoped policies in evaluation order (`clusterPolicies`, indexed by
   * `ClusterPolicyRef.index`). Views render these; they never decode or normalize
   * policies themselves.
   */
  readonly rules: RuleSet;
  /**
   * The pods (indexes into `pods`) policy `policy` (an index into `rules.policies`)
   * selects for `direction`, none when it does not govern that direction; without a
   * direction, the pods its podSelector selects. Host-network pods follow
   * `options.hostNetwork`. Throws `NetpolValidationError` for a bad index or direction.
   */
  selectedPods(policy: number, direction?: Direction): readonly number[];
  /**
   * The policies (indexes into `rules.policies`, ascending) that select pod `pod` (an
   * index into `pods`) for `direction`: the pod is isolated for it when there is one.
   * Throws `NetpolValidationError` for a bad index or direction.
   */
  isolatingPolicies(pod: number, direction: Direction): readonly number[];
  /**
   * The pods (indexes into `pods`) the subject of cluster-scoped policy `policy` (an
   * index into `rules.clusterPolicies`) holds; never a host-network pod. Throws
   * `NetpolValidationError` for a bad index.
   */
  subjectPods(policy: number): readonly number[];
  /**
   * One verdict, explained; for a group end (a workload's pods, a Service), per pod
   * (see `Decision.group`). Throws `NetpolValidationError` for an unknown endpoint, a
   * Service without a selector or selecting no pod, a Service port it does not have,
   * and a named port that resolves on no destination pod.
   */
  decide(flow: Flow): Decision;
  /**
   * Many verdicts: 1 allowed, 0 denied, one byte per flow in order; a flow with a group
   * end is 1 when allowed for every pod it stands for (`Decision.allowed`). Throws
   * `NetpolValidationError` listing every bad flow (`flows[3].to`, `flows.ports[7]`).
   * Columnar flows name pods, nodes and addresses only.
   */
  decideBatch(flows: readonly Flow[] | ColumnarFlows): Uint8Array;
  /**
   * The group `name` stands for (a workload whose pods are given, a Service; kubectl's
   * kind spellings accepted), or null when it names none (a pod, a workload's
   * stand-in, a node, an address, or nothing).
   */
  endpointGroup(name: string): EndpointGroupInfo | null;
  /**
   * `decideBatch`, resolving instead of blocking: the same verdicts. A large columnar
   * batch is split across threads wherever the host has them, a browser page's main
   * thread included (which cannot wait for workers synchronously, so there
   * `decideBatch` stays on one thread); in Node both forms use threads. Rejects with
   * `NetpolValidationError` where `decideBatch` throws it.
   */
  decideBatchAsync(flows: readonly Flow[] | ColumnarFlows): Promise<Uint8Array>;
  /**
   * Resolves endpoint texts (as `Flow.from` / `to` read them) once, for columnar
   * batches built from ids afterwards (see `EndpointIds`). Throws
   * `NetpolValidationError` listing every ref that names no pod and is no IP address.
   */
  endpointIds(refs: readonly string[]): EndpointIds;
  /** Who can reach whom on one port: row = source, column = destination (written `into` a caller's buffer when given). */
  matrix(query: PortQuery, options?: MatrixOptions): ReachabilityMatrix;
  /** `matrix`, resolving instead of blocking, with threads wherever the host has them (see `decideBatchAsync`). */
  matrixAsync(query: PortQuery, options?: MatrixOptions): Promise<ReachabilityMatrix>;
  /**
   * One side of the matrix: `"Egress"`, what each source's egress side allows;
   * `"Ingress"`, what each destination's ingress side allows (still row = source).
   * A cell is the `allowed` of that side's explanation (self traffic included).
   */
  sideMatrix(query: PortQuery, direction: Direction, options?: MatrixOptions): ReachabilityMatrix;
  /** `sideMatrix`, resolving instead of blocking, with threads wherever the host has them (see `decideBatchAsync`). */
  sideMatrixAsync(query: PortQuery, direction: Direction, options?: MatrixOptions): Promise<ReachabilityMatrix>;
  /**
   * The matrix (or one side of it, `options.direction`) a band of rows at a time, in
   * row order, for callers that stream it: memory stays one strip, whatever N. The
   * strips follow the engine as it is when each is made; an `update` between two
   * strips ends the iteration with a `NetpolValidationError`. Throws
   * `NetpolValidationError` for a bad query or options (at the call).
   */
  matrixStrips(query: PortQuery, options?: StripOptions): IterableIterator<MatrixStrip>;
  /**
   * Everything allowed: per ordered pair of distinct endpoints (pods, or the groups
   * `options.groups` names) and between endpoints and outside address ranges, the
   * allowed ports of TCP, UDP and SCTP, computed on port equivalence classes (see
   * `ConnectionOptions`). Pairs with nothing allowed are left out; the rest come one
   * at a time, sorted by `from` then `to` (numbers in names compared as numbers).
   * Throws `NetpolValidationError` for bad options.
   */
  connections(options?: ConnectionOptions): IterableIterator<Connection>;
  /**
   * Per endpoint (pods, or `options.groups`): the outside ranges that may reach it and
   * that it may reach, with their ports, and the namespaces and pods its ingress rules
   * admit; endpoints any outside address may reach first, then by name.
   */
  exposure(options?: ExposureOptions): Exposure[];
  /**
   * What is probably wrong with the policies over this cluster (`LINT_RULES`): each
   * finding with its rule, severity, policy, field path and a fix hint.
   */
  lint(): LintFinding[];
  /** The matrix's row and column counts, without building the matrix. */
  counts(query: PortQuery): ReachCounts;
  /**
   * Applies changes in order (see `EngineUpdate`); afterwards every answer equals
   * that of an engine built from the changed input. Throws `NetpolValidationError`
   * and changes nothing when one of them is invalid. The WASM evaluator patches its
   * tables for pods, namespaces and policies of every kind, in time that grows with
   * the pod classes a change touches; a node change, a new peer with addresses (an
   * ipBlock, a `networks`, `nodes` or `domainNames` peer) and the first or last
   * cluster-scoped policy compile them again.
   */
  update(changes: EngineUpdate | readonly EngineUpdate[]): void;
  /**
   * Stops the engine's worker threads, if it started any (once the `…Async` calls
   * still running have finished); it keeps answering, on the calling thread. Not
   * needed for a Node process to exit: idle workers never keep it alive.
   */
  close(): void;
}
