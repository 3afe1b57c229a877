import { StringDecoder } from 'node:string_decoder';
import { JsonArraySplitter, JsonArrayStructureError } from './json-array-splitter.js';
import { parseJsonText } from './json-text.js';
import type { RawItem } from './raw-record.js';
import type { DatasetEncoding } from './types.js';
import { datasetChunks } from './utf8-check.js';

/** Streams the rows of a `.json` file holding one array of row objects. */
export async function* readJsonArrayRecords(
  file: string,
  encoding: DatasetEncoding = 'utf8',
): AsyncGenerator<RawItem> {
  const splitter = new JsonArraySplitter();
  // The decoder holds back a character split between two chunks until its last byte arrives.
  const decoder = new StringDecoder(encoding);
  try {
    for await (const chunk of datasetChunks(file, encoding)) {
      for (const element of splitter.push(decoder.write(chunk)))
        yield elementToItem(element.text, element.line);
    }
    const rest = decoder.end();
    if (rest !== '')
      for (const element of splitter.push(rest)) yield elementToItem(element.text, element.line);
    splitter.end();
  } catch (error) {
    if (!(error instanceof JsonArrayStructureError)) throw error;
    yield { kind: 'problem', line: error.line, reason: error.message, fatal: true };
  }
}

function elementToItem(text: string, line: number): RawItem {
  if (text === '') {
    return {
      kind: 'problem',
      line,
      reason: 'empty array element (a stray or trailing comma?)',
      fatal: false,
    };
  }
  const parsed = parseJsonText(text, line);
  if (!parsed.ok) return { kind: 'problem', line, reason: parsed.reason, fatal: false };
  return objectRecord(parsed.value, line, 'array element');
}

/** A parsed JSON value as a row record, or a problem if it is not an object. */
export function objectRecord(value: unknown, line: number, what: string): RawItem {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { kind: 'problem', line, reason: `${what} must be a JSON object, got ${got}`, fatal: false };
  }
  return { kind: 'record', line, origin: 'json', fields: value as Record<string, unknown> };
}
