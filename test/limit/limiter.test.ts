import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Limiter, type LimiterEvent, type LimiterOptions, type Permit } from '../../src/limit/limiter.js';
import { FakeClock } from '../helpers/fake-clock.js';

function setup(options: Omit<LimiterOptions, 'clock'>) {
  const clock = new FakeClock();
  const limiter = new Limiter({ ...options, clock });
  const events: LimiterEvent[] = [];
  limiter.onEvent((e) => events.push(e));
  return { clock, limiter, events };
}

/** Starts an acquire and records when (and in which order) it was granted. */
function track(limiter: Limiter, clock: FakeClock, tokens = 0, signal?: AbortSignal) {
  const state: { permit?: Permit; at?: number; error?: unknown } = {};
  limiter.acquire(tokens, signal).then(
    (permit) => {
      state.permit = permit;
      state.at = clock.now();
    },
    (error: unknown) => {
      state.error = error;
    },
  );
  return state;
}

const ok = { outcome: 'ok' as const };

describe('Limiter', () => {
  it('never exceeds a fixed limit and serves waiters FIFO', async () => {
    const { clock, limiter } = setup({ maxConcurrency: 2, adaptive: false });
    const order: number[] = [];
    const permits = new Map<number, Permit>();
    for (let i = 0; i < 6; i++) {
      void limiter.acquire(0).then((permit) => {
        order.push(i);
        permits.set(i, permit);
      });
    }
    await clock.advance(0);
    expect(order).toEqual([0, 1]);
    expect(limiter.waiting).toBe(4);
    // Release out of order: the freed slot still goes to the longest waiter.
    for (const i of [1, 0, 3, 2, 5, 4]) {
      permits.get(i)!.release(ok);
      await clock.advance(0);
      expect(limiter.inFlight).toBeLessThanOrEqual(2);
    }
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(limiter.inFlight).toBe(0);
  });

  it('property: in-flight never exceeds the (adaptive) limit under random completions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            hold: fc.integer({ min: 1, max: 500 }),
            outcome: fc.constantFrom('ok', 'rate_limited', 'http_5xx'),
          }),
          {
            minLength: 1,
            maxLength: 60,
          },
        ),
        async (jobs) => {
          const { clock, limiter } = setup({ maxConcurrency: 8, adaptive: true });
          let peakOver = 0;
          const all = jobs.map(async ({ hold, outcome }) => {
            const permit = await limiter.acquire(0);
            peakOver = Math.max(peakOver, limiter.inFlight - limiter.limit);
            expect(limiter.inFlight).toBeLessThanOrEqual(8);
            await clock.sleep(hold);
            permit.release({ outcome: outcome as 'ok' });
          });
          await clock.advance(120_000);
          await Promise.all(all);
          // A cut may leave more in flight than the new limit, but no grant ever exceeds it.
          expect(peakOver).toBeLessThanOrEqual(0);
          expect(limiter.inFlight).toBe(0);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('pins the limit when not adaptive, even through 429s', async () => {
    const { clock, limiter, events } = setup({ maxConcurrency: 5, adaptive: false });
    const p = await limiter.acquire(0);
    p.release({ outcome: 'rate_limited', status: 429 });
    await clock.advance(0);
    expect(limiter.limit).toBe(5);
    expect(events).toEqual([]);
  });

  it('spaces requests by the RPM budget using one timer at a time', async () => {
    const { clock, limiter } = setup({ maxConcurrency: 100, adaptive: false, rpm: 60 }); // burst 1, 1/s
    const states = Array.from({ length: 4 }, () => track(limiter, clock));
    await clock.advance(0);
    expect(clock.pending).toBe(1);
    await clock.advance(3000);
    expect(states.map((s) => s.at)).toEqual([0, 1000, 2000, 3000]);
    expect(clock.pending).toBe(0);
  });

  it('debits TPM with the estimate and corrects it with actual usage', async () => {
    const { clock, limiter } = setup({ maxConcurrency: 100, adaptive: false, tpm: 60_000 }); // burst 1200, 1/ms
    const first = await limiter.acquire(1000);
    const second = track(limiter, clock, 1000);
    await clock.advance(0);
    expect(second.permit).toBeUndefined(); // 200 left, needs 1000
    first.release({ outcome: 'ok', actualTokens: 100 }); // refunds 900
    await clock.advance(0);
    expect(second.at).toBe(0);
    second.permit!.release({ outcome: 'ok', actualTokens: 2100 }); // 1100 more than estimated
    const third = track(limiter, clock, 1000);
    await clock.advance(0);
    expect(third.permit).toBeUndefined();
    await clock.advance(5000);
    // Balance was 1100 − 1000 − 1100 = −1000 at t=0: 2000 ms until 1000 are back.
    expect(third.at).toBe(2000);
  });

  it('pauseUntil holds everyone, and a 429 with Retry-After holds the whole client', async () => {
    const { clock, limiter, events } = setup({ maxConcurrency: 10, adaptive: false });
    limiter.pauseUntil(500, 'test');
    const a = track(limiter, clock);
    const b = track(limiter, clock);
    await clock.advance(499);
    expect(a.permit).toBeUndefined();
    await clock.advance(1);
    expect([a.at, b.at]).toEqual([500, 500]);
    a.permit!.release({ outcome: 'rate_limited', status: 429, retryAfterMs: 2000 });
    const c = track(limiter, clock);
    await clock.advance(1999);
    expect(c.permit).toBeUndefined();
    await clock.advance(1);
    expect(c.at).toBe(2500);
    expect(events.map((e) => [e.kind, 'untilMs' in e ? e.untilMs : undefined])).toEqual([
      ['hold', 500],
      ['hold', 2500],
    ]);
  });

  it('adaptive: a refusal at a level the server accepted sets a send rate and keeps the concurrency limit', async () => {
    const { clock, limiter, events } = setup({ maxConcurrency: 64, adaptive: true, initialConcurrency: 10 });
    // Ten accepted sends at up to 2 in flight over 1 s, then one refused at 2 in flight: a rate limit.
    for (let i = 0; i < 10; i++) {
      const a = await limiter.acquire(0);
      const b = await limiter.acquire(0);
      a.release(ok);
      await clock.advance(50);
      b.release(ok);
      await clock.advance(50);
    }
    expect(limiter.ratePerSec).toBeNull();
    const first = await limiter.acquire(0);
    const refused = await limiter.acquire(0);
    first.release(ok);
    refused.release({ outcome: 'rate_limited', status: 429 });
    expect(limiter.limit).toBe(10);
    const rate = limiter.ratePerSec!;
    // 20 accepted in the last second (sent − refused, by send time): paced at β × that.
    expect(rate).toBeGreaterThan(10);
    expect(rate).toBeLessThanOrEqual(21);
    expect(events.map((e) => e.kind)).toEqual(['rate']);
    // Sends are now spaced by the rate, with no burst of saved-up sends.
    const a = track(limiter, clock);
    const b = track(limiter, clock);
    await clock.advance(Math.ceil(1000 / rate) + 1);
    expect(a.permit).toBeDefined();
    expect(b.permit).toBeUndefined();
    await clock.advance(Math.ceil(1000 / rate) + 1);
    expect(b.permit).toBeDefined();
    expect(limiter.state.evidence.refusals).toEqual({ concurrency: 0, rate: 1 });
  });

  it('adaptive: a refusal above the accepted level cuts concurrency to that level and holds no one', async () => {
    const { clock, limiter } = setup({ maxConcurrency: 64, adaptive: true, initialConcurrency: 6 });
    // Five in flight, all accepted, three times over.
    for (let round = 0; round < 3; round++) {
      const permits = await Promise.all(Array.from({ length: 5 }, () => limiter.acquire(0)));
      await clock.advance(100);
      for (const p of permits) p.release(ok);
    }
    const permits = await Promise.all(Array.from({ length: 6 }, () => limiter.acquire(0)));
    // The sixth, sent with six in flight, is refused — with a Retry-After, which holds only it.
    permits[5]!.release({ outcome: 'rate_limited', status: 429, retryAfterMs: 5000 });
    expect(limiter.limit).toBe(5);
    expect(limiter.ratePerSec).toBeNull();
    for (const p of permits.slice(0, 5)) p.release(ok);
    const next = track(limiter, clock);
    await clock.advance(0);
    expect(next.at).toBe(300);
    expect(limiter.state.evidence.refusals).toEqual({ concurrency: 1, rate: 0 });
  });

  it('adaptive: a Retry-After on a rate refusal pauses every send for that long', async () => {
    const { clock, limiter } = setup({ maxConcurrency: 64, adaptive: true });
    const a = await limiter.acquire(0);
    a.release(ok);
    await clock.advance(1000);
    const b = await limiter.acquire(0);
    b.release({ outcome: 'rate_limited', status: 429, retryAfterMs: 2000 });
    const next = track(limiter, clock);
    await clock.advance(1999);
    expect(next.permit).toBeUndefined();
    await clock.advance(10);
    expect(next.permit).toBeDefined();
  });

  it('adaptive: grows through slow start as completions arrive', async () => {
    const { clock, limiter } = setup({ maxConcurrency: 16, adaptive: true });
    expect(limiter.limit).toBe(4);
    // A saturated loop: more requests wait than the limit lets through.
    const pending = Array.from({ length: 40 }, () => limiter.acquire(0));
    for (const p of pending) {
      (await p).release(ok);
      await clock.advance(0);
    }
    expect(limiter.limit).toBe(16);
  });

  it('an abort while waiting rejects with the reason and takes nothing', async () => {
    const { clock, limiter } = setup({ maxConcurrency: 1, adaptive: false, rpm: 60_000 });
    const held = await limiter.acquire(0);
    const controller = new AbortController();
    const aborted = track(limiter, clock, 0, controller.signal);
    const behind = track(limiter, clock);
    await clock.advance(0);
    controller.abort(new Error('stop'));
    await clock.advance(0);
    expect((aborted.error as Error).message).toBe('stop');
    expect(limiter.waiting).toBe(1);
    expect(limiter.inFlight).toBe(1);
    held.release(ok);
    await clock.advance(0);
    expect(behind.permit).toBeDefined();
    expect(aborted.permit).toBeUndefined();
    await expect(limiter.acquire(0, AbortSignal.abort('already'))).rejects.toBe('already');
  });

  it('a second release of the same permit does nothing', async () => {
    const { limiter } = setup({ maxConcurrency: 2, adaptive: false });
    const p = await limiter.acquire(0);
    await limiter.acquire(0);
    p.release(ok);
    p.release(ok);
    expect(limiter.inFlight).toBe(1);
  });
});
