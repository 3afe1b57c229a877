import { appendFile, writeFile } from 'node:fs/promises';
import type { BaselineComparison } from '../compare/compare-runs.js';
import type { JobResult } from '../results/types.js';
import {
  comparisonHeadline,
  deltaChange,
  deltaInterval,
  deltaTest,
  deltaValue,
  deltaVerdict,
} from './baseline-format.js';
import { comparisonLegend, comparisonTable, differingRowText } from './comparison-table.js';
import { gateUnit } from './console-run.js';
import { formatInt, formatMs, formatPercent } from './format.js';
import type { Report } from './schema.js';

/** How many failed rows the summary lists (the run keeps this many). */
export const TOP_FAILURES = 10;

/**
 * Text for a Markdown table cell or line, from anything the model or a server said: every
 * character Markdown or HTML could read as syntax is escaped, line breaks are flattened, and the
 * length is bounded. Model output is untrusted text.
 */
export function markdownText(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  return cut.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}

/**
 * A compact Markdown summary of a finished run for a CI page (`summary.md`, and
 * `$GITHUB_STEP_SUMMARY` when GitHub Actions sets it): the verdict, the gates, pass and error rates
 * per target, a latency table, and the rows that failed their checks with the first reason.
 */
export function summaryMarkdown(report: Report, failedRows: readonly JobResult[]): string {
  const lines: string[] = [];
  const failedCount = report.targets.reduce((n, t) => n + (t.summary.outcomes.assertion_failed ?? 0), 0);
  const gates = report.gates ?? [];
  const failedGates = gates.filter((g) => !g.pass).length;
  const verdict = report.aborted
    ? `aborted: ${markdownText(report.aborted.reason, 300)}`
    : report.failed
      ? `failed: ${markdownText(report.failed.reason, 300)}`
      : failedGates > 0
        ? `${failedGates} of ${gates.length} gates failed`
        : failedGates === 0 && (report.baseline?.regressions.length ?? 0) > 0
          ? `${report.baseline?.regressions.length} significant regressions against the baseline`
          : failedCount > 0 && gates.length === 0
            ? `${failedCount} rows failed their checks`
            : 'passed';
  lines.push(`## stepbench run ${markdownText(report.run.id)}: ${verdict}`, '');
  if (gates.length > 0) {
    lines.push('| gate | target | measured | result |', '|:--|:--|--:|:--|');
    for (const g of gates) {
      const measured =
        g.measured === null
          ? markdownText(g.reason ?? 'no value')
          : `${Math.round(g.measured * 1000) / 1000}${gateUnit(g.gate)}`;
      lines.push(
        `| ${markdownText(g.gate)} | ${markdownText(g.target)} | ${measured} | ${g.pass ? 'PASS' : '**FAIL**'} |`,
      );
    }
    lines.push('');
  }
  lines.push(
    '| target | requests | pass rate (passed / judged) | failed checks | errors | ttft p50 / p95 ms | tpot p50 ms | e2e p50 / p95 ms |',
    '|:--|--:|--:|--:|--:|--:|--:|--:|',
  );
  for (const t of report.targets) {
    const s = t.summary;
    const c = s.checks;
    const passed =
      c.judged > 0 ? `${formatPercent(c.passRate)} (${formatInt(c.passed)} / ${formatInt(c.judged)})` : '-';
    const failedChecks = s.outcomes.assertion_failed ?? 0;
    const errors = s.requests - (s.outcomes.ok ?? 0) - failedChecks;
    const l = s.latency;
    lines.push(
      `| ${markdownText(t.name)} | ${formatInt(s.requests)} | ${passed} | ${formatInt(failedChecks)} | ${formatInt(errors)} | ` +
        `${formatMs(l.ttft.p50)} / ${formatMs(l.ttft.p95)} | ${formatMs(l.tpot.p50)} | ${formatMs(l.e2e.p50)} / ${formatMs(l.e2e.p95)} |`,
    );
  }
  lines.push(...comparisonMarkdown(report));
  lines.push(...baselineMarkdown(report.baseline));
  lines.push(...repeatsMarkdown(report));
  if (failedRows.length > 0) {
    const shown = failedCount > failedRows.length ? `, first ${failedRows.length}` : '';
    lines.push('', `### Rows that failed their checks (${failedCount}${shown})`, '');
    lines.push('| row | target | failed check | reason |', '|:--|:--|:--|:--|');
    for (const r of failedRows) {
      const first = r.checks?.results.find((c) => !c.pass);
      lines.push(
        `| ${markdownText(r.rowId)} | ${markdownText(r.target)} | ${markdownText(first?.type ?? '')} | ${markdownText(first?.reason ?? '', 160)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** With several targets: the comparison table (figures × targets, changes against the reference) and the first differing rows. */
export function comparisonMarkdown(report: Report): string[] {
  const c = report.comparison;
  const table = c ? comparisonTable(report) : undefined;
  if (!c || !table) return [];
  const lines = ['', `### Model comparison (reference: ${markdownText(c.reference)})`, ''];
  lines.push(
    `${formatInt(c.rows.paired)} rows paired (row × repeat), ${formatInt(c.rows.differing)} with an output that differs from the reference's. ` +
      `${comparisonLegend(c.alpha)
        .map((l) => markdownText(l, 300))
        .join(' ')}.`,
  );
  for (const note of c.notes) lines.push('', `_${markdownText(note, 300)}_`);
  lines.push(
    '',
    `| figure | ${table.columns.map((t) => markdownText(t.name)).join(' | ')} |`,
    `|:--|${table.columns.map(() => '--:').join('|')}|`,
  );
  for (const row of table.rows)
    lines.push(`| ${markdownText(row.label)} | ${row.cells.map((cell) => markdownText(cell)).join(' | ')} |`);
  const listed = c.rows.listed.slice(0, TOP_FAILURES);
  if (listed.length > 0) {
    const shown = c.rows.differing > listed.length ? `, first ${listed.length}` : '';
    lines.push('', `Rows whose outputs differ (${formatInt(c.rows.differing)}${shown}):`, '');
    lines.push(
      `| row | target | verdict | answer, or word diff against ${markdownText(c.reference)} |`,
      '|:--|:--|:--|:--|',
    );
    for (const row of listed) {
      for (const o of row.outputs) {
        const text = differingRowText(o, c.reference);
        lines.push(
          `| ${markdownText(`${row.rowId} #${row.repeat}`)} | ${markdownText(o.target)} | ${markdownText(o.verdict)} | ${markdownText(text, 200)} |`,
        );
      }
    }
  }
  return lines;
}

/** With `--repeat`: pass^k per target and the first flaky rows with their 95 % Wilson intervals. */
function repeatsMarkdown(report: Report): string[] {
  const r = report.repeats;
  if (!r) return [];
  const lines = ['', `### Repeats (each row ${r.k} times)`, ''];
  lines.push(
    '| target | runs | pass rate | pass^k (rows) | flaky rows | always failed |',
    '|:--|--:|--:|--:|--:|--:|',
  );
  for (const t of r.targets) {
    lines.push(
      `| ${markdownText(t.target)} | ${formatInt(t.runs)} | ${formatPercent(t.passRate)} | ` +
        `${formatPercent(t.passHatK)} (${formatInt(t.allPassedRows)} / ${formatInt(t.rows)}) | ${formatInt(t.flakyRows)} | ${formatInt(t.failingRows)} |`,
    );
  }
  const flaky = r.rows.filter((row) => row.flaky).slice(0, TOP_FAILURES);
  if (flaky.length > 0) {
    lines.push('', '| flaky row | target | passed | 95 % interval |', '|:--|:--|--:|--:|');
    for (const row of flaky) {
      lines.push(
        `| ${markdownText(row.rowId)} | ${markdownText(row.target)} | ${row.passes} / ${row.runs} | ${row.interval.low.toFixed(2)}–${row.interval.high.toFixed(2)} |`,
      );
    }
  }
  return lines;
}

/** Writes `summary.md` and appends it to `$GITHUB_STEP_SUMMARY` when that is set. */
export async function writeSummaryMarkdown(
  path: string,
  markdown: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  await writeFile(path, markdown);
  const step = env.GITHUB_STEP_SUMMARY;
  if (step) await appendFile(step, `${markdown}\n`);
}

/** The baseline comparison: headline, row flips with word diffs, and the deltas per target. */
export function baselineMarkdown(c: BaselineComparison | undefined): string[] {
  if (!c) return [];
  const lines = ['', `### Baseline: ${markdownText(comparisonHeadline(c), 300)}`, ''];
  lines.push(`Thresholds: ${c.thresholds.map((t) => markdownText(t)).join(', ')}.`);
  for (const note of c.notes) lines.push('', `_${markdownText(note, 300)}_`);
  const r = c.rows;
  if (r) {
    lines.push(
      '',
      `Rows: ${formatInt(r.compared)} compared, ${formatInt(r.regressed)} pass → fail, ${formatInt(r.fixed)} fail → pass, ` +
        `${formatInt(r.outputChanged)} outputs changed.`,
    );
    const listed = [
      ...r.regressedRows.map((row) => ['pass → fail', row] as const),
      ...r.fixedRows.map((row) => ['fail → pass', row] as const),
    ].slice(0, TOP_FAILURES);
    if (listed.length > 0) {
      lines.push('', '| change | row | target | why | word diff |', '|:--|:--|:--|:--|:--|');
      for (const [kind, row] of listed) {
        lines.push(
          `| ${kind} | ${markdownText(`${row.rowId} #${row.repeat}`)} | ${markdownText(row.target)} | ${markdownText(row.reason ?? '', 160)} | ${markdownText(row.diff ?? '', 200)} |`,
        );
      }
    }
  }
  if (c.deltas.length > 0) {
    lines.push(
      '',
      '| target | figure | baseline | current | change | interval | test | verdict |',
      '|:--|:--|--:|--:|--:|:--|:--|:--|',
    );
    for (const d of c.deltas) {
      lines.push(
        `| ${markdownText(d.target)} | ${markdownText(d.metric)} | ${deltaValue(d, d.baseline)} | ${deltaValue(d, d.current)} | ` +
          `${deltaChange(d)} | ${deltaInterval(d)} | ${markdownText(d.p === null && d.note ? d.note : deltaTest(d), 160)} | ${d.regression ? `**${markdownText(deltaVerdict(d))}**` : markdownText(deltaVerdict(d))} |`,
      );
    }
  }
  return lines;
}
