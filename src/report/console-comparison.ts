import { comparisonLegend, comparisonTable, differingRowText } from './comparison-table.js';
import { oneLine } from './console-baseline.js';
import { formatInt } from './format.js';
import type { Report } from './schema.js';

const LABEL_WIDTH = 17;
const CELL_WIDTH = 20;
/** Targets beside the reference per table: the reference and three more fit in 100 columns. */
const OTHERS_PER_TABLE = 3;
/** Differing rows shown on the console (report.json lists more). */
const SHOWN_ROWS = 3;

const clip = (text: string, width: number) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);
const cell = (text: string) => clip(text, CELL_WIDTH - 1).padStart(CELL_WIDTH);

/**
 * A run of several targets on the console: one table, figures as rows and targets as columns
 * (the reference first; more than four targets continue in a second table), each other target's
 * value with its change against the reference, then the first rows whose outputs differ.
 */
export function comparisonLines(report: Report): string[] {
  const table = comparisonTable(report);
  if (!table) return [];
  const c = report.comparison;
  const lines = [
    c
      ? `comparison  reference ${table.reference.name} · ${formatInt(c.rows.paired)} rows paired (row × repeat)`
      : `comparison  reference ${table.reference.name} (no per-row comparison in this report)`,
  ];
  for (let i = 1; i < table.columns.length; i += OTHERS_PER_TABLE) {
    const shown = [0, ...table.columns.slice(i, i + OTHERS_PER_TABLE).map((_, k) => i + k)];
    lines.push('', ''.padEnd(LABEL_WIDTH) + shown.map((k) => cell(table.columns[k]?.name ?? '')).join(''));
    for (const row of table.rows)
      lines.push(row.label.padEnd(LABEL_WIDTH) + shown.map((k) => cell(row.cells[k] ?? '')).join(''));
  }
  if (c) {
    lines.push('', ...comparisonLegend(c.alpha).map((l) => `            ${l}`));
    for (const note of c.notes) lines.push(`            note: ${note}`);
  }
  return [...lines, ...differingRowLines(report)];
}

function differingRowLines(report: Report): string[] {
  const c = report.comparison;
  if (!c || c.rows.differing === 0) return [];
  const shown = c.rows.listed.slice(0, SHOWN_ROWS);
  const lines = [
    '',
    `differing   ${formatInt(c.rows.differing)} of ${formatInt(c.rows.paired)} rows differ from ${c.reference}` +
      (c.rows.differing > shown.length
        ? ` (first ${shown.length}; report.json lists ${c.rows.listed.length})`
        : ''),
  ];
  const width = Math.min(20, Math.max(...report.targets.map((t) => t.name.length)));
  for (const row of shown) {
    lines.push(`  ${oneLine(row.rowId, 60)} #${row.repeat}`);
    for (const o of row.outputs) {
      const text = differingRowText(o, c.reference);
      lines.push(
        `    ${clip(o.target, width).padEnd(width)}  ${o.verdict.padEnd(9)} ${oneLine(text, 96 - width - 15)}`,
      );
    }
  }
  return lines;
}
