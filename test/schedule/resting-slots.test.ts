import { describe, expect, it } from 'vitest';
import { REFUSED_SLOT_REST, RestingSlots } from '../../src/schedule/resting-slots.js';

describe('RestingSlots', () => {
  it('rests a refused slot for the mean time served jobs held theirs', () => {
    const slots = new RestingSlots();
    slots.served(100);
    slots.served(300);
    expect(slots.refused(1_000)).toBe(200);
    expect(slots.count(1_199)).toBe(1);
    expect(slots.nextWake()).toBe(1_200);
    expect(slots.count(1_200)).toBe(0);
    expect(slots.nextWake()).toBe(Number.POSITIVE_INFINITY);
  });

  it('backs off from 100 ms, doubling per refusal in a row, until a job is served', () => {
    const slots = new RestingSlots();
    const rests = Array.from({ length: 7 }, () => slots.refused(0));
    expect(rests).toEqual([100, 200, 400, 800, 1600, 3200, REFUSED_SLOT_REST.maxMs]);
    expect(slots.count(0)).toBe(7);
    slots.served(50);
    expect(slots.refused(0)).toBe(50);
  });
});
