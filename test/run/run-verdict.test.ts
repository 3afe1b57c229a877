import { describe, expect, it } from 'vitest';
import { ErrorDigest } from '../../src/results/error-digest.js';
import type { OutcomeClass } from '../../src/results/outcomes.js';
import { failedRunReason } from '../../src/run/run-verdict.js';

const tally = (counts: Partial<Record<OutcomeClass, number>>, maxErrorRate?: number) => ({
  outcomes: new Map(Object.entries(counts) as Array<[OutcomeClass, number]>),
  digest: new ErrorDigest(),
  ...(maxErrorRate !== undefined ? { maxErrorRate } : {}),
});

describe('failedRunReason', () => {
  it('fails a run in which no job succeeded, however small, naming the most frequent error', () => {
    const t = tally({ http_4xx: 3 });
    t.digest.add('http_4xx', 'HTTP 400: Model step-3.7-flsh does not exist');
    t.digest.add('http_4xx', 'HTTP 400: Model step-3.7-flsh does not exist');
    t.digest.add('network', 'connect ECONNREFUSED 127.0.0.1:9');
    expect(failedRunReason(t)).toBe(
      'no job succeeded: all 3 failed. Most frequent: http_4xx ×2 "HTTP 400: Model step-3.7-flsh does not exist".',
    );
  });

  it('applies the error budget at the end of a run of any size; 429s are not errors', () => {
    expect(failedRunReason(tally({ ok: 8, http_5xx: 2 }, 0.05))).toMatch(/^2 of 10 jobs \(20\.0%\) failed/);
    expect(failedRunReason(tally({ ok: 19, http_5xx: 1 }, 0.05))).toBeUndefined();
    expect(failedRunReason(tally({ ok: 5, rate_limited: 5 }, 0.05))).toBeUndefined();
    expect(failedRunReason(tally({ ok: 8, http_5xx: 2 }))).toBeUndefined();
    expect(failedRunReason(tally({}))).toBeUndefined();
  });
});

describe('ErrorDigest', () => {
  it('folds digits, counts, keeps the first wording, and shows the most frequent first', () => {
    const d = new ErrorDigest();
    d.add('timeout_first_token', 'no first token within 100 ms (attempt 1)');
    d.add('timeout_first_token', 'no first token within 100 ms (attempt 2)');
    d.add('timeout_first_token', 'stream broke off');
    d.add('network', undefined);
    expect(d.toJSON()).toEqual({
      timeout_first_token: [
        { message: 'no first token within 100 ms (attempt 1)', count: 2 },
        { message: 'stream broke off', count: 1 },
      ],
    });
    expect(d.top()).toEqual({
      outcome: 'timeout_first_token',
      message: 'no first token within 100 ms (attempt 1)',
      count: 2,
    });
  });
});
