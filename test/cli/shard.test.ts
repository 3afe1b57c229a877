import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { HDR_CONFIG } from '../../src/metrics/histograms.js';
import type { Report } from '../../src/report/schema.js';
import { cliBuilt, finished, runCli, spawnCli } from '../helpers/cli.js';
import { withMock } from '../helpers/mock.js';

const KEY = { STEPBENCH_TEST_KEY: 'k' };

interface RecordedValues {
  reset(): void;
  hasNext(): boolean;
  next(): { valueIteratedTo: number; countAtValueIteratedTo: number };
}

/** Every non-empty bucket (value, count) of the encoded histograms added together. */
function buckets(encoded: ReadonlyArray<string | undefined>): Array<[number, number]> {
  const sum = hdr.build(HDR_CONFIG);
  for (const e of encoded) if (e) sum.add(hdr.decodeFromCompressedBase64(e, HDR_CONFIG.bitBucketSize, false));
  const out: Array<[number, number]> = [];
  // The JS port's iterator over recorded values; its type declarations leave it out.
  const it = (sum as unknown as { recordedValuesIterator: RecordedValues }).recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    out.push([v.valueIteratedTo, v.countAtValueIteratedTo]);
  }
  return out;
}
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

      // merge: the four shards as one run — each job once, histograms and counters exact.
      const pods4 = [3, 1, 0, 2].map((i) => join(dir, `pod-${i}`));
      const merged = await runCli(['merge', ...pods4, '--out', join(dir, 'merged')]);
      expect(merged.code, merged.stderr).toBe(0);
      expect(merged.stdout).toMatch(/merged 4 shards: 0 \(\d+ results\), 1 \(\d+ results\), 2/);
      const mergedKeys = await keysOf(join(dir, 'merged'));
      expect(new Set(mergedKeys).size).toBe(mergedKeys.length);
      expect([...mergedKeys].sort()).toEqual([...(await keysOf(join(dir, 'whole')))].sort());
      const m = JSON.parse(await readFile(join(dir, 'merged', 'report.json'), 'utf8')) as Report;
      const shardReports = await Promise.all(
        [0, 1, 2, 3].map(
          async (i) => JSON.parse(await readFile(join(dir, `pod-${i}`, 'report.json'), 'utf8')) as Report,
        ),
      );
      expect(m.merged?.count).toBe(4);
      expect(m.shard).toBeUndefined();
      for (const target of m.targets) {
        const parts = shardReports.map((r) => r.targets.find((t) => t.name === target.name));
        // Bucket for bucket: the merged report's histograms are the shards' added exactly.
        for (const [metric, encoded] of Object.entries(target.histograms)) {
          const shardsOf = parts.map((p) => p?.histograms[metric as keyof typeof p.histograms]);
          expect(buckets([encoded]), metric).toEqual(buckets(shardsOf));
        }
        expect(target.summary.requests).toBe(parts.reduce((n, p) => n + (p?.summary.requests ?? 0), 0));
        expect(target.summary.tokens.total.total).toBe(
          parts.reduce((n, p) => n + (p?.summary.tokens.total.total ?? 0), 0),
        );
        for (const [outcome, n] of Object.entries(target.summary.outcomes))
          expect(n, outcome).toBe(
            parts.reduce((k, p) => k + (p?.summary.outcomes[outcome as never] ?? 0), 0),
          );
      }

      // What merge refuses, naming the folders.
      const refused = [
        [[pods4[0], pods4[1], pods4[2]], /shard 2\/4 missing/],
        [[...pods4, pods4[0]], /is given twice/],
      ] as const;
      for (const [dirs, message] of refused) {
        const r = await runCli(['merge', ...(dirs as readonly string[]), '--out', join(dir, 'never')]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(message);
      }
      // A shard folder holding another slice's results.
      await cp(join(dir, 'pod-1', 'results.jsonl'), join(dir, 'pod-0', 'results.jsonl'));
      const foreign = await runCli(['merge', ...pods4, '--out', join(dir, 'never')]);
      expect(foreign.code).toBe(2);
      expect(foreign.stderr).toMatch(/does not belong to shard 0\/4/);
    });
  }, 180_000);

  it('merge refuses a shard of another plan', async () => {
    const a = join(dir, 'plan-a');
    const b = join(dir, 'plan-b');
    expect(
      (await runCli(['run', 'datasets/smoke.csv', '--mock', '--no-progress', '--shard', '0/2', '--out', a]))
        .code,
    ).toBe(0);
    const other = await runCli([
      'run',
      'datasets/smoke.csv',
      '--mock',
      '--no-progress',
      '--shard',
      '1/2',
      '--repeat',
      '2',
      '--out',
      b,
    ]);
    expect(other.code, other.stderr).toBe(0);
    const r = await runCli(['merge', a, b, '--out', join(dir, 'never2')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plan-b is a shard of another plan than .*plan-a/);
  });

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
