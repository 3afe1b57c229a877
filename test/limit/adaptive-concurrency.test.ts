import { describe, expect, it } from 'vitest';
import {
  AdaptiveConcurrency,
  FIRST_EPISODE_HOLD_MS,
  type LimitEvent,
  MAX_EPISODE_HOLD_MS,
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
    c.onRateLimited(undefined, 0);
    expect(c.limit).toBe(28);
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

  it('cuts once per 429 episode, then grows additively after the cooldown', () => {
    const { c, completeUsed, advance, events } = controller({ initial: 32, cooldownMs: 1000 });
    expect(c.onRateLimited()).toBe(true);
    expect(c.limit).toBe(22); // floor(32 × 0.7)
    expect(c.phase).toBe('avoidance');
    // Requests already in flight come back 429 too: same episode, no further cut.
    advance(500);
    expect(c.onRateLimited()).toBe(false);
    expect(c.limit).toBe(22);
    // Growth is held during the episode.
    completeUsed(100);
    expect(c.limit).toBe(22);
    advance(600);
    completeUsed(22);
    expect(c.limit).toBe(23);
    completeUsed(23);
    expect(c.limit).toBe(24);
    expect(events.filter((e) => e.kind === 'decrease')).toHaveLength(1);
  });

  it('a later 429 after the episode cuts again', () => {
    const { c, advance } = controller({ initial: 32 });
    c.onRateLimited();
    advance(5000);
    expect(c.onRateLimited()).toBe(true);
    expect(c.limit).toBe(15); // 22 → floor(15.4)
  });

  it('holds growth for Retry-After when it is longer than the cooldown', () => {
    const { c, advance, completeUsed } = controller({ initial: 10, cooldownMs: 1000 });
    c.onRateLimited(5000);
    expect(c.growthHeldUntil).toBe(5000);
    advance(4000);
    completeUsed(10);
    expect(c.limit).toBe(7);
    expect(c.onRateLimited()).toBe(false);
    advance(1001);
    completeUsed(7);
    expect(c.limit).toBe(8);
  });

  it('doubles the send hold for back-to-back episodes, growth waits at least a cooldown', () => {
    const { c, advance } = controller({ initial: 64, cooldownMs: 1000 });
    c.onRateLimited(undefined, 0);
    expect(c.sendingHeldUntil).toBe(FIRST_EPISODE_HOLD_MS);
    expect(c.growthHeldUntil).toBe(1000);
    // Sent after the hold and refused again: back to back.
    advance(FIRST_EPISODE_HOLD_MS + 10);
    c.onRateLimited(undefined, FIRST_EPISODE_HOLD_MS + 5);
    expect(c.sendingHeldUntil).toBe(FIRST_EPISODE_HOLD_MS + 10 + 2 * FIRST_EPISODE_HOLD_MS);
    // Long after: a lone episode again.
    advance(10_000);
    const now = 10_000 + FIRST_EPISODE_HOLD_MS + 10;
    c.onRateLimited(undefined, now - 1);
    expect(c.sendingHeldUntil).toBe(now + FIRST_EPISODE_HOLD_MS);
    expect(c.growthHeldUntil).toBe(now + 1000);
  });

  it('caps the send hold at MAX_EPISODE_HOLD_MS', () => {
    const { c, advance } = controller({ initial: 64, cooldownMs: 1000 });
    let t = 0;
    for (let i = 0; i < 12; i++) {
      c.onRateLimited(undefined, t);
      const held = c.sendingHeldUntil - t;
      expect(held).toBeLessThanOrEqual(MAX_EPISODE_HOLD_MS);
      advance(held + 1);
      t += held + 1;
    }
    expect(c.sendingHeldUntil - (t - MAX_EPISODE_HOLD_MS - 1)).toBe(MAX_EPISODE_HOLD_MS);
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
    c.onRateLimited();
    expect(c.limit).toBe(1);
    expect(events).toEqual([expect.objectContaining({ kind: 'pause', limit: 1 })]);
  });

  it('rejects nonsense options', () => {
    expect(() => new AdaptiveConcurrency({ max: 0, now: () => 0 })).toThrow(RangeError);
    expect(() => new AdaptiveConcurrency({ max: 4, decreaseFactor: 1, now: () => 0 })).toThrow(RangeError);
    expect(new AdaptiveConcurrency({ max: 2, now: () => 0 }).limit).toBe(2);
  });
});
