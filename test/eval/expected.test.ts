import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { evaluateRow } from '../../src/eval/assertions/evaluate.js';
import { expectedAssertion, rowAssertions } from '../../src/eval/expected.js';

describe('expected shorthand', () => {
  it('plain text means icontains of the trimmed text', async () => {
    expect(expectedAssertion('  Paris \n')).toEqual({
      type: 'icontains',
      kind: 'icontains',
      negate: false,
      weight: 1,
      value: 'Paris',
    });
    const specs = [expectedAssertion('Paris')];
    expect((await evaluateRow(specs, { output: 'The capital is PARIS.' })).pass).toBe(true);
    expect((await evaluateRow(specs, { output: 'Lyon' })).pass).toBe(false);
  });

  it('/…/flags means a regex', async () => {
    expect(expectedAssertion('/^4\\b/')).toMatchObject({ type: 'regex', value: '^4\\b', flags: '' });
    expect(expectedAssertion(' /paris|lyon/i ')).toMatchObject({
      type: 'regex',
      value: 'paris|lyon',
      flags: 'i',
    });
    const specs = [expectedAssertion('/^4\\b/')];
    expect((await evaluateRow(specs, { output: '4 apples' })).pass).toBe(true);
    expect((await evaluateRow(specs, { output: '42' })).pass).toBe(false);
  });

  it('a slash-delimited text with letters that are not flags stays text', () => {
    expect(expectedAssertion('/usr/bin/')).toMatchObject({ type: 'regex', value: 'usr/bin' });
    expect(expectedAssertion('/path/to')).toMatchObject({ type: 'icontains', value: '/path/to' });
  });

  it('an empty expected or a bad regex is an input error', () => {
    expect(() => expectedAssertion('  ')).toThrow(
      new UserError('expected is empty: leave it out or give the expected answer'),
    );
    expect(() => expectedAssertion('/(/')).toThrow(
      'expected "/(/" reads as a regex: bad regex /(/: Unterminated group',
    );
  });

  it('rowAssertions puts the expected check first, then the assert list', () => {
    const specs = rowAssertions({
      expected: 'Paris',
      assertions: [{ type: 'not-icontains', value: 'sorry' }],
    });
    expect(specs.map((spec) => spec.type)).toEqual(['icontains', 'not-icontains']);
    expect(rowAssertions({})).toEqual([]);
  });
});
