import { describe, expect, it } from 'vitest';
import { htmlText, scriptJson } from '../../../src/report/html/escape.js';

const NASTY = '</script><img src=x onerror=alert(1)><!-- & \u2028 \u2029 <script> "q" \'s\' 中文 😀';

describe('scriptJson', () => {
  it('leaves no <, >, &, U+2028 or U+2029 in the text, and reads back the same value', () => {
    const value = { reply: NASTY, nested: [NASTY, { [NASTY]: 1 }] };
    const text = scriptJson(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(text).toContain('\\u003c/script\\u003e');
    expect(text).toContain('\\u2028');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('writes undefined as null, so the block always parses', () => {
    expect(JSON.parse(scriptJson(undefined))).toBeNull();
  });
});

describe('htmlText', () => {
  it('escapes the characters that mean something in text and attributes', () => {
    expect(htmlText('<a href="x">\'&\'</a>')).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });
});
