import { readDataset } from '../dataset/read.js';
import type { BadRow, BadRowPolicy, DatasetEncoding, DatasetRow } from '../dataset/types.js';
import { DatasetError, UserError } from '../errors.js';

export interface DatasetOptions {
  onBadRow: BadRowPolicy;
  encoding: DatasetEncoding;
}

/** Nothing to send: say which files, and why when every row was malformed (skipped). */
function noRowsMessage(files: readonly string[], badRows: readonly BadRow[]): string {
  const names = files.join(', ');
  if (badRows.length === 0)
    return `no rows to send: ${names} ${files.length > 1 ? 'hold' : 'holds'} no data rows`;
  const shown = badRows.slice(0, 5).map((b) => `\n  ${b.file}:${b.line}: ${b.reason}`);
  const more = badRows.length > 5 ? `\n  … and ${badRows.length - 5} more` : '';
  return `no rows to send: every row of ${names} is malformed (${badRows.length} skipped):${shown.join('')}${more}`;
}

/** What a validation pass over the datasets found. */
export interface DatasetScan {
  rows: number;
  badRows: BadRow[];
}

/** Rows of several dataset files, in order, as one stream. Bad rows go to `onBad` (skip policy only). */
export async function* readRows(
  files: readonly string[],
  options: DatasetOptions,
  onBad?: (bad: BadRow) => void,
): AsyncGenerator<DatasetRow> {
  for (const file of files) {
    for await (const item of readDataset(file, options)) {
      if (item.kind === 'row') yield item.row;
      else onBad?.(item.bad);
    }
  }
}

/**
 * Reads every dataset once before any request is sent, so a bad row on line 900,000 stops the
 * run before it spends money rather than after. Also catches the same row id in two files, which
 * would make two jobs share a key. Memory: one id string per row.
 */
export async function scanDatasets(
  files: readonly string[],
  options: DatasetOptions,
  onRow?: (row: DatasetRow) => void,
): Promise<DatasetScan> {
  const { onBadRow } = options;
  const badRows: BadRow[] = [];
  const firstSeen = new Map<string, string>();
  let rows = 0;
  for await (const row of readRows(files, options, (bad) => badRows.push(bad))) {
    const where = `${row.source.file}:${row.source.line}`;
    const earlier = firstSeen.get(row.id);
    if (earlier !== undefined) {
      const reason = `duplicate row id "${row.id}" (first seen at ${earlier})`;
      if (onBadRow === 'fail') throw new DatasetError(row.source.file, row.source.line, reason);
      badRows.push({ file: row.source.file, line: row.source.line, reason });
      continue;
    }
    firstSeen.set(row.id, where);
    rows++;
    onRow?.(row);
  }
  if (rows === 0) throw new UserError(noRowsMessage(files, badRows));
  return { rows, badRows };
}
