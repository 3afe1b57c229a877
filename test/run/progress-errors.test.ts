import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import type { ProgressSnapshot } from '../../src/run/session.js';
import { withMock } from '../helpers/mock.js';

// Changed when errors were defined once (src/results/outcomes.ts): the progress line's "errors"
// used to count every job without an answer, so a final 429 showed up both there and under
// "429s". It now counts what the error budget, metrics and capacity steps count.
it('progress counts 5xx as errors, but not final 429s', async () => {
  await withMock({ seed: 3, ttftMs: 20, maxConcurrency: 1, errorRate500: 0.3 }, async (mock) => {
    let snapshot: (() => ProgressSnapshot) | undefined;
    const o = await run(
      {
        datasets: ['datasets/capacity.csv'],
        baseUrl: mock.url,
        env: { STEP_API_KEY: 'k' },
        concurrency: 4,
        adaptive: false,
        retries: 0,
        out: await mkdtemp(join(tmpdir(), 'stepbench-progress-')),
      },
      { onStart: (info) => (snapshot = info.snapshot) },
    );
    const results = (await readFile(o.resultsPath, 'utf8'))
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as JobResult);
    const count = (outcome: JobResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
    expect(count('rate_limited')).toBeGreaterThan(0);
    expect(count('http_5xx')).toBeGreaterThan(0);
    const s = snapshot!();
    expect(s.done).toBe(results.length);
    expect(s.errors).toBe(count('http_5xx'));
    expect(s.rateLimited).toBeGreaterThanOrEqual(count('rate_limited'));
  });
});
