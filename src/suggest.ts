/**
 * "Did you mean" suggestions for misspelt command names, options and JSON keys.
 */

/** Edit distance (Levenshtein). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** The closest of `known` to `word` (a prefix of at least 3 letters, or few edits for its length), else undefined. */
export function closest(word: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dist = k.startsWith(word) && word.length >= 3 ? 1 : editDistance(word.toLowerCase(), k.toLowerCase());
    if (dist < bestD) {
      best = k;
      bestD = dist;
    }
  }
  return bestD <= Math.min(3, Math.max(1, Math.floor(word.length / 3))) ? best : undefined;
}
