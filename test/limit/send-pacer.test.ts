import { describe, expect, it } from 'vitest';
import { AcceptLog } from '../../src/limit/accept-log.js';
import { RefusalEvidence } from '../../src/limit/refusal-evidence.js';
import { PACER, SendPacer } from '../../src/limit/send-pacer.js';

function pacer() {
  let t = 0;
  const p = new SendPacer(() => t);
  return {
    p,
    at: (ms: number) => {
      t = ms;
    },
    now: () => t,
    /** Sends at `perSec` from now for `ms`, all accepted (returns the last send time). */
    sendAccepted(perSec: number, ms: number) {
      const gap = 1000 / perSec;
      const start = t;
      for (let s = start; s < start + ms; s += gap) {
        t = s;
        p.take();
        p.onAccepted(s);
      }
      t = start + ms;
    },
  };
}

describe('AcceptLog', () => {
  it('counts by 100-ms bin and forgets what is older than two minutes', () => {
    const log = new AcceptLog();
    for (let t = 0; t < 10_000; t += 100) log.add(t);
    expect(log.countBetween(0, 9_999)).toBe(100);
    expect(log.countBetween(5_000, 5_999)).toBe(10);
    // The same ring slots, reused 120 s later, do not carry old counts.
    log.add(130_000);
    expect(log.countBetween(129_000, 131_000)).toBe(1);
    expect(log.countBetween(0, 130_000)).toBe(1);
  });
});

describe('SendPacer', () => {
  it('is off until the first rate refusal, then paces at β × the accepted rate, without a burst', () => {
    const { p, at, sendAccepted, now } = pacer();
    sendAccepted(20, 3000);
    expect(p.engaged).toBe(false);
    expect(p.msUntilSend()).toBe(0);
    p.take();
    const episode = p.onRefused(now())!;
    expect(episode.basis).toBe('recent');
    expect(episode.estimatePerSec).toBeCloseTo(20, 0);
    expect(p.ratePerSec).toBeCloseTo(PACER.beta * episode.estimatePerSec, 5);
    // The bucket starts empty: the next send waits one interval.
    expect(p.msUntilSend()).toBeGreaterThanOrEqual(Math.floor(1000 / p.ratePerSec));
    // An idle minute saves up at most 100 ms of sends (at least one): no catch-up burst.
    at(now() + 60_000);
    let immediate = 0;
    while (p.msUntilSend() === 0 && immediate < 100) {
      p.take();
      immediate++;
    }
    expect(immediate).toBeGreaterThanOrEqual(1);
    expect(immediate).toBeLessThanOrEqual(Math.max(1, Math.ceil(p.ratePerSec * PACER.burstSeconds)));
  });

  it('learns a token bucket refill rate from the accepts between two episode onsets', () => {
    const { p, sendAccepted, now } = pacer();
    sendAccepted(30, 1000);
    p.onRefused(now());
    // 12.5 accepted per second for 8 s, then refused again: the refill rate.
    sendAccepted(12.5, 8000);
    const second = p.onRefused(now())!;
    expect(second.basis).toBe('between-onsets');
    expect(second.estimatePerSec).toBeCloseTo(12.5, 0);
  });

  it('answers once per episode: a refusal of a request sent before the reaction changes nothing', () => {
    const { p, sendAccepted, now, at } = pacer();
    sendAccepted(20, 2000);
    const sentBefore = now() - 10;
    expect(p.onRefused(now())).toBeDefined();
    at(now() + 5);
    expect(p.onRefused(sentBefore)).toBeUndefined();
    expect(p.episodeCount).toBe(1);
    // One sent after the reaction is a new episode.
    p.take();
    expect(p.onRefused(now())).toBeDefined();
    expect(p.episodeCount).toBe(2);
  });

  it('after a block, learns a window quota over its period and climbs back to it', () => {
    const { p, at, now } = pacer();
    // 600 accepted in the first second, then everything refused: an exhausted window.
    for (let i = 0; i < 600; i++) {
      at(i);
      p.take();
      p.onAccepted(i);
    }
    at(1000);
    p.take();
    p.onRefused(1000);
    at(1300);
    p.take();
    const blocked = p.onRefused(1300)!;
    expect(blocked.basis).toBe('blocked');
    expect(p.ratePerSec).toBe(PACER.floorPerSec);
    // Probes refused while blocked change nothing.
    at(20_000);
    p.take();
    expect(p.onRefused(20_000)?.basis).toBe('blocked');
    // The window reopens at 60 s: a probe is accepted. 600 over 60 s: 10/s.
    at(60_000);
    p.take();
    p.onAccepted(60_000);
    expect(p.ratePerSec).toBeCloseTo(PACER.floorPerSec, 5);
    at(61_000);
    expect(p.ratePerSec).toBeCloseTo(2 * PACER.floorPerSec, 5);
    at(70_000);
    expect(p.ratePerSec).toBeCloseTo(PACER.beta * (600 / 60), 1);
    expect(now()).toBe(70_000);
  });

  it('probes upward on a CUBIC curve: back to the estimate after recoverSeconds, then on past 2 × from a new plateau', () => {
    const { p, at, sendAccepted, now } = pacer();
    sendAccepted(10, 5000);
    const episode = p.onRefused(now())!;
    const start = now();
    const estimate = episode.estimatePerSec;
    at(start + PACER.recoverSeconds * 500);
    const halfway = p.ratePerSec;
    expect(halfway).toBeGreaterThan(PACER.beta * estimate);
    expect(halfway).toBeLessThan(estimate);
    at(start + PACER.recoverSeconds * 1000);
    expect(p.ratePerSec).toBeCloseTo(estimate, 5);
    // At twice the estimate with no refusal, that plateau becomes the estimate and probing goes on.
    at(start + 10 * PACER.recoverSeconds * 1000);
    const plateau = p.ratePerSec;
    expect(plateau).toBeGreaterThanOrEqual(PACER.maxGrowth * estimate - 1e-9);
    at(start + 10 * PACER.recoverSeconds * 1000 + 30_000);
    expect(p.ratePerSec).toBeGreaterThan(plateau);
  });
});

describe('RefusalEvidence', () => {
  it('puts a refusal above the level accepted in the last seconds down to concurrency, else to rate', () => {
    const e = new RefusalEvidence();
    for (let i = 0; i < 20; i++) e.onAccepted(i * 10, 1 + (i % 4));
    for (let i = 0; i < 5; i++) e.onAccepted(200 + i, 8);
    expect(e.acceptedInFlight(200)).toBe(8);
    expect(e.classify(210, 9)).toBe('concurrency');
    expect(e.classify(220, 8)).toBe('rate');
    expect(e.classify(230, 3)).toBe('rate');
    expect(e.summary.refusals).toEqual({ concurrency: 1, rate: 2 });
  });

  it('does not let one accept at a higher level make that level look allowed', () => {
    const e = new RefusalEvidence();
    for (let i = 0; i < 30; i++) e.onAccepted(i, 8);
    e.onAccepted(40, 9); // slipped in as a slot freed on the server
    expect(e.acceptedInFlight(50)).toBe(8);
    expect(e.classify(60, 9)).toBe('concurrency');
  });

  it('blames a full window that never paced on concurrency at the accepted level', () => {
    const e = new RefusalEvidence();
    for (let i = 0; i < 30; i++) e.onAccepted(i, 8);
    expect(e.classify(50, 8, { limit: 8, min: 1, pacing: false })).toBe('concurrency');
    expect(e.classify(60, 8, { limit: 8, min: 1, pacing: true })).toBe('rate');
    expect(e.classify(70, 8, { limit: 12, min: 1, pacing: false })).toBe('rate');
  });

  it('forgets accepts older than two 5-s blocks', () => {
    const e = new RefusalEvidence();
    for (let i = 0; i < 10; i++) e.onAccepted(i, 20);
    e.onAccepted(5_000, 2);
    expect(e.acceptedInFlight(5_001)).toBe(20);
    expect(e.acceptedInFlight(10_001)).toBe(2);
    expect(e.acceptedInFlight(15_001)).toBe(0);
  });
});
