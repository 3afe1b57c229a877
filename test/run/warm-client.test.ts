import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/results/reader.js';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';

async function results(path: string): Promise<JobResult[]> {
  const out: JobResult[] = [];
  for await (const r of readResults(path)) out.push(r);
  return out;
}

describe('a warm client', () => {
  it('opens the connections before the clock starts: no request of the run pays for one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-warm-'));
    const o = await run({
      datasets: ['datasets/smoke.csv'],
      mock: { ttftMs: 2 },
      concurrency: 4,
      adaptive: false,
      out: dir,
    });
    const rs = await results(o.resultsPath);
    expect(rs).toHaveLength(10);
    expect(rs.every((r) => r.outcome === 'ok')).toBe(true);
    expect(rs.filter((r) => r.durations.connect !== undefined)).toHaveLength(0);
    expect(o.report.targets[0]?.summary.latency.connect.count).toBe(0);
  });

  it('--no-preconnect measures a cold start: the first wave opens the connections, apart from ttft', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-warm-'));
    const o = await run({
      datasets: ['datasets/smoke.csv'],
      mock: { ttftMs: 2 },
      concurrency: 4,
      adaptive: false,
      preconnect: false,
      out: dir,
    });
    const rs = await results(o.resultsPath);
    const opened = rs.filter((r) => r.durations.connect !== undefined);
    expect(opened.length).toBeGreaterThanOrEqual(1);
    expect(opened.length).toBeLessThanOrEqual(4);
    for (const r of opened) {
      expect(r.times.sentAt).toBeGreaterThanOrEqual(r.times.connectEnd as number);
      expect(r.times.connectEnd).toBeGreaterThanOrEqual(r.times.connectStart as number);
    }
    expect(o.report.targets[0]?.summary.latency.connect.count).toBe(opened.length);
  });
});
