/**
 * The API edge for policy objects of every kind netpol reads: NetworkPolicy
 * (networking.k8s.io/v1), ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2),
 * and the withdrawn AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1).
 * Unknown values in; a typed, validated object with its warnings, or every problem,
 * out, as a `Result`. Nothing here throws on bad input.
 */
import { AdminNetworkPolicy, ClusterNetworkPolicy } from "../decode/cluster-policy-codecs.js";
import { validateAdminNetworkPolicy, validateClusterNetworkPolicy, type Findings } from "./cluster-policy.js";
import { decodeWith } from "../decode/decode-with.js";
import { decodeNetworkPolicy, type DecodeOptions, type ValidNetworkPolicy } from "./decoders.js";
import type { AdminNetworkPolicyManifest, ClusterNetworkPolicyManifest } from "../decode/cluster-policy-manifest-types.js";
import type { Issue } from "../primitives/issues.js";
import type { Labels } from "../primitives/selector.js";
import { failure, success, type Result } from "../primitives/result.js";

/** A ClusterNetworkPolicy that decoded and passed the CRD's validation (label maps as `Map`s). */
export type ValidClusterNetworkPolicy = ClusterNetworkPolicyManifest<Labels> & { readonly __validCnp: true };

/** An AdminNetworkPolicy or BaselineAdminNetworkPolicy that decoded and passed its CRD's validation. */
export type ValidAdminNetworkPolicy = AdminNetworkPolicyManifest<Labels> & { readonly __validAnp: true };

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

/**
 * Decodes and validates `input`; the CRD validation reports unknown fields itself
 * (`spec.foo: unknown field`), and `options.validate` decides what they are, as for
 * NetworkPolicies: errors (`strict`, default), warnings (`warn`) or nothing (`ignore`).
 */
function checked<A, V>(decoded: Result<A>, options: DecodeOptions, validate: (value: A) => Findings): Result<{ policy: V; warnings: Issue[] }> {
  if (!decoded.ok) return decoded;
  const found = validate(decoded.value);
  const mode = options.validate ?? "strict";
  const isUnknown = (i: Issue): boolean => i.message.startsWith("unknown field");
  const errors = mode === "strict" ? found.errors : found.errors.filter((i) => !isUnknown(i));
  const warnings = mode === "warn" ? [...found.errors.filter(isUnknown), ...found.warnings] : found.warnings;
  return errors.length > 0 ? failure(errors) : success({ policy: decoded.value as unknown as V, warnings });
}

/** Decodes and validates one ClusterNetworkPolicy (strict field validation unless `options.validate` says otherwise). */
export function decodeClusterNetworkPolicy(input: unknown, options: DecodeOptions = {}): Result<{ policy: ValidClusterNetworkPolicy; warnings: Issue[] }> {
  return checked(decodeWith(ClusterNetworkPolicy, input), options, validateClusterNetworkPolicy);
}

/** Decodes and validates one v1alpha1 AdminNetworkPolicy or BaselineAdminNetworkPolicy. */
export function decodeAdminNetworkPolicy(
  input: unknown,
  kind: "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy",
  options: DecodeOptions = {},
): Result<{ policy: ValidAdminNetworkPolicy; warnings: Issue[] }> {
  return checked(decodeWith(AdminNetworkPolicy, input), options, (p: AdminNetworkPolicy) => validateAdminNetworkPolicy(p, kind));
}

/**
 * Decodes and validates a policy object by its `kind`: one of the cluster-scoped
 * kinds, or else a NetworkPolicy (whose validation names a wrong kind).
 */
export function decodeAnyPolicy(input: unknown, options: DecodeOptions = {}): Result<DecodedPolicy> {
  const kind = typeof input === "object" && input !== null ? (input as { kind?: unknown }).kind : undefined;
  switch (kind) {
    case "ClusterNetworkPolicy": {
      const r = decodeClusterNetworkPolicy(input, options);
      return r.ok ? success({ kind, ...r.value }) : r;
    }
    case "AdminNetworkPolicy":
    case "BaselineAdminNetworkPolicy": {
      const r = decodeAdminNetworkPolicy(input, kind, options);
      return r.ok ? success({ kind, ...r.value }) : r;
    }
    default: {
      const r = decodeNetworkPolicy(input, options);
      return r.ok ? success({ kind: "NetworkPolicy", policy: r.value, warnings: r.warnings ?? [] }) : r;
    }
  }
}
