/**
 * An answer as "normalised agreement" compares it: Unicode compatibility forms folded (NFKC:
 * full-width letters and digits become ASCII), lower case, punctuation and symbols removed,
 * whitespace runs squashed to one space and trimmed. So `Canberra.` and ` canberra` agree, as do
 * `渥太华。` and `渥太华`; `391` and `three hundred ninety-one` do not.
 */
export function normaliseAnswer(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
