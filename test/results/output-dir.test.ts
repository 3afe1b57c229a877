import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import type { OutputConfig } from '../../src/plan/output.js';
import { prepareOutputDir } from '../../src/results/output-dir.js';

const base: OutputConfig = {
  dir: undefined,
  defaultPrefix: '',
  mode: 'new',
  retryErrors: false,
  recordHostname: false,
  resultsGzip: false,
};

describe('prepareOutputDir', () => {
  it('gives runs started in the same second a folder each, created exclusively', async () => {
    const root = await mkdtemp(join(tmpdir(), 'stepbench-outdir-'));
    const same = new Date('2026-12-01T10:00:00.123Z');
    const output = { ...base, defaultPrefix: `${root}/run-` };
    const dirs = await Promise.all([1, 2, 3, 4].map(() => prepareOutputDir(output, same)));
    expect(new Set(dirs).size).toBe(4);
    expect((await readdir(root)).sort()).toEqual([
      'run-2026-12-01_10-00-00',
      'run-2026-12-01_10-00-00-2',
      'run-2026-12-01_10-00-00-3',
      'run-2026-12-01_10-00-00-4',
    ]);
  });

  it('refuses a folder holding an earlier run, replaces it with overwrite, needs results to resume', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-outdir-'));
    await expect(prepareOutputDir({ ...base, dir })).resolves.toBe(dir); // empty: fine
    await writeFile(join(dir, 'results.jsonl'), '{}\n');
    await writeFile(join(dir, 'junit.xml'), '<testsuites/>\n');
    await writeFile(join(dir, 'report.html'), '<!doctype html>\n');
    await writeFile(join(dir, 'notes.txt'), 'mine');
    await expect(prepareOutputDir({ ...base, dir })).rejects.toThrow(UserError);
    await expect(prepareOutputDir({ ...base, dir, mode: 'resume' })).resolves.toBe(dir);
    await prepareOutputDir({ ...base, dir, mode: 'overwrite' });
    // Only the run's own files go (a stale junit.xml or report.html would mislead); anything else the user keeps there stays.
    expect(await readdir(dir)).toEqual(['notes.txt']);
    await expect(prepareOutputDir({ ...base, dir, mode: 'resume' })).rejects.toThrow(/nothing to resume/);
  });
});
