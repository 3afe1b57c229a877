import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { preparePriorResults } from '../../src/results/resume.js';
import type { JobResult } from '../../src/results/types.js';
import { makeResult } from '../metrics/job-result-factory.js';

async function fileWith(results: JobResult[]): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'stepbench-resume-')), 'results.jsonl');
  await writeFile(path, results.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return path;
}

describe('preparePriorResults', () => {
  it('an interrupted job is not done: it runs again, even without --retry-errors', async () => {
    const ok = { ...makeResult({ scheduledAt: 0, e2e: 400 }), key: 'a' };
    const interrupted = { ...makeResult({ outcome: 'interrupted', scheduledAt: 100, e2e: 50 }), key: 'b' };
    const path = await fileWith([ok, interrupted]);
    const kept: string[] = [];
    const prior = await preparePriorResults(path, { retryErrors: false, onKept: (r) => kept.push(r.key) });
    expect(prior.done.has('a')).toBe(true);
    expect(prior.done.has('b')).toBe(false);
    expect(prior.done.size).toBe(1);
    expect(prior).toMatchObject({ kept: 1, dropped: 1 });
    expect(kept).toEqual(['a']);
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('reports where the kept results end, so the resumed clock goes on from there', async () => {
    const a = { ...makeResult({ scheduledAt: 0, e2e: 400 }), key: 'a' };
    const b = { ...makeResult({ scheduledAt: 900, e2e: 300 }), key: 'b' };
    const prior = await preparePriorResults(await fileWith([b, a]), { retryErrors: false, onKept: () => {} });
    expect(prior.endedAtMs).toBe(1200);
  });
});
