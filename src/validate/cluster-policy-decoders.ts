/**
 * The API edge for policy objects of every kind netpol reads: NetworkPolicy
 * (networking.k8s.io/v1), ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2),
 * and the withdrawn AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1).
 * Unknown values in; a typed, validated object with its warnings, or every problem,
 * out. Nothing here throws on bad input.
 */
import * as E from "fp-ts/lib/Either.js";
import { AdminNetworkPolicy, ClusterNetworkPolicy } from "../decode/cluster-policy-codecs.js";
import { validateAdminNetworkPolicy, validateClusterNetworkPolicy, type Findings } from "./cluster-policy.js";
import { decodeWith } from "../decode/decode-with.js";
import { decodeNetworkPolicy, type ValidNetworkPolicy } from "./decoders.js";
import type { Issue } from "../primitives/issues.js";

/** A ClusterNetworkPolicy that decoded and passed the CRD's validation. */
export type ValidClusterNetworkPolicy = ClusterNetworkPolicy & { readonly __validCnp: true };

/** An AdminNetworkPolicy or BaselineAdminNetworkPolicy that decoded and passed its CRD's validation. */
export type ValidAdminNetworkPolicy = AdminNetworkPolicy & { readonly __validAnp: true };

/** The kinds of the cluster-scoped policies, in the order of their version's age (newest first). */
export const CLUSTER_POLICY_KINDS = ["ClusterNetworkPolicy", "AdminNetworkPolicy", "BaselineAdminNetworkPolicy"] as const;

/** A cluster-scoped policy kind. */
export type ClusterPolicyKind = (typeof CLUSTER_POLICY_KINDS)[number];

/** Whether `kind` names a cluster-scoped policy kind. */
export const isClusterPolicyKind = (kind: unknown): kind is ClusterPolicyKind => (CLUSTER_POLICY_KINDS as readonly unknown[]).includes(kind);

/** A validated policy object of any kind, with what validation warned about. */
export type DecodedPolicy =
  | { readonly kind: "NetworkPolicy"; readonly policy: ValidNetworkPolicy; readonly warnings: readonly Issue[] }
  | { readonly kind: "ClusterNetworkPolicy"; readonly policy: ValidClusterNetworkPolicy; readonly warnings: readonly Issue[] }
  | { readonly kind: "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy"; readonly policy: ValidAdminNetworkPolicy; readonly warnings: readonly Issue[] };

function checked<A, V>(decoded: E.Either<Issue[], A>, validate: (value: A) => Findings): E.Either<Issue[], { policy: V; warnings: Issue[] }> {
  if (E.isLeft(decoded)) return decoded;
  const { errors, warnings } = validate(decoded.right);
  return errors.length > 0 ? E.left(errors) : E.right({ policy: decoded.right as unknown as V, warnings });
}

/** Decodes and validates one ClusterNetworkPolicy. */
export function decodeClusterNetworkPolicy(input: unknown): E.Either<Issue[], { policy: ValidClusterNetworkPolicy; warnings: Issue[] }> {
  return checked(decodeWith(ClusterNetworkPolicy, input), validateClusterNetworkPolicy);
}

/** Decodes and validates one v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy. */
export function decodeAdminNetworkPolicy(
  input: unknown,
  kind: "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy",
): E.Either<Issue[], { policy: ValidAdminNetworkPolicy; warnings: Issue[] }> {
  return checked(decodeWith(AdminNetworkPolicy, input), (p: AdminNetworkPolicy) => validateAdminNetworkPolicy(p, kind));
}

/**
 * Decodes and validates a policy object by its `kind`: one of the cluster-scoped
 * kinds, or else a NetworkPolicy (whose validation names a wrong kind).
 */
export function decodeAnyPolicy(input: unknown): E.Either<Issue[], DecodedPolicy> {
  const kind = typeof input === "object" && input !== null ? (input as { kind?: unknown }).kind : undefined;
  switch (kind) {
    case "ClusterNetworkPolicy":
      return E.map((r: { policy: ValidClusterNetworkPolicy; warnings: Issue[] }): DecodedPolicy => ({ kind, ...r }))(decodeClusterNetworkPolicy(input));
    case "AdminNetworkPolicy":
    case "BaselineAdminNetworkPolicy":
      return E.map((r: { policy: ValidAdminNetworkPolicy; warnings: Issue[] }): DecodedPolicy => ({ kind, ...r }))(decodeAdminNetworkPolicy(input, kind));
    default:
      return E.map((policy: ValidNetworkPolicy): DecodedPolicy => ({ kind: "NetworkPolicy", policy, warnings: [] }))(decodeNetworkPolicy(input));
  }
}
