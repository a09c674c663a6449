/**
 * Strict field validation, as the API server applies it to `kubectl apply` by
 * default (`--validate=strict`): a field the object's schema does not declare is an
 * error at its path, `spec.ingress[0].form: unknown field`. Field names are matched
 * case-sensitively, as the API server's decoder (sigs.k8s.io/json) does.
 *
 * The schema is the io-ts codec itself: the fields of its `t.type`/`t.partial` parts,
 * followed through `optional`, arrays, intersections and unions, so any kind with a
 * codec (NetworkPolicy, and every kind added later) is checked by the same walk.
 * A codec that reads only some of its wire fields declares the others it knows with
 * `declareFields` (metadata: `uid`, `annotations`, `managedFields`, ...), and a codec
 * that is not a record type (a label map, `t.unknown`) ends the walk there.
 */
import * as t from "io-ts";
import { didYouMean } from "../primitives/did-you-mean.js";
import { child, index, isPlainObject, type Issue } from "../primitives/issues.js";

/** How unknown fields are treated, as kubectl's `--validate`: an error, a warning, or not at all. */
export type FieldValidation = "strict" | "warn" | "ignore";

/** The `FieldValidation` values, `strict` (the default) first. */
export const FIELD_VALIDATIONS: readonly FieldValidation[] = ["strict", "warn", "ignore"];

/** Fields a codec's wire type has beyond those it reads (known, so not reported, but not decoded). */
const declared = new WeakMap<t.Mixed, ReadonlySet<string>>();

/** Declares that `codec`'s wire type also has `fields` (which the codec does not read); returns `codec`. */
export function declareFields<C extends t.Mixed>(codec: C, fields: readonly string[]): C {
  declared.set(codec, new Set(fields));
  return codec;
}

/** The fields a record codec declares (its own, and those of `declareFields`), or null when it is not a record. */
function recordFields(codec: t.Mixed): { fields: Map<string, t.Mixed>; extra: ReadonlySet<string> } | null {
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) {
    return { fields: new Map(Object.entries(codec.props as Record<string, t.Mixed>)), extra: declared.get(codec) ?? new Set() };
  }
  if (codec instanceof t.IntersectionType) {
    const fields = new Map<string, t.Mixed>();
    const extra = new Set<string>(declared.get(codec) ?? []);
    let any = false;
    for (const member of codec.types as t.Mixed[]) {
      const r = recordFields(member);
      if (r === null) continue;
      any = true;
      for (const [k, v] of r.fields) fields.set(k, v);
      for (const k of r.extra) extra.add(k);
    }
    return any ? { fields, extra } : null;
  }
  if (codec instanceof t.ExactType || codec instanceof t.RefinementType || codec instanceof t.ReadonlyType) return recordFields(codec.type as t.Mixed);
  return null;
}

function walk(codec: t.Mixed, value: unknown, path: string, out: Issue[]): void {
  if (value === null || value === undefined) return;
  if (codec instanceof t.UnionType) {
    // the member the value reads as: the first without unknown fields, else the first that applies
    let first: Issue[] | null = null;
    for (const member of codec.types as t.Mixed[]) {
      if (!member.is(value) && member.decode(value)._tag === "Left") continue;
      const found: Issue[] = [];
      walk(member, value, path, found);
      if (found.length === 0) return;
      first ??= found;
    }
    if (first !== null) out.push(...first);
    return;
  }
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType) {
    if (Array.isArray(value)) value.forEach((item, i) => walk(codec.type as t.Mixed, item, index(path, i), out));
    return;
  }
  const record = recordFields(codec);
  if (record === null || !isPlainObject(value)) return;
  const known = [...record.fields.keys(), ...record.extra];
  for (const key of Object.keys(value)) {
    const field = record.fields.get(key);
    if (field !== undefined) walk(field, value[key], child(path, key), out);
    else if (!record.extra.has(key)) out.push({ path: child(path, key), message: `unknown field${didYouMean(key, known)}` });
  }
}

/** A compiled check: whether `walk` may find an unknown field in a value. */
type MayFind = (value: unknown) => boolean;

const compiled = new WeakMap<t.Mixed, MayFind>();

/** `mayFind` of `codec`, compiled once (its field tables built once, not per object). */
function compileMayFind(codec: t.Mixed): MayFind {
  let check = compiled.get(codec);
  if (check === undefined) {
    let built: MayFind | null = null;
    // a codec reached again while it is built (a recursion) calls the finished check
    compiled.set(codec, (value) => built!(value));
    built = buildMayFind(codec);
    compiled.set(codec, built);
    check = built;
  }
  return check;
}

/** The check of a codec whose values `walk` never looks into (no record inside): always false. */
const NOTHING: MayFind = () => false;

/**
 * A check that answers false only when `walk` finds nothing in the value, without
 * building a path or a field list: a record's own keys all declared (and their values
 * clean), an array's elements clean, a union's value clean for every member (so for
 * whichever member `walk` reads it as). True means "maybe": `walk` then decides.
 * Members that never find anything (`null`, `undefined`, strings and numbers of an
 * optional field) are left out of a union's check, so an optional field costs one call.
 */
function buildMayFind(codec: t.Mixed): MayFind {
  if (codec instanceof t.UnionType) {
    const members = (codec.types as t.Mixed[]).map(compileMayFind).filter((m) => m !== NOTHING);
    if (members.length === 0) return NOTHING;
    if (members.length === 1) {
      const only = members[0]!;
      return (value) => value !== null && value !== undefined && only(value);
    }
    return (value) => {
      if (value === null || value === undefined) return false;
      for (let i = 0; i < members.length; i++) if (members[i]!(value)) return true;
      return false;
    };
  }
  if (codec instanceof t.ArrayType || codec instanceof t.ReadonlyArrayType) {
    const item = compileMayFind(codec.type as t.Mixed);
    if (item === NOTHING) return NOTHING;
    return (value) => {
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (v !== null && v !== undefined && item(v)) return true;
      }
      return false;
    };
  }
  const record = recordFields(codec);
  if (record === null) return NOTHING;
  const fields = new Map<string, MayFind>();
  for (const [key, field] of record.fields) fields.set(key, compileMayFind(field));
  const extra = record.extra;
  return (value) => {
    if (!isPlainObject(value)) return false;
    const keys = Object.keys(value);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const field = fields.get(key);
      if (field === undefined ? !extra.has(key) : field !== NOTHING && field(value[key])) return true;
    }
    return false;
  };
}

/**
 * Every field of `value` that `codec` does not declare, as `path: unknown field`
 * issues (with the closest declared name, when one is near). `value` should already
 * decode with `codec`; parts that do not are skipped. A value with only declared
 * fields (nearly all) is answered by a compiled check; paths and messages are built
 * only by the walk (`walkUnknownFields`), for a value that may have others.
 */
export function unknownFields(codec: t.Mixed, value: unknown, prefix = ""): Issue[] {
  try {
    if (!compileMayFind(codec)(value)) return [];
  } catch {
    // absurdly deep input: the walk stops the same way
  }
  return walkUnknownFields(codec, value, prefix);
}

/** `unknownFields` by the walk alone, visiting every value (what the compiled check must agree with). */
export function walkUnknownFields(codec: t.Mixed, value: unknown, prefix = ""): Issue[] {
  const out: Issue[] = [];
  try {
    walk(codec, value, prefix, out);
  } catch {
    // absurdly deep input: the decoder has already reported it
  }
  return out;
}
