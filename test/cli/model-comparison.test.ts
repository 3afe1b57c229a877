import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CannedAnswer, readCannedAnswers } from '../../src/mock/canned-answers.js';
import type { MockServer } from '../../src/mock/index.js';
import type { Report } from '../../src/report/schema.js';
import { type CliResult, cliBuilt, runCli } from '../helpers/cli.js';
import { startTestMock } from '../helpers/mock.js';

const KEY = { STEPBENCH_TEST_KEY: 'test-key' };
const A = 'step-3.7-flash';
const B = 'step-3.5-flash';

/**
 * Two models on datasets/regression.jsonl against one mock whose canned answers are keyed by
 * model: B answers three of the twelve rows differently — `capital-australia` wrongly (fails its
 * check), `capital-france` as "paris" (the same after normalisation, still passes), `json-count`
 * wrongly. Latency verdicts between two targets of a real run are not deterministic: only the
 * structure and the row-level counts are asserted.
 */
const B_ANSWERS: CannedAnswer[] = [
  { model: B, match: 'What is the capital of Australia?', answer: 'Sydney.' },
  { model: B, match: 'What is the capital of France?', answer: 'paris' },
  { model: B, match: 'How many keys does this JSON object have?', answer: '4 keys: a, b, c and d.' },
];

describe('run with two models: one comparison', () => {
  let dir: string;
  let mock: MockServer;
  let two: CliResult;
  let report: Report;

  const args = (out: string, ...more: string[]) => [
    'run',
    'datasets/regression.jsonl',
    '--base-url',
    mock.url,
    '--api-key-env',
    'STEPBENCH_TEST_KEY',
    '--no-progress',
    '--out',
    join(dir, out),
    ...more,
  ];

  beforeAll(async () => {
    expect(cliBuilt(), 'run `npm run build` first (npm test does it)').toBe(true);
    dir = await mkdtemp(join(tmpdir(), 'stepbench-models-'));
    mock = await startTestMock({
      seed: 5,
      ttftMs: 2,
      interTokenMs: 1,
      answers: [
        ...B_ANSWERS,
        ...readCannedAnswers(join('examples', 'regression-demo', 'answers-baseline.jsonl')),
      ],
    });
    two = await runCli(args('two', '--model', A, '--model', B), KEY);
    report = JSON.parse(await readFile(join(dir, 'two', 'report.json'), 'utf8'));
  }, 120_000);

  afterAll(async () => {
    await mock?.close();
  });

  it('report.json: agreement counted over the rows both answered, the differing rows with word diffs', () => {
    // B fails two rows' checks, and without gates a failed check is exit 1: the comparison itself fails nothing.
    expect(two.code, two.stderr).toBe(1);
    const c = report.comparison!;
    expect(c.reference).toBe(A);
    expect(c.targets.map((t) => t.target)).toEqual([A, B]);
    const b = c.targets[1]!;
    expect(b.rowsBoth).toBe(12);
    expect(b.agreement).toEqual({
      exact: { count: 9, of: 12, share: 0.75 },
      normalised: { count: 10, of: 12, share: 0.833333 },
      sameVerdict: { count: 10, of: 12, share: 0.833333 },
    });
    expect(c.rows).toMatchObject({ paired: 12, differing: 3 });
    expect(c.rows.listed.map((r) => r.rowId).sort()).toEqual([
      'capital-australia',
      'capital-france',
      'json-count',
    ]);
    const australia = c.rows.listed.find((r) => r.rowId === 'capital-australia')!;
    expect(australia.outputs.map((o) => [o.target, o.verdict, o.output])).toEqual([
      [A, 'passed', 'Canberra.'],
      [B, 'failed', 'Sydney.'],
    ]);
    expect(australia.outputs[1]!.diff).toBe('[-Canberra-]{+Sydney+}.');
    expect(b.deltas.find((d) => d.metric === 'pass_rate')).toMatchObject({
      test: 'mcnemar',
      baseline: 1,
      current: 0.833333, // 10 of 12, rounded to six places like every figure of a delta
      regression: false,
    });
    expect(b.deltas.every((d) => d.threshold === null && !d.regression)).toBe(true);
  });

  it('console: one table with both targets as columns, no block per target, the differing rows', () => {
    const lines = two.stdout.split('\n');
    const header = lines.filter((l) => l.trim().split(/\s+/).join(' ') === `${A} ${B}`);
    expect(header.length).toBe(1);
    expect(lines.filter((l) => l.startsWith('── '))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('ttft p50 ')).length).toBe(1);
    expect(two.stdout).toMatch(/agree: exact\s+-\s+75\.0% \(9\/12\)/);
    expect(two.stdout).toContain(`differing   3 of 12 rows differ from ${A}`);
    expect(two.stdout).toContain('[-Canberra-]{+Sydney+}.');
  });

  it('summary.md has the comparison section', async () => {
    const md = await readFile(join(dir, 'two', 'summary.md'), 'utf8');
    expect(md).toContain('### Model comparison (reference: step\\-3\\.7\\-flash)');
    expect(md).toContain('| figure | step\\-3\\.7\\-flash | step\\-3\\.5\\-flash |');
  });

  it('--reference sets the others beside the named target', async () => {
    const r = await runCli(args('ref', '--model', A, '--model', B, '--reference', B), KEY);
    expect(r.code, r.stderr).toBe(1);
    const c = (JSON.parse(await readFile(join(dir, 'ref', 'report.json'), 'utf8')) as Report).comparison!;
    expect(c.reference).toBe(B);
    expect(c.targets.map((t) => [t.target, t.isReference])).toEqual([
      [A, false],
      [B, true],
    ]);
    const australia = c.rows.listed.find((row) => row.rowId === 'capital-australia')!;
    expect(australia.outputs.map((o) => o.target)).toEqual([B, A]);
    expect(australia.outputs[1]!.diff).toBe('[-Sydney-]{+Canberra+}.');
  });

  it('an unknown --reference is exit 2 naming the targets, before any request', async () => {
    const r = await runCli(args('unknown', '--model', A, '--model', B, '--reference', 'step-9'), KEY);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--reference 'step-9' is not a target of this run (its targets: ${A}, ${B})`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'unknown', 'results.jsonl'))).toBe(false);
  });

  it('one target: no comparison, the target block as before', async () => {
    const r = await runCli(args('one', '--model', A), KEY);
    expect(r.code, r.stderr).toBe(0);
    const one = JSON.parse(await readFile(join(dir, 'one', 'report.json'), 'utf8')) as Report;
    expect(one.comparison).toBeUndefined();
    expect(r.stdout).toContain(`── ${A} (${A}, stream)`);
    expect(r.stdout).not.toContain('comparison  ');
  });
});
