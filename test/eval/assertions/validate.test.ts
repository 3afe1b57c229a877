import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { ASSERTION_KINDS } from '../../../src/eval/assertions/index.js';
import { validateAssertions, validateThreshold } from '../../../src/eval/assertions/validate.js';
import { ExitCode } from '../../../src/exit-codes.js';
import { invalid } from './helpers.js';

describe('validateAssertions', () => {
  it('normalises: lower-cased type, not- split off, weight 1 by default', () => {
    expect(validateAssertions([{ type: ' Not-Contains ', value: 'Sorry' }])).toEqual([
      { type: 'not-contains', kind: 'contains', negate: true, weight: 1, value: 'Sorry' },
    ]);
    expect(validateAssertions([{ type: 'regex', value: '/^a/i', weight: 2, label: 'starts' }])).toEqual([
      { type: 'regex', kind: 'regex', negate: false, weight: 2, label: 'starts', value: '^a', flags: 'i' },
    ]);
  });

  it('accepts nothing, one object or a list', () => {
    expect(validateAssertions(undefined)).toEqual([]);
    expect(validateAssertions(null)).toEqual([]);
    expect(validateAssertions({ type: 'is-json' })).toHaveLength(1);
  });

  it('knows every type of the issue', () => {
    expect(new Set(ASSERTION_KINDS)).toEqual(
      new Set([
        'equals',
        'contains',
        'icontains',
        'contains-any',
        'contains-all',
        'icontains-any',
        'icontains-all',
        'starts-with',
        'regex',
        'is-json',
        'json-schema',
        'json-path',
        'finish-reason',
        'max-tokens',
        'max-ttft',
        'max-e2e',
        'max-cost',
        'similarity',
        'judge',
        'custom',
      ]),
    );
  });

  it('an unknown type names the closest one or the peer tool’s equivalent', () => {
    expect(invalid([{ type: 'contans', value: 'x' }])).toBe(
      'assert[0]: unknown assertion type "contans": did you mean "contains"?',
    );
    expect(invalid([{ type: 'llm-rubric', value: 'x' }])).toBe(
      'assert[0]: unknown assertion type "llm-rubric" (promptfoo\'s name; stepbench\'s is judge)',
    );
    expect(invalid([{ type: 'wordcount', value: 'x' }])).toMatch(
      /^assert\[0\]: unknown assertion type "wordcount"; known types: equals, /,
    );
    expect(invalid([{ type: 'not-not-contains', value: 'x' }])).toMatch(
      /unknown assertion type "not-contains"/,
    );
  });

  it('a missing or empty value is named', () => {
    expect(invalid([{ type: 'contains' }])).toBe('assert[0] (contains): value is missing');
    expect(invalid([{ type: 'icontains', value: '' }])).toBe('assert[0] (icontains): value is empty');
    expect(invalid([{ type: 'equals', value: '  ' }])).toMatch(/^assert\[0\] \(equals\): value is empty/);
    expect(invalid([{ type: 'contains', value: { a: 1 } }])).toBe(
      'assert[0] (contains): value must be text, got {"a":1}',
    );
    expect(invalid([{ type: 'contains-any', value: 'a,b' }])).toBe(
      'assert[0] (contains-any): value must be a list such as ["a", "b"], got "a,b"',
    );
    expect(invalid([{ type: 'contains-all', value: [] }])).toBe(
      'assert[0] (contains-all): value is an empty list',
    );
    expect(invalid([{ type: 'contains-all', value: ['a', ''] }])).toBe(
      'assert[0] (contains-all): value[1] is empty',
    );
  });

  it('a bad regex or flag is an input error', () => {
    expect(invalid([{ type: 'regex', value: '(' }])).toBe(
      'assert[0] (regex): bad regex /(/: Unterminated group',
    );
    expect(invalid([{ type: 'not-regex', value: '/a[/i' }])).toBe(
      'assert[0] (not-regex): bad regex /a[/i: Unterminated character class',
    );
    expect(invalid([{ type: 'regex', value: '/a/g' }])).toBe(
      "assert[0] (regex): regex flag 'g' makes a match test depend on earlier tests; leave it out",
    );
    expect(invalid([{ type: 'regex', value: 'a', flags: 'q' }])).toBe(
      "assert[0] (regex): unknown regex flag 'q' (allowed: i, m, s, u, v, d)",
    );
    expect(invalid([{ type: 'regex', value: '/a/i', flags: 'm' }])).toBe(
      'assert[0] (regex): give the flags once: either /…/i in value or flags: "m"',
    );
  });

  it('unknown fields are typos to report, with a hint', () => {
    expect(invalid([{ type: 'similarity', value: 'x', treshold: 0.5 }])).toBe(
      'assert[0] (similarity): unknown field "treshold" for similarity (did you mean "threshold"?)',
    );
    expect(invalid([{ type: 'contains', value: 'x', path: '$.a' }])).toBe(
      'assert[0] (contains): unknown field "path" for contains',
    );
  });

  it('weight and label are checked', () => {
    expect(invalid([{ type: 'is-json', weight: -1 }])).toBe(
      'assert[0] (is-json): weight must be a number ≥ 0, got -1',
    );
    expect(invalid([{ type: 'is-json', weight: '2' }])).toBe(
      'assert[0] (is-json): weight must be a number ≥ 0, got "2"',
    );
    expect(invalid([{ type: 'is-json', label: 3 }])).toBe(
      'assert[0] (is-json): label must be non-empty text, got 3',
    );
  });

  it('the list name in messages comes from the caller, who adds file and line', () => {
    expect(invalid([{ type: 'is-json' }, { type: 'contains' }], { where: 'defaults' })).toBe(
      'defaults[1] (contains): value is missing',
    );
    expect(invalid(['contains:Paris'])).toBe(
      'assert[0]: an assertion must be an object such as {"type": "contains", "value": "Paris"}, got "contains:Paris"',
    );
    expect(invalid([{ value: 'x' }])).toBe('assert[0]: the assertion has no type ({"value":"x"})');
  });

  it('errors are UserErrors with the usage exit code', () => {
    try {
      validateAssertions([{ type: 'nope' }]);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      expect((error as UserError).exitCode).toBe(ExitCode.usage);
    }
  });
});

describe('validateThreshold', () => {
  it('takes 0..1 as a number or text', () => {
    expect(validateThreshold(0.75)).toBe(0.75);
    expect(validateThreshold('0.5')).toBe(0.5);
    expect(() => validateThreshold(75)).toThrow(
      'threshold must be a number between 0 and 1 (the weighted share of assertions to pass), got 75',
    );
    expect(() => validateThreshold('high')).toThrow(UserError);
  });
});
