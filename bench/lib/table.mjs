/**
 * Fixed-width text tables for the terminal and for pasting into docs/performance.md.
 * `columns`: [{ title, value: (row) => string|number, align?: 'left'|'right' }].
 */
export function formatTable(rows, columns) {
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => r[i].length)));
  const line = (texts) =>
    `| ${texts
      .map((t, i) => ((columns[i].align ?? 'right') === 'left' ? t.padEnd(widths[i]) : t.padStart(widths[i])))
      .join(' | ')} |`;
  const rule = `|${widths.map((w, i) => ((columns[i].align ?? 'right') === 'left' ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(columns.map((c) => c.title)), rule, ...cells.map(line)].join('\n');
}

function cellText(value) {
  if (value === undefined || value === null || (typeof value === 'number' && Number.isNaN(value))) return '–';
  return String(value);
}

/** `n` with `digits` decimals, or '–' when not a finite number. */
export function fixed(n, digits = 1) {
  return typeof n === 'number' && Number.isFinite(n) ? n.toFixed(digits) : '–';
}

/** The pass/fail table of a suite's targets: rows of `{ target, measured, pass }`. */
export function formatChecks(checks, issue) {
  return formatTable(checks, [
    { title: `issue ${issue} target`, value: (c) => c.target, align: 'left' },
    { title: 'measured', value: (c) => c.measured, align: 'left' },
    {
      title: 'result',
      value: (c) => (c.pass === null ? 'SKIPPED' : c.pass ? 'PASS' : 'FAIL'),
      align: 'left',
    },
  ]);
}
