import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DatasetError, UserError } from '../errors.js';
import {
  type AssertionSpec,
  assertionsFromColumns,
  isAssertionColumn,
  rowAssertions,
} from '../eval/assertions-api.js';
import { buildRow } from './build-row.js';
import { readCsvRecords } from './csv-records.js';
import { type DatasetFormat, detectFormat } from './format.js';
import { readJsonArrayRecords } from './json-records.js';
import { readJsonlRecords } from './jsonl-records.js';
import type { RawItem } from './raw-record.js';
import { RowIdRegistry, rowContentHash } from './row-id.js';
import { RowProblem } from './row-problem.js';
import type { BadRowPolicy, DatasetEncoding, DatasetItem } from './types.js';

export { type DatasetFormat, detectFormat } from './format.js';
export { canonicalJson, rowContentHash } from './row-id.js';

export interface ReadDatasetOptions {
  /** `fail` (default): the first malformed row throws `DatasetError`. `skip`: it is yielded as `bad`. */
  onBadRow: BadRowPolicy;
  /** Overrides detection from the extension (`batch` reads a JSONL file as Batch-API input). */
  format?: DatasetFormat;
  /** `utf8` (default): bytes that are not UTF-8 are an error naming the line. */
  encoding?: DatasetEncoding;
}

/**
 * Streams a dataset file as validated rows, in file order, in constant memory (apart from the ids
 * kept to catch duplicates, 24–48 bytes a row). Problems that leave the rest of the file
 * unreadable (broken CSV quoting, a JSON file that is not an array, bytes that are not UTF-8)
 * throw `DatasetError` even when skipping bad rows, when the read reaches them.
 */
export async function* readDataset(
  file: string,
  options: Partial<ReadDatasetOptions> = {},
): AsyncGenerator<DatasetItem> {
  const policy = options.onBadRow ?? 'fail';
  await assertReadableFile(file);
  const format = options.format ?? detectFormat(file);
  const encoding = options.encoding ?? 'utf8';
  const ids = new RowIdRegistry();
  for await (const raw of rawItems(file, format, encoding)) {
    if (raw.kind === 'problem') {
      if (raw.fatal || policy === 'fail') throw new DatasetError(file, raw.line, raw.reason);
      yield { kind: 'bad', bad: { file, line: raw.line, reason: raw.reason } };
      continue;
    }
    try {
      const { explicitId, ...built } = buildRow(raw.fields, raw.origin);
      const checks = rowChecks(built, file, raw.origin === 'csv' ? raw.fields : undefined);
      if (checks.length > 0) built.checks = checks;
      const id = ids.assign(explicitId, () => rowContentHash(built.messages, built.params), raw.line);
      yield { kind: 'row', row: { id, source: { file, line: raw.line }, ...built } };
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      if (policy === 'fail') throw new DatasetError(file, raw.line, error.message);
      yield { kind: 'bad', bad: { file, line: raw.line, reason: error.message } };
    }
  }
}

function rawItems(file: string, format: DatasetFormat, encoding: DatasetEncoding): AsyncGenerator<RawItem> {
  switch (format) {
    case 'csv':
      return readCsvRecords(file, encoding);
    case 'json':
      return readJsonArrayRecords(file, encoding);
    case 'jsonl':
      return readJsonlRecords(file, false, encoding);
    case 'batch':
      return readJsonlRecords(file, true, encoding);
  }
}

async function assertReadableFile(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw new UserError(`dataset ${file} is a directory, not a file`);
    await access(file, constants.R_OK); // a permission problem is reported here, not mid-stream
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`dataset not found: ${file}`);
    throw new UserError(`cannot read dataset ${file}: ${code ?? String(error)}`);
  }
}

/**
 * A row's `expected` and `assertions`, validated before any request is sent: a bad regex, an
 * unknown type or a missing value is a bad row (file:line) like any other. Custom checks resolve
 * against the dataset's folder.
 */
function rowChecks(
  row: { expected?: string; assertions?: unknown[] },
  file: string,
  csvFields?: Record<string, unknown>,
): AssertionSpec[] {
  const columns = csvFields
    ? Object.fromEntries(Object.entries(csvFields).filter(([name]) => isAssertionColumn(name)))
    : {};
  const hasColumns = Object.keys(columns).length > 0;
  if (row.expected === undefined && row.assertions === undefined && !hasColumns) return [];
  try {
    const baseDir = dirname(resolve(file));
    const fromColumns = hasColumns
      ? assertionsFromColumns(columns as Record<string, string>, { baseDir })
      : [];
    return [...rowAssertions(row, { baseDir }), ...fromColumns];
  } catch (error) {
    if (error instanceof UserError) throw new RowProblem(error.message);
    throw error;
  }
}
