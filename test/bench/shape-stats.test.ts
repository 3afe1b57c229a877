import { describe, expect, it } from 'vitest';
import {
  firstEpisode,
  measureInterval,
  nextFixedBoundary,
  perWindow,
  type ShapeLimit,
  type ShapeRecord,
  scheduledAmount,
  shapeFigures,
  throughputIn,
} from '../../bench/lib/shape-stats.mjs';

const ok = (at: number, latency = 50, tokens = 0): ShapeRecord => ({
  status: 200,
  receivedAt: at,
  endAt: at + latency,
  promptTokens: tokens,
  completionTokens: 0,
});
const refused = (at: number): ShapeRecord => ({ status: 429, receivedAt: at, endAt: at + 1 });
/** Successes every `everyMs` in [from, to). */
const oksEvery = (from: number, to: number, everyMs: number, latency = 50): ShapeRecord[] => {
  const out: ShapeRecord[] = [];
  for (let t = from; t < to; t += everyMs) out.push(ok(t, latency));
  return out;
};

const bucket: ShapeLimit = { kind: 'rate', unit: 'requests', perMinute: 600 };

describe('firstEpisode', () => {
  it('is null when nothing was refused', () => {
    expect(firstEpisode([ok(0), ok(10)])).toBeNull();
  });

  it('runs from the first 429 to the last one before a quiet gap', () => {
    const records = [refused(30), ok(0), refused(10), refused(900), refused(2500), refused(2600)];
    expect(firstEpisode(records, { gapMs: 1000 })).toEqual({
      startAt: 10,
      endAt: 900,
      count: 3,
      laterRefusals: 2,
    });
    // A shorter gap splits earlier.
    expect(firstEpisode(records, { gapMs: 500 })?.endAt).toBe(30);
  });
});

describe('perWindow and nextFixedBoundary', () => {
  it('counts a window as the mock does', () => {
    expect(perWindow(600, 4000)).toBe(40);
    expect(perWindow(600, 60_000)).toBe(600);
    expect(perWindow(10, 1000)).toBe(1);
  });

  it('finds the next epoch multiple of the window on the record clock', () => {
    // Record time 1000 is epoch 3500; the next boundary is epoch 4000 = record 1500.
    expect(nextFixedBoundary(1000, 4000, 2500)).toBe(1500);
    expect(nextFixedBoundary(1500, 4000, 2500)).toBe(1500);
    expect(nextFixedBoundary(1501, 4000, 2500)).toBe(5500);
  });
});

describe('scheduledAmount', () => {
  const steps = [
    { atMs: 0, perMinute: 600 },
    { atMs: 10_000, perMinute: 300 },
    { atMs: 20_000, perMinute: 600 },
  ];

  it('integrates the rate in force over the span, timed from the zero', () => {
    // 10 s at 10/s, 10 s at 5/s, 10 s at 10/s.
    expect(scheduledAmount(steps, 1000, 1000, 31_000)).toBeCloseTo(250);
    expect(scheduledAmount(steps, 1000, 6000, 16_000)).toBeCloseTo(50 + 25);
    expect(scheduledAmount(steps, 0, 25_000, 25_000)).toBe(0);
  });
});

describe('measureInterval', () => {
  it('runs to the last success for a bucket, and says whether that is long enough', () => {
    expect(measureInterval(bucket, 500, 10_500, { windowMs: 4000, minSpanMs: 3000 })).toEqual({
      from: 500,
      to: 10_500,
      windows: null,
      spanMs: 10_000,
      enough: true,
    });
    expect(measureInterval(bucket, 500, 2000, { windowMs: 4000, minSpanMs: 3000 }).enough).toBe(false);
  });

  it('takes whole sliding windows from the start that end by the last success', () => {
    const sliding: ShapeLimit = { kind: 'window', window: 'sliding', unit: 'requests', perMinute: 600 };
    expect(measureInterval(sliding, 100, 16_050, { windowMs: 4000 })).toEqual({
      from: 100,
      to: 12_100,
      windows: 3,
      spanMs: 12_000,
      enough: true,
    });
    expect(measureInterval(sliding, 100, 12_050, { windowMs: 4000, minWindows: 3 }).enough).toBe(false);
  });

  it('starts fixed windows on the next boundary', () => {
    const fixed: ShapeLimit = { kind: 'window', window: 'fixed', unit: 'requests', perMinute: 600 };
    const interval = measureInterval(fixed, 100, 20_010, { windowMs: 4000, epochOffsetMs: 0 });
    expect(interval).toMatchObject({ from: 4000, to: 20_000, windows: 4, enough: true });
  });
});

describe('throughputIn', () => {
  it('holds a bucket client against perMinute / 60', () => {
    const records = oksEvery(0, 10_001, 100);
    const t = throughputIn(records, bucket, {
      from: 0,
      to: 10_000,
      windows: null,
      spanMs: 10_000,
      enough: true,
    });
    expect(t.ok).toBe(100); // (0, 10000]: the success at 0 is outside
    expect(t.limitPerSecond).toBeCloseTo(10);
    expect(t.ratio).toBeCloseTo(1);
  });

  it('counts tokens for a TPM limit', () => {
    const tpm: ShapeLimit = { kind: 'rate', unit: 'tokens', perMinute: 60_000 };
    const records = [ok(100, 50, 500), ok(200, 50, 500), { ...ok(300, 50, 400), completionTokens: 100 }];
    const t = throughputIn(records, tpm, { from: 0, to: 1000, windows: null, spanMs: 1000, enough: true });
    expect(t.admitted).toBe(1500);
    expect(t.ratio).toBeCloseTo(1.5);
  });

  it('counts whole windows half-open for window shapes', () => {
    const sliding: ShapeLimit = { kind: 'window', window: 'sliding', unit: 'requests', perMinute: 600 };
    // 40 at the start of each 4-s window: 0, 4000, 8000, 12000.
    const records = [0, 4000, 8000, 12_000].flatMap((t) => Array.from({ length: 40 }, (_, i) => ok(t + i)));
    const t = throughputIn(
      records,
      sliding,
      { from: 100, to: 12_100, windows: 3, spanMs: 12_000, enough: true },
      {
        windowMs: 4000,
      },
    );
    expect(t.ok).toBe(80 + 40); // the window at 0 starts before `from`; 12000–12039 fall inside
    expect(t.limitPerSecond).toBeCloseTo(10);
  });

  it('holds a concurrency client against slots ÷ mean server latency', () => {
    const conc: ShapeLimit = { kind: 'concurrency', slots: 8 };
    // 8 slots, 50-ms replies: 160/s when every slot is busy.
    const records = oksEvery(0, 5000, 6.25, 50);
    const t = throughputIn(records, conc, { from: 0, to: 5000, windows: null, spanMs: 5000, enough: true });
    expect(t.meanLatencyMs).toBeCloseTo(50);
    expect(t.limitPerSecond).toBeCloseTo(160);
    expect(t.ratio).toBeCloseTo(1, 1);
  });

  it('holds a schedule client against the integral of its rate', () => {
    const schedule: ShapeLimit = {
      kind: 'schedule',
      unit: 'requests',
      steps: [
        { atMs: 0, perMinute: 600 },
        { atMs: 5000, perMinute: 300 },
      ],
    };
    const records = [...oksEvery(100, 5100, 100), ...oksEvery(5200, 10_001, 200)];
    const t = throughputIn(records, schedule, {
      from: 0,
      to: 10_000,
      windows: null,
      spanMs: 10_000,
      enough: true,
    });
    expect(t.limitPerSecond).toBeCloseTo(7.5);
    expect(t.ratio).toBeCloseTo(1);
  });
});

describe('shapeFigures', () => {
  it('measures from the end of the first episode', () => {
    const records = [refused(0), refused(20), refused(50), ...oksEvery(100, 10_100, 100)];
    const f = shapeFigures(records, bucket, { windowMs: 4000, gapMs: 1000 });
    expect(f.attempts).toBe(103);
    expect(f.rateLimitedShare).toBeCloseTo(3 / 103);
    expect(f.episode).toMatchObject({ startMs: 0, endMs: 50, count: 3 });
    expect(f.interval.fromMs).toBe(50);
    expect(f.fallback).toBe(false);
    expect(f.ratio).toBeCloseTo(1, 1);
  });

  it('falls back to the first 429 when the refusals never pause', () => {
    const records = [...oksEvery(0, 10_000, 100), ...Array.from({ length: 50 }, (_, i) => refused(i * 200))];
    const f = shapeFigures(records, bucket, { windowMs: 4000, gapMs: 1000, minSpanMs: 3000 });
    expect(f.fallback).toBe(true);
    expect(f.interval.fromMs).toBe(0);
    expect(f.ratio).toBeCloseTo(1, 1);
  });

  it('measures from the first arrival when nothing was refused', () => {
    const f = shapeFigures(oksEvery(1000, 7000, 100), bucket, { windowMs: 4000 });
    expect(f.episode).toBeNull();
    expect(f.interval).toMatchObject({ fromMs: 0, spanMs: 5900, enough: true });
  });
});
