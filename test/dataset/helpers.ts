import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ReadDatasetOptions, readDataset } from '../../src/dataset/read.js';
import type { BadRow, DatasetItem, DatasetRow } from '../../src/dataset/types.js';

export const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

/** Writes `content` to a fresh temp file named `name` and returns its path. */
export function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepbench-dataset-'));
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

export async function readAll(
  file: string,
  options: Partial<ReadDatasetOptions> = {},
): Promise<DatasetItem[]> {
  const items: DatasetItem[] = [];
  for await (const item of readDataset(file, options)) items.push(item);
  return items;
}

export async function readRows(
  file: string,
  options: Partial<ReadDatasetOptions> = {},
): Promise<DatasetRow[]> {
  const items = await readAll(file, options);
  return items.map((item) => {
    if (item.kind !== 'row') throw new Error(`unexpected bad row: ${JSON.stringify(item.bad)}`);
    return item.row;
  });
}

export function badRows(items: DatasetItem[]): BadRow[] {
  return items.flatMap((item) => (item.kind === 'bad' ? [item.bad] : []));
}

export function goodRows(items: DatasetItem[]): DatasetRow[] {
  return items.flatMap((item) => (item.kind === 'row' ? [item.row] : []));
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
