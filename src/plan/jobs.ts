import type { DatasetRow } from '../dataset/types.js';
import { UserError } from '../errors.js';
import type { Job, Target } from './types.js';

export interface PlanOptions {
  /** Times each row is sent to each target. */
  repeat: number;
  /** Stop after this many jobs, cycling through the dataset as often as needed. */
  requests?: number;
}

/** How many jobs a plan yields for `rows` valid rows. */
export function countJobs(rows: number, targets: number, options: PlanOptions): number {
  const full = rows * targets * options.repeat;
  return options.requests === undefined ? full : options.requests;
}

export function jobKey(rowId: string, target: string, repeat: number): string {
  return `${rowId}|${target}|${repeat}`;
}

/**
 * Expands rows × targets × repeats into jobs, lazily, so a million-row dataset never sits in
 * memory. Targets are interleaved per row: when models are compared, each sees the same rows
 * at about the same moment, so drift in server load affects them alike. With `requests`, the
 * dataset is read again (a new pass from `readRows`) until enough jobs were made; each pass
 * continues the repeat numbering so keys stay unique.
 */
export async function* planJobs(
  readRows: () => AsyncIterable<DatasetRow>,
  targets: readonly Target[],
  options: PlanOptions,
): AsyncGenerator<Job> {
  const limit = options.requests ?? Number.POSITIVE_INFINITY;
  let index = 0;
  for (let pass = 0; index < limit; pass++) {
    let rowsThisPass = 0;
    for await (const row of readRows()) {
      rowsThisPass++;
      for (let r = 0; r < options.repeat; r++) {
        const repeat = pass * options.repeat + r;
        for (const target of targets) {
          if (index >= limit) return;
          yield { index, key: jobKey(row.id, target.name, repeat), row, target, repeat };
          index++;
        }
      }
    }
    if (rowsThisPass === 0) {
      if (pass === 0) throw new UserError('the dataset has no rows to send');
      return;
    }
    if (options.requests === undefined) return;
  }
}
