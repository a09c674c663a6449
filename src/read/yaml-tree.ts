/**
 * One YAML document read as kubectl reads it, through the `yaml` library's syntax
 * tree: the library parses (it is the authority on YAML syntax here), this module
 * gives the tree go-yaml v2's meaning, then sigs.k8s.io/yaml's JSON form:
 *
 * - scalars: `yaml-scalar.ts` (YAML 1.1: `0120` is 80, `yes` is true);
 * - merge keys `<<` (goyaml.v2 decode.go `mapping` and `merge`): keys are set in
 *   document order, so a merged key overrides an earlier one and a later key
 *   overrides a merged one; in a sequence of maps, earlier maps win;
 * - aliases are expanded, with go-yaml's budget against alias bombs
 *   (`allowedAliasRatio`: "document contains excessive aliasing") and its refusal of
 *   an anchor that contains itself;
 * - keys become strings (`scalarKey`); collections as keys are refused;
 * - a key given twice in one mapping is an error (the API server's strict field
 *   validation refuses duplicate fields), unlike go-yaml's non-strict decoding;
 * - `%YAML` other than 1.1 is refused, as go-yaml does ("found incompatible YAML
 *   document"); so are `\/` escapes, which YAML 1.1 lacks.
 *
 * Objects are ordinary objects as `JSON.parse` makes them, with `__proto__` an own
 * property when it is a key. Nothing here throws on bad input.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair } from "yaml";
import { resolveTagged, scalarKey, scalarValue } from "./yaml-scalar.js";

/** A problem with a line (1-based, in the whole text). */
export interface TextIssue {
  readonly line: number;
  readonly message: string;
  /** The field path inside the document, when the problem is at a field. */
  readonly path?: string;
}

/** A document read into a JSON value, and how to find the line of a field path. */
export interface ReadValue {
  readonly value: unknown;
  /** The line of the field at `path` (`spec.ingress[0]`), or of its deepest existing parent. */
  readonly lineOf: (path: string) => number | undefined;
}

/** How deep collections may nest (go-yaml stops at 10,000; no Kubernetes object comes near this). */
export const MAX_DEPTH = 1000;

/** goyaml.v2 decode.go `allowedAliasRatio`. */
function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= 400_000) return 0.99;
  if (decodeCount >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - 400_000) / 3_600_000);
}

/** Thrown inside the conversion only, caught at its edge. */
class Refusal {
  constructor(
    readonly message: string,
    readonly offset: number | undefined,
  ) {}
}

/** Sets `obj[key]`, as an own property even when `key` is `__proto__`. */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

const offsetOf = (node: unknown): number | undefined => (node as { range?: [number, number, number] } | null)?.range?.[0];

/** Go-yaml's reading of one parsed document. */
class Converter {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  /** The alias nodes being expanded, to refuse an anchor that contains itself. */
  private readonly expanding = new Set<Node>();

  constructor(
    /** Each alias node's anchored node (go-yaml: the last anchor of that name before the alias). */
    private readonly targets: ReadonlyMap<Node, Node>,
    private readonly text: string,
  ) {}

  convert(node: Node | null, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new Refusal(`exceeded max depth of ${MAX_DEPTH}`, offsetOf(node));
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new Refusal("document contains excessive aliasing", offsetOf(node));
    }
    if (node === null) return null;
    if (isAlias(node)) {
      const target = this.targets.get(node);
      if (target === undefined) throw new Refusal(`unknown anchor '${node.source}' referenced`, offsetOf(node));
      if (this.expanding.has(node)) throw new Refusal(`anchor '${node.source}' value contains itself`, offsetOf(node));
      this.expanding.add(node);
      this.aliasDepth++;
      const value = this.convert(target, depth + 1);
      this.aliasDepth--;
      this.expanding.delete(node);
      return value;
    }
    if (isScalar(node)) {
      const scalar = this.scalar(node);
      const value = scalarValue(scalar);
      if (!value.ok) throw new Refusal(value.message, offsetOf(node));
      return value.value;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      for (const item of node.items) out.push(this.convert(item as Node | null, depth + 1));
      return out;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      this.mapping(node.items as Array<Pair<Node | null, Node | null>>, out, depth);
      return out;
    }
    throw new Refusal("unsupported YAML node", offsetOf(node));
  }

  private scalar(node: Node) {
    const s = node as unknown as { source?: string; value: unknown; type?: string; tag?: string };
    if (s.type === "QUOTE_DOUBLE") this.checkEscapes(node);
    const text = typeof s.source === "string" ? s.source : String(s.value ?? "");
    const resolved = resolveTagged(text, s.type === "PLAIN" || s.type === undefined, s.tag ?? null);
    if (!resolved.ok) throw new Refusal(resolved.message, offsetOf(node));
    return resolved.scalar;
  }

  /** go-yaml has no `\/` escape (YAML 1.2 added it). */
  private checkEscapes(node: Node): void {
    const range = (node as { range?: [number, number, number] }).range;
    if (range === undefined) return;
    const raw = this.text.slice(range[0], range[1]);
    for (let i = raw.indexOf("\\"); i >= 0; i = raw.indexOf("\\", i + 2)) {
      if (raw[i + 1] === "/") throw new Refusal("found unknown escape character `\\/` (YAML 1.1 has no such escape)", range[0] + i);
    }
  }

  /** goyaml.v2 decode.go `mapping`: pairs in order, `<<` merging. */
  private mapping(pairs: ReadonlyArray<Pair<Node | null, Node | null>>, out: Record<string, unknown>, depth: number): void {
    const explicit = new Set<string>();
    for (const pair of pairs) {
      const key = pair.key;
      if (isMergeKey(key)) {
        this.merge(pair.value, out, depth);
        continue;
      }
      const name = this.key(key, depth);
      if (explicit.has(name)) throw new Refusal(`duplicate key \`${name.length > 60 ? `${name.slice(0, 57)}...` : name}\``, offsetOf(key));
      explicit.add(name);
      setOwn(out, name, this.convert(pair.value, depth + 1));
    }
  }

  private key(node: Node | null, depth: number): string {
    this.decodeCount++;
    let target: Node | null = node;
    while (target !== null && isAlias(target)) {
      const next = this.targets.get(target);
      if (next === undefined) throw new Refusal(`unknown anchor '${target.source}' referenced`, offsetOf(target));
      target = next;
    }
    if (target === null) throw new Refusal("unsupported map key of type: <nil>", offsetOf(node));
    if (!isScalar(target)) throw new Refusal(`invalid map key: a ${isSeq(target) ? "sequence" : "mapping"}`, offsetOf(node));
    if (depth > MAX_DEPTH) throw new Refusal(`exceeded max depth of ${MAX_DEPTH}`, offsetOf(node));
    const key = scalarKey(this.scalar(target));
    if (!key.ok) throw new Refusal(key.message, offsetOf(node));
    return key.key;
  }

  /** goyaml.v2 decode.go `merge`: a map, an alias of a map, or a sequence of those (the earlier wins). */
  private merge(node: Node | null, out: Record<string, unknown>, depth: number): void {
    const wantMap = (): never => {
      throw new Refusal("map merge requires map or sequence of maps as the value", offsetOf(node));
    };
    const mapOf = (n: Node | null): Node => {
      const target = n !== null && isAlias(n) ? this.targets.get(n) : n;
      if (target === undefined && n !== null && isAlias(n)) throw new Refusal(`unknown anchor '${n.source}' referenced`, offsetOf(n));
      return target !== null && target !== undefined && isMap(target) ? n! : wantMap();
    };
    const into = (n: Node): void => {
      const value = this.convert(n, depth + 1) as Record<string, unknown>;
      for (const key of Object.keys(value)) setOwn(out, key, value[key]);
    };
    if (node !== null && isSeq(node)) {
      const items = node.items as Array<Node | null>;
      for (let i = items.length - 1; i >= 0; i--) into(mapOf(items[i]!));
    } else into(mapOf(node));
  }
}

/** A `<<` key that go-yaml merges: plain and untagged, or tagged `!!merge`. */
function isMergeKey(node: Node | null): boolean {
  if (node === null || !isScalar(node)) return false;
  const s = node as unknown as { source?: string; type?: string; tag?: string };
  return s.source === "<<" && ((s.type === "PLAIN" && s.tag === undefined) || s.tag === "tag:yaml.org,2002:merge");
}

/** Each alias node's target: the last node before it with that anchor, in document order. */
function aliasTargets(doc: Document.Parsed): Map<Node, Node> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Node, Node>();
  const stack: Array<Node | null> = [doc.contents as Node | null];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === null || typeof node !== "object") continue;
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target !== undefined) targets.set(node, target);
      continue;
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, node);
    if (isSeq(node)) for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i] as Node | null);
    else if (isMap(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) {
        const pair = node.items[i] as Pair<Node | null, Node | null>;
        stack.push(pair.value, pair.key);
      }
    }
  }
  return targets;
}

/** Splits `a.b[0].c` into `["a", "b", 0, "c"]`. */
export function pathSegments(path: string): Array<string | number> {
  const out: Array<string | number> = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

/** The node at `segments` under `node` (keys compared as go-yaml reads them), as deep as it exists. */
function deepestNode(root: Node | null, segments: ReadonlyArray<string | number>, targets: ReadonlyMap<Node, Node>): Node | null {
  let node = root;
  for (const segment of segments) {
    while (node !== null && isAlias(node)) node = targets.get(node) ?? null;
    let next: Node | null = null;
    if (node !== null && isSeq(node) && typeof segment === "number") next = (node.items[segment] as Node | undefined) ?? null;
    else if (node !== null && isMap(node)) {
      for (const pair of node.items as Array<Pair<Node | null, Node | null>>) {
        const key = pair.key;
        if (key !== null && isScalar(key)) {
          const s = key as unknown as { source?: string; type?: string; tag?: string };
          const resolved = resolveTagged(s.source ?? "", s.type === "PLAIN", s.tag ?? null);
          const name = resolved.ok ? scalarKey(resolved.scalar) : null;
          if (name?.ok && name.key === String(segment)) next = pair.value ?? key;
        }
      }
    }
    if (next === null || offsetOf(next) === undefined) break;
    node = next;
  }
  return node;
}

/**
 * Reads `source`, the text of one YAML document (a chunk of a larger text starting at
 * line `firstLine`), into a JSON value; problems come back with their lines.
 */
export function readYamlDocument(source: string, firstLine: number): { readonly ok: true; readonly read: ReadValue } | { readonly ok: false; readonly issues: TextIssue[] } {
  const lines = new LineCounter();
  const lineAt = (offset: number | undefined): number => (offset === undefined ? firstLine : firstLine + lines.linePos(offset).line - 1);
  let docs: Array<Document.Parsed>;
  try {
    docs = parseAllDocuments(source, { version: "1.1", schema: "failsafe", merge: false, uniqueKeys: false, lineCounter: lines, prettyErrors: false }) as unknown as Array<Document.Parsed>;
    if (!Array.isArray(docs)) docs = [];
  } catch (error) {
    // the library recurses: absurd nesting can exhaust the stack
    return { ok: false, issues: [{ line: firstLine, message: `cannot parse YAML: ${error instanceof RangeError ? `exceeded max depth (${error.message})` : String(error)}` }] };
  }
  if (docs.length === 0) return { ok: true, read: { value: null, lineOf: () => firstLine } };
  const issues: TextIssue[] = [];
  for (const doc of docs) {
    // the library also records a stack overflow of its own recursion as errors, one per level it unwinds: one issue says it
    const overflow = doc.errors.find((e) => /Maximum call stack size exceeded/.test(e.message));
    if (overflow !== undefined) return { ok: false, issues: [{ line: lineAt(overflow.pos[0]), message: `cannot parse YAML: exceeded max depth (${overflow.message.split("\n")[0]})` }] };
    for (const e of doc.errors) issues.push({ line: lineAt(e.pos[0]), message: `invalid YAML: ${e.message.split("\n")[0]}` });
    const version = doc.directives?.yaml;
    if (version?.explicit && version.version !== "1.1") issues.push({ line: lineAt(doc.range[0]), message: `found incompatible YAML document: %YAML ${version.version} (kubectl reads YAML 1.1)` });
  }
  if (docs.length > 1) issues.push({ line: lineAt(docs[1]!.range[0]), message: "invalid YAML: more than one document where one was expected" });
  if (issues.length > 0) return { ok: false, issues };
  const doc = docs[0]!;
  let targets: Map<Node, Node>;
  try {
    targets = aliasTargets(doc);
    const value = new Converter(targets, source).convert(doc.contents as Node | null, 0);
    const lineOf = (path: string): number | undefined => lineAt(offsetOf(deepestNode(doc.contents as Node | null, pathSegments(path), targets)));
    return { ok: true, read: { value, lineOf } };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, issues: [{ line: lineAt(error.offset), message: error.message }] };
    if (error instanceof RangeError) return { ok: false, issues: [{ line: firstLine, message: `exceeded max depth (${error.message})` }] };
    throw error;
  }
}
