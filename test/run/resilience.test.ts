import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import { withMock } from '../helpers/mock.js';

async function results(path: string): Promise<JobResult[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as JobResult);
}
const out = () => mkdtemp(join(tmpdir(), 'stepbench-res-'));
const env = { STEP_API_KEY: 'k-resilience' };
const fastRetries = { retries: 6 };

describe('never lose a row', () => {
  it('retries 500/503, mid-stream errors and abrupt closes until every row is ok', async () => {
    await withMock(
      {
        seed: 3,
        ttftMs: 2,
        interTokenMs: 1,
        replyTokens: 8,
        errorRate500: 0.05,
        errorRate503: 0.05,
        midStreamErrorRate: 0.05,
        abruptCloseRate: 0.05,
      },
      async (mock) => {
        const o = await run({
          datasets: ['datasets/capacity.csv'],
          baseUrl: mock.url,
          env,
          concurrency: 16,
          requests: 120,
          out: await out(),
          ...fastRetries,
        });
        const rs = await results(o.resultsPath);
        expect(rs).toHaveLength(120);
        expect(new Set(rs.map((r) => r.key)).size).toBe(120);
        expect(rs.filter((r) => r.outcome !== 'ok')).toEqual([]);
        // Every attempt the client recorded is a request the server saw, and the other way round.
        const attempts = rs.reduce((n, r) => n + r.attempts.length, 0);
        expect(attempts).toBe(mock.stats.requests);
        const faults = mock.stats.snapshot().faults;
        expect(faults.error500 + faults.error503 + faults.midStreamError + faults.abruptClose).toBe(
          attempts - 120,
        );
        const retried = rs.filter((r) => r.attempts.length > 1);
        expect(retried.length).toBeGreaterThan(10);
        for (const r of retried) {
          // The final attempt is the one measured; earlier ones are kept with their outcome.
          expect(r.attempts.at(-1)?.outcome).toBe('ok');
          expect(r.attempts.slice(0, -1).every((a) => a.outcome !== 'ok')).toBe(true);
          expect(r.durations.latency).toBeGreaterThan(r.durations.e2e);
        }
        expect(o.report.targets[0]?.summary.attempts.attempts).toBe(attempts);
      },
    );
  });

  it('finishes every row against a concurrency-limited server, adapting instead of failing', async () => {
    await withMock(
      { seed: 5, ttftMs: 20, interTokenMs: 2, replyTokens: 10, maxConcurrency: 6 },
      async (mock) => {
        const o = await run({
          datasets: ['datasets/capacity.csv'],
          baseUrl: mock.url,
          env,
          concurrency: 32,
          requests: 80,
          out: await out(),
          retries: 8,
        });
        const rs = await results(o.resultsPath);
        expect(rs).toHaveLength(80);
        expect(rs.every((r) => r.outcome === 'ok')).toBe(true);
        const limited = mock.stats.snapshot().rateLimited.concurrency;
        // The limiter learns the server's limit: 429s stay a small share of all attempts.
        expect(limited / mock.stats.requests).toBeLessThan(0.25);
        expect(o.report.limits?.finalConcurrency).toBeLessThanOrEqual(12);
        expect(o.report.timeline?.events.some((e) => e.kind === 'decrease')).toBe(true);
        expect(o.report.timeline?.buckets.reduce((n, b) => n + b.rateLimited, 0)).toBe(limited);
      },
    );
  });

  it('honours Retry-After from the server', async () => {
    await withMock(
      { seed: 9, ttftMs: 1, interTokenMs: 0, replyTokens: 4, maxConcurrency: 2, retryAfter: 'seconds' },
      async (mock) => {
        const o = await run({
          datasets: ['datasets/smoke.csv'],
          baseUrl: mock.url,
          env,
          concurrency: 8,
          adaptive: false,
          out: await out(),
        });
        const rs = await results(o.resultsPath);
        expect(rs.every((r) => r.outcome === 'ok')).toBe(true);
        const waits = rs.flatMap((r) => r.attempts.filter((a) => a.attempt > 1).map((a) => a.waitMs));
        expect(waits.length).toBeGreaterThan(0);
        // The mock asks for 1 s on a concurrency 429; the retry waits exactly that.
        for (const w of waits) expect(w).toBe(1000);
      },
    );
  });

  it('names each timeout and never retries past --retries', async () => {
    await withMock({ seed: 1, ttftMs: 5, stallRate: 1, stallPhase: 'before-headers' }, async (mock) => {
      const o = await run({
        datasets: ['datasets/smoke.csv'],
        baseUrl: mock.url,
        env,
        concurrency: 4,
        retries: 1,
        timeouts: { firstToken: '100ms' },
        out: await out(),
      });
      const rs = await results(o.resultsPath);
      expect(rs).toHaveLength(10);
      for (const r of rs) {
        expect(r.outcome).toBe('timeout_first_token');
        expect(r.attempts).toHaveLength(2);
      }
      expect(mock.stats.requests).toBe(20);
      expect(o.report.targets[0]?.summary.outcomes.timeout_first_token).toBe(10);
    });
    await withMock(
      { seed: 1, ttftMs: 5, interTokenMs: 1, stallRate: 1, stallPhase: 'mid-stream' },
      async (mock) => {
        const o = await run({
          datasets: ['datasets/smoke.csv'],
          baseUrl: mock.url,
          env,
          retries: 0,
          timeouts: { idle: '100ms' },
          out: await out(),
        });
        expect((await results(o.resultsPath)).map((r) => r.outcome)).toEqual(Array(10).fill('timeout_idle'));
      },
    );
  });

  it('never retries 400/451, and stops at once on 402 with exit code 3', async () => {
    await withMock({ seed: 1, ttftMs: 1, moderationPattern: '杭州' }, async (mock) => {
      const o = await run({ datasets: ['datasets/smoke.csv'], baseUrl: mock.url, env, out: await out() });
      const rs = await results(o.resultsPath);
      const filtered = rs.filter((r) => r.outcome === 'content_filter');
      expect(filtered.length).toBeGreaterThan(0);
      for (const r of filtered) expect(r.attempts).toHaveLength(1);
      expect(mock.stats.snapshot().faults.moderation451).toBe(filtered.length);
    });
    await withMock({ seed: 1, ttftMs: 1, balanceRequests: 5 }, async (mock) => {
      const o = await run({
        datasets: ['datasets/capacity.csv'],
        baseUrl: mock.url,
        env,
        concurrency: 2,
        out: await out(),
      });
      expect(o.exitCode).toBe(3);
      expect(o.aborted).toMatch(/balance|quota|402/i);
      expect(mock.stats.requests).toBeLessThan(12);
    });
  });

  it('--max-error-rate aborts a failing run with exit code 3', async () => {
    await withMock({ seed: 2, ttftMs: 1, errorRate500: 0.6 }, async (mock) => {
      const o = await run({
        datasets: ['datasets/capacity.csv'],
        baseUrl: mock.url,
        env,
        retries: 0,
        maxErrorRate: 0.2,
        concurrency: 4,
        out: await out(),
      });
      expect(o.exitCode).toBe(3);
      expect(o.aborted).toMatch(/max-error-rate/);
      expect(mock.stats.requests).toBeLessThan(60);
    });
  });

  it('holds itself to --rpm: no 60-s window ever sees more than the budget allows', async () => {
    await withMock({ seed: 4, ttftMs: 1, interTokenMs: 0, replyTokens: 2 }, async (mock) => {
      await run({
        datasets: ['datasets/capacity.csv'],
        baseUrl: mock.url,
        env,
        concurrency: 8,
        rpm: 600,
        requests: 25,
        out: await out(),
      });
      const starts = mock.stats.records.map((r) => r.receivedAt).sort((a, b) => a - b);
      expect(starts).toHaveLength(25);
      // 600/min is 10/s with a burst of 2 % of a minute (12): 25 requests need ≥ ~1.3 s.
      expect((starts.at(-1) as number) - (starts[0] as number)).toBeGreaterThan(1000);
    });
  });
});
