import { mkdtemp } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResults } from '../../src/results/reader.js';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';

async function results(dir: string): Promise<JobResult[]> {
  const out: JobResult[] = [];
  for await (const r of readResults(join(dir, 'results.jsonl'))) out.push(r);
  return out;
}

const span = (rs: JobResult[]) =>
  Math.max(...rs.map((r) => r.times.endAt)) - Math.min(...rs.map((r) => r.times.scheduledAt));

describe('the run tail', () => {
  it('after a resume, throughput covers every segment, not the last one only', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'stepbench-tail-')), 'run');
    const stop = new AbortController();
    let seen = 0;
    const first = await run(
      { datasets: ['datasets/smoke.csv'], mock: { ttftMs: 5 }, concurrency: 1, out, stop: stop.signal },
      { onResult: () => ++seen === 4 && stop.abort() },
    );
    expect(first.exitCode).toBe(130);
    const segment1 = await results(out);
    expect(segment1.length).toBeGreaterThanOrEqual(4);
    expect(segment1.length).toBeLessThan(10);

    const second = await run({
      datasets: ['datasets/smoke.csv'],
      mock: { ttftMs: 5 },
      concurrency: 1,
      resume: out,
    });
    expect(second.exitCode).toBe(0);
    const all = await results(out);
    expect(all).toHaveLength(10);
    const segment2 = all.slice(segment1.length);
    // The resumed clock goes on from the end of the kept results…
    const end1 = Math.max(...segment1.map((r) => r.times.endAt));
    expect(Math.min(...segment2.map((r) => r.times.scheduledAt))).toBeGreaterThanOrEqual(end1);
    // …so the report's window spans both segments and the rate is over the whole run.
    const target = second.report.targets[0];
    expect(target?.summary.throughput.windowMs).toBeGreaterThanOrEqual(span(segment1) + span(segment2));
    expect(target?.summary.throughput.windowMs).toBeCloseTo(span(all), 3);
  });

  it('the host name is in the report only when asked for', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-tail-'));
    const plain = await run({ datasets: ['datasets/smoke.csv'], mock: { ttftMs: 1 }, out: join(dir, 'a') });
    expect(plain.report.environment.hostname).toBeUndefined();
    const asked = await run({
      datasets: ['datasets/smoke.csv'],
      mock: { ttftMs: 1 },
      out: join(dir, 'b'),
      recordHostname: true,
    });
    expect(asked.report.environment.hostname).toBe(hostname());
  });

  it('an open loop records the arrival seed it used, and a seed given is the seed used', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-tail-'));
    const once = (name: string, arrivalSeed?: number) =>
      run({
        datasets: ['datasets/smoke.csv'],
        mock: { ttftMs: 1 },
        rate: 50,
        out: join(dir, name),
        ...(arrivalSeed !== undefined ? { arrivalSeed } : {}),
      });
    const drawn = await once('drawn');
    const seed = drawn.report.run.options.arrivalSeed;
    expect(typeof seed).toBe('number');
    const replay = await once('replay', seed as number);
    expect(replay.report.run.options.arrivalSeed).toBe(seed);
  });
});
