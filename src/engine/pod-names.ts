/**
 * Pod indexes by `namespace/name`, over a map shared by a model and the models that
 * pod additions make from it: each sees only its first `size` pods, so adding a pod
 * costs one entry instead of a copy of the map.
 */

/** The map and how many pods its latest model has; a model with fewer makes its own map before adding. */
interface Shared {
  readonly map: Map<string, number>;
  size: number;
}

/** See the module comment. */
export class PodNames implements ReadonlyMap<string, number> {
  private constructor(
    private readonly shared: Shared,
    readonly size: number,
  ) {}

  /** The names of pods `ids` (pod `i` is `ids[i]`). */
  static of(ids: readonly string[]): PodNames {
    const map = new Map<string, number>();
    for (let i = 0; i < ids.length; i++) map.set(ids[i]!, i);
    return new PodNames({ map, size: ids.length }, ids.length);
  }

  /** These names and `id` as the next pod's (index `size`). */
  with(id: string): PodNames {
    // a model that is not the latest (an update list failed after it) shares nothing
    const shared = this.shared.size === this.size ? this.shared : { map: new Map(this.entries()), size: this.size };
    shared.map.set(id, this.size);
    shared.size = this.size + 1;
    return new PodNames(shared, this.size + 1);
  }

  get(id: string): number | undefined {
    const i = this.shared.map.get(id);
    return i !== undefined && i < this.size ? i : undefined;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  *entries(): MapIterator<[string, number]> {
    for (const entry of this.shared.map) if (entry[1] < this.size) yield entry;
  }

  *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<number> {
    for (const [, i] of this.entries()) yield i;
  }

  [Symbol.iterator](): MapIterator<[string, number]> {
    return this.entries();
  }

  forEach(f: (index: number, id: string, map: ReadonlyMap<string, number>) => void): void {
    for (const [id, i] of this.entries()) f(i, id, this);
  }
}
