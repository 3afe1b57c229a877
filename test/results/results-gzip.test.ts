import { existsSync } from 'node:fs';
import { mkdtemp, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readResults } from '../../src/results/reader.js';
import type { JobResult } from '../../src/results/types.js';
import { ResultsWriter } from '../../src/results/writer.js';
import { cliBuilt, runCli } from '../helpers/cli.js';

const result = (i: number): JobResult =>
  ({
    v: 1,
    key: `row-${i}|t|0`,
    index: i,
    rowId: `row-${i}`,
    target: 't',
    model: 'm',
    repeat: 0,
    source: { file: 'd.csv', line: i + 2 },
    outcome: 'ok',
    status: 200,
    times: { scheduledAt: 0, dispatchedAt: 0, sentAt: 0, endAt: 10 },
    durations: { e2e: 10, latency: 10, queue: 0 },
    itl: [],
    usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3, source: 'server' },
    output: `answer ${i} ${'x'.repeat(i % 50)}`,
    attempts: [],
  }) as JobResult;

async function readAll(path: string, onTorn?: (line: number) => void): Promise<JobResult[]> {
  const out: JobResult[] = [];
  for await (const r of readResults(path, onTorn)) out.push(r);
  return out;
}

describe('results.jsonl.gz', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepbench-gz-'));
  });

  it('is written gzip-compressed and read back result for result', async () => {
    const path = join(dir, 'a.jsonl.gz');
    const w = await ResultsWriter.open(path);
    for (let i = 0; i < 200; i++) w.write(result(i));
    await w.close();
    const raw = await readFile(path);
    expect(raw[0]).toBe(0x1f);
    expect(raw[1]).toBe(0x8b);
    expect(gunzipSync(raw).toString('utf8').trim().split('\n')).toHaveLength(200);
    expect(await readAll(path)).toEqual(Array.from({ length: 200 }, (_, i) => result(i)));
  });

  it('appending (a resumed run) adds a gzip member, and readers see one stream', async () => {
    const path = join(dir, 'b.jsonl.gz');
    for (const part of [0, 1]) {
      const w = await ResultsWriter.open(path);
      for (let i = 0; i < 5; i++) w.write(result(part * 5 + i));
      await w.close();
    }
    expect((await readAll(path)).map((r) => r.rowId)).toEqual(
      Array.from({ length: 10 }, (_, i) => `row-${i}`),
    );
  });

  it('a file cut short (a killed writer) gives the results before the cut and reports a torn tail', async () => {
    const path = join(dir, 'c.jsonl.gz');
    const w = await ResultsWriter.open(path);
    for (let i = 0; i < 300; i++) w.write(result(i));
    await w.close();
    await truncate(path, (await stat(path)).size - 40);
    let torn: number | undefined;
    const kept = await readAll(path, (line) => {
      torn = line;
    });
    expect(torn).toBeDefined();
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(300);
    kept.forEach((r, i) => {
      expect(r).toEqual(result(i));
    });
  });

  it('a .gz file that is not gzip is an error naming it', async () => {
    const path = join(dir, 'd.jsonl.gz');
    await writeFile(path, '{"v":1}\n');
    await expect(readAll(path)).rejects.toThrow(UserError);
    await expect(readAll(path)).rejects.toThrow(/d\.jsonl\.gz: not a readable gzip file/);
  });
});

describe('stepbench run --results-gzip', () => {
  let dir: string;
  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-gz-cli-'));
  });

  it('writes results.jsonl.gz; the report, junit.xml, --resume and compare read it', async () => {
    const out = join(dir, 'run');
    const r = await runCli([
      'run',
      'datasets/smoke.csv',
      '--mock',
      '--no-progress',
      '--results-gzip',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, 'results.jsonl.gz'))).toBe(true);
    expect(existsSync(join(out, 'results.jsonl'))).toBe(false);
    expect(r.stdout).toContain(`results: ${join(out, 'results.jsonl.gz')}`);
    const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(report.targets[0].summary.requests).toBe(10);
    expect((await readFile(join(out, 'junit.xml'), 'utf8')).match(/<testcase /g)).toHaveLength(10);

    const resumed = await runCli(['run', 'datasets/smoke.csv', '--mock', '--no-progress', '--resume', out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const again = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
    expect(again.resumed).toEqual({ kept: 10, rerun: 0 });
    expect(again.targets[0].summary.requests).toBe(10);

    const cmp = await runCli(['compare', out, out, '--json']);
    expect(cmp.code, cmp.stderr).toBe(0);
    expect(JSON.parse(cmp.stdout).rows.compared).toBe(10);
  });
});
