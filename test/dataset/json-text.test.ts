import { describe, expect, it } from 'vitest';
import { parseJsonText } from '../../src/dataset/json-text.js';

describe('parseJsonText', () => {
  it('returns the value of valid JSON', () => {
    expect(parseJsonText('{"a":[1,"]"]}', 1)).toEqual({ ok: true, value: { a: [1, ']'] } });
  });

  it('turns a V8 position into the physical line and column', () => {
    expect(parseJsonText('{"a": 1,}', 9)).toEqual({
      ok: false,
      reason: 'invalid JSON at line 9 column 9: Expected double-quoted property name',
    });
    const multiLine = parseJsonText('{\n  "a": 1\n  "b": 2\n}', 4);
    expect(multiLine).toEqual({
      ok: false,
      reason: expect.stringMatching(/^invalid JSON at line 6 column 3: /),
    });
  });

  it('passes the message through when V8 gives no position', () => {
    const result = parseJsonText('', 1);
    expect(result).toEqual({ ok: false, reason: 'invalid JSON: Unexpected end of JSON input' });
  });
});
