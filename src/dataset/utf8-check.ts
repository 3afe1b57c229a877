import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { DatasetError } from '../errors.js';
import type { DatasetEncoding } from './types.js';

const LINE_FEED = 0x0a;

function firstBadLine(bytes: Buffer, firstLine: number): number {
  let line = firstLine;
  let start = 0;
  for (let end = bytes.indexOf(LINE_FEED); end !== -1; end = bytes.indexOf(LINE_FEED, start)) {
    if (!isUtf8(bytes.subarray(start, end))) return line;
    line++;
    start = end + 1;
  }
  return line;
}

/**
 * Checks a file's bytes as they stream past, whole lines at a time: a line feed byte never occurs
 * inside a multi-byte character, so a chunk is checked up to its last line feed and the rest is
 * carried into the next one. The first bad line throws a `DatasetError` naming it.
 */
class Utf8LineCheck {
  private line = 1;
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly file: string) {}

  push(chunk: Buffer): void {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const lastFeed = bytes.lastIndexOf(LINE_FEED);
    if (lastFeed === -1) {
      this.carry = Buffer.from(bytes);
      return;
    }
    const whole = bytes.subarray(0, lastFeed + 1);
    if (!isUtf8(whole)) this.fail(firstBadLine(whole, this.line));
    for (let i = whole.indexOf(LINE_FEED); i !== -1; i = whole.indexOf(LINE_FEED, i + 1)) this.line++;
    // A copy: a subarray would keep the whole 64 KiB chunk alive for its last partial line.
    this.carry = Buffer.from(bytes.subarray(lastFeed + 1));
  }

  end(): void {
    if (this.carry.length > 0 && !isUtf8(this.carry)) this.fail(this.line);
  }

  private fail(line: number): never {
    throw new DatasetError(
      this.file,
      line,
      'not valid UTF-8 text: save the file as UTF-8, or pass --encoding latin1 if it is Latin-1',
    );
  }
}

/**
 * A dataset file's bytes in order. With `utf8`, each chunk is checked before it is handed on, so
 * bytes that are not UTF-8 stop the read at their line instead of being decoded into U+FFFD and
 * sent as prompts the user never wrote (a Latin-1 `é`, a UTF-16 file's `ff fe`). The check rides
 * along with the one read of the file rather than costing a pass of its own before the first row.
 */
export async function* datasetChunks(file: string, encoding: DatasetEncoding): AsyncGenerator<Buffer> {
  const check = encoding === 'utf8' ? new Utf8LineCheck(file) : undefined;
  const input = createReadStream(file);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      check?.push(chunk);
      yield chunk;
    }
    check?.end();
  } finally {
    input.destroy();
  }
}
