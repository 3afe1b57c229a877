import { createHash } from 'node:crypto';
import { IdTable } from '../id-table.js';
import { RowProblem } from './row-problem.js';
import type { ChatMessage } from './types.js';

/** JSON with object keys sorted at every level, so equal content always gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, item]) => item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}

/**
 * The id of a row without an `id` column: `h_` + the first 16 hex digits of the SHA-256 of what
 * is sent (messages and params). Independent of line numbers and machines, so resume and baseline
 * comparison find the same row again after rows are added or moved.
 */
export function rowContentHash(messages: readonly ChatMessage[], params: Record<string, unknown>): string {
  const digest = createHash('sha256').update(canonicalJson({ messages, params })).digest();
  return `h_${digest.toString('hex', 0, 8)}`;
}

/**
 * Hands out row ids within one file: an explicit id seen twice is an error naming the first line;
 * identical content without ids gets `<hash>#2`, `#3`, … in file order, so it stays deterministic.
 * Memory: 24–48 bytes per row (ids are kept as 64-bit hashes, see `IdTable`), plus one counter
 * per repeated content hash.
 */
export class RowIdRegistry {
  private readonly firstLine = new IdTable();
  private readonly nextCopy = new Map<string, number>();

  assign(explicitId: string | undefined, contentHash: () => string, line: number): string {
    if (explicitId !== undefined) {
      const first = this.firstLine.get(explicitId);
      if (first !== undefined)
        throw new RowProblem(`duplicate id "${explicitId}" (first used on line ${first.line})`);
      this.firstLine.add(explicitId, 0, line);
      return explicitId;
    }
    const hash = contentHash();
    let id = hash;
    if (this.firstLine.has(hash)) {
      let copy = this.nextCopy.get(hash) ?? 2;
      while (this.firstLine.has(`${hash}#${copy}`)) copy++;
      id = `${hash}#${copy}`;
      this.nextCopy.set(hash, copy + 1);
    }
    this.firstLine.add(id, 0, line);
    return id;
  }
}
