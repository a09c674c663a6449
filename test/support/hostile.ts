/**
 * Hostile input for the fuzz suite: valid manifests (from `arbitraries.ts`) as
 * Kubernetes objects, then broken at one place: a value of the wrong type or a
 * hostile one (huge numbers, odd IPs, `__proto__` keys, control characters, long
 * strings, null elements) anywhere in the tree; then written as YAML or JSON, one
 * document per object or one `List`, and broken again as text (edits, truncation,
 * alias bombs, deep nesting, duplicate keys) and as bytes (UTF-16, bad UTF-8).
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { cluster, policies, type ClusterJson, type PolicyJson } from "./arbitraries.js";

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values that break a field: wrong types, and hostile values of the right type. */
export const hostileValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null, true, false, 0, -1, 0.5, 65536, 2 ** 31, 2 ** 53 + 1, -0, 1e308, Number.MAX_SAFE_INTEGER,
    "", " ", "80", "0120", "yes", "~", "TCP ", "http", "-", "a".repeat(300), "\u0000", "\u2028", "é", "__proto__", "toString",
    "10.0.0.1", "::ffff:10.0.0.1", "010.0.0.1", "10.0.0.1/32", "10.0.0.0/8", "fe80::1%eth0", "1.2.3", "256.1.1.1", "::", "0.0.0.0/0", "::/0", "10.0.0.0/33",
    [], {}, [null], [[]], [{}], JSON.parse('{"__proto__": {"polluted": true}}') as Json,
  ),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** The objects a scenario's cluster and policies are in a `kubectl get -o yaml` dump. */
export function kubernetesObjects(c: ClusterJson, ps: readonly PolicyJson[]): Json[] {
  const ns = c.namespaces.map((n): Json => ({ apiVersion: "v1", kind: "Namespace", metadata: { name: n.name, labels: n.labels } }));
  // a workload's stand-in has no Pod object
  const pods = c.pods.flatMap((p) => (p.name === undefined ? [] : [{ ...p, name: p.name }])).map(
    (p): Json => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
      spec: { hostNetwork: p.hostNetwork ?? false, containers: [{ name: "c", ports: p.ports as unknown as Json }] },
      status: { podIP: p.ips[0] ?? null, podIPs: p.ips.map((ip) => ({ ip })) },
    }),
  );
  return [...ns, ...pods, ...(ps as unknown as Json[])];
}

/** Every path to a value in `v` (keys and indexes). */
function paths(v: Json, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
  else if (v !== null && typeof v === "object") for (const k of Object.keys(v)) paths(v[k]!, [...prefix, k], out);
  return out;
}

/** `v` with the value at its `pick`-th path replaced (or, for an object, a key added) by `value`. */
export function breakAt(v: Json, pick: number, value: Json, addKey: string | null): Json {
  const all = paths(v);
  const path = all[pick % all.length]!;
  const copy = structuredClone(v);
  if (path.length === 0) return value;
  let parent = copy as Record<string | number, Json>;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
  const last = path[path.length - 1]!;
  const target = parent[last];
  if (addKey !== null && target !== null && typeof target === "object" && !Array.isArray(target)) {
    Object.defineProperty(target, addKey, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
  } else parent[last] = structuredClone(value);
  return copy;
}

/** Text appended to break a stream: alias bombs, deep nesting, duplicate keys, odd documents. */
export const hostileDocument: fc.Arbitrary<string> = fc.constantFrom(
  "",
  "---\na: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\n",
  `---\n${"[".repeat(5000)}${"]".repeat(5000)}\n`,
  `---\n${"- ".repeat(2000)}x\n`,
  "---\nkind: Namespace\nkind: Pod\n",
  "---\n<<: {kind: Namespace, metadata: {name: merged}}\n",
  "---\nkind: List\nitems: [null, 5, {kind: Namespace}]\n",
  "---\n%YAML 1.2\n",
  "---\n!!binary x: y\n",
  "\n...\n---\n~\n",
  "---\nkind: Namespace\nmetadata: {name: &n a, labels: {*n : *n}}\n",
);

/** How the objects are written. */
export const writing = fc.record({
  format: fc.constantFrom("yaml", "json", "json-list", "yaml-list"),
  indent: fc.constantFrom(0, 2, 4),
});

/** The objects as text, in `format`. */
export function writeObjects(objects: readonly Json[], w: { format: string; indent: number }): string {
  switch (w.format) {
    case "json":
      return objects.map((o) => JSON.stringify(o, null, w.indent)).join("\n");
    case "json-list":
      return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects }, null, w.indent);
    case "yaml-list":
      return stringify({ apiVersion: "v1", kind: "List", items: objects }, { version: "1.1" });
    default:
      return objects.map((o) => `---\n${stringify(o, { version: "1.1" })}`).join("");
  }
}

/** Text edits: insert, delete, truncate. */
export const textEdit = fc.record({ at: fc.nat(), kind: fc.nat(3), insert: fc.constantFrom(":", "- ", "{", "[", '"', "'", "\n", "  ", "#", "&x ", "*x", "\t", "\u0000", "\ufeff", "\\u0000") });

/** Applies an edit. */
export function editText(text: string, e: { at: number; kind: number; insert: string }): string {
  const i = text.length === 0 ? 0 : e.at % text.length;
  if (e.kind === 0) return text.slice(0, i) + e.insert + text.slice(i);
  if (e.kind === 1) return text.slice(0, i) + text.slice(i + 1);
  if (e.kind === 2) return text.slice(0, i);
  return text;
}

/** Encodes text as bytes: UTF-8, UTF-16 with a byte-order mark, or UTF-8 with a stray byte. */
export function encode(text: string, how: number): string | Uint8Array {
  if (how % 4 === 0) return text;
  const utf8 = new TextEncoder().encode(text);
  if (how % 4 === 1) return utf8;
  if (how % 4 === 2) {
    const out = new Uint8Array(2 + text.length * 2);
    out.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) {
      out[2 + 2 * i] = text.charCodeAt(i) & 0xff;
      out[3 + 2 * i] = text.charCodeAt(i) >> 8;
    }
    return out;
  }
  const bad = new Uint8Array(utf8.length + 1);
  bad.set(utf8);
  bad[utf8.length] = 0xc3;
  return bad;
}

/** A small valid input: a cluster and policies. */
export const input = fc.record({ cluster: cluster(6), policies: policies(4) });
