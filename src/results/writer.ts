import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JobResult } from './types.js';

/**
 * Append-only results.jsonl. Each result is handed to the OS as soon as it is written (no
 * in-process batching beyond the stream's own queue), so a killed process loses at most the
 * jobs still in flight. Encoding a result is one JSON.stringify; it never blocks on disk.
 */
export class ResultsWriter {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  private constructor(stream: WriteStream) {
    this.stream = stream;
    this.stream.on('error', (err) => {
      this.failure = err;
    });
  }

  static async open(path: string): Promise<ResultsWriter> {
    await mkdir(dirname(path), { recursive: true });
    return new ResultsWriter(createWriteStream(path, { flags: 'a', encoding: 'utf8' }));
  }

  write(result: JobResult): void {
    if (this.failure) throw this.failure;
    this.stream.write(`${JSON.stringify(result)}\n`);
  }

  /** Flushes and closes; rejects if any write failed (disk full, permissions). */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.stream.end(() => (this.failure ? reject(this.failure) : resolve()));
    });
  }
}
