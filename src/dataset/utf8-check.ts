import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { DatasetError } from '../errors.js';

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
 * Refuses a file that is not valid UTF-8, naming the first bad line. Decoding would otherwise
 * turn each bad byte into U+FFFD and send prompts the user never wrote (a Latin-1 `é`, a UTF-16
 * file's `ff fe`). Lines are checked whole: a line feed byte never occurs inside a multi-byte
 * character, so a chunk is cut after its last line feed and the rest carried over.
 */
export async function checkUtf8(file: string): Promise<void> {
  let line = 1;
  let carry: Buffer = Buffer.alloc(0);
  const fail = (at: number): never => {
    throw new DatasetError(
      file,
      at,
      'not valid UTF-8 text: save the file as UTF-8, or pass --encoding latin1 if it is Latin-1',
    );
  };
  const input = createReadStream(file);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const lastFeed = bytes.lastIndexOf(LINE_FEED);
      if (lastFeed === -1) {
        carry = bytes;
        continue;
      }
      const whole = bytes.subarray(0, lastFeed + 1);
      if (!isUtf8(whole)) fail(firstBadLine(whole, line));
      for (let i = whole.indexOf(LINE_FEED); i !== -1; i = whole.indexOf(LINE_FEED, i + 1)) line++;
      carry = Buffer.from(bytes.subarray(lastFeed + 1));
    }
    if (carry.length > 0 && !isUtf8(carry)) fail(line);
  } finally {
    input.destroy();
  }
}
