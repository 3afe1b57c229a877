import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockProcess, startMockProcess } from '../../bench/lib/mock-process.mjs';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';
import { expectAgreesWithServer, type ServerRecord } from '../helpers/ground-truth.js';

// The mock in its own process (the built CLI, as `npm test` builds first), so server and client
// run on different event loops and clocks. How close the client's numbers come to the server's is
// a benchmark figure (`bench/client-overhead.mjs`, docs/performance.md); this test checks what
// holds on any machine, however loaded: the same requests on both sides, causality and order.
describe('TTFT and e2e against the ground truth of a mock in its own process', () => {
  let mock: MockProcess;
  beforeAll(async () => {
    mock = await startMockProcess([
      '--ttft-ms',
      '30',
      '--inter-token-ms',
      '4',
      '--reply-tokens',
      '24',
      '--reasoning-tokens',
      '6',
    ]);
  });
  afterAll(() => mock?.stop());

  it('sees every request the server served, never earlier than the server wrote it', async () => {
    const out = await mkdtemp(join(tmpdir(), 'stepbench-gt-'));
    const o = await run({
      datasets: ['datasets/capacity.csv'],
      baseUrl: mock.url,
      env: { STEP_API_KEY: 'k-ground-truth' },
      concurrency: 32,
      adaptive: false,
      out,
    });
    const results = (await readFile(o.resultsPath, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as JobResult);
    const stats = (await mock.stats()) as { requests: number; records: ServerRecord[] };
    expect(results).toHaveLength(200);
    expect(results.every((r) => r.outcome === 'ok')).toBe(true);
    expect(stats.requests).toBe(200);
    expect(expectAgreesWithServer(results, stats.records)).toBe(200);
    for (const r of results) {
      // 6 reasoning + 24 answer tokens, one per chunk: 29 gaps; the first token was held ≥ 30 ms.
      expect(r.usage.completionTokens).toBe(30);
      expect(r.itl).toHaveLength(29);
      expect(r.durations.ttft).toBeGreaterThanOrEqual(30 - 0.5);
      expect(r.durations.ttfa!).toBeGreaterThanOrEqual(r.durations.ttft!); // one TCP read may carry both
    }
    expect(o.report.targets[0]?.summary.latency.ttft.count).toBe(200);
  });
});
