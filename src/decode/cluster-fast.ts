/**
 * The compact cluster's fast path: the type checks of `ClusterCodec` written out by
 * hand for namespaces and pods, without io-ts's per-field context arrays and Either
 * values. It answers only for input it can vouch for, and then with exactly what the
 * codec decodes it to (label maps as `Map`s; an object whose labels changed copied
 * with its other fields, as io-ts copies it; everything else the caller's own values).
 * Anything else (a type error, a field it does not know) gets `null`, and the caller
 * runs the codec, which reports every problem with its path: the messages cannot
 * differ, since only the codec ever writes them.
 *
 * The codec's reading, mirrored here: an object is any non-null non-array object
 * (io-ts `UnknownRecord`); an optional field may be absent, `undefined` or `null`; an
 * integer is a number with `Number.isInteger`; a label map is a plain object whose
 * own enumerable values are all strings.
 */
import * as t from "io-ts";
import { ClusterCodec, ClusterNamespace, ClusterPod, ContainerPortCodec, type ClusterDecoded } from "./codecs.js";

/**
 * The fields of `codec` this file does not check, given those it does: none today. A
 * field added to a codec lands here until this file checks it, and an object using it
 * goes to the codec.
 */
function unchecked(codec: t.PartialType<t.Props>, checked: readonly string[]): string[] {
  return Object.keys(codec.props).filter((key) => !checked.includes(key));
}

const UNCHECKED = unchecked(ClusterCodec, ["namespaces", "pods"]);
const UNCHECKED_NAMESPACE = unchecked(ClusterNamespace, ["name", "labels"]);
const UNCHECKED_POD = unchecked(ClusterPod, ["namespace", "name", "labels", "ips", "ports", "hostNetwork", "phase"]);
const UNCHECKED_PORT = unchecked(ContainerPortCodec, ["name", "containerPort", "protocol"]);

/** The fields left to the codec, by object (a test keeps them empty). */
export const FAST_PATH_UNCHECKED = { cluster: UNCHECKED, namespace: UNCHECKED_NAMESPACE, pod: UNCHECKED_POD, port: UNCHECKED_PORT };

/** Whether `object` leaves every field of `fields` absent. */
function leaves(object: Record<string, unknown>, fields: readonly string[]): boolean {
  for (let i = 0; i < fields.length; i++) if (!isAbsent(object[fields[i]!])) return false;
  return true;
}

/** A value io-ts `UnknownRecord` accepts. */
const isRecord = (u: unknown): u is Record<string, unknown> => u !== null && typeof u === "object" && !Array.isArray(u);

/** `undefined` or `null`: an absent optional field. */
const isAbsent = (u: unknown): u is null | undefined => u === undefined || u === null;

const isOptionalString = (u: unknown): boolean => u === undefined || u === null || typeof u === "string";

/** A label map decoded as `LabelMap` decodes it, or `null` when that would fail. */
function labelMap(u: Record<string, unknown>): Map<string, string> | null {
  const out = new Map<string, string>();
  for (const key of Object.keys(u)) {
    const value = u[key];
    if (typeof value !== "string") return null;
    out.set(key, value);
  }
  return out;
}

/**
 * `object` as the codec returns it once its `labels` field (absent, null or a label
 * map) is decoded: the same object when there is nothing to decode, else a copy with
 * the labels as a `Map`; `null` when the labels are ill-typed.
 */
function withLabels<T extends Record<string, unknown>>(object: T): T | null {
  const labels = object.labels;
  if (isAbsent(labels)) return object;
  if (!isRecord(labels)) return null;
  const map = labelMap(labels);
  return map === null ? null : { ...object, labels: map };
}

/** A list of strings, or absent. */
function isOptionalStrings(u: unknown): boolean {
  if (isAbsent(u)) return true;
  if (!Array.isArray(u)) return false;
  for (let i = 0; i < u.length; i++) if (typeof u[i] !== "string") return false;
  return true;
}

/** A list of container ports (`name`, `containerPort`, `protocol`), or absent. */
function isOptionalPorts(u: unknown): boolean {
  if (isAbsent(u)) return true;
  if (!Array.isArray(u)) return false;
  for (let i = 0; i < u.length; i++) {
    const port = u[i];
    if (!isRecord(port) || !isOptionalString(port.name) || !isOptionalString(port.protocol) || !leaves(port, UNCHECKED_PORT)) return false;
    const number = port.containerPort;
    if (!isAbsent(number) && !(typeof number === "number" && Number.isInteger(number))) return false;
  }
  return true;
}

/** One pod decoded, or `null`. */
function pod(u: unknown): Record<string, unknown> | null {
  if (!isRecord(u) || !isOptionalString(u.namespace) || !isOptionalString(u.name) || !isOptionalString(u.phase)) return null;
  if (!isOptionalStrings(u.ips) || !isOptionalPorts(u.ports) || !leaves(u, UNCHECKED_POD)) return null;
  const hostNetwork = u.hostNetwork;
  if (!isAbsent(hostNetwork) && typeof hostNetwork !== "boolean") return null;
  return withLabels(u);
}

/** One namespace decoded, or `null`. */
function namespace(u: unknown): Record<string, unknown> | null {
  if (!isRecord(u) || !isOptionalString(u.name) || !leaves(u, UNCHECKED_NAMESPACE)) return null;
  return withLabels(u);
}

/** A list decoded element by element (the same array when no element changed, as io-ts does), or `null`. */
function list(u: unknown, element: (u: unknown) => Record<string, unknown> | null): unknown[] | null | undefined {
  if (isAbsent(u)) return u;
  if (!Array.isArray(u)) return null;
  let out: unknown[] = u;
  for (let i = 0; i < u.length; i++) {
    const decoded = element(u[i]);
    if (decoded === null) return null;
    if (decoded !== u[i]) {
      if (out === u) out = u.slice();
      out[i] = decoded;
    }
  }
  return out;
}

/**
 * `ClusterCodec`'s decoding of `input` when it is well typed and uses no field this
 * file does not check; `null` otherwise (then run the codec).
 */
export function decodeClusterFast(input: unknown): ClusterDecoded | null {
  if (!isRecord(input)) return null;
  if (!leaves(input, UNCHECKED)) return null;
  const namespaces = list(input.namespaces, namespace);
  if (namespaces === null) return null;
  const pods = list(input.pods, pod);
  if (pods === null) return null;
  if (namespaces === input.namespaces && pods === input.pods) return input as ClusterDecoded;
  const out: Record<string, unknown> = { ...input };
  if (namespaces !== input.namespaces) out.namespaces = namespaces;
  if (pods !== input.pods) out.pods = pods;
  return out as ClusterDecoded;
}
