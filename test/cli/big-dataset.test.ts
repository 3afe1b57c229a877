import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKER_CHECK_BYTES } from '../../src/plan/dataset-check.js';
import type { Report } from '../../src/report/schema.js';
import { cliBuilt, runCli } from '../helpers/cli.js';

/** Rows of ~100 bytes: enough of them for the dataset check to go to its worker thread. */
const ROWS = Math.ceil(WORKER_CHECK_BYTES / 90) + 1000;

async function bigCsv(dir: string, name: string, tail: string): Promise<string> {
  const file = join(dir, name);
  const out = createWriteStream(file);
  out.write('id,prompt\n');
  for (let i = 0; i < ROWS; i++)
    out.write(`row-${i},Summarise item ${i} of the catalogue in one short sentence for the digest\n`);
  out.write(tail);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return file;
}

const readReport = async (dir: string) =>
  JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;

describe('a dataset too big to check before the first request (the worker thread, --prescan 0s)', () => {
  let dir: string;
  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-big-'));
  });

  it('a bad row on the last line stops the run when the check reaches it: exit 2, named, reports written', async () => {
    const file = await bigCsv(dir, 'bad-tail.csv', 'row-x,two,extra\n');
    const out = join(dir, 'bad-tail');
    const r = await runCli([
      'run',
      file,
      '--mock',
      '--prescan',
      '0s',
      '-c',
      '4',
      '--no-progress',
      '--out',
      out,
    ]);
    expect(r.code).toBe(2);
    const reason = `${file}:${ROWS + 2}: CSV record has 3 fields but the header has 2`;
    expect(r.stderr).toContain(`run aborted: bad input: ${reason}`);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    const report = await readReport(out);
    expect(report.aborted?.reason).toBe(`bad input: ${reason}`);
    // Stopped long before the end: the check outran the requests.
    expect(report.targets[0]?.summary.requests ?? 0).toBeLessThan(ROWS / 2);
  });

  it('a run that ends first says how far the check got', async () => {
    const file = await bigCsv(dir, 'fine.csv', '');
    const out = join(dir, 'short');
    const r = await runCli([
      'run',
      file,
      '--mock',
      '--prescan',
      '0s',
      '-n',
      '3',
      '--no-progress',
      '--out',
      out,
    ]);
    expect(r.code).toBe(0);
    const { dataset } = await readReport(out);
    // Whichever finished first, the report agrees with itself and the console says which.
    expect(dataset.rows).toBeLessThanOrEqual(ROWS);
    expect(dataset.complete).toBe(dataset.rows === ROWS);
    expect(r.stdout).toContain(
      dataset.complete
        ? `${ROWS.toLocaleString('en-US')} rows from 1 file`
        : 'the run ended before the check reached the end',
    );
  });
});
