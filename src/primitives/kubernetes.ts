/**
 * The Kubernetes names every stage shares: protocols, directions (policyTypes), the
 * default namespace and the label the API server puts on every namespace. One place
 * for each, so that decoding, validation, normalization, the compiler and the views
 * never spell them again.
 */

/** A transport protocol NetworkPolicy can name. */
export type Protocol = "TCP" | "UDP" | "SCTP";

/** The protocols in their canonical order; a protocol's index here is its wire code. */
export const PROTOCOLS: readonly Protocol[] = ["TCP", "UDP", "SCTP"];

/** Whether `value` is one of `PROTOCOLS`. */
export const isProtocol = (value: unknown): value is Protocol => (PROTOCOLS as readonly unknown[]).includes(value);

/** A traffic direction, as `policyTypes` names it. */
export type Direction = "Ingress" | "Egress";

/** The directions, as `policyTypes` lists them. */
export const DIRECTIONS: readonly Direction[] = ["Ingress", "Egress"];

/** The id of a namespaced object (a pod, a policy): `namespace/name`. */
export const namespacedName = (object: { readonly namespace: string; readonly name: string }): string => `${object.namespace}/${object.name}`;

/** The namespace an object without `metadata.namespace` lives in (kubectl's default). */
export const DEFAULT_NAMESPACE = "default";

/** The label the API server puts on every namespace. */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";
