import { describe, expect, it } from 'vitest';
import {
  AdaptiveConcurrency,
  type LimitEvent,
  MAX_CEILING_HOLD_MS,
} from '../../src/limit/adaptive-concurrency.js';

function controller(options: { initial?: number; max?: number; cooldownMs?: number } = {}) {
  let t = 0;
  const events: LimitEvent[] = [];
  const c = new AdaptiveConcurrency({ max: 64, ...options, now: () => t });
  c.onEvent((e) => events.push(e));
  return {
    c,
    events,
    advance: (ms: number) => {
      t += ms;
    },
    /** `n` completions, each with the limit in use (a saturated closed loop). */
    completeUsed(n: number) {
      for (let i = 0; i < n; i++) {
        c.noteInFlight(c.limit);
        c.onSuccess();
      }
    },
  };
}

describe('AdaptiveConcurrency', () => {
  it('slow start grows by one per used completion (a doubling per round), capped at max', () => {
    const { c, completeUsed, events } = controller({ initial: 4, max: 20 });
    completeUsed(3);
    expect(c.limit).toBe(7);
    completeUsed(1);
    expect(c.limit).toBe(8);
    completeUsed(8);
    expect(c.limit).toBe(16);
    completeUsed(100);
    expect(c.limit).toBe(20);
    expect(events).toHaveLength(16);
    expect(events.every((e) => e.kind === 'increase' && e.reason === 'slow start')).toBe(true);
  });

  it('after a cut, slow start stops at the threshold and growth turns additive', () => {
    const { c, completeUsed, advance } = controller({ initial: 40, cooldownMs: 1000 });
    c.onConcurrencyLimit(0, 0);
    expect(c.limit).toBe(28); // no accepted level known: floor(40 × 0.7)
    advance(1000);
    completeUsed(27);
    expect(c.limit).toBe(28);
    completeUsed(1);
    expect(c.limit).toBe(29);
  });

  it('grows only when the current limit was actually used', () => {
    const { c } = controller({ initial: 4 });
    c.noteInFlight(3);
    for (let i = 0; i < 50; i++) c.onSuccess();
    expect(c.limit).toBe(4);
    c.noteInFlight(4);
    c.onSuccess();
    expect(c.limit).toBe(5);
  });

  it('cuts to the accepted level once per episode, then grows additively after the hold', () => {
    const { c, completeUsed, advance, events } = controller({ initial: 32, cooldownMs: 1000 });
    advance(10);
    expect(c.onConcurrencyLimit(30, 5)).toBe(true);
    expect(c.limit).toBe(30);
    expect(c.phase).toBe('avoidance');
    // Requests sent before the episode began come back refused too: same episode, no further cut.
    advance(500);
    expect(c.onConcurrencyLimit(29, 8)).toBe(false);
    expect(c.limit).toBe(30);
    // Growth is held for the first hold (the cooldown).
    completeUsed(100);
    expect(c.limit).toBe(30);
    advance(600);
    completeUsed(30);
    expect(c.limit).toBe(31);
    expect(events.filter((e) => e.kind === 'decrease')).toHaveLength(1);
  });

  it('an accepted level no lower than the limit falls back to the factor', () => {
    const { c } = controller({ initial: 20 });
    c.onConcurrencyLimit(20, 0);
    expect(c.limit).toBe(14);
  });

  it('doubles the growth hold each time the same ceiling refuses again, up to MAX_CEILING_HOLD_MS', () => {
    const { c, advance, completeUsed } = controller({ initial: 9, cooldownMs: 1000 });
    const holds: number[] = [];
    let t = 0;
    for (let i = 0; i < 8; i++) {
      // Back at the ceiling of 9 after the hold, refused again there.
      advance(1);
      t++;
      expect(c.onConcurrencyLimit(8, t)).toBe(true);
      expect(c.limit).toBe(8);
      holds.push(c.growthHeldUntil - t);
      advance(c.growthHeldUntil - t);
      t = c.growthHeldUntil;
      completeUsed(8);
      expect(c.limit).toBe(9);
    }
    expect(holds).toEqual([
      1000,
      2000,
      4000,
      8000,
      16000,
      MAX_CEILING_HOLD_MS,
      MAX_CEILING_HOLD_MS,
      MAX_CEILING_HOLD_MS,
    ]);
    // A refusal at another ceiling starts the holds over.
    advance(1);
    t++;
    completeUsed(9);
    expect(c.limit).toBe(10);
    c.onConcurrencyLimit(9, t);
    expect(c.growthHeldUntil).toBe(t + 1000);
  });

  it('regains the levels below a refusal at once when acceptances lag the ramp, then holds the probe', () => {
    const { c, completeUsed, advance } = controller({ initial: 16, cooldownMs: 1000 });
    advance(10);
    // Refused at 15 in flight while only level 6 has come back accepted (slow replies).
    c.onConcurrencyLimit(6, 5, 15);
    expect(c.limit).toBe(6);
    completeUsed(8);
    expect(c.limit).toBe(14);
    // Past the refused level only after the hold.
    completeUsed(50);
    expect(c.limit).toBe(14);
    advance(1000);
    completeUsed(14);
    expect(c.limit).toBe(15);
  });

  it('returns to slow start once the send pacer holds a rate limit', () => {
    const { c } = controller({ initial: 20 });
    c.onConcurrencyLimit(0, 0);
    expect(c.phase).toBe('avoidance');
    c.onRateLimitPaced();
    expect(c.phase).toBe('slow-start');
  });

  it('5xx trouble pauses growth but never cuts', () => {
    const { c, advance, completeUsed, events } = controller({ initial: 8, cooldownMs: 1000 });
    c.onTrouble('HTTP 503');
    c.onTrouble('HTTP 503');
    expect(c.limit).toBe(8);
    completeUsed(50);
    expect(c.limit).toBe(8);
    advance(1000);
    completeUsed(8);
    expect(c.limit).toBe(16);
    expect(events.map((e) => e.kind)).toEqual(['pause', ...Array(8).fill('increase')]);
    expect(events[0]).toMatchObject({ reason: 'HTTP 503', limit: 8, untilMs: 1000 });
  });

  it('never cuts below min and reports a pause instead', () => {
    const { c, events } = controller({ initial: 1 });
    c.onConcurrencyLimit(0, 0);
    expect(c.limit).toBe(1);
    expect(events).toEqual([expect.objectContaining({ kind: 'pause', limit: 1 })]);
  });

  it('rejects nonsense options', () => {
    expect(() => new AdaptiveConcurrency({ max: 0, now: () => 0 })).toThrow(RangeError);
    expect(() => new AdaptiveConcurrency({ max: 4, decreaseFactor: 1, now: () => 0 })).toThrow(RangeError);
    expect(new AdaptiveConcurrency({ max: 2, now: () => 0 }).limit).toBe(2);
  });
});
