import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { assertionsFromColumns, isAssertionColumn } from '../../src/eval/csv-assertions.js';

function columnError(record: Record<string, string>): string {
  try {
    assertionsFromColumns(record);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('no error');
}

describe('CSV assertion columns', () => {
  it('recognises assert: columns only', () => {
    expect(isAssertionColumn('assert:contains')).toBe(true);
    expect(isAssertionColumn('Assert:Regex')).toBe(true);
    expect(isAssertionColumn('assert')).toBe(false);
    expect(isAssertionColumn('prompt')).toBe(false);
  });

  it('reads text, not-, regex literals and lists; skips empty cells and other columns', () => {
    const specs = assertionsFromColumns({
      prompt: 'Capital of France?',
      'assert:contains': 'Paris',
      'assert:not-icontains': 'sorry',
      'assert:regex': '/^the capital/i',
      'assert:contains-any': 'Paris | Paname',
      'assert:icontains-all': '["a|b", "c"]',
      'assert:equals': '',
    });
    expect(specs).toEqual([
      { type: 'contains', kind: 'contains', negate: false, weight: 1, value: 'Paris' },
      { type: 'not-icontains', kind: 'icontains', negate: true, weight: 1, value: 'sorry' },
      { type: 'regex', kind: 'regex', negate: false, weight: 1, value: '^the capital', flags: 'i' },
      { type: 'contains-any', kind: 'contains-any', negate: false, weight: 1, value: ['Paris', 'Paname'] },
      { type: 'icontains-all', kind: 'icontains-all', negate: false, weight: 1, value: ['a|b', 'c'] },
    ]);
  });

  it('takes a #label to repeat a type', () => {
    const specs = assertionsFromColumns({
      'assert:contains#city': 'Paris',
      'assert:contains#river': 'Seine',
    });
    expect(specs.map((spec) => [spec.type, spec.label, 'value' in spec && spec.value])).toEqual([
      ['contains', 'city', 'Paris'],
      ['contains', 'river', 'Seine'],
    ]);
  });

  it('similarity(threshold, method), json-path(path), numbers and durations', () => {
    const specs = assertionsFromColumns({
      'assert:similarity(0.9)': 'The capital is Paris',
      'assert:similarity(jaccard, 0.5)#loose': 'capital Paris',
      'assert:json-path($.city)': 'Paris',
      'assert:json-path($.n)': '2',
      'assert:json-path($.items[?(@.x > 1)].x)': '[3]',
      'assert:max-tokens': '200',
      'assert:max-ttft': '1500',
      'assert:max-e2e': '2s',
      'assert:max-cost': '0.01',
      'assert:finish-reason': 'stop|length',
      'assert:is-json': 'true',
      'assert:json-schema': '{"type": "object"}',
      'assert:judge': 'Mentions "Paris"',
    });
    expect(specs).toEqual([
      expect.objectContaining({ kind: 'similarity', threshold: 0.9, method: 'levenshtein' }),
      expect.objectContaining({ kind: 'similarity', threshold: 0.5, method: 'jaccard', label: 'loose' }),
      expect.objectContaining({ kind: 'json-path', path: '$.city', equals: 'Paris' }),
      expect.objectContaining({ kind: 'json-path', path: '$.n', equals: 2 }),
      expect.objectContaining({ kind: 'json-path', path: '$.items[?(@.x > 1)].x', equals: [3] }),
      expect.objectContaining({ kind: 'max-tokens', value: 200 }),
      expect.objectContaining({ kind: 'max-ttft', value: 1500 }),
      expect.objectContaining({ kind: 'max-e2e', value: 2000 }),
      expect.objectContaining({ kind: 'max-cost', value: 0.01 }),
      expect.objectContaining({ kind: 'finish-reason', value: ['stop', 'length'] }),
      expect.objectContaining({ kind: 'is-json' }),
      expect.objectContaining({ kind: 'json-schema', value: { type: 'object' } }),
      expect.objectContaining({ kind: 'judge', value: 'Mentions "Paris"' }),
    ]);
  });

  it('is-json false turns the column off for that row', () => {
    expect(assertionsFromColumns({ 'assert:is-json': 'no' })).toEqual([]);
    expect(columnError({ 'assert:is-json': 'maybe' })).toBe(
      'column "assert:is-json": write true or false in an is-json column, got "maybe"',
    );
  });

  it('custom references resolve against the given directory', () => {
    const [spec] = assertionsFromColumns({ 'assert:custom': 'file:./checks.mjs#ok' }, { baseDir: '/data' });
    expect(spec).toMatchObject({ kind: 'custom', file: join('/data', 'checks.mjs'), name: 'ok' });
  });

  it('problems name the column', () => {
    expect(columnError({ 'assert:regex': '/(/' })).toBe(
      'column "assert:regex" (regex): bad regex /(/: Unterminated group',
    );
    expect(columnError({ 'assert:contans': 'x' })).toBe(
      'column "assert:contans": unknown assertion type "contans": did you mean "contains"?',
    );
    expect(columnError({ 'assert:contains(2)': 'x' })).toBe(
      'column "assert:contains(2)": contains takes no (…) argument; only similarity(<threshold>) and json-path(<path>) do',
    );
    expect(columnError({ 'assert:similarity(high)': 'x' })).toBe(
      'column "assert:similarity(high)": "high" in (…) is neither a threshold such as 0.9 nor levenshtein/jaccard',
    );
    expect(columnError({ 'assert:json-path': 'x' })).toBe(
      'column "assert:json-path": write the path in the column name: assert:json-path($.city)',
    );
    expect(columnError({ 'assert:max-tokens': 'lots' })).toBe(
      'column "assert:max-tokens" (max-tokens): value must be a number, got "lots"',
    );
    expect(columnError({ 'assert:json-schema': '{type: object}' })).toMatch(
      /^column "assert:json-schema": the cell is not JSON: /,
    );
    expect(columnError({ 'assert:': 'x' })).toMatch(
      /^column "assert:": an assertion column is assert:<type>/,
    );
  });
});
