import { describe, expect, it } from 'vitest';
import { CheckCounts, checkVerdict, passRate, sumCheckSummaries } from '../../src/metrics/check-counts.js';
import type { OutcomeClass } from '../../src/results/outcomes.js';
import type { JobResult } from '../../src/results/types.js';

type Checked = Pick<JobResult, 'checks' | 'outcome'>;

function judged(pass: boolean, types: Array<[string, boolean]> = [['contains', pass]]): Checked {
  return {
    outcome: pass ? 'ok' : 'assertion_failed',
    checks: {
      pass,
      score: pass ? 1 : 0,
      results: types.map(([type, ok]) => ({ type, pass: ok, score: ok ? 1 : 0, reason: '' })),
    },
  };
}
const plain = (outcome: OutcomeClass): Checked => ({ outcome });

describe('checkVerdict', () => {
  it('judged answers pass or fail; unjudged ones are unchecked answers or have no answer to judge', () => {
    expect(checkVerdict(judged(true))).toBe('passed');
    expect(checkVerdict(judged(false))).toBe('failed');
    // A cut-off answer whose checks passed keeps `length` and is still a judged pass.
    expect(checkVerdict({ ...judged(true), outcome: 'length' })).toBe('passed');
    expect(checkVerdict(plain('ok'))).toBe('unchecked');
    expect(checkVerdict(plain('length'))).toBe('unchecked');
    for (const outcome of [
      'http_5xx',
      'timeout_total',
      'rate_limited',
      'interrupted',
      'content_filter',
    ] as const)
      expect(checkVerdict(plain(outcome))).toBe('unanswered');
  });
});

describe('CheckCounts', () => {
  it('counts every result once, with the pass rate over judged answers and a per-type breakdown', () => {
    const c = new CheckCounts();
    c.add(
      judged(true, [
        ['contains', true],
        ['regex', true],
      ]),
    );
    c.add(judged(true));
    c.add(
      judged(false, [
        ['contains', true],
        ['regex', false],
      ]),
    );
    c.add(plain('ok'));
    c.add(plain('http_5xx'));
    c.add(plain('timeout_first_token'));
    expect(c.summary()).toEqual({
      judged: 3,
      passed: 2,
      failed: 1,
      passRate: 2 / 3,
      unchecked: 1,
      unanswered: 2,
      byType: { contains: { judged: 3, passed: 3 }, regex: { judged: 2, passed: 1 } },
    });
  });

  it('has no pass rate when nothing was judged, never 0 or 1', () => {
    const c = new CheckCounts();
    c.add(plain('ok'));
    expect(c.summary().passRate).toBeNull();
    expect(passRate(0, 0)).toBeNull();
  });

  it('merges exactly, and sums report summaries back into counts', () => {
    const a = new CheckCounts();
    a.add(judged(true));
    a.add(plain('network'));
    const b = new CheckCounts();
    b.add(judged(false, [['equals', false]]));
    b.add(plain('ok'));
    const merged = new CheckCounts();
    merged.merge(a);
    merged.merge(b);
    expect(merged.summary()).toMatchObject({ judged: 2, passed: 1, unchecked: 1, unanswered: 1 });
    expect(sumCheckSummaries([a.summary(), b.summary()])).toEqual(merged.summary());
    expect(CheckCounts.fromSummary(merged.summary()).summary()).toEqual(merged.summary());
  });
});
