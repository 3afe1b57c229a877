import { readDataset } from '../dataset/read.js';
import type { BadRow, BadRowPolicy, DatasetEncoding, DatasetRow } from '../dataset/types.js';
import { DatasetError, UserError } from '../errors.js';
import { IdTable } from '../id-table.js';

export interface DatasetOptions {
  onBadRow: BadRowPolicy;
  encoding: DatasetEncoding;
}

/** Nothing to send: say which files, and why when every row was malformed (skipped). */
function noRowsMessage(files: readonly string[], firstBad: readonly BadRow[], badCount: number): string {
  const names = files.join(', ');
  if (badCount === 0) return `no rows to send: ${names} ${files.length > 1 ? 'hold' : 'holds'} no data rows`;
  const shown = firstBad.slice(0, 5).map((b) => `\n  ${b.file}:${b.line}: ${b.reason}`);
  const more = badCount > 5 ? `\n  … and ${badCount - 5} more` : '';
  return `no rows to send: every row of ${names} is malformed (${badCount} skipped):${shown.join('')}${more}`;
}

/** What a validation pass over the datasets found. */
export interface DatasetScan {
  /** Valid rows (a lower bound when `complete` is false). */
  rows: number;
  badRows: BadRow[];
  /** False when the run ended before the check reached the end of the datasets (`-n 100` on a million rows). */
  complete: boolean;
}

export interface ScanHooks {
  /** Every valid row, in order (a shard counts its jobs here). */
  onRow?(row: DatasetRow): void;
  /** Every bad row, as found (skip policy only: under `fail` the first one throws); given, the scan keeps no list of its own. */
  onBad?(bad: BadRow): void;
  /** Aborted: the scan stops at the next row and resolves with what it counted, `complete: false`. */
  signal?: AbortSignal;
  /** Asked after every row: a promise makes the scan wait for it (the worker's pacing). */
  pace?(): Promise<void> | undefined;
}

/**
 * Rows of several dataset files, in order, as one stream, each validated: a bad row, or the same
 * row id in two files (which would make two jobs share a key), throws `DatasetError` under `fail`
 * and goes to `onBad` under `skip`. The run's planner reads through here too, so a row it sends
 * has passed every check even when the dataset check is still behind (design note 009). Memory:
 * 24–48 bytes per row for the ids (`IdTable`); each file's reader catches its own duplicates,
 * and a second table is kept only when there are several files.
 */
export async function* readRows(
  files: readonly string[],
  options: DatasetOptions,
  onBad?: (bad: BadRow) => void,
): AsyncGenerator<DatasetRow> {
  const firstSeen = files.length > 1 ? new IdTable() : undefined;
  for (let fileNumber = 0; fileNumber < files.length; fileNumber++) {
    for await (const item of readDataset(files[fileNumber] as string, options)) {
      if (item.kind === 'bad') {
        onBad?.(item.bad);
        continue;
      }
      const { row } = item;
      const earlier = firstSeen?.get(row.id);
      if (earlier !== undefined && earlier.file !== fileNumber) {
        const reason = `duplicate row id "${row.id}" (first seen at ${files[earlier.file]}:${earlier.line})`;
        if (options.onBadRow === 'fail') throw new DatasetError(row.source.file, row.source.line, reason);
        onBad?.({ file: row.source.file, line: row.source.line, reason });
        continue;
      }
      firstSeen?.add(row.id, fileNumber, row.source.line);
      yield row;
    }
  }
}

/**
 * Reads every dataset once, to the end (`readRows`): every bad row and the number of rows. When
 * to run it and how long to wait for it is `DatasetCheck`'s decision.
 */
export async function scanDatasets(
  files: readonly string[],
  options: DatasetOptions,
  hooks: ScanHooks = {},
): Promise<DatasetScan> {
  const badRows: BadRow[] = [];
  // The first few and the count, for the message when no row at all is left.
  const firstBad: BadRow[] = [];
  let badCount = 0;
  const bad = (row: BadRow) => {
    if (badCount++ < 5) firstBad.push(row);
    if (hooks.onBad) hooks.onBad(row);
    else badRows.push(row);
  };
  let rows = 0;
  for await (const row of readRows(files, options, bad)) {
    if (hooks.signal?.aborted) return { rows, badRows, complete: false };
    rows++;
    hooks.onRow?.(row);
    const wait = hooks.pace?.();
    if (wait) await wait;
  }
  if (rows === 0) throw new UserError(noRowsMessage(files, firstBad, badCount));
  return { rows, badRows, complete: true };
}
