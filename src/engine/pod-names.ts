/**
 * Pod indexes by `namespace/name`, over a map shared by a model and the models that
 * pod additions and removals make from it. The map holds each pod's slot, which
 * never changes (`PodSlots`), so adding a pod costs one entry and removing one a copy
 * of the removed slots, never a copy of the map.
 *
 * A name once in the map keeps its slot: the models that see the slot alive read it
 * as theirs. Only the latest model adds to the map; any other, or a pod named as a
 * removed one was, makes a map of its own first.
 */
import { PodSlots } from "./pod-slots.js";

/** The map, and the model that may add to it. */
interface Shared {
  readonly map: Map<string, number>;
  latest: PodNames | null;
}

/** See the module comment. */
export class PodNames implements ReadonlyMap<string, number> {
  private constructor(
    private readonly shared: Shared,
    private readonly slots: PodSlots,
  ) {}

  /** The names of pods `ids` (pod `i` is `ids[i]`). */
  static of(ids: Iterable<string>): PodNames {
    const map = new Map<string, number>();
    let count = 0;
    for (const id of ids) map.set(id, count++);
    const shared: Shared = { map, latest: null };
    return (shared.latest = new PodNames(shared, PodSlots.dense(count)));
  }

  /** How many pods. */
  get size(): number {
    return this.slots.size;
  }

  /** These names and `id` as the next pod's (index `size`). */
  with(id: string): PodNames {
    const { shared, slots } = this;
    if (shared.latest !== this || shared.map.has(id)) return PodNames.of([...this.keys(), id]);
    shared.map.set(id, slots.limit);
    return (shared.latest = new PodNames(shared, slots.next()));
  }

  /** These names without pod `index`: later pods move down one index. */
  without(index: number): PodNames {
    const slots = this.slots.without(index);
    // once half the slots are dead, a map of the living costs less than the dead it holds
    if (slots.dead.length > 16 && slots.dead.length * 2 > slots.limit) {
      const keys = [...this.keys()];
      keys.splice(index, 1);
      return PodNames.of(keys);
    }
    const next = new PodNames(this.shared, slots);
    if (this.shared.latest === this) this.shared.latest = next;
    return next;
  }

  get(id: string): number | undefined {
    const slot = this.shared.map.get(id);
    if (slot === undefined) return undefined;
    const i = this.slots.indexOf(slot);
    return i < 0 ? undefined : i;
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  *entries(): MapIterator<[string, number]> {
    // the map holds names in slot order, and so in index order
    for (const [id, slot] of this.shared.map) {
      const i = this.slots.indexOf(slot);
      if (i >= 0) yield [id, i];
    }
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
