import { once } from 'node:events';
import { type CsvError, type Info, parse } from 'csv-parse';
import { countLineBreaks, NewlineIndex } from './newline-index.js';
import type { RawItem } from './raw-record.js';
import type { DatasetEncoding } from './types.js';
import { datasetChunks } from './utf8-check.js';

// A record with the wrong number of fields is one bad row; the parser resynchronises at the next
// record delimiter. Any other parse error (quoting, mostly) leaves it unable to tell where records
// start, so the rest of the file cannot be trusted and the error is fatal even when skipping.
const RECORD_LEVEL_ERRORS = new Set([
  'CSV_RECORD_INCONSISTENT_COLUMNS',
  'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH',
]);

/**
 * Streams a CSV file (header row, BOM, CRLF, quoted multi-line fields) as raw records, each with
 * the physical line its record starts on. All values are strings.
 */
export async function* readCsvRecords(
  file: string,
  encoding: DatasetEncoding = 'utf8',
): AsyncGenerator<RawItem> {
  const lines = new NewlineIndex();
  const ready: RawItem[] = [];
  let failure: Error | undefined;

  // `on_record` and the `skip` event both fire synchronously while the parser consumes a chunk,
  // so records and bad records land in `ready` in file order.
  const parser = parse({
    bom: true,
    encoding,
    columns: checkHeader,
    relax_column_count: false,
    skip_empty_lines: true,
    skip_records_with_error: true,
    trim: false,
    on_record: (record: Record<string, string>, context: Info) => {
      const endLine = lines.lineAt(Math.max(context.bytes - 1, 0));
      const line = endLine - countLineBreaks(Object.values(record));
      ready.push({ kind: 'record', line, origin: 'csv', fields: record });
      return null; // records travel through `ready`, not through the stream
    },
  });
  parser.on('skip', (error: CsvError & Partial<Info> & { record?: unknown }) => {
    ready.push(csvProblem(error, lines));
  });
  parser.on('error', (error: Error) => {
    failure = error;
  });
  parser.resume();

  try {
    for await (const chunk of datasetChunks(file, encoding)) {
      lines.add(chunk);
      // `once` rejects when the parser emits 'error'; the listener above has recorded it already.
      if (!parser.write(chunk)) await once(parser, 'drain').catch(() => undefined);
      yield* drain(ready);
      if (failure) break;
    }
    if (!failure) {
      parser.end();
      await once(parser, 'end').catch(() => undefined);
    }
    yield* drain(ready);
    if (failure) yield { kind: 'problem', line: 1, reason: headerOrParserReason(failure), fatal: true };
  } finally {
    parser.destroy();
  }
}

function* drain(ready: RawItem[]): Generator<RawItem> {
  while (ready.length > 0) yield ready.shift()!;
}

function csvProblem(error: CsvError & Partial<Info> & { record?: unknown }, lines: NewlineIndex): RawItem {
  const endLine = lines.lineAt(Math.max((error.bytes ?? 1) - 1, 0));
  if (RECORD_LEVEL_ERRORS.has(error.code)) {
    const fields = Array.isArray(error.record) ? error.record : [];
    return {
      kind: 'problem',
      line: endLine - countLineBreaks(fields),
      reason: `CSV record has ${fields.length} fields but the header has ${headerWidth(error as { columns?: unknown })}`,
      fatal: false,
    };
  }
  return {
    kind: 'problem',
    line: endLine,
    reason: `${error.message.replace(/ at line \d+.*$|on line \d+/, '').trim()} (the rest of the file cannot be read reliably; fix the quoting)`,
    fatal: true,
  };
}

function headerWidth(error: { columns?: unknown }): string {
  return Array.isArray(error.columns) ? String(error.columns.length) : 'a different number';
}

function checkHeader(header: string[]): string[] {
  const seen = new Set<string>();
  for (const name of header) {
    if (name === '') throw new HeaderError('the CSV header has an empty column name');
    if (seen.has(name)) throw new HeaderError(`the CSV header names column "${name}" twice`);
    seen.add(name);
  }
  return header;
}

class HeaderError extends Error {}

function headerOrParserReason(error: Error): string {
  if (error instanceof HeaderError) return error.message;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof HeaderError) return cause.message;
  return `cannot parse CSV: ${error.message}`;
}
