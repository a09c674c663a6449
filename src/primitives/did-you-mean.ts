/**
 * The one "did you mean" rule, for misspelled fields, commands and flags: the
 * closest candidate by edit distance (case-insensitive, so `podselector` finds
 * `podSelector`), when it is close enough to be a likely typo.
 */

/**
 * Edit distance between `a` and `b`, compared case-insensitively: insertions,
 * deletions, substitutions and swaps of two neighbours (`form` → `from`) cost 1
 * (optimal string alignment).
 */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let before: number[] = [];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      let d = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      current[j] = d;
    }
    before = previous;
    previous = current;
  }
  return previous[y.length]!;
}

/**
 * The candidate closest to `word`, or null when none is within a third of its length
 * (at least 1, at most 3 edits): `form` → `from`, `ingres` → `ingress`, `--prot` → `--port`.
 */
export function closest(word: string, candidates: Iterable<string>): string | null {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const d = editDistance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean \`x\`?)` for the closest candidate, or the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = closest(word, candidates);
  return best === null ? "" : ` (did you mean \`${best}\`?)`;
}
