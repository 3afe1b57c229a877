import { describe, expect, it } from 'vitest';
import { IdTable, idHash } from '../src/id-table.js';

describe('IdTable', () => {
  it('remembers where each id was first seen, through many doublings', () => {
    const table = new IdTable(16);
    const count = 200_000;
    for (let i = 0; i < count; i++) table.add(`row-${String(i).padStart(7, '0')}`, i % 3, i + 1);
    expect(table.size).toBe(count);
    for (const i of [0, 1, 17, 65_535, 199_999])
      expect(table.get(`row-${String(i).padStart(7, '0')}`)).toEqual({ file: i % 3, line: i + 1 });
    // Ids that were never added are not found, including near misses of added ones.
    let falseHits = 0;
    for (let i = count; i < 2 * count; i++) if (table.has(`row-${String(i).padStart(7, '0')}`)) falseHits++;
    expect(falseHits).toBe(0);
    expect(table.has('row-000001')).toBe(false);
    expect(table.has('')).toBe(false);
  });

  it('keeps the first place of an id added twice', () => {
    const table = new IdTable();
    table.add('q1', 0, 4);
    table.add('q1', 1, 9);
    expect(table.get('q1')).toEqual({ file: 0, line: 4 });
    expect(table.size).toBe(1);
  });

  it('refuses line 0, which marks an empty slot', () => {
    expect(() => new IdTable().add('a', 0, 0)).toThrow(RangeError);
  });

  it('hashes one-character differences to unrelated halves', () => {
    const [h1, l1] = idHash('row-0000001');
    const [h2, l2] = idHash('row-0000002');
    expect(h1).not.toBe(h2);
    expect(l1).not.toBe(l2);
    // About half the bits differ (avalanche); a weak mix would differ in a few low bits only.
    const bits = (x: number) => x.toString(2).split('1').length - 1;
    expect(bits((h1 ^ h2) >>> 0) + bits((l1 ^ l2) >>> 0)).toBeGreaterThan(16);
  });
});
