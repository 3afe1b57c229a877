import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliBuilt, runCli } from '../helpers/cli.js';
import { withMock } from '../helpers/mock.js';

/**
 * Input that used to end as an internal error (exit 70, a stack trace), a silent merge or a
 * request sent in vain: each must be a usage error (exit 2) with one clear line, found before
 * the first request.
 */
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
const env = { STEP_API_KEY: 'k-input-errors' };

async function expectUsageError(args: string[], message: RegExp): Promise<string> {
  return withMock({ ttftMs: 1 }, async (mock) => {
    const quiet = args[0] === 'run' ? ['--no-progress'] : [];
    const r = await runCli([...args, '--base-url', mock.url, ...quiet], env);
    expect(r.stderr).toMatch(message);
    expect(r.code).toBe(2);
    noStack(r.stderr);
    expect(mock.stats.requests).toBe(0);
    return r.stderr;
  });
}

describe('bad input is a usage error before any request', () => {
  let dir: string;
  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-input-'));
  });

  describe('the output folder', () => {
    it('--out naming a file', async () => {
      const file = join(dir, 'a-file');
      await writeFile(file, 'x');
      await expectUsageError(['run', 'datasets/smoke.csv', '-o', file], /is a file/);
    });

    it('--out below a file cannot be created (also as root, unlike permission bits)', async () => {
      const file = join(dir, 'blocker');
      await writeFile(file, 'x');
      await expectUsageError(
        ['run', 'datasets/smoke.csv', '-o', join(file, 'out')],
        /cannot create the output folder/,
      );
    });

    it.skipIf(process.getuid?.() === 0)('--out into a folder the process cannot write', async () => {
      const locked = join(dir, 'locked');
      await mkdir(locked);
      await chmod(locked, 0o555);
      await expectUsageError(
        ['run', 'datasets/smoke.csv', '-o', locked],
        /cannot write to the output folder/,
      );
    });

    it('a folder that already holds a run is refused unless --resume or --overwrite', async () => {
      const out = join(dir, 'twice');
      const first = await runCli(['run', 'datasets/smoke.csv', '--mock', '--no-progress', '-o', out]);
      expect(first.code).toBe(0);
      await expectUsageError(
        ['run', 'datasets/smoke.csv', '-o', out],
        /already holds a run.*--resume.*--overwrite/s,
      );
      expect((await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(10);
      const again = await runCli([
        'run',
        'datasets/smoke.csv',
        '--mock',
        '--no-progress',
        '-o',
        out,
        '--overwrite',
      ]);
      expect(again.code).toBe(0);
      // Replaced, not appended: the report and the results describe the same, second run.
      expect((await readFile(join(out, 'results.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(10);
    });
  });

  describe('resume', () => {
    it('refuses another dataset or other models, saying what differs', async () => {
      const out = join(dir, 'resume-plan');
      const first = await runCli([
        'run',
        'datasets/smoke.csv',
        '--mock',
        '--no-progress',
        '-o',
        out,
        '--model',
        'step-3.7-flash',
        '--model',
        'step-3.5-flash',
      ]);
      expect(first.code).toBe(0);
      const models = await expectUsageError(['run', 'datasets/smoke.csv', '--resume', out], /cannot resume/);
      expect(models).toMatch(/targets: was .*step-3\.5-flash/);
      const dataset = await expectUsageError(
        [
          'run',
          'datasets/regression.jsonl',
          '--resume',
          out,
          '--model',
          'step-3.7-flash',
          '--model',
          'step-3.5-flash',
        ],
        /cannot resume/,
      );
      expect(dataset).toMatch(/datasets: was .*smoke\.csv/);
      const concurrency = await expectUsageError(
        [
          'run',
          'datasets/smoke.csv',
          '--resume',
          out,
          '--model',
          'step-3.7-flash',
          '--model',
          'step-3.5-flash',
          '-c',
          '3',
        ],
        /cannot resume/,
      );
      expect(concurrency).toMatch(/limits: was/);
    });
  });

  describe('flags', () => {
    it('-c abc quotes what was typed', async () => {
      await expectUsageError(
        ['run', 'datasets/smoke.csv', '-c', 'abc'],
        /--concurrency: must be a whole number ≥ 1 \(got "abc"\)/,
      );
    });

    it('--rate 5 --max-concurrency 0', async () => {
      await expectUsageError(
        ['run', 'datasets/smoke.csv', '--rate', '5', '--max-concurrency', '0'],
        /--max-concurrency: must be a whole number ≥ 1/,
      );
    });

    it('--ramp-from -1', async () => {
      await expectUsageError(
        ['run', 'datasets/smoke.csv', '-c', '4', '--ramp', '1s', '--ramp-from', '-1'],
        /--ramp-from: must be a number ≥ 0/,
      );
    });

    it('--max-tokens abc names the flag', async () => {
      await expectUsageError(
        ['run', 'datasets/smoke.csv', '--max-tokens', 'abc'],
        /--max-tokens: must be a whole number/,
      );
    });

    it('capacity --start 8 --max 4', async () => {
      await expectUsageError(
        ['capacity', 'datasets/capacity.csv', '--start', '8', '--max', '4', '-o', join(dir, 'cap')],
        /--max \(4\) must be ≥ --start \(8\)/,
      );
      expect(existsSync(join(dir, 'cap'))).toBe(false);
    });
  });

  describe('datasets', () => {
    it('an empty dataset names the file and leaves no output folder', async () => {
      const file = join(dir, 'empty.jsonl');
      await writeFile(file, '');
      const out = join(dir, 'empty-out');
      const stderr = await expectUsageError(['run', file, '-o', out], /no rows to send/);
      expect(stderr).toContain(file);
      expect(existsSync(out)).toBe(false);
    });

    it('--on-bad-row skip with every row bad lists them instead of promising a report', async () => {
      const file = join(dir, 'all-bad.jsonl');
      await writeFile(file, '{"nope": 1}\n{"messages": 3}\n');
      const out = join(dir, 'all-bad-out');
      const stderr = await expectUsageError(
        ['run', file, '--on-bad-row', 'skip', '-o', out],
        /every row of .* is malformed \(2 skipped\)/,
      );
      expect(stderr).toContain(`${file}:1:`);
      expect(stderr).toContain(`${file}:2:`);
      expect(existsSync(out)).toBe(false);
    });

    it('invalid UTF-8 names file and line (a UTF-16 mark, a Latin-1 é)', async () => {
      const bom = join(dir, 'utf16.jsonl');
      await writeFile(bom, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"prompt":"hi"}\n')]));
      await expectUsageError(['run', bom], new RegExp(`${bom}:1: not valid UTF-8`));
      const latin = join(dir, 'latin1.csv');
      await writeFile(
        latin,
        Buffer.concat([Buffer.from('prompt\nfine\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      );
      await expectUsageError(['run', latin], new RegExp(`${latin}:3: not valid UTF-8.*--encoding latin1`));
    });

    it('--encoding latin1 reads a Latin-1 file as written', async () => {
      const latin = join(dir, 'latin1-ok.csv');
      await writeFile(
        latin,
        Buffer.concat([Buffer.from('id,prompt\nr1,caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
      );
      await withMock({ ttftMs: 1 }, async (mock) => {
        const r = await runCli(
          [
            'run',
            latin,
            '--base-url',
            mock.url,
            '--no-progress',
            '--encoding',
            'latin1',
            '-o',
            join(dir, 'latin1-out'),
          ],
          env,
        );
        expect(r.code).toBe(0);
        expect(mock.stats.requests).toBe(1);
      });
    });
  });

  describe('config file', () => {
    it('type-checks params: temperature: hot is refused with its path', async () => {
      const file = join(dir, 'hot.yaml');
      await writeFile(file, 'defaults:\n  params: { temperature: hot }\n');
      await expectUsageError(
        ['run', 'datasets/smoke.csv', '--config', file],
        /defaults\.params\.temperature: must be a number from 0 to 2 \(got "hot"\)/,
      );
    });
  });
});
