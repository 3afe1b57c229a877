import { describe, expect, it } from 'vitest';
import { parseSetting } from '../../bench/lib/settings.mjs';

const defaults = { shapes: ['a', 'b'], rounds: 1, fast: false, rows: { a: 1 }, label: 'x' };

describe('parseSetting', () => {
  it('reads a value by the type of its default', () => {
    expect(parseSetting('shapes=token-bucket, sliding', defaults)).toEqual({
      name: 'shapes',
      value: ['token-bucket', 'sliding'],
    });
    expect(parseSetting('shapes=["a"]', defaults).value).toEqual(['a']);
    expect(parseSetting('rounds=3', defaults).value).toBe(3);
    expect(parseSetting('fast=true', defaults).value).toBe(true);
    expect(parseSetting('rows={"a":{"fast":10}}', defaults).value).toEqual({ a: { fast: 10 } });
    expect(parseSetting('label=a=b', defaults).value).toBe('a=b');
  });

  it('says what is wrong', () => {
    expect(() => parseSetting('shapes', defaults)).toThrow(/name=value/);
    expect(() => parseSetting('nope=1', defaults)).toThrow(/no such setting; known: shapes, rounds/);
    expect(() => parseSetting('rounds=many', defaults)).toThrow(/not a number/);
    expect(() => parseSetting('fast=yes', defaults)).toThrow(/true or false/);
    expect(() => parseSetting('rows={', defaults)).toThrow(/not JSON/);
  });
});
