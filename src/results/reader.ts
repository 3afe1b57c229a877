import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UserError } from '../errors.js';
import { type JobResult, RESULT_VERSION } from './types.js';

/**
 * Streams a results.jsonl back as JobResults (for `stepbench report` and resume). A line that
 * is cut off at the very end — the usual trace of a killed process — is reported through
 * `onTornTail` rather than failing; a bad line anywhere else is an error naming it.
 */
export async function* readResults(
  path: string,
  onTornTail?: (line: number) => void,
): AsyncGenerator<JobResult> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) =>
    input.once('error', () => reject(new UserError(`results file not found or unreadable: ${path}`))),
  );
  failed.catch(() => {});
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let lineNo = 0;
  let pending: { line: number; error: string } | undefined;
  try {
    for await (const line of lines) {
      lineNo++;
      if (pending) throw new UserError(`${path}:${pending.line}: ${pending.error}`);
      if (line.trim() === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (err) {
        pending = { line: lineNo, error: `not valid JSON (${(err as Error).message})` };
        continue;
      }
      const rec = parsed as Partial<JobResult>;
      if (rec.v !== RESULT_VERSION || typeof rec.key !== 'string') {
        throw new UserError(
          `${path}:${lineNo}: not a stepbench result (v${String(rec.v)}, expected v${RESULT_VERSION})`,
        );
      }
      yield rec as JobResult;
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    await failed;
    throw err;
  }
  if (pending) onTornTail?.(pending.line);
}
