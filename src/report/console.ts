import { eventLoopLimitMs, HEALTH_THRESHOLDS, type HealthSummary } from '../metrics/health.js';
import type { DurationMetric, Percentiles } from '../metrics/histograms.js';
import type { TokenStat } from '../metrics/target-metrics.js';
import { baselineLines } from './console-baseline.js';
import { checkLines, repeatLines } from './console-checks.js';
import { comparisonLines } from './console-comparison.js';
import {
  errorMessageLines,
  gateLines,
  goodputLines,
  healthLines,
  phaseLines,
  retryLines,
} from './console-run.js';
import {
  formatDuration,
  formatFixed,
  formatInt,
  formatMoney,
  formatMs,
  formatPercent,
  formatRate,
} from './format.js';
import type { Report, ReportTarget } from './schema.js';

/** Rows of the percentile table, in the order a reader follows a request. */
const TABLE_METRICS: readonly DurationMetric[] = ['ttft', 'ttfa', 'itl', 'tpot', 'e2e', 'latency', 'queue'];
const TABLE_COLUMNS: ReadonlyArray<{ title: string; pick: (p: Percentiles) => number | null }> = [
  { title: 'p50', pick: (p) => p.p50 },
  { title: 'p90', pick: (p) => p.p90 },
  { title: 'p95', pick: (p) => p.p95 },
  { title: 'p99', pick: (p) => p.p99 },
  { title: 'p99.9', pick: (p) => p.p999 },
  { title: 'max', pick: (p) => p.max },
  { title: 'mean', pick: (p) => p.mean },
];
const NAME_WIDTH = 9;
const COUNT_WIDTH = 8;
const VALUE_WIDTH = 10;
const RULE_WIDTH = 86;

function percentileTable(target: ReportTarget): string[] {
  const header =
    'ms'.padEnd(NAME_WIDTH) +
    'n'.padStart(COUNT_WIDTH) +
    TABLE_COLUMNS.map((c) => c.title.padStart(VALUE_WIDTH)).join('');
  const rows = TABLE_METRICS.map((metric) => {
    const p = target.summary.latency[metric];
    return (
      metric.padEnd(NAME_WIDTH) +
      formatInt(p.count).padStart(COUNT_WIDTH) +
      TABLE_COLUMNS.map((c) => formatMs(c.pick(p)).padStart(VALUE_WIDTH)).join('')
    );
  });
  return [header, ...rows];
}

/** Non-zero outcome classes, largest first (ties keep the canonical order). */
function outcomeLine(target: ReportTarget): string {
  const nonZero = Object.entries(target.summary.outcomes).filter(([, n]) => n > 0);
  nonZero.sort((a, b) => b[1] - a[1]);
  return nonZero.length === 0 ? 'none' : nonZero.map(([name, n]) => `${name} ${formatInt(n)}`).join(' · ');
}

function tokenPart(label: string, stat: TokenStat): string {
  const mean = stat.perRequest.mean;
  const perRequest = mean === null ? '' : ` (mean ${formatFixed(mean, 1)})`;
  return `${label} ${formatInt(stat.total)}${perRequest}`;
}

function tokenLines(target: ReportTarget): string[] {
  const t = target.summary.tokens;
  const totals = [`cached ${formatInt(t.cached.total)}`, `total ${formatInt(t.total.total)}`];
  if (t.reasoning) totals.push(tokenPart('reasoning', t.reasoning));
  const caveat = t.source.estimated > 0 ? ' (estimated counts are approximate)' : '';
  return [
    `tokens      ${tokenPart('prompt', t.prompt)} · ${tokenPart('completion', t.completion)}`,
    `            ${totals.join(' · ')}`,
    `counted by  server ${formatInt(t.source.server)} · estimated ${formatInt(t.source.estimated)}${caveat}`,
  ];
}

function costLine(target: ReportTarget): string {
  const cost = target.summary.cost;
  if (cost.currency === null)
    return `cost        unknown (no price for model ${target.model || target.name})`;
  const parts = `input ${formatMoney(cost.input)} · cached ${formatMoney(cost.cachedInput)} · output ${formatMoney(cost.output)}`;
  return `cost        ${cost.currency} ${formatMoney(cost.total)} (${parts})`;
}

/**
 * How precise the table above is. Chunk times are the socket reads that carried them, so what can
 * still make a time late is the wait before the read: the client's event-loop delay. Shown against
 * the figure it blurs most, this target's ttft p50 (e2e p50 without streaming).
 */
export function precisionLine(target: ReportTarget, health: HealthSummary | undefined): string | undefined {
  if (!health) return undefined;
  const metric = target.stream ? 'ttft' : 'e2e';
  const reference = target.summary.latency[metric].p50;
  const delay = health.eventLoopDelayMs.p99;
  const share =
    reference !== null && reference > 0 ? ` = ${formatPercent(delay / reference)} of ${metric} p50` : '';
  let verdict = '';
  if (health.eventLoopSamples < HEALTH_THRESHOLDS.minSamples) verdict = ' (too short a run to judge)';
  else if (delay > eventLoopLimitMs(reference))
    verdict = ' — too coarse for these figures (see WARNING below)';
  return `precision   times may be late by up to ${formatMs(delay)} ms (client event-loop delay p99)${share}${verdict}`;
}

function targetBlock(target: ReportTarget, health?: HealthSummary): string[] {
  const s = target.summary;
  const mode = target.stream ? 'stream' : 'no stream';
  const title = `── ${target.name} (${target.model || '?'}, ${mode}) `;
  const tp = s.throughput;
  return [
    title.padEnd(RULE_WIDTH, '─'),
    `requests    ${formatInt(s.requests)} · completed ${formatInt(s.completed)} · success ${formatPercent(s.successRate)}`,
    `outcomes    ${outcomeLine(target)}`,
    ...checkLines(target),
    `throughput  ${formatRate(tp.requestsPerSec)} req/s · ${formatRate(tp.outputTokensPerSec)} output tok/s · ` +
      `${formatRate(tp.totalTokensPerSec)} total tok/s over ${formatDuration(tp.windowMs)}`,
    '',
    ...percentileTable(target),
    ...optional(precisionLine(target, health)),
    '',
    ...tokenLines(target),
    costLine(target),
  ];
}

const optional = (line: string | undefined): string[] => (line === undefined ? [] : [line]);

/**
 * A compact plain-text summary of a report; fits in 100 columns. One target: its block (counts,
 * percentile table, tokens, cost). Several: one comparison table with the targets as columns,
 * not a block per target.
 */
export function formatSummary(report: Report): string {
  const { run, dataset } = report;
  const files = dataset.files.length === 1 ? '1 file' : `${dataset.files.length} files`;
  const badCount = dataset.badRows.length;
  const bad = badCount > 0 ? ` (${formatInt(badCount)} bad row${badCount === 1 ? '' : 's'} skipped)` : '';
  const lines = [
    `stepbench ${run.stepbenchVersion} · run ${run.id} · ${formatDuration(run.wallMs)} wall`,
    dataset.complete === false
      ? `dataset     ${formatInt(dataset.rows)}+ rows from ${files}${bad} (the run ended before the check reached the end)`
      : `dataset     ${formatInt(dataset.rows)} rows from ${files}${bad}`,
  ];
  if (report.aborted) lines.push(`ABORTED     ${report.aborted.reason}`);
  if (report.failed) lines.push(`FAILED      ${report.failed.reason}`);
  if (report.targets.length > 1) lines.push('', ...comparisonLines(report));
  else for (const target of report.targets) lines.push('', ...targetBlock(target, report.health));
  lines.push(
    ...gateLines(report),
    ...baselineLines(report.baseline),
    ...repeatLines(report),
    ...errorMessageLines(report),
    ...retryLines(report),
    ...goodputLines(report),
    ...phaseLines(report),
    ...healthLines(report),
  );
  return `${lines.join('\n')}\n`;
}
