import { extname } from 'node:path';
import { UserError } from '../errors.js';

/**
 * How a dataset file is read. `batch` is OpenAI Batch-API input (JSONL whose lines are
 * `{custom_id, method, url, body}`); it is never inferred from the extension alone.
 */
export type DatasetFormat = 'csv' | 'jsonl' | 'json' | 'batch';

const FORMAT_BY_EXTENSION: Readonly<Record<string, Exclude<DatasetFormat, 'batch'>>> = {
  '.csv': 'csv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
};

/**
 * The format a file's extension promises. A `.jsonl` file may still turn out to be Batch-API input:
 * the reader decides that from the file's first row.
 */
export function detectFormat(file: string): Exclude<DatasetFormat, 'batch'> {
  const format = FORMAT_BY_EXTENSION[extname(file).toLowerCase()];
  if (format === undefined) {
    const supported = Object.keys(FORMAT_BY_EXTENSION).join(', ');
    throw new UserError(
      `cannot tell the format of dataset ${file}: supported extensions are ${supported} ` +
        '(OpenAI Batch-API input is read from .jsonl)',
    );
  }
  return format;
}
