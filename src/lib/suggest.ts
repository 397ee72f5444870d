/** "Did you mean …?": the closest of a set of known words to a mistyped one. */

/** Levenshtein distance. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }

  return row[b.length]
}

/**
 * The known word closest to `typed` (case-insensitive), if it is close enough to be what was meant:
 * at most a third of its letters wrong (two for short words), or `typed` is a prefix of it. Ties go
 * to the earlier candidate.
 */
export function closestMatch(typed: string, candidates: Iterable<string>): string | undefined {
  const lower = typed.toLowerCase()
  let best: {distance: number; word: string} | undefined
  for (const word of candidates) {
    const candidate = word.toLowerCase()
    const distance = candidate.startsWith(lower) && lower.length >= 3 ? 0.5 : editDistance(lower, candidate)
    if (distance <= Math.max(2, Math.floor(lower.length / 3)) && (!best || distance < best.distance))
      best = {distance, word}
  }

  return best?.word
}
