/**
 * The codecs' fast path: an io-ts codec compiled once into plain checks that answer
 * without io-ts's per-field context arrays and Either values. For a value the codec
 * accepts, the compiled decoder returns exactly what the codec decodes it to (a value
 * left as given wherever the codec leaves it, an object copied with its changed
 * fields where the codec copies it, label maps as `Map`s); for anything else it
 * answers `null`, and the caller runs the codec, which alone writes the messages and
 * paths. Input that decodes with no problem (nearly all of it) never builds an error.
 *
 * Each combinator netpol's codecs use is read as io-ts reads it: an object is any
 * non-null non-array object (`UnknownRecord`); `partial` skips absent fields and
 * copies the object when a field's value changes; `type` requires its keys; an array
 * is checked element by element and copied when one changes (an array with a `null`
 * element is left to the codec); a union is its first
 * member that accepts the value; a refinement (`t.Int`) checks its predicate after its
 * base type; `LabelMap` reads a plain object of strings into a `Map`. Any other kind
 * of codec (an intersection, a recursion) is run as io-ts itself at that node.
 */
import * as t from "io-ts";
import { LabelMap } from "./codecs.js";

/** A compiled check: the decoded value, or `FAILED`. */
type Check = (u: unknown) => unknown;

/** What a compiled check answers for a value its codec refuses. */
const FAILED: unique symbol = Symbol("netpol.failed");

/** io-ts `UnknownRecord`: a non-null object that is no array. */
const isRecord = (u: unknown): u is Record<string, unknown> => u !== null && typeof u === "object" && !Array.isArray(u);

/** `LabelMap`: a plain object whose values are all strings, as a `Map`. */
function labelMap(u: unknown): unknown {
  if (!isRecord(u)) return FAILED;
  const out = new Map<string, string>();
  for (const key of Object.keys(u)) {
    const value = u[key];
    if (typeof value !== "string") return FAILED;
    out.set(key, value);
  }
  return out;
}

/** A copy of `u` as io-ts makes one: its `__assign` is `Object.assign` (own enumerable keys, each assigned, `__proto__` included). */
function copy(u: Record<string, unknown>): Record<string, unknown> {
  return Object.assign({}, u);
}

/** `partial(props)` (or `type(props)` when `required`): each field checked, the object copied once a field's value changes. */
function record(props: t.Props, required: boolean): Check {
  const keys = Object.keys(props);
  const checks = keys.map((key) => compile(props[key]!));
  return (u) => {
    if (!isRecord(u)) return FAILED;
    let out = u;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const value = u[key];
      if (!required && value === undefined) continue;
      const decoded = checks[i]!(value);
      if (decoded === FAILED) return FAILED;
      if (decoded !== value || (required && value === undefined && !Object.hasOwn(out, key))) {
        if (out === u) out = copy(u);
        out[key] = decoded;
      }
    }
    return out;
  };
}

/**
 * `array(item)`: each element checked, the array copied once an element changes. A
 * `null` element hands over to the codec: a Go slice (`goSlice`) reads it as its
 * type's zero value, which only the codec knows.
 */
function array(item: Check): Check {
  return (u) => {
    if (!Array.isArray(u)) return FAILED;
    let out: unknown[] = u;
    for (let i = 0; i < u.length; i++) {
      const value: unknown = u[i];
      if (value === null) return FAILED;
      const decoded = item(value);
      if (decoded === FAILED) return FAILED;
      if (decoded !== value) {
        if (out === u) out = u.slice();
        out[i] = decoded;
      }
    }
    return out;
  };
}

/** `union(members)`: the first member that accepts the value. */
function union(members: readonly Check[]): Check {
  if (members.length === 1) return members[0]!;
  return (u) => {
    for (let i = 0; i < members.length; i++) {
      const decoded = members[i]!(u);
      if (decoded !== FAILED) return decoded;
    }
    return FAILED;
  };
}

/** A check that runs the codec itself (a kind of codec this file does not compile). */
function viaCodec(codec: t.Decoder<unknown, unknown>): Check {
  return (u) => {
    const decoded = codec.decode(u);
    return decoded._tag === "Right" ? decoded.right : FAILED;
  };
}

const compiled = new Map<t.Decoder<unknown, unknown>, Check>();

/** The check of `codec`, compiled once. */
function compile(codec: t.Decoder<unknown, unknown>): Check {
  let check = compiled.get(codec);
  if (check === undefined) {
    check = build(codec);
    compiled.set(codec, check);
  }
  return check;
}

function build(codec: t.Decoder<unknown, unknown>): Check {
  if (codec === LabelMap) return labelMap;
  if (codec instanceof t.PartialType) return record(codec.props as t.Props, false);
  if (codec instanceof t.InterfaceType) return record(codec.props as t.Props, true);
  if (codec instanceof t.ArrayType) return array(compile(codec.type as t.Mixed));
  if (codec instanceof t.UnionType) return union((codec.types as t.Mixed[]).map(compile));
  if (codec instanceof t.RefinementType) {
    const base = compile(codec.type as t.Mixed);
    const predicate = codec.predicate as (a: unknown) => boolean;
    return (u) => {
      const decoded = base(u);
      return decoded !== FAILED && predicate(decoded) ? decoded : FAILED;
    };
  }
  if (codec instanceof t.StringType) return (u) => (typeof u === "string" ? u : FAILED);
  if (codec instanceof t.NumberType) return (u) => (typeof u === "number" ? u : FAILED);
  if (codec instanceof t.BooleanType) return (u) => (typeof u === "boolean" ? u : FAILED);
  if (codec instanceof t.NullType) return (u) => (u === null ? u : FAILED);
  if (codec instanceof t.UndefinedType) return (u) => (u === undefined ? u : FAILED);
  if (codec instanceof t.LiteralType) {
    const value: unknown = codec.value;
    return (u) => (u === value ? u : FAILED);
  }
  if (codec instanceof t.UnknownType) return (u) => u;
  return viaCodec(codec);
}

/**
 * The fast path of `codec` (compiled on first use): `{ value }`, what the codec
 * decodes `u` to, when it accepts it; `null` otherwise (then run the codec for its
 * report).
 */
export function fastDecode<A>(codec: t.Decoder<unknown, A>, u: unknown): { readonly value: A } | null {
  const decoded = compile(codec as t.Decoder<unknown, unknown>)(u);
  return decoded === FAILED ? null : { value: decoded as A };
}
