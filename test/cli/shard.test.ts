import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt, finished, runCli, spawnCli } from '../helpers/cli.js';
import { withMock } from '../helpers/mock.js';

const KEY = { STEPBENCH_TEST_KEY: 'k' };
const keysOf = async (dir: string) =>
  (await readFile(join(dir, 'results.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l).key as string);

/**
 * Four processes with the environment a Kubernetes Indexed Job gives its pods
 * (JOB_COMPLETION_INDEX=0…3), one mock: together they run exactly the jobs of one unsharded run.
 */
describe('--shard across processes', () => {
  let dir: string;
  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-shard-'));
  });

  it('4 pods of an Indexed Job take disjoint slices whose union is the whole plan', async () => {
    await withMock({ seed: 2, ttftMs: 1, interTokenMs: 0 }, async (mock) => {
      const common = [
        'run',
        'datasets/smoke.csv',
        '--base-url',
        mock.url,
        '--api-key-env',
        'STEPBENCH_TEST_KEY',
        '--model',
        'step-3.7-flash',
        '--model',
        'step-3.5-flash',
        '--repeat',
        '2',
        '--no-progress',
      ];
      const whole = await runCli([...common, '--out', join(dir, 'whole')], KEY);
      expect(whole.code, whole.stderr).toBe(0);
      const pods = await Promise.all(
        [0, 1, 2, 3].map((i) =>
          finished(
            spawnCli([...common, '--shard', 'auto', '--shards', '4', '--out', join(dir, `pod-${i}`)], {
              ...KEY,
              JOB_COMPLETION_INDEX: String(i),
            }),
          ),
        ),
      );
      for (const p of pods) expect(p.code, p.stderr).toBe(0);
      pods.forEach((p, i) => {
        expect(p.stderr).toMatch(new RegExp(`shard ${i}/4: \\d+ jobs`));
      });
      const shardKeys = await Promise.all([0, 1, 2, 3].map((i) => keysOf(join(dir, `pod-${i}`))));
      const all = shardKeys.flat();
      expect(new Set(all).size).toBe(all.length);
      expect([...all].sort()).toEqual([...(await keysOf(join(dir, 'whole')))].sort());
      const manifests = await Promise.all(
        [0, 1, 2, 3].map(async (i) =>
          JSON.parse(await readFile(join(dir, `pod-${i}`, 'shard.json'), 'utf8')),
        ),
      );
      manifests.forEach((m, i) => {
        expect(m).toMatchObject({ v: 1, index: i, count: 4, jobs: shardKeys[i]?.length });
        expect(m.plan).toBe(manifests[0].plan);
        expect(Date.parse(m.endedAt)).toBeGreaterThanOrEqual(Date.parse(m.startedAt));
      });
      const report = JSON.parse(await readFile(join(dir, 'pod-2', 'report.json'), 'utf8'));
      expect(report.shard).toEqual({ index: 2, count: 4 });
    });
  }, 120_000);

  it('--start-at in the past: starts at once and says how late', async () => {
    const out = join(dir, 'late');
    const r = await runCli([
      'run',
      'datasets/smoke.csv',
      '--mock',
      '--no-progress',
      '--shard',
      '0/2',
      '--start-at',
      '2020-01-01T00:00:00Z',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/shard 0\/2: \d+ jobs · started \d+\.\d s after --start-at/);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.shard.startAt).toBe('2020-01-01T00:00:00.000Z');
    expect(report.shard.startLateMs).toBeGreaterThan(0);
  });

  it('a resumed shard must be the same shard', async () => {
    const out = join(dir, 'resume');
    const first = await runCli([
      'run',
      'datasets/smoke.csv',
      '--mock',
      '--no-progress',
      '--shard',
      '0/2',
      '--out',
      out,
    ]);
    expect(first.code, first.stderr).toBe(0);
    const other = await runCli([
      'run',
      'datasets/smoke.csv',
      '--mock',
      '--no-progress',
      '--shard',
      '1/2',
      '--resume',
      out,
    ]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/plan differs[\s\S]*shard/);
  });

  it.each([
    [['--shard', 'auto', '--shards', '4'], /JOB_COMPLETION_INDEX, which is not set/],
    [['--shard', '3/2'], /must be below 2/],
    [['--start-at', '15:00'], /--start-at '15:00': expected an ISO 8601 time with its zone/],
  ])('bad input %j: exit 2 before any request', async (extra, message) => {
    const r = await runCli(['run', 'datasets/smoke.csv', '--mock', '--no-progress', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
