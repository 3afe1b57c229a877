import { describe, expect, it } from 'vitest';
import { fixed, formatTable } from '../../bench/lib/table.mjs';

describe('formatTable', () => {
  it('pads columns to the widest cell and marks alignment in the rule', () => {
    const text = formatTable(
      [
        { name: 'stepbench', rps: 1153.7 },
        { name: 'sdk', rps: 9 },
      ],
      [
        { title: 'client', value: (r) => r.name, align: 'left' },
        { title: 'req/s', value: (r) => r.rps },
      ],
    );
    expect(text.split('\n')).toEqual([
      '| client    |  req/s |',
      '|:----------|-------:|',
      '| stepbench | 1153.7 |',
      '| sdk       |      9 |',
    ]);
  });

  it('prints a dash for missing and NaN values', () => {
    const text = formatTable([{ v: Number.NaN }, { v: undefined }], [{ title: 'v', value: (r) => r.v }]);
    expect(text.split('\n').slice(2)).toEqual(['| – |', '| – |']);
  });
});

describe('fixed', () => {
  it('rounds finite numbers and dashes anything else', () => {
    expect(fixed(2.345, 2)).toBe('2.35');
    expect(fixed(7)).toBe('7.0');
    expect(fixed(Number.POSITIVE_INFINITY)).toBe('–');
    expect(fixed(null)).toBe('–');
  });
});
