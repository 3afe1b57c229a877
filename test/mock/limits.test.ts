import { describe, expect, test } from 'vitest';
import { AdmissionControl, effectiveLimits, hasAnyLimit } from '../../src/mock/limits.js';
import { STEPFUN_TIERS } from '../../src/plan/tiers.js';

/** A clock the test moves by hand. */
function fakeClock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const noLimits = { tier: null, maxConcurrency: null, rpm: null, tpm: null };

describe('effectiveLimits', () => {
  test('the tier table holds the documented numbers', () => {
    expect(STEPFUN_TIERS.V0).toEqual({ concurrency: 5, rpm: 10, tpm: 5_000_000 });
    expect(STEPFUN_TIERS.V3).toEqual({ concurrency: 400, rpm: 10_000, tpm: 40_000_000 });
    expect(STEPFUN_TIERS.V5).toEqual({ concurrency: 10_000, rpm: 200_000, tpm: 100_000_000 });
  });

  test('a tier preset applies whole; explicit limits override only their own dimension', () => {
    expect(effectiveLimits({ ...noLimits, tier: 'V1' })).toEqual({
      concurrency: 100,
      rpm: 1_000,
      tpm: 20_000_000,
    });
    expect(effectiveLimits({ ...noLimits, tier: 'V1', rpm: 7 })).toEqual({
      concurrency: 100,
      rpm: 7,
      tpm: 20_000_000,
    });
    expect(effectiveLimits({ ...noLimits, tpm: 50 })).toEqual({ concurrency: null, rpm: null, tpm: 50 });
    expect(hasAnyLimit(effectiveLimits(noLimits))).toBe(false);
  });
});

describe('AdmissionControl', () => {
  test('concurrency: the (N+1)th request in flight is refused until one finishes', () => {
    const admission = new AdmissionControl({ concurrency: 2, rpm: null, tpm: null }, fakeClock().now);
    const a = admission.tryAdmit(10);
    const b = admission.tryAdmit(10);
    const c = admission.tryAdmit(10);
    expect(a.admitted && b.admitted).toBe(true);
    expect(c).toMatchObject({ admitted: false, rejection: { reason: 'concurrency', retryAfterMs: 1_000 } });
    if (!c.admitted) expect(c.rejection.message).toMatch(/concurrency limit of 2/);
    if (a.admitted) {
      admission.release(a.ticket, 5);
      admission.release(a.ticket, 5); // twice is harmless
    }
    expect(admission.active).toBe(1);
    expect(admission.tryAdmit(10).admitted).toBe(true);
    expect(admission.tryAdmit(10).admitted).toBe(false);
  });

  test('a shorter rate window keeps the per-minute rate (rpm 600 over 1 s = 10 per second)', () => {
    const clock = fakeClock();
    const admission = new AdmissionControl({ concurrency: null, rpm: 600, tpm: null }, clock.now, 1000);
    for (let i = 0; i < 10; i++) expect(admission.tryAdmit(1).admitted).toBe(true);
    expect(admission.tryAdmit(1)).toMatchObject({ admitted: false, rejection: { reason: 'rpm' } });
    clock.advance(1001);
    expect(admission.tryAdmit(1).admitted).toBe(true);
  });

  test('RPM: a sliding 60 s window; rejected requests do not count', () => {
    const clock = fakeClock();
    const admission = new AdmissionControl({ concurrency: null, rpm: 3, tpm: null }, clock.now);
    const admit = () => admission.tryAdmit(1);
    expect(admit().admitted).toBe(true); // t=0
    clock.advance(20_000);
    expect(admit().admitted).toBe(true); // t=20s
    clock.advance(20_000);
    expect(admit().admitted).toBe(true); // t=40s
    clock.advance(10_000);
    const refused = admit(); // t=50s: window full; the t=0 request leaves at t=60s
    expect(refused).toMatchObject({
      admitted: false,
      rejection: {
        reason: 'rpm',
        retryAfterMs: 10_000,
        requests: { limit: 3, remaining: 0, resetMs: 10_000 },
      },
    });
    // Hammering while refused changes nothing: rejections are not counted.
    for (let i = 0; i < 50; i++) expect(admit().admitted).toBe(false);
    clock.advance(9_999);
    expect(admit().admitted).toBe(false);
    clock.advance(1); // t=60s
    expect(admit().admitted).toBe(true);
    expect(admit().admitted).toBe(false); // t=20s and t=40s still inside, plus this one
  });

  test('TPM: prompt counted on admission, completion when the request finishes', () => {
    const clock = fakeClock();
    const admission = new AdmissionControl({ concurrency: null, rpm: null, tpm: 100 }, clock.now);
    const first = admission.tryAdmit(40);
    expect(first.admitted).toBe(true);
    clock.advance(1_000);
    // 40 used + 60 asked = 100: at the limit is still allowed.
    const second = admission.tryAdmit(60);
    expect(second.admitted).toBe(true);
    if (!first.admitted || !second.admitted) throw new Error('unreachable');
    clock.advance(1_000);
    admission.release(first.ticket, 0);
    expect(admission.tryAdmit(1)).toMatchObject({ admitted: false, rejection: { reason: 'tpm' } });
    clock.advance(57_000); // t=59s: the first prompt leaves at 60 s
    const refused = admission.tryAdmit(30);
    expect(refused).toMatchObject({
      admitted: false,
      rejection: { reason: 'tpm', retryAfterMs: 1_000, tokens: { limit: 100, remaining: 0, resetMs: 1_000 } },
    });
    if (!refused.admitted) expect(refused.rejection.message).toMatch(/TPM limit of 100/);
    clock.advance(1_000); // t=60s: 60 left in the window
    expect(admission.tryAdmit(30).admitted).toBe(true); // now 90
    admission.release(second.ticket, 20); // completion tokens land now: 110 > 100
    expect(admission.tryAdmit(0)).toMatchObject({ admitted: false, rejection: { reason: 'tpm' } });
  });

  test('TPM: a prompt larger than the whole limit is refused with a full-window wait', () => {
    const admission = new AdmissionControl({ concurrency: null, rpm: null, tpm: 10 }, fakeClock().now);
    expect(admission.tryAdmit(11)).toMatchObject({ admitted: false, rejection: { retryAfterMs: 60_000 } });
  });

  test('limits are checked concurrency, RPM, TPM; the first one hit is the reason', () => {
    const admission = new AdmissionControl({ concurrency: 1, rpm: 1, tpm: 1 }, fakeClock().now);
    expect(admission.tryAdmit(1).admitted).toBe(true);
    const refused = admission.tryAdmit(1);
    expect(refused).toMatchObject({ admitted: false, rejection: { reason: 'concurrency' } });
    // Both window states ride along for rate-limit headers.
    if (!refused.admitted) {
      expect(refused.rejection.requests).toEqual({ limit: 1, remaining: 0, resetMs: 60_000 });
      expect(refused.rejection.tokens).toEqual({ limit: 1, remaining: 0, resetMs: 60_000 });
    }
  });
});
