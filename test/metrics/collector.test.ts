import { describe, expect, it } from 'vitest';
import { MetricsCollector } from '../../src/metrics/collector.js';
import { DEFAULT_PRICES } from '../../src/plan/prices.js';
import { OUTCOME_CLASSES } from '../../src/results/outcomes.js';
import { makeResult } from './job-result-factory.js';

const FLASH = 'step-3.5-flash';

/** Within HDR precision: 3 significant digits means reported values are at most 0.1% off. */
function near(actual: number | null, expected: number, rel = 0.001): boolean {
  return actual !== null && Math.abs(actual - expected) <= Math.abs(expected) * rel + 1e-9;
}

describe('MetricsCollector', () => {
  it('gives TTFT percentiles of a known distribution within HDR precision', () => {
    const c = new MetricsCollector([{ name: FLASH }]);
    for (let i = 1; i <= 1000; i++) c.add(makeResult({ ttft: i * 2, e2e: 5000 }));
    const ttft = c.target(FLASH)!.summary().latency.ttft;
    expect(ttft.count).toBe(1000);
    expect(near(ttft.p50, 1000)).toBe(true);
    expect(near(ttft.p99, 1980)).toBe(true);
    expect(near(ttft.max, 2000)).toBe(true);
    expect(near(ttft.min, 2)).toBe(true);
  });

  it('pools inter-token gaps over all requests', () => {
    const c = new MetricsCollector();
    c.add(makeResult({ itl: [10, 10, 10] }));
    c.add(makeResult({ itl: [30] }));
    c.add(makeResult({ itl: [] }));
    const itl = c.target(FLASH)!.summary().latency.itl;
    expect(itl.count).toBe(4);
    expect(near(itl.mean, 15)).toBe(true);
    expect(near(itl.p50, 10)).toBe(true);
    expect(near(itl.max, 30)).toBe(true);
  });

  it('keeps error rows out of ttft/e2e/tokens but counts them in latency, queue and outcomes', () => {
    const c = new MetricsCollector([{ name: FLASH }]);
    c.add(makeResult({ ttft: 100, e2e: 1000, queue: 5 }));
    c.add(makeResult({ outcome: 'rate_limited', status: 429, e2e: 20, queue: 3000 }));
    c.add(makeResult({ outcome: 'http_5xx', status: 503, e2e: 40 }));
    // A stall after headers: status 200 but the e2e is when we gave up.
    c.add(makeResult({ outcome: 'timeout_idle', status: 200, ttft: 90, e2e: 60_000 }));
    c.add(makeResult({ outcome: 'content_filter', status: 451, e2e: 30 }));
    const s = c.target(FLASH)!.summary();
    expect(s.requests).toBe(5);
    expect(s.completed).toBe(1);
    expect(s.latency.ttft.count).toBe(1);
    expect(near(s.latency.ttft.p50, 100)).toBe(true);
    expect(s.latency.e2e.count).toBe(1);
    expect(near(s.latency.e2e.max, 1000)).toBe(true);
    expect(s.latency.latency.count).toBe(5);
    expect(near(s.latency.latency.max, 60_000)).toBe(true);
    expect(s.latency.queue.count).toBe(5);
    expect(s.tokens.prompt.total).toBe(100);
    expect(s.tokens.completion.perRequest.count).toBe(1);
    expect(s.outcomes).toMatchObject({
      ok: 1,
      rate_limited: 1,
      http_5xx: 1,
      timeout_idle: 1,
      content_filter: 1,
    });
    expect(Object.keys(s.outcomes).sort()).toEqual([...OUTCOME_CLASSES].sort());
    expect(s.outcomes.network).toBe(0);
    expect(s.successRate).toBeCloseTo(0.2, 12);
  });

  it('counts responses that ended by length, content filter (200) and truncation as completed', () => {
    const c = new MetricsCollector();
    c.add(makeResult({ outcome: 'length' }));
    c.add(makeResult({ outcome: 'content_filter', status: 200 }));
    c.add(makeResult({ outcome: 'truncated' }));
    c.add(makeResult({ outcome: 'assertion_failed' }));
    const s = c.target(FLASH)!.summary();
    expect(s.completed).toBe(4);
    expect(s.latency.ttft.count).toBe(4);
    // length and assertion_failed answered the user; a filtered or truncated reply did not.
    expect(s.successRate).toBe(0.5);
  });

  it('separates server-reported from estimated token counts', () => {
    const c = new MetricsCollector();
    c.add(
      makeResult({ usage: { promptTokens: 10, completionTokens: 20, totalTokens: 30, cachedTokens: 4 } }),
    );
    c.add(
      makeResult({ usage: { promptTokens: 5, completionTokens: 7, totalTokens: 12, source: 'estimated' } }),
    );
    c.add(
      makeResult({ usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2, source: 'estimated' } }),
    );
    const t = c.target(FLASH)!.summary().tokens;
    expect(t.source).toEqual({ server: 1, estimated: 2 });
    expect(t.prompt.total).toBe(16);
    expect(t.completion.total).toBe(28);
    expect(t.total.total).toBe(44);
    expect(t.cached.total).toBe(4);
    // Only the result that reported cached tokens feeds that distribution.
    expect(t.cached.perRequest.count).toBe(1);
    expect(t.reasoning).toBeUndefined();
  });

  it('reports reasoning tokens only when the server broke them out', () => {
    const c = new MetricsCollector();
    c.add(makeResult({ usage: { reasoningTokens: 40 } }));
    c.add(makeResult({}));
    const t = c.target(FLASH)!.summary().tokens;
    expect(t.reasoning?.total).toBe(40);
    expect(t.reasoning?.perRequest.count).toBe(1);
  });

  it('prices a known model and leaves an unknown one unknown, never 0', () => {
    const c = new MetricsCollector([{ name: FLASH, price: DEFAULT_PRICES[FLASH] }, { name: 'mystery' }]);
    c.add(
      makeResult({
        usage: {
          promptTokens: 1_000_000,
          cachedTokens: 200_000,
          completionTokens: 500_000,
          totalTokens: 1_500_000,
        },
      }),
    );
    c.add(makeResult({ target: 'mystery' }));
    const known = c.target(FLASH)!.summary().cost;
    // 800k × 0.7 + 200k × 0.14 + 500k × 2.1, per 1M.
    expect(known.currency).toBe('CNY');
    expect(known.total).toBeCloseTo(0.56 + 0.028 + 1.05, 10);
    expect(c.target('mystery')!.summary().cost).toEqual({
      currency: null,
      total: null,
      reason: 'unknown price',
    });
  });

  it('computes throughput over first scheduledAt → last endAt of the target', () => {
    const c = new MetricsCollector();
    c.add(makeResult({ scheduledAt: 1000, queue: 0, e2e: 1000 }));
    c.add(makeResult({ scheduledAt: 2000, queue: 500, e2e: 1500 })); // ends at 4000
    c.add(makeResult({ scheduledAt: 1500, outcome: 'network', status: 200, e2e: 10 }));
    const s = c.target(FLASH)!.summary();
    expect(s.window).toEqual({ firstScheduledAt: 1000, firstSentAt: 1000, lastEndAt: 4000 });
    expect(s.throughput.windowMs).toBe(3000);
    // 2 completed, 100 output tokens, 300 total tokens over 3 s.
    expect(s.throughput.requestsPerSec).toBeCloseTo(2 / 3, 3);
    expect(s.throughput.outputTokensPerSec).toBeCloseTo(100 / 3, 3);
    expect(s.throughput.totalTokensPerSec).toBe(100);
  });

  it('has null rates and success rate for a target with no results', () => {
    const s = new MetricsCollector([{ name: 'idle' }]).target('idle')!.summary();
    expect(s.requests).toBe(0);
    expect(s.successRate).toBeNull();
    expect(s.throughput).toEqual({
      windowMs: 0,
      requestsPerSec: null,
      outputTokensPerSec: null,
      totalTokensPerSec: null,
    });
  });

  it('keeps targets apart and lists registered ones first', () => {
    const c = new MetricsCollector([{ name: 'a' }, { name: 'b' }]);
    c.add(makeResult({ target: 'late' }));
    c.add(makeResult({ target: 'b', ttft: 300 }));
    expect(c.targets().map((t) => t.name)).toEqual(['a', 'b', 'late']);
    expect(c.target('a')!.requests).toBe(0);
    expect(near(c.target('b')!.summary().latency.ttft.p50, 300)).toBe(true);
    expect(c.target('late')!.model).toBe('late');
  });

  it('gives cheap live numbers over all targets and refreshes them after each result', () => {
    const c = new MetricsCollector();
    expect(c.live()).toEqual({ done: 0, errors: 0, ttftP50Ms: null, ttftP95Ms: null });
    for (let i = 1; i <= 100; i++) c.add(makeResult({ target: i % 2 ? 'a' : 'b', ttft: i }));
    c.add(makeResult({ outcome: 'http_4xx', status: 400 }));
    const first = c.live();
    expect(first.done).toBe(101);
    expect(first.errors).toBe(1);
    expect(near(first.ttftP50Ms, 50)).toBe(true);
    expect(near(first.ttftP95Ms, 95)).toBe(true);
    expect(c.live()).toBe(first); // cached between results
    c.add(makeResult({ ttft: 1 }));
    expect(c.live().done).toBe(102);
  });

  // Changed when errors were defined once: live errors used to be every non-success, so 429s,
  // content filters and interruptions counted; now they follow isError like every other count.
  it('counts live errors as the outcome table does', () => {
    const c = new MetricsCollector();
    for (const outcome of ['rate_limited', 'content_filter', 'interrupted', 'ok'] as const) {
      c.add(makeResult({ outcome, status: outcome === 'rate_limited' ? 429 : 200 }));
    }
    expect(c.live().errors).toBe(0);
    c.add(makeResult({ outcome: 'http_5xx', status: 503 }));
    c.add(makeResult({ outcome: 'timeout_idle' }));
    expect(c.live().errors).toBe(2);
  });

  it('merging two collectors equals one collector fed both sets', () => {
    const a = new MetricsCollector([{ name: FLASH, price: DEFAULT_PRICES[FLASH] }]);
    const b = new MetricsCollector([{ name: FLASH, price: DEFAULT_PRICES[FLASH] }]);
    const both = new MetricsCollector([{ name: FLASH, price: DEFAULT_PRICES[FLASH] }]);
    for (let i = 0; i < 200; i++) {
      const result = makeResult({
        outcome: i % 17 === 0 ? 'http_5xx' : 'ok',
        status: i % 17 === 0 ? 500 : 200,
        scheduledAt: i * 10,
        ttft: 50 + i,
        e2e: 400 + 3 * i,
        itl: [i % 7, (i * 3) % 11],
        usage: { promptTokens: i, completionTokens: 2 * i, totalTokens: 3 * i, cachedTokens: i % 5 },
        target: i % 3 === 0 ? 'other' : FLASH,
      });
      (i % 2 ? a : b).add(result);
      both.add(result);
    }
    a.merge(b);
    expect(
      a
        .targets()
        .map((t) => t.name)
        .sort(),
    ).toEqual(
      both
        .targets()
        .map((t) => t.name)
        .sort(),
    );
    for (const t of both.targets()) expect(a.target(t.name)!.summary()).toEqual(t.summary());
    expect(a.live()).toEqual(both.live());
  });
});
