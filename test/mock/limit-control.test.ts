import { describe, expect, test } from 'vitest';
import { parseLimitSchedule } from '../../src/mock/limit-schedule.js';
import type { LimitShapeName } from '../../src/mock/limit-shapes/index.js';
import { AdmissionControl, type EffectiveLimits } from '../../src/mock/limits.js';
import { formatGoDuration, rateLimitHeaders } from '../../src/mock/rate-limit-headers.js';

/** A clock the test moves by hand. */
function fakeClock(start = 0) {
  let t = start;
  return { now: () => t, set: (ms: number) => (t = ms), advance: (ms: number) => (t += ms) };
}

const none: EffectiveLimits = { concurrency: null, rpm: null, tpm: null };

/** Admits 1-token requests (released at once) until one is refused; how many got in. */
function burst(admission: AdmissionControl): number {
  let passed = 0;
  for (;;) {
    const result = admission.tryAdmit(1);
    if (!result.admitted) return passed;
    admission.release(result.ticket, 0);
    passed++;
  }
}

describe('AdmissionControl with each shape', () => {
  test('token bucket: the burst at once, then limit/60 per second', () => {
    const clock = fakeClock();
    const admission = new AdmissionControl({ ...none, rpm: 600 }, clock.now, 60_000, {
      shape: 'token-bucket',
      rpmBurst: 5,
    });
    expect(burst(admission)).toBe(5);
    // Asking every 100 ms for 3 s gets 10/s; asking once a second gets at most the burst.
    let passed = 0;
    for (let step = 0; step < 30; step++) {
      clock.advance(100);
      passed += burst(admission);
    }
    expect(passed).toBe(30);
    clock.advance(1_000);
    expect(burst(admission)).toBe(5);
    expect(admission.inForce()).toEqual({
      shape: 'token-bucket',
      concurrency: null,
      rpm: 600,
      tpm: null,
      rpmBurst: 5,
      tpmBurst: null,
    });
  });

  test('fixed window: a burst at the end of a window and at the start of the next both pass', () => {
    const clock = fakeClock(59_000);
    const admission = new AdmissionControl({ ...none, rpm: 4 }, clock.now, 60_000, { shape: 'fixed-window' });
    expect(burst(admission)).toBe(4);
    clock.set(60_000);
    expect(burst(admission)).toBe(4);
  });

  test('TPM in a token bucket: prompt on admission, completion when the request finishes', () => {
    const clock = fakeClock();
    const admission = new AdmissionControl({ ...none, tpm: 6000 }, clock.now, 60_000, {
      shape: 'token-bucket',
      tpmBurst: 100,
    }); // 100 tokens/s
    const first = admission.tryAdmit(60);
    expect(first.admitted).toBe(true);
    if (!first.admitted) return;
    admission.release(first.ticket, 60); // 100 − 60 − 60 = −20
    const refused = admission.tryAdmit(30);
    expect(refused).toMatchObject({ admitted: false, rejection: { reason: 'tpm', retryAfterMs: 500 } });
    clock.advance(500);
    expect(admission.tryAdmit(30).admitted).toBe(true);
  });

  test.each<[LimitShapeName, number]>([
    ['sliding', 60_000],
    ['fixed-window', 45_000],
    ['token-bucket', 6_000],
  ])('%s: Retry-After and x-ratelimit-* carry the binding shape’s resetMs', (shape, resetMs) => {
    const clock = fakeClock(15_000);
    const admission = new AdmissionControl({ ...none, rpm: 10 }, clock.now, 60_000, {
      shape,
      ...(shape === 'token-bucket' ? { rpmBurst: 10 } : {}),
    });
    expect(burst(admission)).toBe(10);
    const refused = admission.tryAdmit(1);
    if (refused.admitted) throw new Error('should be refused');
    const { rejection } = refused;
    expect(rejection).toMatchObject({ reason: 'rpm', requests: { limit: 10, remaining: 0 } });
    expect(rejection.retryAfterMs).toBeCloseTo(resetMs, 6);
    expect(rateLimitHeaders('seconds', rejection)).toEqual({ 'Retry-After': String(resetMs / 1000) });
    expect(rateLimitHeaders('ms', rejection)).toEqual({ 'retry-after-ms': String(resetMs) });
    expect(rateLimitHeaders('none', rejection)).toEqual({});
    expect(rateLimitHeaders('openai', rejection)).toMatchObject({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': formatGoDuration(resetMs),
    });
  });
});

describe('limits that change during a run', () => {
  test('the schedule switches RPM at the right times (a 1 s window: rpm 600 = 10 per window)', () => {
    const clock = fakeClock();
    const admission = new AdmissionControl({ ...none, rpm: 600 }, clock.now, 1_000, {
      schedule: parseLimitSchedule('30s:300,60s:600', 'x'),
    });
    const perSecond: number[] = [];
    for (let second = 0; second < 90; second++) {
      clock.set(second * 1_000 + 500);
      perSecond.push(burst(admission));
    }
    expect(perSecond.slice(0, 30)).toEqual(Array(30).fill(10));
    expect(perSecond.slice(30, 60)).toEqual(Array(30).fill(5));
    expect(perSecond.slice(60)).toEqual(Array(30).fill(10));
    expect(admission.limits.rpm).toBe(600);
  });

  test('a step is due exactly at its time, counted from when the admission started', () => {
    const clock = fakeClock(1_000);
    const admission = new AdmissionControl(none, clock.now, 60_000, {
      schedule: parseLimitSchedule('10s:concurrency=1,20s:concurrency=off', 'x'),
    });
    clock.set(10_999);
    expect(admission.limits.concurrency).toBeNull();
    clock.set(11_000);
    expect(admission.limits.concurrency).toBe(1);
    const held = admission.tryAdmit(1);
    expect(held.admitted).toBe(true);
    expect(admission.tryAdmit(1)).toMatchObject({ admitted: false, rejection: { reason: 'concurrency' } });
    clock.set(21_000);
    expect(admission.tryAdmit(1).admitted).toBe(true);
  });

  test('a token-bucket step retunes at its due time, not at the next request', () => {
    const clock = fakeClock();
    const admission = new AdmissionControl({ ...none, rpm: 600 }, clock.now, 60_000, {
      shape: 'token-bucket',
      rpmBurst: 10,
      schedule: parseLimitSchedule('1s:60', 'x'),
    });
    expect(burst(admission)).toBe(10);
    clock.set(1_500); // 10 tokens earned by 1 s at 10/s, then 0.5 at 1/s
    expect(burst(admission)).toBe(10);
    expect(admission.tryAdmit(1)).toMatchObject({ admitted: false, rejection: { retryAfterMs: 1_000 } });
  });

  test('update changes limits at once; counts stay, so lowering and raising let no burst through', () => {
    const clock = fakeClock();
    const admission = new AdmissionControl({ ...none, rpm: 10 }, clock.now, 60_000);
    expect(burst(admission)).toBe(10);
    admission.update({ rpm: 5 });
    expect(burst(admission)).toBe(0);
    admission.update({ rpm: 12 });
    expect(burst(admission)).toBe(2); // 12 in the window, not 12 more
    admission.update({ rpm: null, concurrency: 3 });
    expect(admission.inForce()).toMatchObject({ rpm: null, concurrency: 3 });
  });

  test('raising a token bucket keeps its tokens; a bucket switched on from none starts full', () => {
    const clock = fakeClock();
    const admission = new AdmissionControl({ ...none, rpm: 600 }, clock.now, 60_000, {
      shape: 'token-bucket',
    });
    expect(burst(admission)).toBe(10);
    admission.update({ rpm: 6000 }); // default burst follows the limit: 100, but the bucket stays empty
    expect(admission.inForce().rpmBurst).toBe(100);
    expect(burst(admission)).toBe(0);
    admission.update({ rpmBurst: 2 });
    clock.advance(1_000);
    expect(burst(admission)).toBe(2);
    admission.update({ tpm: 1000, tpmBurst: 50 }); // a full bucket of 50 tokens
    expect(admission.tryAdmit(50)).toMatchObject({ admitted: false, rejection: { reason: 'rpm' } });
    clock.advance(1_000);
    expect(admission.tryAdmit(50).admitted).toBe(true);
    expect(admission.tryAdmit(1)).toMatchObject({ admitted: false, rejection: { reason: 'tpm' } });
  });

  test('a window limit switched on from none counts what was admitted before', () => {
    const clock = fakeClock();
    const admission = new AdmissionControl(none, clock.now, 60_000, { shape: 'fixed-window' });
    expect(admission.inForce()).toMatchObject({ shape: 'fixed-window', rpm: null, rpmBurst: null });
    for (let i = 0; i < 3; i++) expect(admission.tryAdmit(1).admitted).toBe(true);
    admission.update({ rpm: 4 });
    expect(burst(admission)).toBe(1);
    clock.set(60_000);
    expect(burst(admission)).toBe(4);
  });

  test('concurrency lowered below the requests in flight waits for them to finish', () => {
    const admission = new AdmissionControl({ ...none, concurrency: 4 }, fakeClock().now);
    const tickets = [1, 2, 3].map(() => admission.tryAdmit(1));
    admission.update({ concurrency: 2 });
    expect(admission.tryAdmit(1).admitted).toBe(false);
    for (const t of tickets.slice(0, 2)) if (t.admitted) admission.release(t.ticket, 0);
    expect(admission.tryAdmit(1).admitted).toBe(true);
  });
});
