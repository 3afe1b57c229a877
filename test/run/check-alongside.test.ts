import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/errors.js';
import type { Report } from '../../src/report/schema.js';
import { run } from '../../src/run/run.js';

/** A CSV of `rows` valid rows, then `tail`; row i is on line i + 2. */
async function csv(rows: number, tail = ''): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stepbench-alongside-'));
  const file = join(dir, 'data.csv');
  const lines = ['id,prompt'];
  for (let i = 0; i < rows; i++) lines.push(`row-${i},Say ${i} in a short sentence about the catalogue`);
  await writeFile(file, `${lines.join('\n')}\n${tail}`);
  return file;
}

const readReport = async (dir: string) =>
  JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;

describe('a dataset checked alongside the run (--prescan 0s)', () => {
  it('a bad row the check finds after the start stops the run with exit 2, and everything is written', async () => {
    const file = await csv(5000, 'row-x,two,extra\n');
    const out = join(await mkdtemp(join(tmpdir(), 'stepbench-alongside-')), 'run');
    let started = false;
    const outcome = await run(
      { datasets: [file], mock: { ttftMs: 20 }, concurrency: 2, prescan: 0, out },
      { onStart: () => (started = true) },
    );
    expect(started).toBe(true);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.aborted).toBe(`bad input: ${file}:5002: CSV record has 3 fields but the header has 2`);
    const report = await readReport(out);
    expect(report.aborted?.reason).toBe(outcome.aborted);
    // Far fewer than the 5,000 jobs: the run stopped when the check reached the last line.
    const sent = report.targets[0]?.summary.requests ?? 0;
    expect(sent).toBeLessThan(5000);
    expect(
      (await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n').filter(Boolean),
    ).toHaveLength(sent);
  });

  it('under --on-bad-row skip the bad rows found alongside are in the report, and the count is exact', async () => {
    const file = await csv(400, 'row-x,two,extra\nrow-3,again\n');
    const out = join(await mkdtemp(join(tmpdir(), 'stepbench-alongside-')), 'run');
    const outcome = await run({
      datasets: [file],
      mock: { ttftMs: 1 },
      concurrency: 32,
      prescan: 0,
      onBadRow: 'skip',
      out,
    });
    expect(outcome.exitCode).toBe(0);
    const { dataset } = outcome.report;
    expect(dataset).toMatchObject({ rows: 400, complete: true });
    expect(dataset.badRows.map((b) => b.line)).toEqual([402, 403]);
    expect(outcome.report.targets[0]?.summary.requests).toBe(400);
    // run.json, written at the start, was brought up to date for `stepbench report`.
    const saved = JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as { dataset: Report['dataset'] };
    expect(saved.dataset).toEqual(dataset);
  });

  it('a plan sized by the dataset (a pass after a warmup) waits for the count', async () => {
    const file = await csv(100);
    const outcome = await run({
      datasets: [file],
      mock: { ttftMs: 1 },
      concurrency: 16,
      prescan: 0,
      warmup: 10,
      out: join(await mkdtemp(join(tmpdir(), 'stepbench-alongside-')), 'run'),
    });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.report.dataset).toMatchObject({ rows: 100, complete: true });
    // The main phase is one pass: 100 jobs after the 10 warmups.
    expect(outcome.report.targets[0]?.summary.requests).toBe(100);
  });

  it('with the default --prescan a small bad dataset still fails before the first request', async () => {
    const file = await csv(50, 'row-x,two,extra\n');
    let started = false;
    await expect(
      run(
        {
          datasets: [file],
          mock: { ttftMs: 1 },
          out: join(await mkdtemp(join(tmpdir(), 'stepbench-alongside-')), 'r'),
        },
        { onStart: () => (started = true) },
      ),
    ).rejects.toBeInstanceOf(DatasetError);
    expect(started).toBe(false);
  });
});
