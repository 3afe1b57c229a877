/**
 * The `rate-shapes` suite's tables and issue-9 checks, from its result rows (plain data; see
 * bench/rate-shapes.mjs for a row's fields and shape-stats.mjs for the figures).
 */
import { fixed } from './table.mjs';

/** Issue 9's targets, as data so the table and the JSON say the same thing. */
export const TARGETS = { throughputRatio: 0.95, rateLimitedShare: 0.05, rowsLost: 0 };

const secs = (ms) => (typeof ms === 'number' && Number.isFinite(ms) ? fixed(ms / 1000) : '–');
const unitOf = (r) => (r.shape === 'tpm-bucket' ? ' tok' : '');

/** "12.0–30.0 s (4 win)", with † when no quiet stretch was long enough (measured from the first 429). */
export function intervalCell(r) {
  const { fromMs, toMs, windows } = r.interval;
  return `${secs(fromMs)}–${secs(toMs)}${windows === null ? '' : ` (${windows} win)`}${r.fallback ? ' †' : ''}`;
}

/** stepbench's rows hold every attempt the mock saw; '–' for clients that do not record attempts. */
export function recordedCell(r) {
  if (r.attemptsRecorded === null || r.attemptsRecorded === undefined) return '–';
  return r.attemptsRecorded === r.mockRequests
    ? `= ${r.mockRequests}`
    : `${r.attemptsRecorded} ≠ ${r.mockRequests}`;
}

export const MATRIX_COLUMNS = [
  { title: 'config', value: (r) => r.config, align: 'left' },
  { title: 'client', value: (r) => r.client, align: 'left' },
  { title: 'lost', value: (r) => `${r.rowsLost} / ${r.rows}` },
  { title: 'attempts', value: (r) => r.attempts },
  { title: '429 %', value: (r) => fixed(r.rateLimitedShare * 100) },
  {
    title: '1st episode s',
    value: (r) => (r.episode ? `${secs(r.episode.startMs)}–${secs(r.episode.endMs)}` : 'none'),
  },
  { title: 'measured s', value: intervalCell },
  { title: 'rate/s', value: (r) => `${fixed(r.perSecond)}${unitOf(r)}` },
  { title: 'limit/s', value: (r) => `${fixed(r.limitPerSecond)}${unitOf(r)}` },
  { title: 'ratio', value: (r) => fixed(r.ratio, 3) },
  { title: 'recorded', value: recordedCell },
  { title: 'wall s', value: (r) => secs(r.clientWallMs) },
];

/** The issue-9 checks for one row: { target, measured, pass }. */
export function checksFor(r) {
  const who = `${r.config} ${r.client}${r.round > 1 ? ` #${r.round}` : ''}`;
  const error = r.error ? `; the client failed: ${r.error}` : '';
  const checks = [
    {
      target: `${who}: 0 rows lost`,
      measured: `${r.rowsLost} of ${r.rows} lost${error}`,
      pass: r.rowsLost === TARGETS.rowsLost && !r.error,
    },
    {
      target: `${who}: < ${TARGETS.rateLimitedShare * 100} % of attempts 429`,
      measured: `${fixed(r.rateLimitedShare * 100)} % (${r.rateLimited} of ${r.attempts})`,
      pass: r.rateLimitedShare < TARGETS.rateLimitedShare,
    },
    {
      target: `${who}: ≥ ${TARGETS.throughputRatio} × the long-run rate after the first episode`,
      measured: throughputText(r),
      // Too short a stretch to judge (e.g. a client that gave its rows up in seconds): SKIPPED.
      pass: r.interval.enough ? r.ratio >= TARGETS.throughputRatio : null,
    },
  ];
  if (r.client === 'stepbench')
    checks.push({
      target: `${who}: every attempt recorded on its row`,
      measured: `${r.attemptsRecorded ?? '?'} on rows, ${r.mockRequests} at the mock`,
      pass: r.attemptsRecorded === r.mockRequests,
    });
  return checks;
}

function throughputText(r) {
  const { spanMs, windows, enough } = r.interval;
  const over = windows === null ? `${secs(spanMs)} s` : `${windows} windows`;
  const notes = [];
  if (r.fallback) notes.push('no quiet stretch long enough: from the first 429');
  if (!enough) notes.push('too short to judge: not judged');
  return `${fixed(r.ratio, 3)} × ${fixed(r.limitPerSecond)}${unitOf(r)}/s over ${over}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/** Per client: how many runs met each target, and the median ratio and 429 share. */
export function summarize(rows) {
  const byClient = new Map();
  for (const r of rows) byClient.set(r.client, [...(byClient.get(r.client) ?? []), r]);
  return [...byClient].map(([client, rs]) => {
    const count = (pass) => `${rs.filter(pass).length}/${rs.length}`;
    const checks = rs.map(checksFor);
    const passed = (i) => count((_, j) => checks[j][i]?.pass === true);
    return {
      client,
      runs: rs.length,
      rowsLost: rs.reduce((n, r) => n + r.rowsLost, 0),
      rows: rs.reduce((n, r) => n + r.rows, 0),
      noLoss: passed(0),
      under5: passed(1),
      throughput: passed(2),
      recorded: client === 'stepbench' ? passed(3) : '–',
      medianRatio: median(rs.map((r) => r.ratio)),
      medianShare: median(rs.map((r) => r.rateLimitedShare)),
    };
  });
}

export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const SUMMARY_COLUMNS = [
  { title: 'client', value: (r) => r.client, align: 'left' },
  { title: 'runs', value: (r) => r.runs },
  { title: 'rows lost', value: (r) => `${r.rowsLost} / ${r.rows}` },
  { title: '0 lost', value: (r) => r.noLoss },
  { title: '429 < 5 %', value: (r) => r.under5 },
  { title: '≥ 0.95 × rate', value: (r) => r.throughput },
  { title: 'all recorded', value: (r) => r.recorded },
  { title: 'median ratio', value: (r) => fixed(r.medianRatio, 3) },
  { title: 'median 429 %', value: (r) => fixed(r.medianShare * 100) },
];
