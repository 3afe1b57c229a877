import { describe, expect, it } from 'vitest';
import { arrivalRate, expectedCapacity, gapDeviation, serverE2e } from '../../bench/lib/load-stats.mjs';

const rec = (receivedAt: number, endAt = receivedAt + 100, status = 200) => ({ status, receivedAt, endAt });

describe('arrivalRate', () => {
  it('counts gaps, not arrivals, so evenly spaced arrivals give the exact rate', () => {
    // 11 arrivals 10 ms apart, shuffled: 100 ms span, 100/s.
    const times = [50, 0, 100, 10, 90, 20, 80, 30, 70, 40, 60];
    const r = arrivalRate(times.map((t) => rec(t)));
    expect(r.requests).toBe(11);
    expect(r.spanMs).toBe(100);
    expect(r.perSecond).toBeCloseTo(100, 9);
  });
  it('is NaN with fewer than two arrivals', () => {
    expect(arrivalRate([rec(5)]).perSecond).toBeNaN();
    expect(arrivalRate([]).requests).toBe(0);
  });
});

describe('gapDeviation', () => {
  it('measures how far each gap strays from 1000/rate', () => {
    // Ideal gap 10 ms at 100/s; gaps 10, 12, 7, 10 → deviations 0, 2, 3, 0.
    const d = gapDeviation(
      [0, 10, 22, 29, 39].map((t) => rec(t)),
      100,
    );
    expect(d.idealGapMs).toBe(10);
    expect(d.max).toBe(3);
    expect(d.p50).toBe(0);
    expect(d.p99).toBe(3);
  });
});

describe('serverE2e', () => {
  it('uses only successful records', () => {
    const s = serverE2e([rec(0, 1000), rec(0, 3000), rec(0, 5, 429)]);
    expect(s.count).toBe(2);
    expect(s.mean).toBe(2000);
    expect(s.p99).toBe(3000);
  });
});

describe('expectedCapacity', () => {
  it('1,200 RPM over a 10-s window with 1.05-s cycles: 20/s and concurrency 20, RPM binding', () => {
    const e = expectedCapacity({
      rpm: 1200,
      windowMs: 10_000,
      maxConcurrency: 48,
      cycleMs: 1050,
      stepMs: 10_000,
    });
    expect(e.quotaPerWindow).toBe(200);
    expect(e.rate).toBe(20);
    // Each slot sends ⌈10 000 / 1050⌉ = 10 requests per step: 20 slots fill the quota exactly.
    expect(e.requestsPerSlotPerStep).toBe(10);
    expect(e.concurrency).toBe(20);
    expect(e.steadyConcurrency).toBeCloseTo(21, 9);
    expect(e.bindingLimit).toBe('rpm');
  });
  it('a cycle just under the step fraction adds a request per slot and lowers the answer', () => {
    const e = expectedCapacity({
      rpm: 1200,
      windowMs: 10_000,
      maxConcurrency: 48,
      cycleMs: 990,
      stepMs: 10_000,
    });
    expect(e.requestsPerSlotPerStep).toBe(11);
    expect(e.concurrency).toBe(18);
  });
  it('a tight concurrency limit binds before the RPM limit', () => {
    const e = expectedCapacity({
      rpm: 1200,
      windowMs: 10_000,
      maxConcurrency: 8,
      cycleMs: 1000,
      stepMs: 10_000,
    });
    expect(e.concurrency).toBe(8);
    expect(e.bindingLimit).toBe('concurrency');
  });
  it('a step shorter than the window sees a larger share of the quota', () => {
    const e = expectedCapacity({ rpm: 1200, windowMs: 10_000, cycleMs: 1000, stepMs: 5_000 });
    expect(e.rate).toBe(40);
  });
});
