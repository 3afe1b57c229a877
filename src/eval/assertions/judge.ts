import { readText, show } from './spec-reader.js';
import type { AssertionType, GraderVerdict, JudgeSpec } from './types.js';

function checkVerdict(verdict: unknown): GraderVerdict | string {
  if (verdict === null || typeof verdict !== 'object') return `the grader answered ${show(verdict)}`;
  const { pass, reason, score } = verdict as Record<string, unknown>;
  if (typeof pass !== 'boolean') return `the grader's answer has no true/false pass (${show(verdict)})`;
  if (score !== undefined && (typeof score !== 'number' || !(score >= 0 && score <= 1))) {
    return `the grader's score ${show(score)} is not between 0 and 1`;
  }
  const text = typeof reason === 'string' && reason.trim() !== '' ? reason : pass ? 'passed' : 'failed';
  return score === undefined ? { pass, reason: text } : { pass, reason: text, score };
}

/**
 * `judge`: a grader decides whether the output meets the rubric given as `value`, with a reason.
 * The run injects the grader in the context (a grader target, or the offline grader against the
 * mock); without one, or when it fails, the assertion fails with the reason.
 */
export const judge: AssertionType<JudgeSpec> = {
  kinds: ['judge'],
  negatable: true,
  parse(_kind, fields) {
    return { value: readText(fields) };
  },
  async check(spec, ctx) {
    if (!ctx.grader) return { pass: false, reason: 'no judge grader was given to this run', undecided: true };
    let answer: unknown;
    try {
      const input = { vars: ctx.vars ?? {}, ...(ctx.expected !== undefined && { expected: ctx.expected }) };
      answer = await ctx.grader(spec.value, ctx.output, input);
    } catch (error) {
      return {
        pass: false,
        reason: `the judge failed: ${(error as Error).message ?? String(error)}`,
        undecided: true,
      };
    }
    const verdict = checkVerdict(answer);
    if (typeof verdict === 'string') return { pass: false, reason: verdict, undecided: true };
    return verdict;
  },
};
