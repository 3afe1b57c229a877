import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { targetDeltas } from '../../src/compare/metric-deltas.js';
import { emptySamples } from '../../src/compare/run-side.js';
import { compareTargets, type TargetsComparison } from '../../src/compare/targets-compare.js';
import { parseMetricKey, TARGET_COMPARED_METRICS } from '../../src/compare/thresholds.js';
import { UserError } from '../../src/errors.js';
import { MetricsCollector } from '../../src/metrics/collector.js';
import { DEFAULT_PRICES } from '../../src/plan/prices.js';
import { formatSummary } from '../../src/report/console.js';
import { buildReport } from '../../src/report/json.js';
import type { Report } from '../../src/report/schema.js';
import { summaryMarkdown } from '../../src/report/summary-md.js';
import type { OutcomeClass } from '../../src/results/outcomes.js';
import type { JobResult } from '../../src/results/types.js';
import { makeResult } from '../metrics/job-result-factory.js';

const REF = 'step-3.7-flash';
const OTHER = 'local-model';

interface Spec {
  output: string;
  pass?: boolean;
  outcome?: OutcomeClass;
  repeat?: number;
  cost?: number;
}

/** One job's result as the runner records it: row × target × repeat, its answer, its check verdict. */
function result(target: string, rowId: string, spec: Spec): JobResult {
  const base = makeResult({ target, ttft: 100 + rowId.length, e2e: 900, outcome: spec.outcome ?? 'ok' });
  const repeat = spec.repeat ?? 0;
  const r: JobResult = { ...base, rowId, repeat, key: `${rowId}|${target}|${repeat}`, output: spec.output };
  if (spec.outcome && spec.outcome !== 'ok') {
    r.output = '';
    r.error = { message: 'no first token within 2m' } as JobResult['error'];
  }
  if (spec.pass !== undefined)
    r.checks = {
      pass: spec.pass,
      score: spec.pass ? 1 : 0,
      results: [{ type: 'icontains', pass: spec.pass, score: spec.pass ? 1 : 0, reason: 'expected "Paris"' }],
    } as unknown as JobResult['checks'];
  if (spec.cost !== undefined) r.cost = spec.cost;
  return r;
}

const long = 'word '.repeat(500);

/**
 * Twelve rows, two targets: the reference is priced (a cost per request), the other is not. The
 * other answers nine rows the same; `australia` differs only in case and punctuation, `france`
 * differs and fails its check, `slow` timed out on the other (no answer), `essay` differs only
 * after the first 2,000 characters, and `capital` has a second repeat that differs.
 */
function rows(): JobResult[] {
  const out: JobResult[] = [];
  const both = (rowId: string, ref: Spec, other: Spec) => {
    out.push(result(REF, rowId, { cost: 0.001, ...ref }), result(OTHER, rowId, other));
  };
  for (let i = 0; i < 6; i++)
    both(`same${i}`, { output: `answer ${i}`, pass: true }, { output: `answer ${i}`, pass: true });
  both('australia', { output: 'Canberra.', pass: true }, { output: ' canberra', pass: true });
  both(
    'france',
    { output: 'The capital is Paris.', pass: true },
    { output: 'The capital is Lyon.', pass: false },
  );
  both('slow', { output: 'fine' }, { output: '', outcome: 'timeout_first_token' });
  both('essay', { output: `${long}end one` }, { output: `${long}end two` });
  both('capital', { output: 'Rome', repeat: 0 }, { output: 'Rome', repeat: 0 });
  both('capital', { output: 'Rome', repeat: 1 }, { output: 'Roma', repeat: 1 });
  return out;
}

async function finishedRun(
  results: JobResult[],
  targets: string[],
): Promise<{ report: Report; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'stepbench-targets-'));
  const path = join(dir, 'results.jsonl');
  await writeFile(path, `${results.map((r) => JSON.stringify(r)).join('\n')}\n`);
  const collector = new MetricsCollector(
    targets.map((name) => (name === REF ? { name, price: DEFAULT_PRICES[REF] } : { name })),
  );
  for (const r of results) collector.add(r);
  const report = buildReport({
    collector,
    run: {
      id: 'run-test',
      startedAt: '2025-01-01T00:00:00.000Z',
      endedAt: '2025-01-01T00:00:01.000Z',
      wallMs: 1000,
      command: [],
      stepbenchVersion: '0.1.0',
      options: {},
    },
    targets: targets.map((name) => ({
      name,
      model: name,
      baseUrl: 'http://127.0.0.1:1/v1',
      apiKeyEnv: 'KEY',
      stream: true,
      params: {},
      headers: {},
      ...(name === REF ? { price: DEFAULT_PRICES[REF] } : {}),
    })),
    dataset: { files: ['rows.jsonl'], rows: 11, badRows: [] },
    environment: { node: 'v20', platform: 'linux', arch: 'x64', cpus: 2 },
    generatedAt: '2025-01-01T00:00:01.000Z',
  });
  return { report, path };
}

describe('compareTargets: the targets of one run set beside a reference', () => {
  let report: Report;
  let path: string;
  let c: TargetsComparison;

  beforeAll(async () => {
    ({ report, path } = await finishedRun(rows(), [REF, OTHER]));
    c = (await compareTargets(report, path)) as TargetsComparison;
  });

  it('takes the first target as the reference and lists every target in the run order', () => {
    expect(c.reference).toBe(REF);
    expect(c.alpha).toBe(0.05);
    expect(c.sided).toBe('two-sided');
    expect(c.targets.map((t) => [t.target, t.isReference])).toEqual([
      [REF, true],
      [OTHER, false],
    ]);
    expect(c.targets[0]).toMatchObject({ agreement: null, deltas: [] });
  });

  it('counts agreement over the rows both answered: exact, normalised, same verdict', () => {
    const other = c.targets[1]!;
    // 12 rows × repeats paired, 11 answered by both (the other timed out on `slow`).
    expect(other.rowsBoth).toBe(11);
    expect(other.agreement).toEqual({
      exact: { count: 7, of: 11, share: 0.636364 },
      normalised: { count: 8, of: 11, share: 0.727273 },
      sameVerdict: { count: 7, of: 8, share: 0.875 },
    });
    expect(other.errorClasses).toEqual({ timeout_first_token: 1 });
    expect(c.targets[0]!.errorClasses).toEqual({});
  });

  it('lists the rows whose outputs differ, in the run order, with a word diff against the reference', () => {
    expect(c.rows.paired).toBe(12);
    expect(c.rows.differing).toBe(5);
    expect(c.rows.listed.map((r) => `${r.rowId}#${r.repeat}`)).toEqual([
      'australia#0',
      'france#0',
      'slow#0',
      'essay#0',
      'capital#1',
    ]);
    const france = c.rows.listed[1]!;
    expect(france.outputs.map((o) => [o.target, o.verdict])).toEqual([
      [REF, 'passed'],
      [OTHER, 'failed'],
    ]);
    expect(france.outputs[0]).toEqual({ target: REF, verdict: 'passed', output: 'The capital is Paris.' });
    expect(france.outputs[1]).toMatchObject({
      output: 'The capital is Lyon.',
      same: false,
      diff: 'The capital is [-Paris-]{+Lyon+}.',
      reason: 'icontains: expected "Paris"',
    });
    const slow = c.rows.listed[2]!.outputs[1]!;
    expect(slow).toMatchObject({ verdict: 'error', same: false });
    expect(slow.error).toMatch(/^timeout_first_token: /);
    expect(slow.output).toBeUndefined();
    // Answers are compared whole, not as the excerpt kept for the diff.
    expect(c.rows.listed[3]!.outputs[1]!.output!.length).toBeLessThanOrEqual(600);
  });

  it('tests every figure two-sided, with intervals, and fails nothing', () => {
    const deltas = c.targets[1]!.deltas;
    expect(deltas.map((d) => d.metric)).toEqual([...TARGET_COMPARED_METRICS]);
    for (const d of deltas) {
      expect(d.target).toBe(OTHER);
      expect(d.threshold).toBeNull();
      expect(d.regression).toBe(false);
    }
    const pass = deltas.find((d) => d.metric === 'pass_rate')!;
    // Judged by both: 8 rows; the other failed one the reference passed: McNemar, 1 discordant pair.
    expect(pass).toMatchObject({ test: 'mcnemar', baseline: 1, current: 0.875, p: 1, significant: false });
    expect(pass.note).toBe('1 rows pass → fail, 0 fail → pass of 8 judged in both');
    expect(pass.interval).not.toBeNull();
    const ttft = deltas.find((d) => d.metric === 'ttft.p50')!;
    expect(ttft.test).toBe('bootstrap');
    expect(ttft.interval).not.toBeNull();
    expect(ttft.p).toBeGreaterThan(0);
  });

  it('keeps an unknown cost unknown: no value, no test, a reason — never 0', () => {
    const cost = c.targets[1]!.deltas.find((d) => d.metric === 'cost.mean')!;
    expect(cost.baseline).toBeCloseTo(0.001, 9);
    expect(cost.current).toBeNull();
    expect(cost.change).toBeNull();
    expect(cost.test).toBe('none');
    expect(cost.note).toMatch(/costs are known only/);
  });

  it('--reference picks another target to set the others beside', async () => {
    const other = (await compareTargets(report, path, { reference: OTHER }))!;
    expect(other.reference).toBe(OTHER);
    expect(other.targets.map((t) => t.isReference)).toEqual([false, true]);
    expect(other.rows.listed[1]!.outputs.map((o) => o.target)).toEqual([OTHER, REF]);
    expect(other.rows.listed[1]!.outputs[1]!.diff).toBe('The capital is [-Lyon-]{+Paris+}.');
    // The same pairs, seen from the other side.
    expect(other.targets[0]!.agreement!.exact.count).toBe(7);
  });

  it('refuses a reference that is not a target, naming the targets', async () => {
    const refused = compareTargets(report, path, { reference: 'step-9' });
    await expect(refused).rejects.toBeInstanceOf(UserError);
    await expect(refused).rejects.toThrow(
      `--reference 'step-9' is not a target of this run (its targets: ${REF}, ${OTHER})`,
    );
  });

  it('a run of one target has no comparison', async () => {
    const one = await finishedRun(
      rows().filter((r) => r.target === REF),
      [REF],
    );
    expect(await compareTargets(one.report, one.path)).toBeUndefined();
  });

  it('console: one table with both targets as columns, the changes, the differing rows; no per-target blocks', () => {
    const text = formatSummary({ ...report, comparison: c });
    const lines = text.split('\n');
    const header = lines.find(
      (l) => l.includes(REF) && l.includes(OTHER) && l.trim().split(/\s+/).length === 2,
    );
    expect(header).toBeDefined();
    expect(lines.filter((l) => l.startsWith('── '))).toEqual([]);
    const row = (label: string) =>
      lines
        .find((l) => l.startsWith(`${label} `))!
        .slice(label.length)
        .trim();
    expect(row('agree: exact')).toMatch(/^-\s+63\.6% \(7\/11\)$/);
    expect(row('agree: normalised')).toMatch(/^-\s+72\.7% \(8\/11\)$/);
    expect(row('same verdict')).toMatch(/^-\s+87\.5% \(7\/8\)$/);
    expect(row('pass rate')).toMatch(/^100\.0%\s+87\.5% −12\.5 pp$/);
    expect(row('cost total')).toMatch(/^CNY \d\.\d{4}\s+unknown$/);
    expect(text).toContain(`differing   5 of 12 rows differ from ${REF} (first 3; report.json lists 5)`);
    expect(text).toContain('The capital is [-Paris-]{+Lyon+}.');
    expect(text).toContain('two-sided p < 0.05');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
  });

  it('summary.md: a comparison section, everything escaped', () => {
    const md = summaryMarkdown({ ...report, comparison: c }, []);
    expect(md).toContain('### Model comparison (reference: step\\-3\\.7\\-flash)');
    expect(md).toContain('| figure | step\\-3\\.7\\-flash | local\\-model |');
    expect(md).toMatch(/\| agree: exact \| \\- \| 63\\\.6% \\\(7\/11\\\) \|/);
    expect(md).toMatch(/\| cost total \| CNY 0\\\.\d{4} \| unknown \|/);
    expect(md).toContain('Rows whose outputs differ (5):');
    expect(md).toContain(
      '| france \\#0 | local\\-model | failed | The capital is \\[\\-Paris\\-\\]\\{\\+Lyon\\+\\}\\. |',
    );
  });

  it('summary.md escapes model text that looks like Markdown or HTML', async () => {
    const hostile = '<img src=x onerror=alert(1)> | **bold** [link](http://x)';
    const run = await finishedRun(
      [result(REF, 'x', { output: 'plain' }), result(OTHER, 'x', { output: hostile })],
      [REF, OTHER],
    );
    const cmp = (await compareTargets(run.report, run.path))!;
    const md = summaryMarkdown({ ...run.report, comparison: cmp }, []);
    // Every `<`, `*`, `|` and bracket of the answer comes escaped: nothing is read as markup.
    expect(md).not.toMatch(/(^|[^\\])<img/);
    expect(md).not.toMatch(/(^|[^\\])\*\*bold/);
    expect(md).toContain('\\| \\*\\*bold\\*\\* \\[link\\]\\(http://x\\)');
    expect(md).toContain('\\<img src=x onerror=alert\\(1\\)\\>');
  });
});

describe('two-sided deltas', () => {
  const passRate = [parseMetricKey('pass_rate')!];
  const judged = (passed: number) => ({ ...emptySamples(), judged: 10, passed, requests: 10 });

  it('McNemar two-sided: a target better than the reference differs as much as one worse', () => {
    const options = { alpha: 0.05, seed: 1 };
    // 8 rows the reference failed and the other passed, none the other way.
    const better = { worse: 0, better: 8, pairs: 10 };
    const [one] = targetDeltas('t', judged(2), judged(10), passRate, [], better, options);
    const [two] = targetDeltas('t', judged(2), judged(10), passRate, [], better, {
      ...options,
      twoSided: true,
    });
    expect(one).toMatchObject({ test: 'mcnemar', p: 1, significant: false });
    expect(two).toMatchObject({ test: 'mcnemar', significant: true });
    // 2 · P(Bin(8, ½) = 8) = 2/256, rounded to six places like every p in a report.
    expect(two!.p).toBeCloseTo(2 / 256, 5);
    const [worse] = targetDeltas(
      't',
      judged(10),
      judged(2),
      passRate,
      [],
      { worse: 8, better: 0, pairs: 10 },
      {
        ...options,
        twoSided: true,
      },
    );
    expect(worse).toMatchObject({ p: two!.p, significant: true, regression: false });
  });
});
