import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { cpus, hostname } from 'node:os';
import { dirname } from 'node:path';
import type { GoodputSummary } from '../eval/slo.js';
import { sumCheckSummaries } from '../metrics/check-counts.js';
import type { MetricsCollector } from '../metrics/collector.js';
import { type HealthSummary, judgeHealth, typicalLatencyMs } from '../metrics/health.js';
import { HDR_CONFIG } from '../metrics/histograms.js';
import { TargetMetrics } from '../metrics/target-metrics.js';
import type { TimelineJSON } from '../metrics/timeline.js';
import type { Price } from '../plan/types.js';
import type { ErrorDigestJSON } from '../results/error-digest.js';
import {
  type HistogramFormat,
  REPORT_SCHEMA_NAME,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportDataset,
  type ReportEnvironment,
  type ReportLimits,
  type ReportPhase,
  type ReportRun,
  type ReportTarget,
} from './schema.js';

export interface ReportTargetInput {
  name: string;
  baseUrl: string;
  model: string;
  apiKeyEnv: string;
  stream: boolean;
  params: Record<string, unknown>;
  /** Already redacted. */
  headers: Record<string, string>;
  price?: Price;
}

export interface ReportInput {
  collector: MetricsCollector;
  run: ReportRun;
  targets: ReportTargetInput[];
  dataset: ReportDataset;
  /** Defaults to the current process's (without the hostname, which may be private). */
  environment?: ReportEnvironment;
  aborted?: { reason: string };
  failed?: { reason: string };
  errorMessages?: ErrorDigestJSON;
  limits?: ReportLimits;
  timeline?: TimelineJSON;
  resumed?: { kept: number; rerun: number };
  phases?: ReportPhase[];
  health?: HealthSummary;
  slos?: string[];
  goodput?: Record<string, GoodputSummary>;
  /** ISO time the report is stamped with; defaults to now (injectable for reproducible tests). */
  generatedAt?: string;
}

export const HISTOGRAM_FORMAT: HistogramFormat = {
  encoding: 'HdrHistogram V2 compressed, base64',
  durationUnit: 'us',
  tokenUnit: 'tokens',
  significantDigits: HDR_CONFIG.numberOfSignificantValueDigits,
  lowestDiscernibleValue: HDR_CONFIG.lowestDiscernibleValue,
  bitBucketSize: HDR_CONFIG.bitBucketSize,
};

/** The environment of this process. `withHostname` is opt-in: reports get shared. */
export function currentEnvironment(withHostname = false): ReportEnvironment {
  const env: ReportEnvironment = {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: cpus().length,
  };
  if (withHostname) env.hostname = hostname();
  return env;
}

function reportTarget(config: ReportTargetInput, metrics: TargetMetrics): ReportTarget {
  const price = config.price ?? metrics.price;
  return {
    name: config.name,
    model: config.model,
    baseUrl: config.baseUrl,
    apiKeyEnv: config.apiKeyEnv,
    stream: config.stream,
    params: config.params,
    headers: config.headers,
    price: price ?? null,
    summary: metrics.summary(price),
    histograms: metrics.histograms.encode(),
  };
}

/**
 * Builds the versioned report. Targets come in the order the caller lists them; a target that
 * has results but no config entry (should not happen) is still reported, with what the results
 * say about it, rather than silently dropped.
 */
export function buildReport(input: ReportInput): Report {
  const { collector } = input;
  const listed = new Set(input.targets.map((t) => t.name));
  const targets = input.targets.map((config) => {
    const metrics = collector.target(config.name) ?? new TargetMetrics(config.name, config.price);
    return reportTarget(config, metrics);
  });
  for (const metrics of collector.targets()) {
    if (listed.has(metrics.name)) continue;
    const config: ReportTargetInput = {
      name: metrics.name,
      model: metrics.model ?? '',
      baseUrl: '',
      apiKeyEnv: '',
      stream: false,
      params: {},
      headers: {},
    };
    targets.push(reportTarget(config, metrics));
  }
  const report: Report = {
    schema: REPORT_SCHEMA_NAME,
    version: REPORT_SCHEMA_VERSION,
    generatedAt: input.generatedAt ?? new Date().toISOString(),
    run: input.run,
    environment: input.environment ?? currentEnvironment(),
    dataset: input.dataset,
    histogramFormat: HISTOGRAM_FORMAT,
    targets,
    checks: sumCheckSummaries(targets.map((t) => t.summary.checks)),
  };
  if (input.limits) report.limits = input.limits;
  if (input.timeline) report.timeline = input.timeline;
  if (input.resumed) report.resumed = input.resumed;
  if (input.phases) report.phases = input.phases;
  // Event-loop delay is judged next to the latencies it could distort, known only here.
  if (input.health)
    report.health = judgeHealth(input.health, typicalLatencyMs(targets.map((t) => t.summary)));
  if (input.slos) report.slos = input.slos;
  if (input.goodput) report.goodput = input.goodput;
  if (input.aborted) report.aborted = input.aborted;
  if (input.failed) report.failed = input.failed;
  if (input.errorMessages) report.errorMessages = input.errorMessages;
  return report;
}

/**
 * Writes `report` pretty-printed. Atomic: a temporary file in the same directory is renamed
 * over `path`, so a reader (or a crash) never sees half a report.
 */
export async function writeReportJson(path: string, report: Report): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
