import { describe, expect, it } from 'vitest';
import {
  arrivalRate,
  closedLoopCycleMs,
  expectedCapacity,
  gapDeviation,
  meanInFlight,
  middleThirdInFlight,
  serverE2e,
  splitByIdleGaps,
} from '../../bench/lib/load-stats.mjs';

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

describe('splitByIdleGaps', () => {
  it('starts a new burst after a pause of at least gapMs', () => {
    const bursts = splitByIdleGaps(
      [0, 5, 10, 3000, 3002, 9000].map((t) => rec(t)),
      1000,
    );
    expect(bursts.map((b) => b.map((r) => r.receivedAt))).toEqual([[0, 5, 10], [3000, 3002], [9000]]);
  });
});

describe('closedLoopCycleMs', () => {
  it('recovers the cycle of a closed loop from its arrivals', () => {
    // 3 slots, each sending every 1000 ms for 4 rounds: arrivals 0..3000 ms, 12 in all.
    const times: number[] = [];
    for (let round = 0; round < 4; round++)
      for (let slot = 0; slot < 3; slot++) times.push(round * 1000 + slot);
    expect(
      closedLoopCycleMs(
        times.map((t) => rec(t)),
        3,
      ),
    ).toBeCloseTo((3 * 3002) / 9, 9);
  });
  it('is NaN when no slot sent twice', () => {
    expect(closedLoopCycleMs([rec(0), rec(1)], 2)).toBeNaN();
  });
});

describe('meanInFlight', () => {
  it('weights each request by its overlap with the interval', () => {
    // Over [0, 100]: one request spans it all, one covers half, one lies outside.
    const records = [rec(0, 100), rec(50, 200), rec(300, 400)];
    expect(meanInFlight(records, 0, 100)).toBeCloseTo(1.5, 9);
    expect(meanInFlight(records, 0, 0)).toBeNaN();
  });
  it('middle third leaves out the edges', () => {
    // Span 0..300; middle third 100..200 is covered by two requests throughout.
    const records = [rec(0, 300), rec(90, 210), rec(0, 50)];
    const m = middleThirdInFlight(records);
    expect(m.fromMs).toBe(100);
    expect(m.toMs).toBe(200);
    expect(m.mean).toBeCloseTo(2, 9);
  });
});
