import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MockOptionsInput } from '../../src/mock/index.js';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import { withMock } from '../helpers/mock.js';

/**
 * The adaptive controller (design note 005) against each of the mock's limit shapes in real time:
 * bounded (60 rows, a few seconds each), asserting behaviour — every row answered, every attempt
 * recorded, what bound the run — and a 429 share with a wide margin for a loaded machine. The
 * tight figures are the simulation's (test/limit/shaped-simulation.test.ts) and the bench's.
 */
const env = { STEP_API_KEY: 'k-limits' };
const ROWS = 60;
const FAST = { seed: 9, ttftMs: 3, interTokenMs: 1, replyTokens: 5 } as const;

async function results(path: string): Promise<JobResult[]> {
  return (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as JobResult);
}

const cases: Array<{ name: string; mock: MockOptionsInput; bound: 'rate' | 'concurrency' }> = [
  {
    name: 'token-bucket RPM 1200, burst 5, Retry-After',
    mock: { ...FAST, rpm: 1200, rateLimitShape: 'token-bucket', rpmBurst: 5, retryAfter: 'seconds' },
    bound: 'rate',
  },
  {
    name: 'token-bucket RPM 1200, burst 5, no Retry-After',
    mock: { ...FAST, rpm: 1200, rateLimitShape: 'token-bucket', rpmBurst: 5, retryAfter: 'none' },
    bound: 'rate',
  },
  {
    name: 'sliding window of 2 s at 1200/min, no Retry-After',
    mock: { ...FAST, rpm: 1200, rateLimitShape: 'sliding', rateWindowMs: 2000, retryAfter: 'none' },
    bound: 'rate',
  },
  {
    name: 'fixed window of 2 s at 1200/min, no Retry-After',
    mock: { ...FAST, rpm: 1200, rateLimitShape: 'fixed-window', rateWindowMs: 2000, retryAfter: 'none' },
    bound: 'rate',
  },
  {
    name: '4 concurrent slots, Retry-After',
    mock: { ...FAST, ttftMs: 40, maxConcurrency: 4, retryAfter: 'seconds' },
    bound: 'concurrency',
  },
];

describe('adaptive control against the mock’s limit shapes', () => {
  it.each(cases)(
    '$name: every row answered and recorded, bound by $bound',
    async (c) => {
      await withMock(c.mock, async (mock) => {
        const o = await run({
          datasets: ['datasets/capacity.csv'],
          baseUrl: mock.url,
          env,
          concurrency: 16,
          requests: ROWS,
          out: await mkdtemp(join(tmpdir(), 'stepbench-shapes-')),
          retries: 8,
        });
        const rs = await results(o.resultsPath);
        expect(rs).toHaveLength(ROWS);
        expect(rs.filter((r) => r.outcome !== 'ok')).toEqual([]);
        const attempts = rs.reduce((n, r) => n + r.attempts.length, 0);
        expect(attempts).toBe(mock.stats.requests);
        const refused = rs.reduce((n, r) => n + r.attempts.filter((a) => a.status === 429).length, 0);
        // Wide: a short run is mostly its first episode, and a loaded machine bunches sends.
        expect(refused / attempts).toBeLessThan(0.3);
        const limits = o.report.limits!;
        expect(refused).toBeGreaterThan(0);
        if (c.bound === 'rate') {
          // The send rate took over: a rate was learned, and the verdict names the rate limit (the
          // ramp at the start may also have overshot a concurrency level once: then "both").
          expect(limits.learnedRatePerSec).not.toBeNull();
          expect(limits.refusals!.rate).toBeGreaterThan(0);
          expect(['rate', 'both']).toContain(limits.boundBy!.kind);
        } else {
          expect(limits.learnedRatePerSec).toBeNull();
          expect(limits.boundBy!.kind).toBe('concurrency');
          expect(limits.boundBy!.summary).toContain("server's concurrency limit");
        }
      });
    },
    30_000,
  );
});
