import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { capacity } from '../../src/capacity/run-capacity.js';
import { withMock } from '../helpers/mock.js';

const env = { STEP_API_KEY: 'k-capacity' };
const out = () => mkdtemp(join(tmpdir(), 'stepbench-cap-'));

describe('stepbench capacity against the mock', () => {
  it('finds a known concurrency limit within one step', async () => {
    await withMock(
      { seed: 1, ttftMs: 15, interTokenMs: 2, replyTokens: 10, maxConcurrency: 12 },
      async (mock) => {
        const o = await capacity({
          datasets: ['datasets/capacity.csv'],
          baseUrl: mock.url,
          env,
          max: 64,
          stepDuration: '700ms',
          // Only the server's 429s decide here: whether throughput grows with load (the
          // saturation rule) depends on how much CPU a loaded machine leaves the in-process mock,
          // so it is off: a gain of −100 % means any throughput counts as growth.
          minGain: -1,
          out: await out(),
        });
        expect(o.answer.sustainable?.load).toBeGreaterThanOrEqual(11);
        expect(o.answer.sustainable?.load).toBeLessThanOrEqual(12);
        expect(o.answer.rateLimitOnset?.load).toBeGreaterThan(12);
        expect(o.answer.rateLimitOnset?.load).toBeLessThanOrEqual(16);
        expect(o.report.capacity.curve.length).toBe(o.answer.steps);
        // Retries are off while measuring: every 429 the mock sent is a final outcome.
        const limited = o.report.phases?.reduce(
          (n, p) => n + (p.targets[0]?.summary?.outcomes.rate_limited ?? 0),
          0,
        );
        expect(limited).toBe(mock.stats.snapshot().rateLimited.concurrency);
      },
    );
  });

  it('finds a known RPM limit within one step (by rate)', async () => {
    // 600 RPM over a 1-s window: 10 requests per second.
    await withMock(
      { seed: 2, ttftMs: 5, interTokenMs: 1, replyTokens: 4, rpm: 600, rateWindowMs: 1000 },
      async (mock) => {
        const o = await capacity({
          datasets: ['datasets/capacity.csv'],
          baseUrl: mock.url,
          env,
          by: 'rate',
          start: 2,
          max: 40,
          stepDuration: '2s',
          stepCooldown: '1s',
          out: await out(),
        });
        const found = o.answer.sustainable?.load ?? 0;
        // Resolution for rate is max(0.5, start/10) = 0.5 req/s.
        expect(found).toBeGreaterThanOrEqual(8.5);
        expect(found).toBeLessThanOrEqual(10.5);
        // The rpm achieved there is requests over the step's sending window: never above what the
        // schedule asked (a late client stretches the window, so no lower bound but > 0).
        expect(o.answer.sustainable?.rpm).toBeGreaterThan(0);
        expect(o.answer.sustainable?.rpm).toBeLessThanOrEqual(found * 60 + 1e-6);
        expect(o.answer.stoppedBecause).toMatch(/429/);
      },
    );
  });
});
