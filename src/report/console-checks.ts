import { formatFixed, formatInt, formatPercent } from './format.js';
import type { Report, ReportTarget } from './schema.js';

/** How many flaky rows the console lists (report.json lists more). */
export const FLAKY_ROWS_SHOWN = 10;

/**
 * A target's pass rate against its rows' checks: passed ÷ judged answers, and what was not
 * judged. Nothing when no answer was judged.
 */
export function checkLines(target: ReportTarget): string[] {
  const c = target.summary.checks;
  if (c.judged === 0) return [];
  const notJudged = [
    ...(c.unchecked > 0 ? [`${formatInt(c.unchecked)} unchecked`] : []),
    ...(c.unanswered > 0 ? [`${formatInt(c.unanswered)} without an answer`] : []),
  ];
  const lines = [
    `checks      pass ${formatPercent(c.passRate)} (${formatInt(c.passed)} of ${formatInt(c.judged)} judged)` +
      (notJudged.length > 0 ? ` · not judged: ${notJudged.join(', ')}` : ''),
  ];
  const types = Object.entries(c.byType);
  if (types.length > 1) {
    lines.push(
      `            ${types.map(([type, n]) => `${type} ${formatInt(n.passed)}/${formatInt(n.judged)}`).join(' · ')}`,
    );
  }
  return lines;
}

/** With `--repeat`: pass^k per target and the first flaky rows with their 95 % intervals. */
export function repeatLines(report: Report): string[] {
  const r = report.repeats;
  if (!r) return [];
  const lines = ['', `repeats     each row ${r.k} times (judged answers only)`];
  for (const t of r.targets) {
    lines.push(
      `  ${t.target}: pass ${formatPercent(t.passRate)} of ${formatInt(t.runs)} runs · ` +
        `pass^${r.k} ${formatPercent(t.passHatK)} (${formatInt(t.allPassedRows)} of ${formatInt(t.rows)} rows) · ` +
        `${formatInt(t.flakyRows)} flaky · ${formatInt(t.failingRows)} always failed`,
    );
  }
  const flaky = r.rows.filter((row) => row.flaky);
  const flakyTotal = r.targets.reduce((n, t) => n + t.flakyRows, 0);
  for (const row of flaky.slice(0, FLAKY_ROWS_SHOWN)) {
    lines.push(
      `  flaky  ${row.rowId} (${row.target}) ${row.passes}/${row.runs} passed, ` +
        `95% CI ${formatFixed(row.interval.low, 2)}–${formatFixed(row.interval.high, 2)}`,
    );
  }
  const shown = Math.min(flaky.length, FLAKY_ROWS_SHOWN);
  if (flakyTotal > shown)
    lines.push(`  … ${formatInt(flakyTotal - shown)} more flaky rows (report.json: repeats)`);
  return lines;
}
