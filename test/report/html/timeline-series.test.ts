import { describe, expect, it } from 'vitest';
import type { TimelineBucket, TimelineJSON } from '../../../src/metrics/timeline.js';
import { timelineSeries } from '../../../src/report/html/timeline-series.js';

function bucket(t: number, extra: Partial<TimelineBucket> = {}): TimelineBucket {
  return {
    t,
    started: 10,
    completed: 9,
    errors: 0,
    rateLimited: 0,
    retries: 0,
    inFlightMax: 4,
    limit: 8,
    sendRate: null,
    outputTokens: 100,
    ...extra,
  };
}

function timeline(seconds: number, burstAt: number): TimelineJSON {
  const buckets = Array.from({ length: seconds }, (_, t) =>
    bucket(t, t === burstAt ? { rateLimited: 37, errors: 37 } : {}),
  );
  return {
    buckets,
    events: Array.from({ length: 250 }, (_, i) => ({ atMs: i, kind: 'limit', reason: 'x' })),
  };
}

describe('timelineSeries', () => {
  it('keeps one point per second when the run is short', () => {
    const s = timelineSeries(timeline(60, 30), [
      {
        name: 'main',
        warmup: false,
        startedAtMs: 0,
        endedAtMs: 60_000,
        load: 'closed loop',
        bounds: {},
        schedule: { dispatched: 0, late: 0, targetRate: null, achievedRate: null },
        targets: [],
      },
    ]);
    expect(s.bucketSeconds).toBe(1);
    expect(s.t).toHaveLength(60);
    expect(s.series.rateLimited[30]).toBe(37);
    expect(s.phases).toEqual([{ name: 'main', load: 'closed loop', startS: 0, endS: 60, warmup: false }]);
  });

  it('downsamples a long run into min/max buckets that keep a one-second burst', () => {
    const s = timelineSeries(timeline(36_000, 12_345), [], 2_000);
    expect(s.seconds).toBe(36_000);
    expect(s.t.length).toBeLessThanOrEqual(2_000);
    expect(s.bucketSeconds).toBeGreaterThan(1);
    expect(Math.max(...s.series.rateLimited.map((v) => v ?? 0))).toBe(37);
    expect(Math.min(...s.series.started.map((v) => v ?? 0))).toBe(10);
    // The learned rate was never known: it stays null, not 0.
    expect(s.series.sendRate.every((v) => v === null)).toBe(true);
  });

  it('lists the first 200 events and counts them all', () => {
    const s = timelineSeries(timeline(10, 1));
    expect(s.events).toHaveLength(200);
    expect(s.eventsTotal).toBe(250);
  });
});
