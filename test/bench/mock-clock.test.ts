import { describe, expect, it } from 'vitest';
import { clockFrom, type LimitChangeSeen, scheduleZeroFrom } from '../../bench/lib/mock-clock.mjs';

const limits = (rpm: number): LimitChangeSeen['limits'] => ({ rpm, tpm: null, concurrency: null });

describe('clockFrom', () => {
  it('maps the record clock to epoch through the midpoint of the probe', () => {
    const clock = clockFrom({ sentAt: 10_000, answeredAt: 10_002, receivedAt: 500, readyEpochMs: 9_900 });
    expect(clock.epochOffsetMs).toBe(9_501);
    expect(clock.scheduleZeroAt).toBe(399);
    expect(clock.roundTripMs).toBe(2);
  });
});

describe('scheduleZeroFrom', () => {
  const steps = [
    { atMs: 0, perMinute: 600 },
    { atMs: 8000, perMinute: 300 },
    { atMs: 18_000, perMinute: 600 },
  ];

  it('times the schedule from the first step seen to take effect', () => {
    const changes = [
      { beforeEpochMs: 18_990, seenEpochMs: 19_010, limits: limits(300) },
      { beforeEpochMs: 28_990, seenEpochMs: 29_010, limits: limits(600) },
    ];
    // Seen at epoch 19000 = record 9000 with an offset of 10000: 8 s after a zero at 1000.
    expect(scheduleZeroFrom(changes, steps, 10_000)).toBe(1000);
  });

  it('is null when no step was seen', () => {
    expect(scheduleZeroFrom([], steps, 0)).toBeNull();
  });
});
