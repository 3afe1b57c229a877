import { describe, expect, it } from 'vitest';
import { closedLoopThroughput, mean, measurementErrors, percentile } from '../../bench/lib/stats.mjs';

describe('mean', () => {
  it('averages and is NaN for nothing', () => {
    expect(mean([1, 2, 3, 10])).toBe(4);
    expect(mean([])).toBeNaN();
  });
});

describe('percentile', () => {
  it('uses nearest rank, so the answer is an observed value', () => {
    const values = [5, 1, 4, 2, 3];
    expect(percentile(values, 50)).toBe(3);
    expect(percentile(values, 100)).toBe(5);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile(values, 81)).toBe(5);
    expect(percentile(values, 80)).toBe(4);
  });

  it('p99 of 1..1000 is 990', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    expect(percentile(values, 99)).toBe(990);
  });

  it('does not reorder its input and rejects out-of-range p', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
    expect(() => percentile(values, 101)).toThrow(RangeError);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('measurementErrors', () => {
  const records = [
    { traceId: 'a', receivedAt: 100, firstTokenAt: 120, endAt: 280 },
    { traceId: 'b', receivedAt: 200, firstTokenAt: 221, endAt: 380 },
    { traceId: 'c', receivedAt: 300, endAt: 301 },
  ];

  it('compares durations per trace id, as absolute errors', () => {
    const out = measurementErrors(
      [
        { traceId: 'b', ttft: 23, e2e: 181 },
        { traceId: 'a', ttft: 19.5, e2e: 182 },
      ],
      records,
    );
    expect(out.matched).toBe(2);
    expect(out.unmatched).toBe(0);
    expect(out.ttftAbsErrors).toEqual([2, 0.5]);
    expect(out.e2eAbsErrors).toEqual([1, 2]);
  });

  it('counts samples without a partner and skips TTFT the server never had', () => {
    const out = measurementErrors(
      [
        { traceId: 'zzz', ttft: 1, e2e: 1 },
        { ttft: 1, e2e: 1 },
        { traceId: 'c', ttft: 5, e2e: 3 },
      ],
      records,
    );
    expect(out.unmatched).toBe(2);
    expect(out.matched).toBe(1);
    expect(out.ttftAbsErrors).toEqual([]);
    expect(out.e2eAbsErrors).toEqual([2]);
  });
});

describe('closedLoopThroughput', () => {
  it('is 100 % of ideal when every slot is refilled the instant it frees', () => {
    // 2 slots, 3 back-to-back requests of 100 ms each per slot: 6 requests in 300 ms.
    const records = [];
    for (const slot of [0, 1]) {
      for (let i = 0; i < 3; i++) {
        records.push({ traceId: `${slot}-${i}`, receivedAt: i * 100, endAt: (i + 1) * 100 });
      }
    }
    const t = closedLoopThroughput(records, 2);
    expect(t.windowMs).toBe(300);
    expect(t.achievedRps).toBeCloseTo(20, 10);
    expect(t.idealRps).toBeCloseTo(20, 10);
    expect(t.ratio).toBeCloseTo(1, 10);
  });

  it('shows gaps between requests as a ratio below 1', () => {
    // One slot, 100 ms requests with a 100 ms gap after each: half the ideal rate.
    const records = [0, 1, 2, 3].map((i) => ({ traceId: `${i}`, receivedAt: i * 200, endAt: i * 200 + 100 }));
    const t = closedLoopThroughput(records, 1);
    expect(t.idealRps).toBeCloseTo(10, 10);
    expect(t.ratio).toBeCloseTo(4 / 0.7 / 10, 10);
  });

  it('reports zeros rather than NaN for an empty run', () => {
    expect(closedLoopThroughput([], 8)).toMatchObject({ requests: 0, achievedRps: 0, ratio: 0 });
  });
});
