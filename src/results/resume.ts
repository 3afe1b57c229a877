import { existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import { KeySet } from '../id-table.js';
import { isAnswered } from './outcomes.js';
import { readResults } from './reader.js';
import type { JobResult } from './types.js';
import { ResultsWriter } from './writer.js';

/**
 * Whether `--retry-errors` sends the job again: it got no answer. Wider than the error count
 * (isError): a final 429 or an interruption is no error, but its job still has no reply.
 */
export function needsRerun(result: Pick<JobResult, 'outcome'>): boolean {
  return !isAnswered(result.outcome);
}

export interface PriorResults {
  /** Keys of jobs already recorded and kept: the run skips them (a compact set: a resumed run may hold millions). */
  done: KeySet;
  /** Results kept from the earlier run(s). */
  kept: number;
  /** Results dropped so their jobs run again (`--retry-errors`). */
  dropped: number;
  /** Line of a cut-off last record (a killed process), removed from the file. */
  tornLine?: number;
  /**
   * The latest `endAt` of the kept results, ms on the run's clock. The resumed segment's clock
   * starts there, so the run's time is the sum of its segments (the hours it was not running
   * count for nothing) and throughput covers the whole run, not the last segment.
   */
  endedAtMs: number;
}

/**
 * Prepares `results.jsonl` in a folder for `--resume`: every complete record is kept (and
 * handed to `onKept`, so the new report covers the whole run); a cut-off last line — the trace
 * of a `kill -9` — is removed so appended records start on a fresh line; with `retryErrors`,
 * records that ended in error are removed and their jobs run again. The file is rewritten
 * (to a temporary file, then renamed) only when something has to go, so every job ends up in
 * it exactly once.
 */
export async function preparePriorResults(
  path: string,
  options: { retryErrors: boolean; onKept: (result: JobResult) => void },
): Promise<PriorResults> {
  const prior: PriorResults = { done: new KeySet(), kept: 0, dropped: 0, endedAtMs: 0 };
  if (!existsSync(path)) return prior;
  let needsRewrite = false;
  for await (const result of readResults(path, (line) => {
    prior.tornLine = line;
  })) {
    // An interrupted job (a second Ctrl-C) was never finished: it always runs again.
    const again = result.outcome === 'interrupted' || (options.retryErrors && needsRerun(result));
    if (prior.done.has(result.key) || again) {
      needsRewrite = true;
      if (!prior.done.has(result.key)) prior.dropped++;
      continue;
    }
    prior.done.add(result.key);
  }
  if (prior.tornLine !== undefined) needsRewrite = true;

  // Second pass: hand kept results on (and rewrite the file when needed), in file order.
  // The temporary file keeps the kind of the results file (.gz is written compressed).
  const tmp = path.endsWith('.gz') ? `${path.slice(0, -3)}.resume-tmp.gz` : `${path}.resume-tmp`;
  const writer = needsRewrite ? await ResultsWriter.open(tmp) : undefined;
  const seen = new KeySet();
  for await (const result of readResults(path)) {
    if (!prior.done.has(result.key) || seen.has(result.key)) continue;
    seen.add(result.key);
    prior.kept++;
    prior.endedAtMs = Math.max(prior.endedAtMs, result.times.endAt);
    options.onKept(result);
    writer?.write(result);
  }
  if (writer) {
    await writer.close();
    await rename(tmp, path);
  }
  return prior;
}
