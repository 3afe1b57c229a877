import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { GoodputTracker, meetsSlo, parseSlo } from '../../src/eval/slo.js';
import { ExitCode } from '../../src/exit-codes.js';
import type { OutcomeClass } from '../../src/results/outcomes.js';
import { makeResult } from '../metrics/job-result-factory.js';

function parseError(text: string): UserError {
  try {
    parseSlo(text);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`parseSlo('${text}') did not throw`);
}

describe('parseSlo', () => {
  it('reads metric, percentile, operator and a duration with a unit', () => {
    expect(parseSlo('ttft.p95<2s')).toEqual({
      text: 'ttft.p95<2s',
      metric: 'ttft',
      percentile: 95,
      thresholdMs: 2000,
      inclusive: false,
    });
    expect(parseSlo(' e2e.p99.9 <= 1.5s ')).toEqual({
      text: 'e2e.p99.9 <= 1.5s',
      metric: 'e2e',
      percentile: 99.9,
      thresholdMs: 1500,
      inclusive: true,
    });
    expect(parseSlo('tpot<=50ms')).toMatchObject({ metric: 'tpot', percentile: 100, thresholdMs: 50 });
    expect(parseSlo('latency.p50<1m')).toMatchObject({
      metric: 'latency',
      percentile: 50,
      thresholdMs: 60_000,
    });
    expect(parseSlo('queue.p100<1s500ms')).toMatchObject({
      metric: 'queue',
      percentile: 100,
      thresholdMs: 1500,
    });
    expect(parseSlo('TTFA.P90<300ms')).toMatchObject({ metric: 'ttfa', percentile: 90, thresholdMs: 300 });
  });

  it('rejects malformed SLOs with a usage error naming the text and the expected form', () => {
    const error = parseError('ttft.p95<2x');
    expect(error.exitCode).toBe(ExitCode.usage);
    expect(error.message).toContain("--slo 'ttft.p95<2x'");
    expect(error.message).toContain("--slo 'ttft.p95<2s'");
    expect(error.message).toContain('not a duration');
  });

  it.each([
    ['ttft.p95 2s', 'no comparison'],
    ['ttft>2s', 'upper bound'],
    ['ttft>=2s', 'upper bound'],
    ['ttft=2s', 'upper bound'],
    ['itl.p95<50ms', 'use tpot'],
    ['ttfb<1s', "unknown metric 'ttfb'"],
    ['<2s', 'cannot read the metric'],
    ['ttft.p95.p99<2s', 'cannot read the metric'],
    ['ttft.pxx<2s', "'pxx' is not a percentile"],
    ['ttft.p999<2s', 'write p99.9'],
    ['ttft.p0<2s', 'above 0'],
    ['ttft<2000', 'needs a unit: write 2000ms or 2000s'],
    ['ttft<', 'duration is missing'],
    ['ttft<-1s', 'not a duration'],
    ['ttft<0ms', 'must be above 0'],
  ])('rejects %s (%s)', (text, fragment) => {
    const error = parseError(text);
    expect(error.message).toContain(fragment);
    expect(error.message).toContain(`'${text.trim()}'`);
  });

  it('names another flag when asked (gates reuse the syntax)', () => {
    expect(() => parseSlo('ttft>1s', '--gate')).toThrow("invalid --gate 'ttft>1s'");
  });
});

describe('meetsSlo', () => {
  const strict = parseSlo('ttft<200ms');
  const inclusive = parseSlo('ttft<=200ms');

  it('compares strictly for < and inclusively for <=', () => {
    expect(meetsSlo(makeResult({ ttft: 199.999 }), strict)).toBe(true);
    expect(meetsSlo(makeResult({ ttft: 200 }), strict)).toBe(false);
    expect(meetsSlo(makeResult({ ttft: 200 }), inclusive)).toBe(true);
    expect(meetsSlo(makeResult({ ttft: 200.001 }), inclusive)).toBe(false);
  });

  it('fails when the metric is missing', () => {
    // makeResult sets no ttfa unless asked: a reply with reasoning only has none.
    expect(meetsSlo(makeResult({ ttft: 10 }), parseSlo('ttfa<10s'))).toBe(false);
    expect(meetsSlo(makeResult({ ttft: 10, ttfa: 20 }), parseSlo('ttfa<10s'))).toBe(true);
    // One completion token: no tpot.
    expect(meetsSlo(makeResult({ usage: { completionTokens: 1 } }), parseSlo('tpot<1s'))).toBe(false);
  });

  it.each<OutcomeClass>([
    'http_5xx',
    'http_4xx',
    'rate_limited',
    'timeout_total',
    'network',
    'truncated',
    'stream_error',
  ])('fails every SLO for a %s result, even with fast timings', (outcome) => {
    const result = makeResult({ outcome, status: 200, ttft: 1, e2e: 2 });
    expect(meetsSlo(result, parseSlo('ttft<10s'))).toBe(false);
    expect(meetsSlo(result, parseSlo('e2e<10s'))).toBe(false);
  });

  it('judges the latency of answered requests whose content failed an assertion or hit max_tokens', () => {
    expect(meetsSlo(makeResult({ outcome: 'assertion_failed', e2e: 100 }), parseSlo('e2e<1s'))).toBe(true);
    expect(meetsSlo(makeResult({ outcome: 'length', e2e: 100 }), parseSlo('e2e<1s'))).toBe(true);
    expect(meetsSlo(makeResult({ outcome: 'length', e2e: 1500 }), parseSlo('e2e<1s'))).toBe(false);
  });

  it('bounds queue and latency, which include client-side waiting', () => {
    const waited = makeResult({ queue: 900, e2e: 200 });
    expect(meetsSlo(waited, parseSlo('e2e<1s'))).toBe(true);
    expect(meetsSlo(waited, parseSlo('latency<1s'))).toBe(false);
    expect(meetsSlo(waited, parseSlo('queue<500ms'))).toBe(false);
  });
});

describe('GoodputTracker', () => {
  it('counts good requests, per-SLO shares and the goodput rate', () => {
    const tracker = new GoodputTracker([parseSlo('ttft.p50<300ms'), parseSlo('e2e<2s')]);
    tracker.add(makeResult({ ttft: 100, e2e: 1000 })); // good
    tracker.add(makeResult({ ttft: 250, e2e: 1500 })); // good
    tracker.add(makeResult({ ttft: 500, e2e: 1500 })); // misses ttft
    tracker.add(makeResult({ outcome: 'http_5xx', status: 503, e2e: 5 })); // misses both
    const summary = tracker.summary(2000);
    expect(summary.requests).toBe(4);
    expect(summary.good).toBe(2);
    expect(summary.goodShare).toBe(0.5);
    expect(summary.goodputPerSec).toBe(1);
    expect(summary.slos).toEqual([
      { text: 'ttft.p50<300ms', metShare: 0.5, required: 0.5, passed: true },
      { text: 'e2e<2s', metShare: 0.75, required: 1, passed: false },
    ]);
    expect(summary.passed).toBe(false);
  });

  it('passes a p95 SLO at exactly 95 % and fails it one request short', () => {
    const slo = parseSlo('ttft.p95<2s');
    const exactly = new GoodputTracker([slo]);
    for (let i = 0; i < 95; i++) exactly.add(makeResult({ ttft: 100 }));
    for (let i = 0; i < 5; i++) exactly.add(makeResult({ ttft: 3000, e2e: 4000 }));
    expect(exactly.summary(10_000).slos[0]).toEqual({
      text: slo.text,
      metShare: 0.95,
      required: 0.95,
      passed: true,
    });
    expect(exactly.summary(10_000).passed).toBe(true);

    exactly.add(makeResult({ ttft: 3000, e2e: 4000 })); // now 95 of 101
    expect(exactly.summary(10_000).slos[0]?.passed).toBe(false);
    expect(exactly.summary(10_000).passed).toBe(false);
  });

  it('handles fractional percentiles at the boundary (p99.9 of 1000 requests)', () => {
    const tracker = new GoodputTracker([parseSlo('e2e.p99.9<1s')]);
    for (let i = 0; i < 999; i++) tracker.add(makeResult({ e2e: 500 }));
    tracker.add(makeResult({ e2e: 5000 }));
    expect(tracker.summary(1000).slos[0]).toMatchObject({ metShare: 0.999, required: 0.999, passed: true });
    tracker.add(makeResult({ e2e: 5000 }));
    expect(tracker.summary(1000).slos[0]?.passed).toBe(false);
  });

  it('reports nulls without requests and no rate over an empty window', () => {
    const tracker = new GoodputTracker([parseSlo('ttft<1s')]);
    expect(tracker.summary(1000)).toEqual({
      requests: 0,
      good: 0,
      goodShare: null,
      goodputPerSec: null,
      slos: [{ text: 'ttft<1s', metShare: null, required: 1, passed: null }],
      passed: null,
    });
    tracker.add(makeResult({ ttft: 10 }));
    expect(tracker.summary(0).goodputPerSec).toBeNull();
    expect(tracker.summary(0).good).toBe(1);
  });

  it('leaves interrupted jobs out and, without SLOs, counts successful requests as good', () => {
    const tracker = new GoodputTracker([]);
    tracker.add(makeResult());
    tracker.add(makeResult({ outcome: 'assertion_failed' }));
    tracker.add(makeResult({ outcome: 'timeout_first_token' }));
    tracker.add(makeResult({ outcome: 'interrupted' }));
    const summary = tracker.summary(4000);
    expect(summary.requests).toBe(3);
    expect(summary.good).toBe(2);
    expect(summary.goodputPerSec).toBe(0.5);
    expect(summary.passed).toBe(true);
  });

  it('merges counts from trackers with the same SLOs in any order', () => {
    const a = new GoodputTracker([parseSlo('ttft<1s'), parseSlo('e2e<2s')]);
    const b = new GoodputTracker([parseSlo('e2e<2s'), parseSlo('ttft<1s')]);
    a.add(makeResult({ ttft: 100, e2e: 1000 }));
    a.add(makeResult({ ttft: 100, e2e: 3000 }));
    b.add(makeResult({ ttft: 2000, e2e: 2500 }));
    b.add(makeResult({ ttft: 100, e2e: 1000 }));
    b.add(makeResult({ ttft: 2000, e2e: 1000 }));
    a.merge(b);
    const summary = a.summary(5000);
    expect(summary.requests).toBe(5);
    expect(summary.good).toBe(2);
    expect(summary.goodputPerSec).toBe(0.4);
    expect(summary.slos.map((s) => [s.text, s.metShare])).toEqual([
      ['ttft<1s', 0.6],
      ['e2e<2s', 0.6],
    ]);
  });

  it('refuses to merge trackers over different SLOs', () => {
    const a = new GoodputTracker([parseSlo('ttft<1s')]);
    expect(() => a.merge(new GoodputTracker([parseSlo('ttft<2s')]))).toThrow(/different SLOs/);
    expect(() => a.merge(new GoodputTracker([]))).toThrow(/different SLOs/);
  });
});
