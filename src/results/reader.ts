import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { UserError } from '../errors.js';
import { isGzipResults } from './results-file.js';
import { type JobResult, RESULT_VERSION } from './types.js';

/**
 * Streams a results file back as JobResults (for reports, resume, junit, comparisons), plain or
 * gzip (`.gz`, concatenated members included). A line that is cut off at the very end — the usual
 * trace of a killed process, in a gzip file also a member cut short — is reported through
 * `onTornTail` rather than failing; a bad line anywhere else is an error naming it.
 */
export async function* readResults(
  path: string,
  onTornTail?: (line: number) => void,
): AsyncGenerator<JobResult> {
  let lineNo = 0;
  let pending: { line: number; error: string } | undefined;
  for await (const line of textLines(path)) {
    if (line === TORN) {
      // The compressed stream ended mid-member: whatever came before it was kept, the rest is lost.
      pending ??= { line: lineNo + 1, error: 'cut off' };
      break;
    }
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
  if (pending) onTornTail?.(pending.line);
}

/** Marks the end of a gzip stream that was cut short. */
const TORN = Symbol('torn');

/** The file's lines (without their `\n` or `\r\n`), decompressing a `.gz` file; TORN after a cut-off gzip member. */
async function* textLines(path: string): AsyncGenerator<string | typeof TORN> {
  const file = createReadStream(path);
  const gzip = isGzipResults(path);
  const source = gzip ? file.pipe(createGunzip()) : file;
  if (gzip) file.once('error', (err) => source.destroy(err));
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  try {
    for await (const chunk of source) {
      rest += decoder.decode(chunk as Buffer, { stream: true });
      let start = 0;
      let cut = rest.indexOf('\n');
      while (cut >= 0) {
        yield rest.slice(start, cut).replace(/\r$/, '');
        start = cut + 1;
        cut = rest.indexOf('\n', start);
      }
      rest = rest.slice(start);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new UserError(`results file not found or unreadable: ${path}`);
    }
    if (gzip && code === 'Z_BUF_ERROR') {
      // "unexpected end of file": the last member was cut off, as a killed writer leaves it.
      if (rest !== '') yield rest;
      yield TORN;
      return;
    }
    if (gzip) throw new UserError(`${path}: not a readable gzip file (${(err as Error).message})`);
    throw err;
  }
  rest += decoder.decode();
  if (rest !== '') yield rest;
}
