import { describe, expect, it } from 'vitest';
import type { Grader } from '../../../src/eval/assertions/types.js';
import { gradeOffline, offlineGrader, quotedPhrases } from '../../../src/eval/offline-grader.js';
import { fails, invalid, passes, run } from './helpers.js';

describe('offline grader', () => {
  it('reads the phrases in straight and curly double quotes', () => {
    expect(quotedPhrases('Mentions "Paris" and “the Seine”, and "Paris" again; it\'s fine')).toEqual([
      'Paris',
      'the Seine',
    ]);
  });

  it('passes when every quoted phrase appears, ignoring case; the score is the share found', () => {
    expect(gradeOffline('Says "Paris" and "Seine"', 'paris lies on the SEINE.')).toEqual({
      pass: true,
      score: 1,
      reason: 'offline grader: output has every quoted phrase of the rubric',
    });
    expect(gradeOffline('Says "Paris" and "Seine"', 'Paris.')).toEqual({
      pass: false,
      score: 0.5,
      reason: 'offline grader: output lacks "Seine"',
    });
  });

  it('fails a rubric with nothing quoted, saying why', () => {
    const verdict = gradeOffline('Is polite and correct', 'Paris');
    expect(verdict.pass).toBe(false);
    expect(verdict.reason).toMatch(/needs the rubric to put the phrases it requires in "double quotes"/);
  });
});

describe('judge assertion', () => {
  it('asks the injected grader with the rubric and the output', async () => {
    const result = await passes(
      { type: 'judge', value: 'Names "Paris" as the capital' },
      { output: 'The capital is Paris.', grader: offlineGrader },
    );
    expect(result).toEqual({
      type: 'judge',
      pass: true,
      score: 1,
      reason: 'offline grader: output has every quoted phrase of the rubric',
    });
    const miss = await fails(
      { type: 'judge', value: 'Names "Paris"' },
      { output: 'Lyon', grader: offlineGrader },
    );
    expect(miss.reason).toBe('offline grader: output lacks "Paris"');
  });

  it('passes expected and vars to the grader', async () => {
    const seen: unknown[] = [];
    const grader: Grader = async (rubric, output, input) => {
      seen.push({ rubric, output, input });
      return { pass: true, reason: 'fine', score: 0.7 };
    };
    const result = await run(
      { type: 'judge', value: 'Correct?' },
      { output: 'Paris', expected: 'Paris', vars: { country: 'France' }, grader },
    );
    expect(result).toMatchObject({ pass: true, score: 0.7, reason: 'fine' });
    expect(seen).toEqual([
      { rubric: 'Correct?', output: 'Paris', input: { expected: 'Paris', vars: { country: 'France' } } },
    ]);
  });

  it('fails without a grader, when the grader rejects, or when its answer is malformed', async () => {
    expect((await fails({ type: 'judge', value: 'x' }, 'Paris')).reason).toBe(
      'no judge grader was given to this run',
    );
    const broken: Grader = async () => {
      throw new Error('grader target answered 500');
    };
    expect((await fails({ type: 'judge', value: 'x' }, { output: 'y', grader: broken })).reason).toBe(
      'the judge failed: grader target answered 500',
    );
    const malformed = (async () => ({ verdict: 'yes' })) as unknown as Grader;
    expect((await fails({ type: 'judge', value: 'x' }, { output: 'y', grader: malformed })).reason).toMatch(
      /^the grader's answer has no true\/false pass/,
    );
    const badScore = (async () => ({ pass: true, reason: 'r', score: 7 })) as unknown as Grader;
    expect((await fails({ type: 'judge', value: 'x' }, { output: 'y', grader: badScore })).reason).toBe(
      "the grader's score 7 is not between 0 and 1",
    );
  });

  it('not-judge flips a verdict but not a failure to judge', async () => {
    await passes({ type: 'not-judge', value: 'Says "sorry"' }, { output: 'Paris', grader: offlineGrader });
    await fails({ type: 'not-judge', value: 'Says "sorry"' }, { output: 'Paris' });
  });

  it('needs a rubric', () => {
    expect(invalid([{ type: 'judge' }])).toBe('assert[0] (judge): value is missing');
  });
});
