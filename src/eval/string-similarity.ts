/**
 * Offline string similarity, 0..1, for the `similarity` assertion and for "did you mean" hints.
 * Both measures first normalise: NFC, lower case, whitespace runs collapsed to one space, trimmed.
 */

export function normalizeForSimilarity(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Levenshtein distance over code points (an emoji or a CJK character is one edit), two-row DP. */
export function levenshteinDistance(a: string, b: string): number {
  const s = Array.from(a);
  const t = Array.from(b);
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let previous = new Uint32Array(t.length + 1);
  let current = new Uint32Array(t.length + 1);
  for (let j = 0; j <= t.length; j++) previous[j] = j;
  for (let i = 1; i <= s.length; i++) {
    current[0] = i;
    const si = s[i - 1];
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1]! + (si === t[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution);
    }
    [previous, current] = [current, previous];
  }
  return previous[t.length]!;
}

/** Code points of the larger text times those of the smaller above which Levenshtein refuses. */
export const MAX_LEVENSHTEIN_CELLS = 100_000_000;

/**
 * 1 − distance / length of the longer text, after normalising; 1 for two empty texts. Undefined
 * when the texts are too long for the quadratic algorithm (see MAX_LEVENSHTEIN_CELLS).
 */
export function levenshteinSimilarity(a: string, b: string): number | undefined {
  const s = normalizeForSimilarity(a);
  const t = normalizeForSimilarity(b);
  const sLength = Array.from(s).length;
  const tLength = Array.from(t).length;
  const longer = Math.max(sLength, tLength);
  if (longer === 0) return 1;
  if (sLength * tLength > MAX_LEVENSHTEIN_CELLS) return undefined;
  return 1 - levenshteinDistance(s, t) / longer;
}

const segmenter = new Intl.Segmenter('und', { granularity: 'word' });

/** The set of words (Unicode word segmentation, so Chinese and Japanese split into words too). */
export function wordSet(text: string): Set<string> {
  const words = new Set<string>();
  for (const segment of segmenter.segment(normalizeForSimilarity(text))) {
    if (segment.isWordLike) words.add(segment.segment);
  }
  return words;
}

/** Jaccard index of the two word sets: |A ∩ B| / |A ∪ B|; 1 for two texts without words. */
export function jaccardSimilarity(a: string, b: string): number {
  const s = wordSet(a);
  const t = wordSet(b);
  if (s.size === 0 && t.size === 0) return 1;
  let shared = 0;
  for (const word of s) if (t.has(word)) shared++;
  return shared / (s.size + t.size - shared);
}

/** The closest of `candidates` to `word` when within `maxDistance` edits, for hints. */
export function closest(word: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const candidate of candidates) {
    const distance = levenshteinDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
