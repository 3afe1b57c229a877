import type { Grader, GraderVerdict } from './assertions/types.js';

// "…" and “…”: straight and curly double quotes. Single quotes are left alone (apostrophes).
const QUOTED = /"([^"]+)"|“([^”]+)”/g;

/** The quoted phrases of a rubric, in order, without duplicates. */
export function quotedPhrases(rubric: string): string[] {
  const phrases: string[] = [];
  for (const match of rubric.matchAll(QUOTED)) {
    const phrase = (match[1] ?? match[2] ?? '').trim();
    if (phrase !== '' && !phrases.includes(phrase)) phrases.push(phrase);
  }
  return phrases;
}

function fold(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

/**
 * The deterministic grader for the mock and for tests: a rubric passes when every phrase it puts
 * in double quotes appears in the output (ignoring case). `Mentions "Paris" and "Seine"` passes
 * on "Paris lies on the Seine." The score is the share of phrases found. A rubric without quoted
 * phrases gives it nothing to check, so it fails and says so.
 */
export function gradeOffline(rubric: string, output: string): GraderVerdict {
  const phrases = quotedPhrases(rubric);
  if (phrases.length === 0) {
    return {
      pass: false,
      score: 0,
      reason: 'the offline grader needs the rubric to put the phrases it requires in "double quotes"',
    };
  }
  const text = fold(output);
  const missing = phrases.filter((phrase) => !text.includes(fold(phrase)));
  const score = (phrases.length - missing.length) / phrases.length;
  if (missing.length === 0) {
    return { pass: true, score, reason: `offline grader: output has every quoted phrase of the rubric` };
  }
  const list = missing.map((phrase) => JSON.stringify(phrase)).join(', ');
  return { pass: false, score, reason: `offline grader: output lacks ${list}` };
}

/** `gradeOffline` behind the Grader interface the run injects. */
export const offlineGrader: Grader = async (rubric, output) => gradeOffline(rubric, output);
