import { readDataset } from '../dataset/read.js';
import type { BadRow, BadRowPolicy, DatasetRow } from '../dataset/types.js';
import { DatasetError } from '../errors.js';

/** What a validation pass over the datasets found. */
export interface DatasetScan {
  rows: number;
  badRows: BadRow[];
}

/** Rows of several dataset files, in order, as one stream. Bad rows go to `onBad` (skip policy only). */
export async function* readRows(
  files: readonly string[],
  onBadRow: BadRowPolicy,
  onBad?: (bad: BadRow) => void,
): AsyncGenerator<DatasetRow> {
  for (const file of files) {
    for await (const item of readDataset(file, { onBadRow })) {
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
export async function scanDatasets(files: readonly string[], onBadRow: BadRowPolicy): Promise<DatasetScan> {
  const badRows: BadRow[] = [];
  const firstSeen = new Map<string, string>();
  let rows = 0;
  for await (const row of readRows(files, onBadRow, (bad) => badRows.push(bad))) {
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
  }
  return { rows, badRows };
}
