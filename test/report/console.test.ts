import { describe, expect, it } from 'vitest';
import { MetricsCollector } from '../../src/metrics/collector.js';
import type { HealthSummary } from '../../src/metrics/health.js';
import { formatSummary, precisionLine } from '../../src/report/console.js';
import { buildReport } from '../../src/report/json.js';
import type { Report } from '../../src/report/schema.js';
import { makeResult } from '../metrics/job-result-factory.js';
import { sampleReportInput } from './report-fixture.js';

/** The fixture's report with only the named target: what a run of one model prints. */
function oneTarget(name: string): Report {
  const report = buildReport(sampleReportInput());
  return { ...report, targets: report.targets.filter((t) => t.name === name) };
}

describe('formatSummary of a run of one target', () => {
  const text = formatSummary(oneTarget('step-3.5-flash'));
  const lines = text.split('\n');

  it('names the run and the target', () => {
    expect(text).toContain('run run-20250101-abc');
    expect(text).toContain('── step-3.5-flash (step-3.5-flash, stream)');
    expect(formatSummary(oneTarget('local-vllm'))).toContain('── local-vllm (qwen3-8b, no stream)');
    expect(text).toContain('1 bad row skipped');
  });

  it('prints a percentile table with the agreed columns and rows', () => {
    const header = lines.find((l) => l.startsWith('ms '));
    expect(header).toBeDefined();
    expect(header!.trim().split(/\s+/)).toEqual([
      'ms',
      'n',
      'p50',
      'p90',
      'p95',
      'p99',
      'p99.9',
      'max',
      'mean',
    ]);
    for (const metric of ['ttft', 'ttfa', 'itl', 'tpot', 'e2e', 'latency', 'queue']) {
      expect(lines.some((l) => l.startsWith(`${metric} `))).toBe(true);
    }
    // ttft of the first target: 51 responses (50 ok + 1 length), values around 120–270 ms.
    const ttft = lines
      .find((l) => l.startsWith('ttft '))!
      .trim()
      .split(/\s+/);
    expect(ttft[1]).toBe('51');
    const p50 = Number(ttft[2]);
    expect(p50).toBeGreaterThan(150);
    expect(p50).toBeLessThan(250);
  });

  it('prints exact token totals and means, not bucket values', () => {
    const collector = new MetricsCollector();
    collector.add(makeResult({ target: 'big', usage: { promptTokens: 1_310_727, totalTokens: 1_310_777 } }));
    const report = buildReport({
      collector,
      run: sampleReportInput().run,
      targets: [],
      dataset: { files: ['big.jsonl'], rows: 1, badRows: [] },
    });
    const prompt = report.targets[0]!.summary.tokens.prompt;
    expect(prompt.total).toBe(1_310_727);
    expect(prompt.perRequest.mean).toBe(1_310_727);
    expect(formatSummary(report)).toContain('prompt 1,310,727 (mean 1,310,727.0)');
  });

  it('lists only non-zero outcome classes', () => {
    const outcomes = lines.find((l) => l.startsWith('outcomes'))!;
    expect(outcomes).toContain('ok 50');
    expect(outcomes).toContain('rate_limited 1');
    expect(outcomes).toContain('length 1');
    expect(outcomes).not.toContain('network');
    expect(outcomes).not.toContain(' 0');
  });

  it('shows tokens, token sources and cost, and says when a cost is unknown', () => {
    expect(text).toMatch(/cost\s+CNY \d+\.\d{4}/);
    const unpriced = formatSummary(oneTarget('local-vllm'));
    expect(unpriced).toContain('unknown (no price for model qwen3-8b)');
    expect(unpriced).toContain('estimated 5 (estimated counts are approximate)');
    expect(unpriced).toMatch(/reasoning 150 \(mean 30\.0\)/);
  });

  it('fits in 100 columns and never prints NaN, undefined or Infinity', () => {
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
  });

  it('prints dashes, not zeros, for a target without results', () => {
    const input = sampleReportInput();
    const empty = formatSummary(
      buildReport({
        ...input,
        targets: input.targets.slice(0, 1),
        collector: new MetricsCollector(),
        aborted: { reason: 'no balance (402)' },
      }),
    );
    expect(empty).toContain('ABORTED     no balance (402)');
    const ttft = empty.split('\n').find((l) => l.startsWith('ttft '))!;
    expect(ttft.trim().split(/\s+/)).toEqual(['ttft', '0', '-', '-', '-', '-', '-', '-', '-']);
    expect(empty).toContain('outcomes    none');
    expect(empty).toContain('- req/s');
    expect(empty).not.toMatch(/NaN|undefined|Infinity|null/);
  });
});

describe('precisionLine', () => {
  const report = buildReport(sampleReportInput());
  const streamed = report.targets.find((t) => t.stream)!;
  const plain = report.targets.find((t) => !t.stream)!;
  const health = (p99: number, samples = 6000): HealthSummary => ({
    eventLoopDelayMs: { p50: 0.2, p99, max: p99 * 2, mean: 0.3 },
    eventLoopSamples: samples,
    measuredMs: 60_000,
    latencyReferenceMs: null,
    cpuPercent: 35,
    dispatchLagMs: null,
    targetRate: null,
    achievedRate: null,
    achievedShare: null,
    warnings: [],
  });

  it('sets the event-loop delay against ttft p50 for a streaming target, e2e p50 otherwise', () => {
    const ttftP50 = streamed.summary.latency.ttft.p50!;
    const line = precisionLine(streamed, health(1.5))!;
    expect(line).toContain('up to 1.50 ms');
    expect(line).toContain(`of ttft p50`);
    expect(line).toContain(`${((1.5 / ttftP50) * 100).toFixed(1)}%`);
    expect(line).not.toContain('too coarse');
    expect(precisionLine(plain, health(1.5))).toContain('of e2e p50');
  });

  it('says plainly when the delay is large next to what it measures, and when the run was too short', () => {
    const ttftP50 = streamed.summary.latency.ttft.p50!;
    const coarse = Math.max(6, ttftP50 * 0.2);
    expect(precisionLine(streamed, health(coarse))).toContain('too coarse for these figures');
    expect(precisionLine(streamed, health(coarse, 20))).toContain('too short a run to judge');
    expect(precisionLine(streamed, undefined)).toBeUndefined();
  });
});

describe('formatSummary of a run of several targets', () => {
  const report = buildReport(sampleReportInput());
  const text = formatSummary(report);
  const lines = text.split('\n');

  it('prints one table with the targets as columns, not a block per target', () => {
    const header = lines.find((l) => l.includes('step-3.5-flash') && l.includes('local-vllm'));
    expect(header?.trim().split(/\s+/)).toEqual(['step-3.5-flash', 'local-vllm']);
    expect(lines.filter((l) => l.startsWith('── '))).toEqual([]);
    expect(lines.filter((l) => l.startsWith('ms '))).toEqual([]);
    for (const label of [
      'requests',
      'success rate',
      'pass rate',
      'agree: exact',
      'ttft p50',
      'e2e p95',
      'cost total',
      'errors',
    ])
      expect(lines.filter((l) => l.startsWith(`${label} `)).length, label).toBe(1);
  });

  it('reads the figures from the summaries, and says a cost is unknown rather than 0', () => {
    const row = (label: string) =>
      lines
        .find((l) => l.startsWith(`${label} `))!
        .slice(label.length)
        .trim();
    expect(row('requests').split(/\s+/)).toEqual(['52', '5']);
    expect(row('cost total')).toMatch(/^CNY \d+\.\d{4}\s+unknown$/);
    // Without report.comparison (a report built from the summaries alone) there is nothing to set beside.
    expect(text).toContain('comparison  reference step-3.5-flash (no per-row comparison in this report)');
    expect(row('agree: exact').split(/\s+/)).toEqual(['-', '-']);
  });

  it('fits in 100 columns and never prints NaN, undefined or Infinity', () => {
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
    expect(text).not.toMatch(/NaN|undefined|Infinity|null/);
  });
});
