/**
 * Which pods a (namespace scope, pod selector) pair selects, cached by the IR key and
 * kept current across cluster updates, so a recompile evaluates only selectors it has
 * never seen.
 *
 * Pods are named by their id `namespace/name` here, not by index: ids survive pod
 * removals that shift indexes. Selection is output-sensitive: labels are indexed per
 * namespace, and in each namespace of the scope a selector with an `In`/`Exists`
 * requirement starts from that requirement's posting list, otherwise from all pods.
 */
import { selectorMatches, type Selector } from "../primitives/selector.js";
import { policiesSelect } from "../ir/endpoint-rules.js";
import { podPeerKey } from "../ir/keys.js";
import { namespacedName } from "../primitives/kubernetes.js";
import type { Cluster, NamespaceScope, Namespace, Options, Pod } from "../ir/types.js";

/** What a cache entry selects: pods in `scope` whose labels `selector` matches. */
export interface PodQuery {
  readonly scope: NamespaceScope;
  readonly selector: Selector;
}


interface Entry {
  readonly query: PodQuery;
  readonly members: Set<string>;
  /** The members as pod indexes, current but for the removals from `seen` on (`Selections.removals`), or null until asked for. */
  indexes: Int32Array | null;
  /** How many of `Selections.removals` the indexes have been shifted for. */
  seen: number;
  /** Marked by the last `sweep` round that used it. */
  used: boolean;
}

/** One namespace's pods, indexed by label. */
interface NamespacePods {
  readonly all: Set<string>;
  /** label key → value → pod ids (the pods carrying a key are the union over its values). */
  readonly postings: Map<string, Map<string, Set<string>>>;
}

const EMPTY: ReadonlySet<string> = new Set();

/** Whether `query` selects `pod`, its namespace's labels read from `namespaces`: the one test every selection makes. */
export function podSelected(query: PodQuery, pod: Pod, namespaces: ReadonlyMap<string, Namespace>, options: Options): boolean {
  if (!policiesSelect(pod, options)) return false;
  const scope = query.scope;
  const inScope = scope.kind === "namespace" ? scope.name === pod.namespace : selectorMatches(scope.selector, namespaces.get(pod.namespace)!.labels);
  return inScope && selectorMatches(query.selector, pod.labels);
}

/** Pods and namespaces indexed by label, per namespace, plus the selection cache over them. */
export class Selections {
  private readonly pods = new Map<string, Pod>();
  private readonly namespaces = new Map<string, Namespace>();
  private readonly byNamespace = new Map<string, NamespacePods>();
  private readonly entries = new Map<string, Entry>();
  /** The entries by the namespace their scope names, under null those scoped by a namespace selector: a pod can only be in those of its namespace and null. */
  private readonly byScope = new Map<string | null, Set<Entry>>();
  /** The index of each pod removed, in order, since every entry's indexes were last made current or dropped: `select` brings an entry's up to date. */
  private removals: number[] = [];

  /** `ids[i]`, when given, is `namespacedName` of pod `i` (the model's `podIds`: the same strings, not built again). */
  constructor(
    cluster: Cluster,
    private readonly options: Options,
    ids?: readonly string[],
  ) {
    for (const ns of cluster.namespaces.values()) this.namespaces.set(ns.name, ns);
    const pods = cluster.pods;
    for (let i = 0; i < pods.length; i++) this.index(pods[i]!, ids?.[i] ?? namespacedName(pods[i]!));
  }

  private index(pod: Pod, id: string): void {
    this.pods.set(id, pod);
    let ns = this.byNamespace.get(pod.namespace);
    if (ns === undefined) this.byNamespace.set(pod.namespace, (ns = { all: new Set(), postings: new Map() }));
    ns.all.add(id);
    // forEach: no [key, value] entry array per label
    pod.labels.forEach((value, key) => {
      let values = ns.postings.get(key);
      if (values === undefined) ns.postings.set(key, (values = new Map()));
      add(values, value, id);
    });
  }

  private unindex(pod: Pod): void {
    const id = namespacedName(pod);
    this.pods.delete(id);
    const ns = this.byNamespace.get(pod.namespace);
    if (ns === undefined) return;
    ns.all.delete(id);
    for (const [key, value] of pod.labels) ns.postings.get(key)?.get(value)?.delete(id);
  }

  private scopeNamespaces(scope: NamespaceScope): string[] {
    if (scope.kind === "namespace") return [scope.name];
    const out: string[] = [];
    for (const ns of this.namespaces.values()) if (selectorMatches(scope.selector, ns.labels)) out.push(ns.name);
    return out;
  }

  private matches(query: PodQuery, pod: Pod): boolean {
    return podSelected(query, pod, this.namespaces, this.options);
  }

  /** The pods of one namespace a selector may select: its smallest positive requirement's postings, or all. */
  private candidates(ns: NamespacePods, selector: Selector): ReadonlySet<string> | readonly string[] {
    let best: ReadonlySet<string> | readonly string[] = ns.all;
    let size = ns.all.size;
    for (const r of selector.requirements) {
      if (r.operator === "Exists") {
        const values = ns.postings.get(r.key);
        if (values === undefined) return EMPTY;
        let n = 0;
        for (const set of values.values()) n += set.size;
        if (n < size) [best, size] = [values.size === 1 ? values.values().next().value! : [...values.values()].flatMap((set) => [...set]), n];
      } else if (r.operator === "In") {
        const values = ns.postings.get(r.key);
        const sets = r.values.map((v) => values?.get(v) ?? EMPTY);
        const n = sets.reduce((total, set) => total + set.size, 0);
        if (n < size) [best, size] = [sets.length === 1 ? sets[0]! : sets.flatMap((set) => [...set]), n];
      }
    }
    return best;
  }

  private evaluate(query: PodQuery): Set<string> {
    const out = new Set<string>();
    for (const name of this.scopeNamespaces(query.scope)) {
      const ns = this.byNamespace.get(name);
      if (ns === undefined) continue;
      // forEach: no iterator result per candidate
      this.candidates(ns, query.selector).forEach((id: string) => {
        const pod = this.pods.get(id)!;
        if (policiesSelect(pod, this.options) && selectorMatches(query.selector, pod.labels)) out.add(id);
      });
    }
    return out;
  }

  /**
   * The indexes (through `podIndex`, id → current index) of the pods `query`
   * selects, in no particular order; cached, and marks the entry used.
   */
  select(query: PodQuery, podIndex: ReadonlyMap<string, number>): Int32Array {
    // the IR's pod-peer key: a policy target is a peer scoped to its namespace
    const key = podPeerKey(query.scope, query.selector);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      this.entries.set(key, (entry = { query, members: this.evaluate(query), indexes: null, seen: 0, used: true }));
      const scope = scopeKey(query);
      let entries = this.byScope.get(scope);
      if (entries === undefined) this.byScope.set(scope, (entries = new Set()));
      entries.add(entry);
    }
    entry.used = true;
    const removals = this.removals;
    if (entry.indexes !== null && entry.seen < removals.length) {
      // a few removals shift the indexes in place; more cost less read again by name
      if (removals.length - entry.seen > SHIFTS) entry.indexes = null;
      else for (let k = entry.seen; k < removals.length; k++) entry.indexes = shifted(entry.indexes, removals[k]!);
    }
    if (entry.indexes === null) {
      // not `Int32Array.from` with a map function (it first copies the Set into an array), nor an iterator result per member
      const indexes = new Int32Array(entry.members.size);
      let k = 0;
      entry.members.forEach((id) => {
        indexes[k++] = podIndex.get(id)!;
      });
      entry.indexes = indexes;
    }
    entry.seen = removals.length;
    return entry.indexes;
  }

  /** Starts a round of `select` calls whose unused entries `sweep` then drops. */
  mark(): void {
    for (const entry of this.entries.values()) entry.used = false;
  }

  /** Drops the entries no `select` asked for since `mark`. */
  sweep(): void {
    for (const [key, entry] of this.entries) {
      if (entry.used) continue;
      this.entries.delete(key);
      this.byScope.get(scopeKey(entry.query))!.delete(entry);
    }
  }

  /** A pod was added (`before` undefined), changed or removed (`after` undefined): patches every entry that may hold it. */
  podChanged(before: Pod | undefined, after: Pod | undefined): void {
    const pod = (after ?? before)!;
    const id = namespacedName(pod);
    if (before !== undefined) this.unindex(before);
    if (after !== undefined) this.index(after, id);
    if (after === undefined) this.shift(before!.index);
    for (const entry of this.entriesFor(pod.namespace)) {
      const member = after !== undefined && this.matches(entry.query, after);
      if (member === entry.members.has(id)) continue;
      if (member) entry.members.add(id);
      else entry.members.delete(id);
      entry.indexes = null;
    }
  }

  /** The entries that may hold a pod of namespace `namespace`. */
  private *entriesFor(namespace: string): Iterable<Entry> {
    yield* this.byScope.get(namespace) ?? [];
    yield* this.byScope.get(null) ?? [];
  }

  /**
   * Pod `removed` left the index space: later indexes move down by one in every
   * entry, when `select` next reads it. The list of removals is bounded: past
   * `REMOVALS`, every entry's indexes are dropped (read again by name when asked for).
   */
  private shift(removed: number): void {
    this.removals.push(removed);
    if (this.removals.length <= REMOVALS) return;
    for (const entry of this.entries.values()) entry.indexes = null;
    this.removals = [];
  }

  /**
   * A namespace was added, relabelled or removed (its pods already removed): entries
   * scoped by namespace selectors whose verdict on it changed are tested again on its
   * pods, the only ones whose membership its labels decide.
   */
  namespaceChanged(name: string, after: Namespace | undefined): void {
    const before = this.namespaces.get(name);
    if (after === undefined) this.namespaces.delete(name);
    else this.namespaces.set(name, after);
    const ids = this.byNamespace.get(name)?.all ?? EMPTY;
    if (ids.size === 0) return;
    const inScope = (scope: Selector, ns: Namespace | undefined): boolean => ns !== undefined && selectorMatches(scope, ns.labels);
    for (const entry of this.byScope.get(null) ?? []) {
      const scope = entry.query.scope;
      // an entry whose namespace selector holds the namespace before and after (or neither) keeps its members
      if (scope.kind !== "selector" || inScope(scope.selector, before) === inScope(scope.selector, after)) continue;
      for (const id of ids) {
        const member = this.matches(entry.query, this.pods.get(id)!);
        if (member === entry.members.has(id)) continue;
        if (member) entry.members.add(id);
        else entry.members.delete(id);
        entry.indexes = null;
      }
    }
  }
}

/** Removals an entry's indexes are shifted for, at most, when it is next selected; past that they are read again by name. */
const SHIFTS = 8;
/** Removals `Selections` lists before it drops every entry's indexes. */
const REMOVALS = 256;

/** `indexes` without pod `removed`, later ones moved down by one (in place: the caller's array is given up). */
function shifted(indexes: Int32Array, removed: number): Int32Array {
  let k = 0;
  for (const i of indexes) if (i !== removed) indexes[k++] = i > removed ? i - 1 : i;
  return indexes.subarray(0, k);
}

/** The namespace a query's scope names, or null when a namespace selector scopes it. */
const scopeKey = (query: PodQuery): string | null => (query.scope.kind === "namespace" ? query.scope.name : null);

function add<K>(map: Map<K, Set<string>>, key: K, id: string): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(id);
}
