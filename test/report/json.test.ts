import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MetricsCollector } from '../../src/metrics/collector.js';
import { DURATION_METRICS, HistogramSet } from '../../src/metrics/histograms.js';
import { reportedMeans } from '../../src/metrics/target-metrics.js';
import { buildReport, writeReportJson } from '../../src/report/json.js';
import { REPORT_SCHEMA_VERSION } from '../../src/report/schema.js';
import { OUTCOME_CLASSES } from '../../src/results/outcomes.js';
import { makeResult } from '../metrics/job-result-factory.js';
import { sampleReportInput } from './report-fixture.js';

const PERCENTILE_KEYS = ['count', 'min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max', 'stddev'];

describe('buildReport', () => {
  it('carries the schema name, version and every documented top-level key', () => {
    const report = buildReport(sampleReportInput());
    expect(report.schema).toBe('stepbench.report');
    expect(report.version).toBe(REPORT_SCHEMA_VERSION);
    expect(report.version).toBe(1);
    expect(Object.keys(report).sort()).toEqual(
      [
        'checks',
        'dataset',
        'environment',
        'generatedAt',
        'histogramFormat',
        'run',
        'schema',
        'targets',
        'version',
      ].sort(),
    );
    expect(report.histogramFormat).toEqual({
      encoding: 'HdrHistogram V2 compressed, base64',
      durationUnit: 'us',
      tokenUnit: 'tokens',
      significantDigits: 3,
      lowestDiscernibleValue: 1,
      bitBucketSize: 64,
    });
    expect(report.dataset.badRows).toHaveLength(1);
    expect(report.run.id).toBe('run-20250101-abc');
  });

  it('summarises each target with every documented key', () => {
    const report = buildReport(sampleReportInput());
    expect(report.targets.map((t) => t.name)).toEqual(['step-3.5-flash', 'local-vllm']);
    const [flash] = report.targets;
    expect(Object.keys(flash!).sort()).toEqual(
      [
        'apiKeyEnv',
        'baseUrl',
        'headers',
        'histograms',
        'model',
        'name',
        'params',
        'price',
        'stream',
        'summary',
      ].sort(),
    );
    const s = flash!.summary;
    expect(Object.keys(s).sort()).toEqual(
      [
        'attempts',
        'checks',
        'completed',
        'cost',
        'latency',
        'outcomes',
        'requests',
        'successRate',
        'throughput',
        'tokens',
        'window',
      ].sort(),
    );
    expect(Object.keys(s.outcomes).sort()).toEqual([...OUTCOME_CLASSES].sort());
    expect(Object.keys(s.attempts).sort()).toEqual(['attempts', 'backoffMs', 'rateLimited', 'retriedJobs']);
    expect(Object.keys(s.latency).sort()).toEqual([...DURATION_METRICS].sort());
    for (const metric of DURATION_METRICS)
      expect(Object.keys(s.latency[metric]).sort()).toEqual(PERCENTILE_KEYS.sort());
    expect(Object.keys(s.throughput).sort()).toEqual(
      ['outputTokensPerSec', 'requestsPerSec', 'totalTokensPerSec', 'windowMs'].sort(),
    );
    expect(Object.keys(s.tokens).sort()).toEqual(
      ['cached', 'completion', 'prompt', 'source', 'total'].sort(),
    );
    expect(s.requests).toBe(52);
    expect(s.completed).toBe(51);
    expect(s.outcomes.rate_limited).toBe(1);
    expect(s.cost.currency).toBe('CNY');
    expect(flash!.price?.input).toBe(0.7);
    expect(Object.keys(flash!.histograms)).toContain('ttft');
  });

  it('marks an unpriced target unknown and shows reasoning tokens only where reported', () => {
    const report = buildReport(sampleReportInput());
    const [flash, vllm] = report.targets;
    expect(vllm!.price).toBeNull();
    expect(vllm!.summary.cost).toEqual({ currency: null, total: null, reason: 'unknown price' });
    expect(vllm!.summary.tokens.reasoning?.total).toBe(150);
    expect(vllm!.summary.tokens.source).toEqual({ server: 0, estimated: 5 });
    expect(flash!.summary.tokens.reasoning).toBeUndefined();
  });

  it('embeds histograms that decode to the same percentiles as the summary', () => {
    const report = buildReport(sampleReportInput());
    const flash = report.targets[0]!;
    const decoded = HistogramSet.decode(flash.histograms, reportedMeans(flash.summary));
    for (const metric of DURATION_METRICS) {
      expect(decoded.percentiles(metric)).toEqual(flash.summary.latency[metric]);
    }
    expect(decoded.percentiles('completion_tokens')).toEqual(flash.summary.tokens.completion.perRequest);
  });

  it('survives a JSON round trip without losing anything (no undefined, NaN or Infinity)', () => {
    const report = buildReport(sampleReportInput());
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('still reports a target that has results but no config entry, and records an abort', () => {
    const collector = new MetricsCollector();
    collector.add(makeResult({ target: 'stray', model: 'step-x' }));
    const input = {
      ...sampleReportInput(),
      collector,
      targets: [],
      aborted: { reason: '401 invalid_api_key' },
    };
    const report = buildReport(input);
    expect(report.targets.map((t) => [t.name, t.model])).toEqual([['stray', 'step-x']]);
    expect(report.aborted).toEqual({ reason: '401 invalid_api_key' });
  });

  it('fills in the current environment when none is given', () => {
    const { environment: _ignored, ...input } = sampleReportInput();
    const report = buildReport(input);
    expect(report.environment.node).toBe(process.version);
    expect(report.environment.cpus).toBeGreaterThan(0);
    expect(report.environment.hostname).toBeUndefined();
  });
});

describe('writeReportJson', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes pretty JSON atomically, creating the folder and leaving no temporary file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepbench-report-'));
    const path = join(dir, 'nested', 'report.json');
    const report = buildReport(sampleReportInput());
    await writeReportJson(path, report);
    const text = await readFile(path, 'utf8');
    expect(text.startsWith('{\n  "schema": "stepbench.report"')).toBe(true);
    expect(JSON.parse(text)).toEqual(report);
    expect(await readdir(join(dir, 'nested'))).toEqual(['report.json']);
    // Overwrite in place.
    await writeReportJson(path, { ...report, run: { ...report.run, id: 'second' } });
    expect(JSON.parse(await readFile(path, 'utf8')).run.id).toBe('second');
    expect(await readdir(join(dir, 'nested'))).toEqual(['report.json']);
  });
});
