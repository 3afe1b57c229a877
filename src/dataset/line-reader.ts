import type { DatasetEncoding } from './types.js';
import { datasetChunks } from './utf8-check.js';

const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;

export interface PhysicalLine {
  /** 1-based line number. */
  line: number;
  /** The line's text without its LF / CRLF terminator (and without a leading BOM on line 1). */
  text: string;
}

/**
 * Streams a text file line by line with 1-based line numbers, in constant memory apart from the
 * longest line. Splitting happens on LF bytes, which never occur inside a multi-byte UTF-8
 * character, so each line decodes correctly on its own.
 */
export async function* readPhysicalLines(
  file: string,
  encoding: DatasetEncoding = 'utf8',
): AsyncGenerator<PhysicalLine> {
  let line = 0;
  let carry: Buffer[] = [];
  for await (const chunk of datasetChunks(file, encoding)) {
    let start = 0;
    let end = chunk.indexOf(LINE_FEED);
    while (end !== -1) {
      const piece = chunk.subarray(start, end);
      const bytes = carry.length > 0 ? Buffer.concat([...carry, piece]) : piece;
      carry = [];
      line++;
      yield { line, text: decodeLine(bytes, line, encoding) };
      start = end + 1;
      end = chunk.indexOf(LINE_FEED, start);
    }
    if (start < chunk.length) carry.push(chunk.subarray(start));
  }
  if (carry.length > 0) {
    line++;
    yield { line, text: decodeLine(Buffer.concat(carry), line, encoding) };
  }
}

function decodeLine(bytes: Buffer, line: number, encoding: DatasetEncoding): string {
  const withoutCr = bytes.at(-1) === CARRIAGE_RETURN ? bytes.subarray(0, -1) : bytes;
  const text = withoutCr.toString(encoding);
  return line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
}
