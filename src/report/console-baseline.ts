import type { BaselineComparison } from '../compare/compare-runs.js';
import {
  comparisonHeadline,
  deltaChange,
  deltaInterval,
  deltaTest,
  deltaValue,
  deltaVerdict,
} from './baseline-format.js';
import { formatInt } from './format.js';

/** Rows listed per kind of change on the console. */
const SHOWN_ROWS = 5;

/** The baseline comparison on the console: headline, row flips, each target's deltas. */
export function baselineLines(c: BaselineComparison | undefined): string[] {
  if (!c) return [];
  const lines = ['', `baseline    ${comparisonHeadline(c)}`];
  lines.push(`            thresholds ${c.thresholds.join(', ')}`);
  for (const note of c.notes) lines.push(`            note: ${note}`);
  const r = c.rows;
  if (r) {
    lines.push(
      `  rows      ${formatInt(r.compared)} compared · ${formatInt(r.regressed)} pass → fail · ` +
        `${formatInt(r.fixed)} fail → pass · ${formatInt(r.outputChanged)} outputs changed` +
        (r.onlyInBaseline + r.onlyInCurrent > 0
          ? ` · ${formatInt(r.onlyInBaseline)} only in the baseline, ${formatInt(r.onlyInCurrent)} only now`
          : ''),
    );
    for (const row of r.regressedRows.slice(0, SHOWN_ROWS)) {
      lines.push(
        `    pass → fail  ${row.rowId} #${row.repeat} (${row.target}): ${oneLine(row.reason ?? row.after)}`,
      );
      if (row.diff) lines.push(`                 ${oneLine(row.diff, 160)}`);
    }
    if (r.regressed > SHOWN_ROWS)
      lines.push(`    … ${formatInt(r.regressed - SHOWN_ROWS)} more in report.json`);
    for (const row of r.fixedRows.slice(0, SHOWN_ROWS)) {
      lines.push(`    fail → pass  ${row.rowId} #${row.repeat} (${row.target})`);
    }
  }
  const header = `  ${'figure'.padEnd(24)}${'baseline'.padStart(12)}${'current'.padStart(12)}${'change'.padStart(10)}  ${'interval'.padEnd(18)}  test`;
  for (const t of c.targets) {
    const deltas = c.deltas.filter((d) => d.target === t.target);
    if (deltas.length === 0) continue;
    lines.push(
      `  ${t.target}${t.baselineTarget && t.baselineTarget !== t.target ? ` (vs ${t.baselineTarget})` : ''}`,
      header,
    );
    for (const d of deltas) {
      const verdict = deltaVerdict(d);
      lines.push(
        `  ${d.metric.padEnd(24)}${deltaValue(d, d.baseline).padStart(12)}${deltaValue(d, d.current).padStart(12)}` +
          `${deltaChange(d).padStart(10)}  ${deltaInterval(d).padEnd(18)}  ${d.p === null && d.note ? d.note : deltaTest(d)}` +
          (verdict ? `  ${verdict}` : ''),
      );
    }
  }
  return lines;
}

/** Model text and reasons on one console line, cut to `max`; control characters shown as spaces. */
export function oneLine(text: string, max = 120): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters from a model are removed on purpose
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029\s]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
