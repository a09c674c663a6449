/**
 * YAML scalars as kubectl reads them. kubectl turns YAML into JSON with
 * sigs.k8s.io/yaml, which reads YAML with go-yaml v2 (YAML 1.1, forked as
 * sigs.k8s.io/yaml/goyaml.v2): `resolve` in goyaml.v2/resolve.go decides what an
 * untagged plain scalar is (`0120` is the octal 80, `yes`/`on`/`y` are true, `~` is
 * null, `1_000` is 1000, `.5` a float, `2001-12-14` stays a string), and
 * `convertToJSONableObject` in yaml.go turns map keys that are not strings into
 * strings (`true`, `80`, floats as float32 `%g`), failing on null keys.
 *
 * Everything here is a pure function of the scalar's text and tag.
 */

/** What go-yaml makes of a scalar: its YAML 1.1 type and, for the JSON conversion, its value. */
export type Scalar =
  | { readonly tag: "null" }
  | { readonly tag: "bool"; readonly value: boolean }
  /** An integer; `fits` says whether it fits Go's `int` (64 bits): keys only take those. */
  | { readonly tag: "int"; readonly value: bigint; readonly fits: boolean }
  | { readonly tag: "float"; readonly value: number }
  | { readonly tag: "str"; readonly value: string };

const NULL: Scalar = { tag: "null" };
const TRUE: Scalar = { tag: "bool", value: true };
const FALSE: Scalar = { tag: "bool", value: false };

/** goyaml.v2 resolve.go `resolveMapList`: the words with a fixed meaning. */
const WORDS = new Map<string, Scalar>();
for (const w of ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"]) WORDS.set(w, TRUE);
for (const w of ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"]) WORDS.set(w, FALSE);
for (const w of ["", "~", "null", "Null", "NULL"]) WORDS.set(w, NULL);
for (const w of [".nan", ".NaN", ".NAN"]) WORDS.set(w, { tag: "float", value: NaN });
for (const w of [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"]) WORDS.set(w, { tag: "float", value: Infinity });
for (const w of ["-.inf", "-.Inf", "-.INF"]) WORDS.set(w, { tag: "float", value: -Infinity });

/** `resolveTable`: the first characters that may start something other than a string. */
function hint(c: number): "M" | "." | "D" | "S" | null {
  if (c >= 0x30 && c <= 0x39) return "D";
  if (c === 0x2b || c === 0x2d) return "S";
  if (c === 0x2e) return ".";
  // y Y n N t T f F o O ~
  if (c === 0x79 || c === 0x59 || c === 0x6e || c === 0x4e || c === 0x74 || c === 0x54 || c === 0x66 || c === 0x46 || c === 0x6f || c === 0x4f || c === 0x7e) return "M";
  return null;
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-fA-F]+$/ };

/**
 * Go's strconv.ParseUint(s, 0, 64) on text without underscores and without a sign:
 * `0x`, `0o`, `0b` prefixes, a leading `0` for octal; "syntax" or "range" when it fails.
 */
function parseUnsigned(s: string): bigint | "syntax" | "range" {
  let base = 10;
  let digits = s;
  if (s.length > 1 && s[0] === "0") {
    const p = s[1]!.toLowerCase();
    if (p === "x" || p === "o" || p === "b") {
      base = p === "x" ? 16 : p === "o" ? 8 : 2;
      digits = s.slice(2);
    } else {
      base = 8;
      digits = s.slice(1);
    }
  }
  if (!DIGITS[base]!.test(digits)) return "syntax";
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : base === 2 ? "0b" : "";
  const value = BigInt(prefix + digits);
  return value > UINT64_MAX ? "range" : value;
}

/** Go's strconv.ParseInt(s, 0, 64): an optional sign, then as `parseUnsigned`, within int64. */
function parseSigned(s: string): bigint | "syntax" | "range" {
  const sign = s[0] === "-" ? -1n : 1n;
  const body = s[0] === "-" || s[0] === "+" ? s.slice(1) : s;
  const magnitude = parseUnsigned(body);
  if (typeof magnitude !== "bigint") return magnitude;
  const value = sign * magnitude;
  return value < INT64_MIN || value > INT64_MAX ? "range" : value;
}

/** `yamlStyleFloat` of resolve.go. */
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What Go's strconv.ParseFloat accepts of a text starting with `.`. */
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

/** Go's ParseFloat on a text it reads as decimal: overflow is an error, underflow is 0. */
function parseFloat64(s: string): number | null {
  const value = Number(s);
  return Number.isFinite(value) ? value : null;
}

const int = (value: bigint): Scalar => ({ tag: "int", value, fits: value >= INT64_MIN && value <= INT64_MAX });

/**
 * Go's big.Int SetString(s, 0): like ParseInt without the 64-bit limit (an optional
 * sign, then a base prefix or a leading `0` for octal).
 */
function parseBig(s: string): bigint | null {
  const sign = s[0] === "-" ? -1n : 1n;
  const body = s[0] === "-" || s[0] === "+" ? s.slice(1) : s;
  let base = 10;
  let digits = body;
  if (body.length > 1 && body[0] === "0") {
    const p = body[1]!.toLowerCase();
    base = p === "x" ? 16 : p === "o" ? 8 : p === "b" ? 2 : 8;
    digits = p === "x" || p === "o" || p === "b" ? body.slice(2) : body.slice(1);
  }
  if (!DIGITS[base]!.test(digits)) return null;
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : base === 2 ? "0b" : "";
  return sign * BigInt(prefix + digits);
}

/**
 * Whether an untagged plain scalar is surely the string it reads: its first character
 * is none that `resolveTable` gives a hint for (most keys and names), so `resolve`
 * returns it as it is without looking further.
 */
export function plainIsString(text: string): boolean {
  return text !== "" && hint(text.charCodeAt(0)) === null;
}

/** goyaml.v2 resolve.go `resolve("", in)`: what an untagged plain scalar is. */
export function resolvePlain(text: string): Scalar {
  const h = text === "" ? "M" : hint(text.charCodeAt(0));
  if (h === null) return { tag: "str", value: text };
  const word = WORDS.get(text);
  if (word !== undefined) return word;
  if (h === ".") {
    if (DOT_FLOAT.test(text)) {
      const value = parseFloat64(text);
      if (value !== null) return { tag: "float", value };
    }
  } else if (h === "D" || h === "S") {
    // a timestamp (YYYY-...) stays the string it is: go-yaml v2 hands timestamps to
    // interface{} targets as their text, and no timestamp reads as a number
    const plain = text.replaceAll("_", "");
    const signed = parseSigned(plain);
    if (typeof signed === "bigint") return int(signed);
    const unsigned = /^[-+]/.test(plain) ? "syntax" : parseUnsigned(plain);
    if (typeof unsigned === "bigint") return int(unsigned);
    if (YAML_FLOAT.test(plain)) {
      const value = parseFloat64(plain);
      if (value !== null) return { tag: "float", value };
    }
    // ParseInt(plain[2:], 2) for 0b and -0b is what ParseInt(plain, 0) already tried
    if (unsigned === "range") {
      const big = parseBig(plain);
      if (big !== null) return int(big);
    }
  }
  return { tag: "str", value: text };
}

/** The YAML 1.1 timestamp forms go-yaml v2 parses (`allowedTimestampFormats`). */
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]{1,9})?(Z|[-+][0-9]{2}:[0-9]{2}))|( [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]{1,9})?))?$/;

const LONG = "tag:yaml.org,2002:";

/** The result of reading a scalar: its value, or why go-yaml refuses it. */
export type Resolution = { readonly ok: true; readonly scalar: Scalar } | { readonly ok: false; readonly message: string };

/**
 * A scalar with its tag, as goyaml.v2 decode.go `scalar` reads it into an
 * `interface{}`: untagged quoted and block scalars are strings; untagged plain ones
 * are `resolvePlain`; the non-specific tag `!` makes any scalar a string; `!!str`, `!!int`, `!!bool`, `!!float`, `!!null` and
 * `!!timestamp` must agree with what the text resolves to (an `!!int` may be read as
 * `!!float`); `!!binary` is base64; any other tag leaves the text a string.
 */
export function resolveTagged(text: string, plain: boolean, tag: string | null): Resolution {
  if (tag === null) return { ok: true, scalar: plain ? resolvePlain(text) : { tag: "str", value: text } };
  const short = tag.startsWith(LONG) ? tag.slice(LONG.length) : null;
  if (short === "binary") {
    const bytes = base64(text);
    return bytes === null ? { ok: false, message: "!!binary value contains invalid base64 data" } : { ok: true, scalar: { tag: "str", value: new TextDecoder().decode(bytes) } };
  }
  if (short === null || !["str", "int", "bool", "float", "null", "timestamp"].includes(short)) return { ok: true, scalar: { tag: "str", value: text } };
  if (short === "str") return { ok: true, scalar: { tag: "str", value: text } };
  if (short === "timestamp" && TIMESTAMP.test(text)) return { ok: true, scalar: { tag: "str", value: text } };
  const resolved = resolvePlain(text);
  if (resolved.tag === short) return { ok: true, scalar: resolved };
  if (short === "float" && resolved.tag === "int" && resolved.fits) return { ok: true, scalar: { tag: "float", value: Number(resolved.value) } };
  return { ok: false, message: `cannot decode !!${resolved.tag} \`${text.length > 40 ? `${text.slice(0, 37)}...` : text}\` as a !!${short}` };
}

/** Standard base64 with padding (Go's base64.StdEncoding; go-yaml drops line breaks first), or null. */
function base64(text: string): Uint8Array | null {
  const clean = text.replace(/[\n\r]/g, "");
  if (!/^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(clean)) return null;
  const binary = atob(clean);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** The outcome of converting a scalar for JSON: a JSON value, or why sigs.k8s.io/yaml cannot. */
export type JsonResult = { readonly ok: true; readonly value: null | boolean | number | string } | { readonly ok: false; readonly message: string };

/**
 * A scalar as a JSON value, as sigs.k8s.io/yaml's `json.Marshal` writes it: NaN and
 * infinities are refused ("json: unsupported value"); integers of any size are numbers.
 */
export function scalarValue(scalar: Scalar): JsonResult {
  switch (scalar.tag) {
    case "null":
      return { ok: true, value: null };
    case "bool":
    case "str":
      return { ok: true, value: scalar.value };
    case "int":
      return { ok: true, value: Number(scalar.value) };
    case "float":
      return Number.isFinite(scalar.value) ? { ok: true, value: scalar.value } : { ok: false, message: `json: unsupported value: ${goFloat(scalar.value)}` };
  }
}

/**
 * A scalar as a JSON object key, as sigs.k8s.io/yaml's `convertToJSONableObject`
 * writes it: strings as they are, integers in decimal, booleans as `true`/`false`,
 * floats as Go's `FormatFloat(f, 'g', -1, 32)`; null keys and integers beyond int64
 * are refused ("unsupported map key").
 */
export function scalarKey(scalar: Scalar): { readonly ok: true; readonly key: string } | { readonly ok: false; readonly message: string } {
  switch (scalar.tag) {
    case "str":
      return { ok: true, key: scalar.value };
    case "bool":
      return { ok: true, key: scalar.value ? "true" : "false" };
    case "int":
      return scalar.fits ? { ok: true, key: scalar.value.toString() } : { ok: false, message: `unsupported map key \`${scalar.value}\`` };
    case "float":
      return { ok: true, key: goFloat32(scalar.value) };
    case "null":
      return { ok: false, message: "unsupported map key of type: <nil>" };
  }
}

/** Go's `%v` of a float64 that is not finite. */
const goFloat = (f: number): string => (Number.isNaN(f) ? "NaN" : f > 0 ? "+Inf" : "-Inf");

/**
 * Go's `strconv.FormatFloat(f, 'g', -1, 32)` as sigs.k8s.io/yaml uses it for keys:
 * the shortest decimal that reads back as the same float32, in `%e` form when the
 * exponent is below -4 or at least 6 (Go's `%g` takes precision 6 for that choice
 * when the precision is the shortest), with `.inf`, `-.inf` and `.nan` for the specials.
 */
export function goFloat32(f: number): string {
  if (Number.isNaN(f)) return ".nan";
  const x = Math.fround(f);
  if (x === Infinity) return ".inf";
  if (x === -Infinity) return "-.inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  let digits = "";
  let exponent = 0;
  for (let p = 1; p <= 9; p++) {
    const [mantissa, e] = x.toExponential(p - 1).split("e") as [string, string];
    if (Math.fround(Number(`${mantissa}e${e}`)) === x) {
      digits = mantissa.replace("-", "").replace(".", "");
      exponent = Number(e);
      break;
    }
  }
  const sign = x < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exponent).toString().padStart(2, "0");
    return `${sign}${mantissa}e${exponent < 0 ? "-" : "+"}${e}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) return `${sign}${digits}${"0".repeat(exponent + 1 - digits.length)}`;
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}
