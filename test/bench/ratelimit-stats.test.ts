import { describe, expect, it } from 'vitest';
import {
  attemptBuckets,
  convergedAtMs,
  type LimitRecord,
  okInMinuteFrom,
  okRateFrom,
  peakInWindow,
  rateLimitFigures,
} from '../../bench/lib/ratelimit-stats.mjs';

const ok = (at: number): LimitRecord => ({ status: 200, receivedAt: at, endAt: at + 100 });
const limited = (at: number, limitedBy = 'rpm'): LimitRecord => ({
  status: 429,
  receivedAt: at,
  endAt: at + 1,
  limitedBy,
});

describe('peakInWindow', () => {
  it('finds the busiest window, counting t − window as outside', () => {
    // (10, 60010] holds 20, 60000, 60010; 0 and 10 are exactly one window before 60000 and 60010.
    expect(peakInWindow([0, 10, 20, 60_000, 60_010], 60_000)).toBe(3);
    expect(peakInWindow([0, 10, 20, 59_999], 60_000)).toBe(4);
    expect(peakInWindow([50, 0, 30], 100)).toBe(3);
    expect(peakInWindow([0, 100, 200], 100)).toBe(1);
    expect(peakInWindow([], 100)).toBe(0);
  });
});

describe('attemptBuckets', () => {
  it('buckets from the first arrival and keeps empty buckets', () => {
    const b = attemptBuckets([ok(1000), limited(1500), ok(4100)], 1000);
    expect(b).toEqual([
      { t: 0, attempts: 2, ok: 1, rateLimited: 1 },
      { t: 1000, attempts: 0, ok: 0, rateLimited: 0 },
      { t: 2000, attempts: 0, ok: 0, rateLimited: 0 },
      { t: 3000, attempts: 1, ok: 1, rateLimited: 0 },
    ]);
  });
});

describe('convergedAtMs', () => {
  it('is 0 when no 429 was ever sent (the limit never bit)', () => {
    expect(convergedAtMs([ok(0), ok(10)], { bucketMs: 100 })).toBe(0);
  });

  it('is the start of the first bucket after which every bucket stays under the share', () => {
    const records = [
      ok(0),
      limited(50), // bucket 0: 1 of 2
      ok(150),
      limited(160), // bucket 1: 1 of 2
      ok(210),
      ok(220), // bucket 2: clean
      ok(310),
    ];
    expect(convergedAtMs(records, { bucketMs: 100, maxShare: 0.05 })).toBe(200);
    // A tolerant share accepts the bucket with the first 429 already.
    expect(convergedAtMs(records, { bucketMs: 100, maxShare: 0.5 })).toBe(0);
  });

  it('is null when the last bucket is still above the share', () => {
    expect(convergedAtMs([ok(0), ok(150), limited(160)], { bucketMs: 100 })).toBeNull();
  });
});

describe('okRateFrom', () => {
  it('is successes per minute from the mark to the last successful arrival', () => {
    const records = [ok(0), ok(1000), limited(2000), ok(31_000), ok(61_000)];
    const out = okRateFrom(records, 1000);
    expect(out.ok).toBe(3);
    expect(out.spanMs).toBe(60_000);
    expect(out.perMinute).toBe(3);
  });

  it('is NaN with fewer than two successes after the mark', () => {
    expect(okRateFrom([ok(0), ok(10)], 5).perMinute).toBeNaN();
    expect(okRateFrom([], 0).perMinute).toBeNaN();
  });
});

describe('okInMinuteFrom', () => {
  it('counts successful arrivals in [mark, mark + 60 s) and says if the records reach its end', () => {
    const records = [ok(0), ok(1000), limited(2000), ok(31_000), ok(60_999), ok(61_000)];
    expect(okInMinuteFrom(records, 1000)).toEqual({ ok: 3, complete: true });
    expect(okInMinuteFrom(records.slice(0, 4), 1000)).toEqual({ ok: 2, complete: false });
    expect(okInMinuteFrom([], 0)).toEqual({ ok: 0, complete: false });
  });
});

describe('rateLimitFigures', () => {
  it('adds the 429 share, the limits hit and the minute after the first RPM 429', () => {
    const records = [
      ok(500),
      ok(600),
      limited(1500, 'concurrency'),
      limited(1600),
      ok(2500),
      ok(61_500),
      ok(61_700),
    ];
    const f = rateLimitFigures(records, { rpmLimit: 3, bucketMs: 1000 });
    expect(f.attempts).toBe(7);
    expect(f.ok).toBe(5);
    expect(f.rateLimitedShare).toBeCloseTo(2 / 7);
    expect(f.rateLimitedBy).toEqual({ rpm: 1, concurrency: 1 });
    expect(f.firstRateLimitedMs).toBe(1000);
    expect(f.firstRpmLimitedMs).toBe(1100);
    expect(f.convergedAtMs).toBe(2000);
    expect(f.peakOkPer60s).toBe(3);
    // [1100, 61100) run-relative holds the successes at 2000 and 61000; 61200 is past it.
    expect(f.okInMinuteAfterQuota).toEqual({ ok: 2, complete: true });
    expect(f.minuteShareAfterQuota).toBeCloseTo(2 / 3);
    // From 1100 to the last successful arrival (61200): 3 successes in 60.1 s.
    expect(f.okRateAfterQuota?.ok).toBe(3);
    expect(f.okRateAfterQuota?.spanMs).toBe(60_100);
    expect(f.rpmShareAfterQuota).toBeCloseTo((3 * 60_000) / 60_100 / 3);
    expect(f.spanMs).toBe(61_300);
  });

  it('has no quota minute when only the concurrency limit answered 429', () => {
    const f = rateLimitFigures([ok(0), limited(5, 'concurrency'), ok(10)], { rpmLimit: 600 });
    expect(f.firstRpmLimitedMs).toBeNull();
    expect(f.okInMinuteAfterQuota).toBeNull();
    expect(f.okRateAfterQuota).toBeNull();
    expect(f.rpmShareAfterQuota).toBeNaN();
  });

  it('leaves RPM figures out for a concurrency-only scenario', () => {
    const f = rateLimitFigures([ok(0), limited(5, 'concurrency'), ok(10)]);
    expect(f.rateLimited).toBe(1);
    expect(f.peakOkPer60s).toBeUndefined();
    expect(f.okInMinuteAfterQuota).toBeUndefined();
  });
});
