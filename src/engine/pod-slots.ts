/**
 * A pod index space with holes, so that removing a pod costs no rewrite of the
 * lookups that hold pod indexes (`PodNames`, `PodAddresses`): they store each pod's
 * slot, which never changes, and read its index here. Slots `0..limit-1` were given
 * out in pod order; `dead` lists the slots of removed pods, ascending. A pod's index
 * is its slot less the dead slots before it, so later indexes move down by one when a
 * pod is removed, as the cluster's do.
 *
 * Immutable: `without` and `next` return new spaces (the dead list copied, a memcpy).
 */

const NO_DEAD = new Uint32Array(0);

/** See the module comment. */
export class PodSlots {
  private constructor(
    /** Slots given out: `0..limit-1`. */
    readonly limit: number,
    /** Slots of removed pods, ascending. */
    readonly dead: Uint32Array,
  ) {}

  /** `count` pods, slot `i` holding pod `i`. */
  static dense(count: number): PodSlots {
    return new PodSlots(count, NO_DEAD);
  }

  /** Pods in the space. */
  get size(): number {
    return this.limit - this.dead.length;
  }

  /** How many dead slots lie below `slot`. */
  private deadBelow(slot: number): number {
    const dead = this.dead;
    let lo = 0;
    let hi = dead.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (dead[mid]! < slot) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The index of the pod in `slot`, or -1 when the slot is past the space or its pod was removed. */
  indexOf(slot: number): number {
    if (slot >= this.limit) return -1;
    if (this.dead.length === 0) return slot;
    const below = this.deadBelow(slot);
    return this.dead[below] === slot ? -1 : slot - below;
  }

  /** The slot of pod `index` (`0 <= index < size`). */
  slotOf(index: number): number {
    // dead[k] - k does not decrease: the dead slots before the pod are those with dead[k] - k <= index
    const dead = this.dead;
    let lo = 0;
    let hi = dead.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (dead[mid]! - mid <= index) lo = mid + 1;
      else hi = mid;
    }
    return index + lo;
  }

  /** This space without pod `index`: later pods move down one index. */
  without(index: number): PodSlots {
    const slot = this.slotOf(index);
    const at = this.deadBelow(slot);
    const dead = new Uint32Array(this.dead.length + 1);
    dead.set(this.dead.subarray(0, at));
    dead[at] = slot;
    dead.set(this.dead.subarray(at), at + 1);
    return new PodSlots(this.limit, dead);
  }

  /** This space and one more pod (index `size`, slot `limit`). */
  next(): PodSlots {
    return new PodSlots(this.limit + 1, this.dead);
  }
}
