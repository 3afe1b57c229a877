import { batchLineToFields, isBatchRequestLine } from './batch.js';
import { objectRecord } from './json-records.js';
import { parseJsonText } from './json-text.js';
import { readPhysicalLines } from './line-reader.js';
import type { RawItem } from './raw-record.js';
import { RowProblem } from './row-problem.js';
import type { DatasetEncoding } from './types.js';

/**
 * Streams the rows of a JSONL file, one JSON object per line; blank lines are skipped. Whether the
 * file is Batch-API input is decided by its first valid row unless `forceBatch` says so.
 */
export async function* readJsonlRecords(
  file: string,
  forceBatch: boolean,
  encoding: DatasetEncoding = 'utf8',
): AsyncGenerator<RawItem> {
  let batch: boolean | undefined = forceBatch ? true : undefined;
  for await (const { line, text } of readPhysicalLines(file, encoding)) {
    if (text.trim() === '') continue;
    const parsed = parseJsonText(text, line);
    if (!parsed.ok) {
      yield { kind: 'problem', line, reason: parsed.reason, fatal: false };
      continue;
    }
    const item = objectRecord(parsed.value, line, 'each JSONL line');
    if (item.kind === 'problem') {
      yield item;
      continue;
    }
    batch ??= isBatchRequestLine(parsed.value);
    yield batch ? batchItem(parsed.value, line) : item;
  }
}

function batchItem(value: unknown, line: number): RawItem {
  try {
    return { kind: 'record', line, origin: 'batch', fields: batchLineToFields(value) };
  } catch (error) {
    if (!(error instanceof RowProblem)) throw error;
    return { kind: 'problem', line, reason: error.message, fatal: false };
  }
}
