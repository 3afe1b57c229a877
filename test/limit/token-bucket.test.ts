import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateBudget } from '../../src/limit/token-bucket.js';

describe('RateBudget', () => {
  it('starts with a 2 % burst and refills continuously', () => {
    let t = 0;
    const b = new RateBudget({ perMinute: 600, now: () => t });
    expect(b.capacity).toBe(12);
    for (let i = 0; i < 12; i++) expect(b.tryTake(1)).toBe(0);
    expect(b.tryTake(1)).toBe(100); // 10 per second
    t += 99;
    expect(b.tryTake(1)).toBe(1);
    t += 1;
    expect(b.tryTake(1)).toBe(0);
  });

  it('keeps a burst of one for small limits', () => {
    const b = new RateBudget({ perMinute: 10, now: () => 0 });
    expect(b.capacity).toBe(1);
  });

  it('lets a take bigger than the bucket through from a full bucket, as debt', () => {
    let t = 0;
    const b = new RateBudget({ perMinute: 6000, now: () => t }); // capacity 120, 0.1/ms
    b.take(100);
    expect(b.tryTake(500)).toBe(1000); // waits for a full bucket, not for 500
    t += 1000;
    expect(b.tryTake(500)).toBe(0);
    expect(b.available).toBeCloseTo(-380);
    expect(b.tryTake(1)).toBe(3810);
  });

  it('adjust corrects an estimate both ways, refunds never above capacity', () => {
    const b = new RateBudget({ perMinute: 60_000, now: () => 0 }); // capacity 1200
    b.take(1000);
    b.adjust(300);
    expect(b.available).toBe(-100);
    b.adjust(-250);
    expect(b.available).toBe(150);
    b.refund(5000);
    expect(b.available).toBe(1200);
  });

  it('property: over 5 minutes of random arrivals no 60-s window exceeds limit + burst', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 10, max: 3000 }),
        fc.array(fc.integer({ min: 0, max: 300_000 }), { minLength: 1, maxLength: 400 }),
        (perMinute, arrivals) => {
          let t = 0;
          const b = new RateBudget({ perMinute, now: () => t });
          const granted: number[] = [];
          // Each arrival asks at its time and retries exactly when told to, like the limiter.
          const queue = [...arrivals].sort((x, y) => x - y);
          let waitingUntil = 0;
          for (const at of queue) {
            t = Math.max(at, waitingUntil);
            for (;;) {
              const wait = b.tryTake(1);
              if (wait === 0) break;
              t += wait;
            }
            waitingUntil = t;
            granted.push(t);
            if (t > 300_000) break;
          }
          const slack = Math.max(1, Math.floor(perMinute * 0.02));
          let lo = 0;
          for (let hi = 0; hi < granted.length; hi++) {
            while (granted[hi]! - granted[lo]! >= 60_000) lo++;
            expect(hi - lo + 1).toBeLessThanOrEqual(perMinute + slack);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('rejects a non-positive limit', () => {
    expect(() => new RateBudget({ perMinute: 0, now: () => 0 })).toThrow(RangeError);
  });
});
