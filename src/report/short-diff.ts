import { diffWords } from 'diff';
import { excerpt } from './xml-text.js';

/** Longest stretch of either text the diff looks at: bounds its cost on long answers. */
const DIFF_INPUT_CHARS = 2_000;
/** Edits beyond this and the texts have little in common: the diff line is left out. */
const MAX_EDITS = 200;
/** Unchanged text between edits is kept to this many characters on each side of a cut. */
const CONTEXT_CHARS = 24;

/**
 * A one-line word diff of `expected` against `actual` in `git diff --word-diff` notation —
 * `[-removed-]{+added+}` — with long unchanged stretches shortened to `…`, at most `max`
 * characters. Undefined when the texts are equal or too different for a diff to help; the
 * caller shows both excerpts anyway.
 */
export function shortWordDiff(expected: string, actual: string, max = 600): string | undefined {
  if (expected === actual) return undefined;
  const changes = diffWords(expected.slice(0, DIFF_INPUT_CHARS), actual.slice(0, DIFF_INPUT_CHARS), {
    maxEditLength: MAX_EDITS,
  });
  if (!changes) return undefined;
  const parts = changes.map((c, i) => {
    if (c.added) return `{+${c.value}+}`;
    if (c.removed) return `[-${c.value}-]`;
    return shortenUnchanged(c.value, i === 0, i === changes.length - 1);
  });
  return excerpt(parts.join('').replace(/\s+/g, ' '), max);
}

/** Keeps the context next to the edits: the tail of a leading stretch, the head of a trailing one. */
function shortenUnchanged(text: string, first: boolean, last: boolean): string {
  if (text.length <= 2 * CONTEXT_CHARS + 1) return text;
  const head = first ? '' : text.slice(0, CONTEXT_CHARS);
  const tail = last ? '' : text.slice(-CONTEXT_CHARS);
  return `${head}…${tail}`;
}
