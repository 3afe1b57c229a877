import { formatFixed, formatMs, formatPercent } from '../report/format.js';
import { formatLoad } from './answer.js';
import type { CapacityAnswer, CapacityPoint } from './types.js';

interface Column {
  title: string;
  align: 'left' | 'right';
  cell: (point: CapacityPoint, answer: CapacityAnswer) => string;
}

const COLUMNS: readonly Column[] = [
  { title: 'load', align: 'right', cell: (p) => formatLoad(p.load) },
  { title: 'req/s', align: 'right', cell: (p) => formatFixed(p.throughputRps, 1) },
  { title: 'out tok/s', align: 'right', cell: (p) => formatFixed(p.outputTokensPerSec, 0) },
  { title: '429 %', align: 'right', cell: (p) => formatPercent(p.rateLimitedShare) },
  { title: 'err %', align: 'right', cell: (p) => formatPercent(p.errorShare) },
  { title: 'ttft p50', align: 'right', cell: (p) => formatMs(p.latencyMs.ttft.p50) },
  { title: 'p95', align: 'right', cell: (p) => formatMs(p.latencyMs.ttft.p95) },
  { title: 'p99', align: 'right', cell: (p) => formatMs(p.latencyMs.ttft.p99) },
  { title: 'e2e p50', align: 'right', cell: (p) => formatMs(p.latencyMs.e2e.p50) },
  { title: 'p95', align: 'right', cell: (p) => formatMs(p.latencyMs.e2e.p95) },
  { title: 'p99', align: 'right', cell: (p) => formatMs(p.latencyMs.e2e.p99) },
  {
    title: 'verdict',
    align: 'left',
    // The marker makes the answer findable in a long curve without reading the summary line.
    cell: (p, a) => (a.sustainable?.load === p.load ? `${p.verdict.kind} ← sustainable` : p.verdict.kind),
  },
];

const GAP = '  ';

/**
 * The measured curve as an aligned console table, one row per step sorted by load. Latencies are in
 * milliseconds; the first column is concurrency or requests/s, as the header says.
 */
export function formatCurve(answer: CapacityAnswer): string {
  const titles = COLUMNS.map((c, i) =>
    i === 0 ? (answer.dimension === 'concurrency' ? 'concurrency' : 'rate req/s') : c.title,
  );
  const rows = answer.curve.map((point) => COLUMNS.map((c) => c.cell(point, answer)));
  const widths = titles.map((title, i) => Math.max(title.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        COLUMNS[i]?.align === 'left' ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join(GAP)
      .trimEnd();
  if (rows.length === 0) return `${line(titles)}\n(no steps measured)`;
  return [`${line(titles)}   (latencies in ms)`, ...rows.map(line)].join('\n');
}
