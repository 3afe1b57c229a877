import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';

/** The results file of a run folder: plain JSONL, or gzip-compressed with `--results-gzip`. */
export const RESULTS_FILE = 'results.jsonl';
export const RESULTS_FILE_GZIP = 'results.jsonl.gz';

export function resultsFileName(gzip: boolean): string {
  return gzip ? RESULTS_FILE_GZIP : RESULTS_FILE;
}

/** Whether a results path is the gzip kind: decided by its name, one rule for writer and readers. */
export function isGzipResults(path: string): boolean {
  return path.endsWith('.gz');
}

/**
 * The results file in `dir`, whichever kind it is; undefined when there is none. Both kinds at
 * once is a folder nobody can read unambiguously: an error naming them.
 */
export function findResultsFile(dir: string): string | undefined {
  const plain = join(dir, RESULTS_FILE);
  const gzip = join(dir, RESULTS_FILE_GZIP);
  const hasPlain = existsSync(plain);
  const hasGzip = existsSync(gzip);
  if (hasPlain && hasGzip) {
    throw new UserError(
      `${dir} holds both ${RESULTS_FILE} and ${RESULTS_FILE_GZIP}: remove the one that is not this run's`,
    );
  }
  return hasPlain ? plain : hasGzip ? gzip : undefined;
}
