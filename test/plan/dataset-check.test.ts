import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatasetError } from '../../src/errors.js';
import { CheckCancelled, DatasetCheck, WORKER_CHECK_BYTES } from '../../src/plan/dataset-check.js';
import { scanDatasets } from '../../src/plan/rows.js';

/** A CSV of `rows` valid rows (ids row-0…), then `tail` verbatim; line of row i is i + 2. */
async function csv(rows: number, tail = '', padding = 0): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stepbench-check-'));
  const file = join(dir, 'data.csv');
  const pad = 'x'.repeat(padding);
  const lines = ['id,prompt'];
  for (let i = 0; i < rows; i++) lines.push(`row-${i},Say ${i} ${pad}`);
  await writeFile(file, `${lines.join('\n')}\n${tail}`);
  return file;
}

const fail = { onBadRow: 'fail', encoding: 'utf8' } as const;
const skip = { onBadRow: 'skip', encoding: 'utf8' } as const;

describe('DatasetCheck in this thread (small datasets, and the sources under test)', () => {
  it('counts rows, bad rows and a shard’s jobs', async () => {
    const file = await csv(40, 'row-x,two,extra\n');
    const check = await DatasetCheck.start([file], skip, {
      shard: { index: 0, count: 2 },
      repeat: 2,
      targets: ['a', 'b'],
    });
    const result = await check.done;
    expect(result.rows).toBe(40);
    expect(result.complete).toBe(true);
    expect(result.badRows).toEqual([{ file, line: 42, reason: expect.stringContaining('3 fields') }]);
    // 40 rows × 2 repeats × 2 targets = 160 jobs, split by key hash: about half, never all or none.
    expect(result.shardJobs).toBeGreaterThan(40);
    expect(result.shardJobs).toBeLessThan(120);
    expect(check.finished).toBe(true);
  });

  it('rejects with the first bad row under the fail policy', async () => {
    const file = await csv(10, 'row-x,two,extra\n');
    const check = await DatasetCheck.start([file], fail);
    await expect(check.done).rejects.toThrow(`${file}:12: CSV record has 3 fields`);
  });

  it('cancelled, it stops reading and keeps what it counted', async () => {
    const file = await csv(5000);
    const check = await DatasetCheck.start([file], fail);
    await check.cancel();
    await expect(check.done).rejects.toBeInstanceOf(CheckCancelled);
    const soFar = check.soFar();
    expect(soFar.complete).toBe(false);
    expect(soFar.rows).toBeLessThan(5000);
  });

  it('within(ms) hands over the result of a check that ends in time, and undefined for one that does not', async () => {
    const file = await csv(5);
    const quick = await DatasetCheck.start([file], fail);
    expect((await quick.within(Number.POSITIVE_INFINITY))?.rows).toBe(5);
    const slow = await DatasetCheck.start([await csv(5000)], fail);
    // 0 ms: the timer fires before a 450 kB file has been read and parsed.
    expect(await slow.within(0)).toBeUndefined();
    expect((await slow.done).rows).toBe(5000);
  });
});

describe('scanDatasets', () => {
  it('catches the same id in two files, naming where it was first seen', async () => {
    const a = await csv(3);
    const b = await csv(0, 'row-9,fine\nrow-1,again\n');
    await expect(scanDatasets([a, b], fail)).rejects.toThrow(
      new DatasetError(b, 3, `duplicate row id "row-1" (first seen at ${a}:3)`),
    );
    const skipped = await scanDatasets([a, b], skip);
    expect(skipped.rows).toBe(4);
    expect(skipped.badRows.map((r) => `${r.file}:${r.line}`)).toEqual([`${b}:3`]);
  });

  it('the same file given twice is a duplicate of every row', async () => {
    const a = await csv(2);
    await expect(scanDatasets([a, a], fail)).rejects.toThrow(
      `duplicate row id "row-0" (first seen at ${a}:2)`,
    );
  });
});

// The worker runs compiled code: `npm test` builds dist/ first (the `pretest` script).
const built = join(import.meta.dirname, '..', '..', 'dist', 'plan', 'dataset-check.js');
describe.runIf(existsSync(built))('DatasetCheck in a worker thread (datasets of 4 MiB and more)', () => {
  const load = async () => (await import(built)) as typeof import('../../src/plan/dataset-check.js');
  // ~100-byte rows: 45,000 of them pass the worker threshold.
  const bigRows = Math.ceil(WORKER_CHECK_BYTES / 100) + 2000;

  it('finds the bad row at the end of a big file and names its line', async () => {
    const { DatasetCheck: Compiled } = await load();
    const file = await csv(bigRows, 'row-x,two,extra\n', 80);
    const check = await Compiled.start([file], fail);
    await expect(check.done).rejects.toThrow(`${file}:${bigRows + 2}: CSV record has 3 fields`);
  });

  it('counts every row and passes skipped rows on in order', async () => {
    const { DatasetCheck: Compiled } = await load();
    const file = await csv(bigRows, 'row-x,two,extra\nrow-0,dup\n', 80);
    const check = await Compiled.start([file], skip);
    const result = await check.done;
    expect(result).toMatchObject({ rows: bigRows, complete: true });
    expect(result.badRows.map((r: { line: number }) => r.line)).toEqual([bigRows + 2, bigRows + 3]);
    expect(result.badRows[1]?.reason).toBe('duplicate id "row-0" (first used on line 2)');
  });

  it('cancelled, the worker is stopped', async () => {
    const { DatasetCheck: Compiled, CheckCancelled: Cancelled } = await load();
    const check = await Compiled.start([await csv(bigRows, '', 80)], fail);
    await check.cancel();
    await expect(check.done).rejects.toBeInstanceOf(Cancelled);
    expect(check.soFar().complete).toBe(false);
  });
});
