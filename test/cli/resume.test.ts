import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finished, runCli, spawnCli } from '../helpers/cli.js';
import { withMock } from '../helpers/mock.js';

const lines = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as { key: string; outcome: string });

describe('resume after kill -9', () => {
  it('a run killed with SIGKILL midway and resumed records each job exactly once', async () => {
    await withMock({ seed: 11, ttftMs: 20, interTokenMs: 3, replyTokens: 10 }, async (mock) => {
      const out = join(await mkdtemp(join(tmpdir(), 'stepbench-resume-')), 'run');
      const env = { STEP_API_KEY: 'k-resume-1' };
      const args = ['run', 'datasets/capacity.csv', '--base-url', mock.url, '--no-progress', '-c', '8'];
      const child = spawnCli([...args, '-o', out], env);
      const done = finished(child);
      while (mock.stats.records.filter((r) => r.status === 200 && r.endAt > 0).length < 60) {
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGKILL');
      const killed = await done;
      expect(killed.code).toBeNull();
      const before = await lines(join(out, 'results.jsonl'));
      expect(before.length).toBeGreaterThan(0);
      expect(before.length).toBeLessThan(200);

      const resumed = await runCli([...args, '--resume', out], env);
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toMatch(/resuming: \d+ job\(s\) already recorded/);
      const after = await lines(join(out, 'results.jsonl'));
      expect(after).toHaveLength(200);
      expect(new Set(after.map((r) => r.key)).size).toBe(200);
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
      expect(report.targets[0].summary.requests).toBe(200);
      expect(report.resumed.kept).toBe(before.length);
    });
  });

  it('--retry-errors runs failed jobs again and keeps each job once', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'stepbench-resume-')), 'run');
    const env = { STEP_API_KEY: 'k-resume-2' };
    await withMock({ seed: 2, ttftMs: 1, errorRate503: 0.5 }, async (mock) => {
      const r = await runCli(
        ['run', 'datasets/smoke.csv', '--base-url', mock.url, '--no-progress', '--retries', '0', '-o', out],
        env,
      );
      expect(r.code).toBe(0);
    });
    const first = await lines(join(out, 'results.jsonl'));
    const failed = first.filter((r) => r.outcome !== 'ok').length;
    expect(failed).toBeGreaterThan(0);
    await withMock({ seed: 2, ttftMs: 1 }, async (mock) => {
      const r = await runCli(
        [
          'run',
          'datasets/smoke.csv',
          '--base-url',
          mock.url,
          '--no-progress',
          '--resume',
          out,
          '--retry-errors',
        ],
        env,
      );
      expect(r.code).toBe(0);
      expect(mock.stats.requests).toBe(failed);
    });
    const after = await lines(join(out, 'results.jsonl'));
    expect(after).toHaveLength(10);
    expect(after.every((r) => r.outcome === 'ok')).toBe(true);
  });
});
