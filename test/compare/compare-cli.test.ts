import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCannedAnswers } from '../../src/mock/canned-answers.js';
import type { MockServer } from '../../src/mock/index.js';
import { cliBuilt, runCli } from '../helpers/cli.js';
import { startTestMock } from '../helpers/mock.js';

const answers = (name: string) => readCannedAnswers(join('examples', 'regression-demo', name));
const KEY = { STEPBENCH_TEST_KEY: 'test-key' };

/**
 * `run --baseline` and `stepbench compare` end to end against two mocks: one that answers every
 * row of datasets/regression.jsonl rightly, one that answers three rows wrongly. Only the
 * pass-rate threshold is used where an exit code is asserted: the row flips are deterministic,
 * the latencies of two real runs are not.
 */
describe('baseline comparison on the command line', () => {
  let dir: string;
  let before: MockServer;
  let after: MockServer;
  let baselineDir: string;
  let currentDir: string;
  let currentCode: number | null;
  let currentStdout: string;

  const runArgs = (url: string, out: string) => [
    'run',
    'datasets/regression.jsonl',
    '--base-url',
    url,
    '--api-key-env',
    'STEPBENCH_TEST_KEY',
    '--repeat',
    '2',
    '--no-progress',
    '--out',
    out,
  ];

  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-compare-'));
    before = await startTestMock({
      seed: 3,
      ttftMs: 2,
      interTokenMs: 1,
      answers: answers('answers-baseline.jsonl'),
    });
    after = await startTestMock({
      seed: 3,
      ttftMs: 2,
      interTokenMs: 1,
      answers: answers('answers-regressed.jsonl'),
    });
    baselineDir = join(dir, 'baseline');
    currentDir = join(dir, 'current');
    const base = await runCli(runArgs(before.url, baselineDir), KEY);
    expect(base.code, base.stderr).toBe(0);
    const cur = await runCli(
      [...runArgs(after.url, currentDir), '--baseline', baselineDir, '--max-regression', 'pass_rate:-0.02'],
      KEY,
    );
    currentCode = cur.code;
    currentStdout = cur.stdout;
  }, 120_000);

  afterAll(async () => {
    await before?.close();
    await after?.close();
  });

  it('run --baseline: lists the flips with a word diff, tests the pass rate, exits 1', async () => {
    expect(currentCode).toBe(1);
    const report = JSON.parse(await readFile(join(currentDir, 'report.json'), 'utf8'));
    const c = report.baseline;
    expect(c.alpha).toBe(0.05);
    expect(c.thresholds).toEqual(['pass_rate:-0.02']);
    expect(c.rows.compared).toBe(24);
    expect(c.rows.regressed).toBe(6);
    expect(c.rows.fixed).toBe(0);
    const australia = c.rows.regressedRows.find((r: { rowId: string }) => r.rowId === 'capital-australia');
    expect(australia.diff).toContain('[-Canberra-]{+Sydney+}');
    expect(australia.reason).toMatch(/icontains/);
    const pass = c.deltas.find((d: { metric: string }) => d.metric === 'pass_rate');
    expect(pass).toMatchObject({ test: 'mcnemar', baseline: 1, current: 0.75, regression: true });
    // Six pairs went pass → fail and none the other way: (1/2)^6.
    expect(pass.p).toBeCloseTo(1 / 64, 6);
    expect(c.regressions).toEqual([
      { target: 'step-3.7-flash', metric: 'pass_rate', threshold: 'pass_rate:-0.02' },
    ]);
    expect(currentStdout).toMatch(/baseline\s+1 significant regression against/);
    expect(currentStdout).toMatch(/pass → fail\s+capital-australia/);
    const summary = await readFile(join(currentDir, 'summary.md'), 'utf8');
    expect(summary).toMatch(/### Baseline: 1 significant regression/);
    expect(summary).toMatch(/\| pass → fail \| capital\\-australia \\#0 \| step\\-3\\\.7\\-flash \|/);
  });

  it('compare A B: the same verdict from two finished runs, as JSON and files', async () => {
    const out = join(dir, 'cmp');
    const r = await runCli([
      'compare',
      baselineDir,
      currentDir,
      '--max-regression',
      'pass_rate:-0.02',
      '--json',
      '--out',
      out,
    ]);
    expect(r.code).toBe(1);
    const c = JSON.parse(r.stdout);
    expect(c.rows.regressed).toBe(6);
    expect(c.regressions.map((x: { metric: string }) => x.metric)).toEqual(['pass_rate']);
    expect(existsSync(join(out, 'compare.json'))).toBe(true);
    expect(await readFile(join(out, 'compare.md'), 'utf8')).toMatch(/^### Baseline/);
  });

  it('compare A A: nothing changed, exit 0', async () => {
    const r = await runCli(['compare', baselineDir, baselineDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/no significant regression/);
    expect(r.stdout).toMatch(/24 compared · 0 pass → fail · 0 fail → pass · 0 outputs changed/);
  });

  it('a report without results: values drawn from its histograms, no per-row changes, said so', async () => {
    const only = join(dir, 'report-only');
    await mkdir(only);
    await copyFile(join(baselineDir, 'report.json'), join(only, 'report.json'));
    const r = await runCli(['compare', join(only, 'report.json'), currentDir, '--json']);
    const c = JSON.parse(r.stdout);
    expect(c.baseline.source).toBe('histograms');
    expect(c.current.source).toBe('results');
    expect(c.rows).toBeNull();
    expect(c.notes.join(' ')).toMatch(/no results\.jsonl beside .*report-only/);
    const pass = c.deltas.find((d: { metric: string }) => d.metric === 'pass_rate');
    expect(pass.test).toBe('fisher');
    const ttft = c.deltas.find((d: { metric: string }) => d.metric === 'ttft.p95');
    expect(ttft.baseline).toBeGreaterThan(0);
  });

  it.each([
    [['compare', '/nonexistent/run', '.'], /baseline or run not found: \/nonexistent\/run/],
    [['compare', 'datasets', '.'], /datasets\/report\.json: not found or unreadable/],
    [['compare', 'datasets/smoke.csv', '.'], /smoke\.csv: not valid JSON/],
    [
      ['compare', '.', '.', '--max-regression', 'ttft.p95:+20'],
      /invalid --max-regression 'ttft\.p95:\+20': '\+20' has no unit/,
    ],
    [['compare', '.', '.', '--alpha', '2'], /--alpha must be a number > 0 and ≤ 0\.5/],
    [
      ['run', 'datasets/smoke.csv', '--mock', '--max-regression', 'ttft.p95:+20%'],
      /--max-regression judges a comparison with a baseline, but no baseline was given/,
    ],
    [['run', 'datasets/smoke.csv', '--mock', '--baseline', '/nonexistent/run'], /baseline or run not found/],
    [
      ['run', 'datasets/smoke.csv', '--mock', '--baseline', '.', '--max-regression', 'step-9:ttft.p95:+20%'],
      /--max-regression 'step-9:ttft\.p95:\+20%' names target step-9, which this run does not have \(it has step-3\.7-flash\)/,
    ],
  ])('bad input %j: exit 2 with a message, no stack', async (args, message) => {
    const r = await runCli(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  });
});
