import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { constants, createGzip, type Gzip } from 'node:zlib';
import { isGzipResults } from './results-file.js';
import type { JobResult } from './types.js';

/**
 * How often a gzip results file is flushed to the OS (Z_SYNC_FLUSH): a killed process loses at
 * most this much of its finished results, on top of the jobs in flight; a flush costs a few bytes.
 */
export const GZIP_FLUSH_MS = 1_000;

/**
 * Append-only results.jsonl. Each result is handed to the OS as soon as it is written (no
 * in-process batching beyond the stream's own queue), so a killed process loses at most the
 * jobs still in flight. Encoding a result is one JSON.stringify; it never blocks on disk.
 *
 * A `.gz` path is written gzip-compressed (`--results-gzip`): appending on resume adds a new gzip
 * member, which every gzip reader reads as one stream; the compressor is flushed every
 * GZIP_FLUSH_MS so what a crash leaves is readable up to the last flush.
 */
export class ResultsWriter {
  private readonly file: WriteStream;
  private readonly gzip: Gzip | undefined;
  private readonly flushTimer: NodeJS.Timeout | undefined;
  private pendingFlush = false;
  private failure: Error | undefined;

  private constructor(file: WriteStream, gzip: Gzip | undefined) {
    this.file = file;
    this.gzip = gzip;
    const fail = (err: Error) => {
      this.failure = err;
    };
    this.file.on('error', fail);
    if (gzip) {
      gzip.on('error', fail);
      gzip.pipe(file);
      this.flushTimer = setInterval(() => {
        if (!this.pendingFlush) return;
        this.pendingFlush = false;
        gzip.flush(constants.Z_SYNC_FLUSH);
      }, GZIP_FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  static async open(path: string): Promise<ResultsWriter> {
    await mkdir(dirname(path), { recursive: true });
    const file = createWriteStream(path, { flags: 'a' });
    return new ResultsWriter(file, isGzipResults(path) ? createGzip() : undefined);
  }

  write(result: JobResult): void {
    if (this.failure) throw this.failure;
    const line = `${JSON.stringify(result)}\n`;
    if (this.gzip) {
      this.gzip.write(line);
      this.pendingFlush = true;
    } else this.file.write(line, 'utf8');
  }

  /** Flushes and closes; rejects if any write failed (disk full, permissions). */
  close(): Promise<void> {
    if (this.flushTimer) clearInterval(this.flushTimer);
    return new Promise((resolve, reject) => {
      this.file.once('close', () => (this.failure ? reject(this.failure) : resolve()));
      if (this.gzip) this.gzip.end();
      else this.file.end();
    });
  }
}
