/**
 * The port line of each protocol cut into classes at every numeric boundary of the
 * port sets, and the named ports to resolve on pods. Class ids are global over the
 * protocols (TCP's first), `classOf[code * 65536 + port]` maps a port to its class.
 */
import { PROTOCOLS } from "../primitives/kubernetes.js";
import { type PortMatch } from "../ir/types.js";

/** Port classes with, per class, the bitset of port sets a numeric entry of which covers it. */
export interface PortClasses {
  /** `3 * 65536` class ids. */
  readonly classOf: Uint32Array;
  readonly count: number;
  /** `count * words` u32. */
  readonly bits: Uint32Array;
  /** u32 words per class bitset. */
  readonly words: number;
}

/** Cuts the port lines for `sets` (each a port set's entries). */
export function portClasses(sets: readonly (readonly PortMatch[])[]): PortClasses {
  const classOf = new Uint32Array(PROTOCOLS.length * 65536);
  let count = 0;
  PROTOCOLS.forEach((protocol, code) => {
    // class boundaries: port 0 and every range's first and one-past-last port
    const cuts = new Set<number>([0]);
    for (const set of sets) {
      for (const e of set) {
        if (e.kind === "range" && e.protocol === protocol) cuts.add(e.first).add(e.last + 1);
      }
    }
    const sorted = [...cuts].filter((c) => c < 65536).sort((a, b) => a - b);
    sorted.forEach((first, i) => classOf.fill(count++, code * 65536 + first, code * 65536 + (sorted[i + 1] ?? 65536)));
  });
  const words = (sets.length + 31) >>> 5;
  const bits = new Uint32Array(count * words);
  sets.forEach((set, s) => {
    for (const e of set) {
      if (e.kind !== "range") continue;
      const code = PROTOCOLS.indexOf(e.protocol) * 65536;
      const last = classOf[code + e.last]!;
      for (let c = classOf[code + e.first]!; c <= last; c++) bits[c * words + (s >>> 5)]! |= 1 << (s & 31);
    }
  });
  return { classOf, count, bits, words };
}

/** The nameKey of a named port: `nameId * 4 + protocol code`. */
export const nameKey = (nameId: number, protocol: string): number => nameId * 4 + PROTOCOLS.indexOf(protocol as (typeof PROTOCOLS)[number]);
