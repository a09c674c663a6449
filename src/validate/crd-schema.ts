/**
 * The OpenAPI schema checks the API server runs on custom resources (CRDs), worded
 * the way `kubeOpenAPIResultToFieldErrors` (apiextensions-apiserver) turns them into
 * field errors, in netpol's message style: `required value`, ``unsupported value `X`:
 * supported values: "A", "B"``, `too many: 26: must have at most 25 items`,
 * ``invalid value `0`: should have at least 1 items``, ``duplicate value `X` ``, and
 * ``invalid value: <message>`` for a CEL rule (its message verbatim, at the path of
 * the schema node that carries the rule).
 *
 * Contract: each check reports through `report(path, message)` and returns whether
 * the value passed. Values are decoded wire values, where `null` already reads as
 * absent (the API server drops nulls of non-nullable fields before validating).
 */
import { child, index, quote } from "../primitives/issues.js";

/** Receives one problem: its field path and message. */
export type Report = (path: string, message: string) => void;

/** Whether a decoded optional field is present (neither absent nor null). */
export const present = <T>(value: T | null | undefined): value is T => value !== undefined && value !== null;

/** `required`: the field must be present. */
export function required(value: unknown, path: string, report: Report): boolean {
  if (present(value)) return true;
  report(path, "required value");
  return false;
}

/** `enum`: one of `values`. */
export function oneOfValues(value: string, values: readonly string[], path: string, report: Report): boolean {
  if (values.includes(value)) return true;
  report(path, `unsupported value ${quote(value)}: supported values: ${values.map((v) => `"${v}"`).join(", ")}`);
  return false;
}

/** `minItems` / `maxItems` of a list. */
export function itemCount(list: readonly unknown[], min: number, max: number, path: string, report: Report): boolean {
  if (list.length < min) {
    report(path, `invalid value ${quote(list.length)}: should have at least ${min} items`);
    return false;
  }
  if (list.length > max) {
    report(path, `too many: ${list.length}: must have at most ${max} items`);
    return false;
  }
  return true;
}

/** `maxLength` (the API server counts bytes of the UTF-8 text). */
export function maxLength(value: string, max: number, path: string, report: Report): boolean {
  if (new TextEncoder().encode(value).length <= max) return true;
  report(path, `too long: may not be more than ${max} bytes`);
  return false;
}

/** `minimum` / `maximum` of an integer. */
export function intRange(value: number, min: number, max: number, path: string, report: Report): boolean {
  if (value < min) {
    report(path, `invalid value ${quote(value)}: should be greater than or equal to ${min}`);
    return false;
  }
  if (value > max) {
    report(path, `invalid value ${quote(value)}: should be less than or equal to ${max}`);
    return false;
  }
  return true;
}

/** `pattern`: the value must match (reported with the schema's own pattern text). */
export function pattern(value: string, re: RegExp, path: string, report: Report): boolean {
  if (re.test(value)) return true;
  report(path, `invalid value ${quote(value)}: should match '${re.source}'`);
  return false;
}

/**
 * `minProperties: 1` + `maxProperties: 1` over an object's known fields: exactly one
 * of `fields` must be present. Returns the present one, or null.
 */
export function exactlyOne<K extends string>(
  value: Partial<Record<K, unknown>>,
  fields: readonly K[],
  path: string,
  report: Report,
): K | null {
  const set = fields.filter((f) => present(value[f]));
  if (set.length === 0) report(path, "invalid value `0`: should have at least 1 properties");
  else if (set.length > 1) report(path, `too many: ${set.length}: must have at most 1 items`);
  return set.length === 1 ? set[0]! : null;
}

/** `minProperties: 1`: at least one of `fields` present. */
export function atLeastOne(value: Record<string, unknown>, fields: readonly string[], path: string, report: Report): boolean {
  if (fields.some((f) => present(value[f]))) return true;
  report(path, "invalid value `0`: should have at least 1 properties");
  return false;
}

/** `x-kubernetes-list-type: set`: no item twice; each repeat is reported at its index. */
export function uniqueItems(list: readonly string[], path: string, report: Report): boolean {
  const seen = new Set<string>();
  let ok = true;
  list.forEach((item, i) => {
    if (seen.has(item)) {
      report(index(path, i), `duplicate value ${quote(item)}`);
      ok = false;
    }
    seen.add(item);
  });
  return ok;
}

/** A failed CEL rule (`x-kubernetes-validations`): its message, at the node carrying it. */
export function celFailure(path: string, message: string, report: Report): void {
  report(path, `invalid value: ${message}`);
}

/**
 * Unknown fields. kubectl's default (`--validate=strict`, server-side field
 * validation) rejects them rather than pruning them silently, which matters here: a
 * v1alpha1 `ports` left in a v1alpha2 rule would otherwise widen the rule to every port.
 */
export function knownFields(value: object, fields: readonly string[], path: string, report: Report): boolean {
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!fields.includes(key)) {
      report(child(path, key), "unknown field");
      ok = false;
    }
  }
  return ok;
}
