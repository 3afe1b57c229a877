import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { costOf } from '../../src/metrics/cost.js';
import { DEFAULT_PRICES } from '../../src/plan/prices.js';
import { formatSummary } from '../../src/report/console.js';
import { readResults } from '../../src/results/reader.js';
import type { JobResult } from '../../src/results/types.js';
import { run } from '../../src/run/run.js';

const FAST = { ttftMs: 1, interTokenMs: 1, replyTokens: 4 };
const never = { type: 'contains', value: 'zebra-quartz' };
const always = { type: 'not-contains', value: 'zebra-quartz' };

async function folder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'stepbench-run-checks-'));
}

async function dataset(dir: string, lines: unknown[]): Promise<string> {
  const path = join(dir, 'rows.jsonl');
  await writeFile(path, `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return path;
}

async function results(path: string): Promise<JobResult[]> {
  const out: JobResult[] = [];
  for await (const r of readResults(path)) out.push(r);
  return out;
}

/**
 * A custom check that passes a row's 1st, 3rd, … judging and fails its 2nd, 4th, …: a row
 * that is flaky over repeats by construction, whatever order the jobs finish in.
 */
async function flipFlopCheck(dir: string): Promise<void> {
  await writeFile(
    join(dir, 'flip.mjs'),
    'const seen = new Map();\n' +
      'export function flip(_output, ctx) {\n' +
      '  const n = seen.get(ctx.config.row) ?? 0;\n' +
      '  seen.set(ctx.config.row, n + 1);\n' +
      '  return n % 2 === 0;\n' +
      '}\n',
  );
}
const flip = (row: string) => ({
  id: row,
  prompt: 'hi',
  assert: [{ type: 'custom', value: 'file:./flip.mjs#flip', config: { row } }],
});

describe('pass rates in a run', () => {
  it('counts judged answers apart from unchecked answers and requests without an answer', async () => {
    const dir = await folder();
    const path = await dataset(dir, [
      { id: 'pass1', prompt: 'hi', assert: [always] },
      { id: 'pass2', prompt: 'hello', assert: [always, { type: 'max-tokens', value: 100 }] },
      { id: 'fail', prompt: 'hi there', assert: [never] },
      { id: 'plain', prompt: 'hi' },
      { id: 'filtered', prompt: 'forbidden words', assert: [always] },
    ]);
    const o = await run({
      datasets: [path],
      mock: { ...FAST, moderationPattern: 'forbidden' },
      out: join(dir, 'out'),
      gates: ['pass_rate>=0.6'],
    });
    const checks = o.report.targets[0]!.summary.checks;
    expect(checks).toEqual({
      judged: 3,
      passed: 2,
      failed: 1,
      passRate: 2 / 3,
      unchecked: 1,
      unanswered: 1,
      byType: {
        'not-contains': { judged: 2, passed: 2 },
        'max-tokens': { judged: 1, passed: 1 },
        contains: { judged: 1, passed: 0 },
      },
    });
    expect(o.report.checks).toEqual(checks);
    expect(o.report.targets[0]!.summary.outcomes.content_filter).toBe(1);
    // The gate reads the same figure: 2 of 3 judged, the unchecked and filtered rows left out.
    expect(o.report.gates).toEqual([
      { gate: 'pass_rate>=0.6', target: 'step-3.7-flash', measured: 2 / 3, pass: true },
    ]);
    expect(o.exitCode).toBe(0);
    expect(formatSummary(o.report)).toMatch(
      /checks {6}pass 66\.7% \(2 of 3 judged\) · not judged: 1 unchecked, 1 without an answer/,
    );
    expect(await readFile(join(o.outDir, 'summary.md'), 'utf8')).toMatch(/\| 5 \| 66\.7% \(2 \/ 3\) \|/);
  });
});

describe('repeats in a run', () => {
  it('--repeat 3: pass^k, flaky rows with their intervals, in report.json, console and summary.md', async () => {
    const dir = await folder();
    await flipFlopCheck(dir);
    const path = await dataset(dir, [
      flip('flip1'),
      { id: 'good1', prompt: 'hi', assert: [always] },
      flip('flip2'),
      { id: 'good2', prompt: 'hello', assert: [always] },
      { id: 'bad', prompt: 'hi', assert: [never] },
      { id: 'plain', prompt: 'hi' },
    ]);
    const o = await run({ datasets: [path], mock: FAST, out: join(dir, 'out'), repeat: 3, concurrency: 4 });
    const repeats = o.report.repeats!;
    expect(repeats.k).toBe(3);
    expect(repeats.targets).toEqual([
      {
        target: 'step-3.7-flash',
        rows: 5,
        runs: 15,
        passes: 10,
        passRate: 0.666667,
        k: { min: 3, max: 3 },
        passHatK: 0.4,
        allPassedRows: 2,
        flakyRows: 2,
        failingRows: 1,
      },
    ]);
    expect(repeats.rows.map((r) => [r.rowId, r.passes, r.runs, r.flaky])).toEqual([
      ['flip1', 2, 3, true],
      ['flip2', 2, 3, true],
      ['bad', 0, 3, false],
    ]);
    expect(repeats.rows[0]!.interval.low).toBeGreaterThan(0);
    expect(repeats.rows[0]!.interval.high).toBeLessThan(1);
    expect(repeats.rowsNotListed).toBe(0);
    // The per-target pass rate over repeats is the target's pass rate.
    expect(o.report.targets[0]!.summary.checks.passRate).toBeCloseTo(10 / 15, 9);
    const console = formatSummary(o.report);
    expect(console).toMatch(
      /step-3\.7-flash: pass 66\.7% of 15 runs · pass\^3 40\.0% \(2 of 5 rows\) · 2 flaky · 1 always failed/,
    );
    expect(console).toMatch(/flaky {2}flip1 \(step-3\.7-flash\) 2\/3 passed, 95% CI 0\.\d\d–0\.\d\d/);
    const md = await readFile(join(o.outDir, 'summary.md'), 'utf8');
    expect(md).toMatch(/### Repeats \(each row 3 times\)/);
    expect(md).toMatch(/\| flip1 \| step\\-3\\\.7\\-flash \| 2 \/ 3 \|/);
  });

  it('without --repeat there is no repeats section', async () => {
    const dir = await folder();
    const path = await dataset(dir, [{ id: 'a', prompt: 'hi', assert: [always] }]);
    const o = await run({ datasets: [path], mock: FAST, out: join(dir, 'out') });
    expect(o.report.repeats).toBeUndefined();
  });

  it('a resumed run counts the kept results in its repeats', async () => {
    const dir = await folder();
    await flipFlopCheck(dir);
    const path = await dataset(dir, [
      flip('flip1'),
      { id: 'good', prompt: 'hi', assert: [always] },
      flip('flip2'),
    ]);
    const out = join(dir, 'out');
    const stop = new AbortController();
    let seen = 0;
    const first = await run(
      { datasets: [path], mock: FAST, out, repeat: 3, concurrency: 1, stop: stop.signal },
      { onResult: () => ++seen === 4 && stop.abort() },
    );
    expect(first.exitCode).toBe(130);
    const kept = (await results(first.resultsPath)).length;
    expect(kept).toBeLessThan(9);
    const second = await run({ datasets: [path], mock: FAST, resume: out, repeat: 3, concurrency: 1 });
    expect(second.report.resumed?.kept).toBe(kept);
    expect(second.report.repeats?.targets[0]).toMatchObject({
      rows: 3,
      runs: 9,
      flakyRows: 2,
      allPassedRows: 1,
    });
    expect(second.report.repeats?.rows.map((r) => [r.rowId, r.passes, r.runs])).toEqual([
      ['flip1', 2, 3],
      ['flip2', 2, 3],
    ]);
  });
});

describe('per-request cost', () => {
  it('is recorded from usage and the price, and max-cost passes or fails on it', async () => {
    const dir = await folder();
    const path = await dataset(dir, [
      { id: 'cheap-enough', prompt: 'hi', assert: [{ type: 'max-cost', value: 1 }] },
      { id: 'too-dear', prompt: 'hi', assert: [{ type: 'max-cost', value: 1e-12 }] },
    ]);
    const o = await run({ datasets: [path], mock: FAST, out: join(dir, 'out') });
    const rs = await results(o.resultsPath);
    const price = DEFAULT_PRICES['step-3.7-flash']!;
    for (const r of rs) expect(r.cost).toBe(costOf(r.usage, price));
    const byId = new Map(rs.map((r) => [r.rowId, r]));
    expect(byId.get('cheap-enough')?.outcome).toBe('ok');
    expect(byId.get('too-dear')?.outcome).toBe('assertion_failed');
    expect(byId.get('too-dear')?.checks?.results[0]?.reason).toMatch(/^cost [\d.e-]+ > 1e-12$/);
    // The report's total is the same function over the same usage.
    const total = o.report.targets[0]!.summary.cost.total!;
    expect(total).toBeCloseTo(
      rs.reduce((sum, r) => sum + (r.cost ?? 0), 0),
      12,
    );
  });

  it('follows a price override, and without a price stays unknown: no cost, max-cost fails as unknown', async () => {
    const dir = await folder();
    const path = await dataset(dir, [{ id: 'r', prompt: 'hi', assert: [{ type: 'max-cost', value: 1 }] }]);
    // One USD per prompt token: any request costs more than the max-cost of 1.
    const price = { currency: 'USD', input: 1_000_000, cachedInput: 500_000, output: 2_000_000 };
    const config = join(dir, 'stepbench.json');
    await writeFile(
      config,
      JSON.stringify({
        targets: [
          { model: 'step-3.5-flash-2603', price },
          { name: 'unpriced', model: 'step-3.5-flash-2603' },
        ],
      }),
    );
    const o = await run({ datasets: [path], mock: FAST, config, out: join(dir, 'out') });
    const byTarget = new Map((await results(o.resultsPath)).map((r) => [r.target, r]));
    const priced = byTarget.get('step-3.5-flash-2603')!;
    expect(priced.cost).toBe(costOf(priced.usage, price));
    expect(priced.cost).toBeGreaterThan(1);
    expect(priced.outcome).toBe('assertion_failed');
    expect(priced.checks?.results[0]?.reason).toMatch(/^cost [\d.]+ > 1$/);
    expect(o.report.targets[0]?.summary.cost).toMatchObject({ currency: 'USD', total: priced.cost });
    const unpriced = byTarget.get('unpriced')!;
    expect(unpriced).not.toHaveProperty('cost');
    expect(unpriced.outcome).toBe('assertion_failed');
    expect(unpriced.checks?.results[0]?.reason).toMatch(/cost unknown/);
  });
});

describe('--abort-on-gate', () => {
  it('stops the run once a gate can no longer pass: fewer results, the gate named, exit 1', async () => {
    const dir = await folder();
    const path = await dataset(
      dir,
      Array.from({ length: 20 }, (_, i) => ({ id: `r${i}`, prompt: `question ${i}`, assert: [never] })),
    );
    const o = await run({
      datasets: [path],
      mock: FAST,
      out: join(dir, 'out'),
      concurrency: 1,
      gates: ['pass_rate>=0.9', 'ttft.p95<1h'],
      abortOnGate: true,
    });
    const rs = await results(o.resultsPath);
    // 3 failures of 20 planned leave at most 17/20 = 0.85.
    expect(rs.filter((r) => r.outcome === 'assertion_failed').length).toBe(3);
    expect(rs.length).toBeLessThan(20);
    expect(o.report.aborted?.reason).toMatch(
      /^gate 'pass_rate>=0\.9' can no longer pass for step-3\.7-flash: /,
    );
    expect(o.aborted).toBe(o.report.aborted?.reason);
    expect(o.report.gates?.find((g) => g.gate === 'pass_rate>=0.9')?.pass).toBe(false);
    expect(o.exitCode).toBe(1);
    expect(formatSummary(o.report)).toMatch(/ABORTED {5}gate 'pass_rate>=0\.9' can no longer pass/);
  });

  it('runs to the end while the gate can still pass', async () => {
    const dir = await folder();
    const path = await dataset(dir, [
      ...Array.from({ length: 4 }, (_, i) => ({ id: `bad${i}`, prompt: `bad ${i}`, assert: [never] })),
      ...Array.from({ length: 6 }, (_, i) => ({ id: `good${i}`, prompt: `good ${i}`, assert: [always] })),
    ]);
    const o = await run({
      datasets: [path],
      mock: FAST,
      out: join(dir, 'out'),
      concurrency: 1,
      gates: ['pass_rate>=0.6'],
      abortOnGate: true,
    });
    // After the 4 failures, 6/10 = 0.6 was still reachable, and reached.
    expect((await results(o.resultsPath)).length).toBe(10);
    expect(o.report.aborted).toBeUndefined();
    expect(o.report.gates?.[0]).toMatchObject({ measured: 0.6, pass: true });
    expect(o.exitCode).toBe(0);
  });

  it('refuses --abort-on-gate without a gate, before any request', async () => {
    const dir = await folder();
    const path = await dataset(dir, [{ id: 'a', prompt: 'hi' }]);
    const error = await run({ datasets: [path], mock: FAST, out: join(dir, 'out'), abortOnGate: true }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^abortOnGate stops the run when a gate can no longer pass, but no gate was given/,
    );
  });
});
