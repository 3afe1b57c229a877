import { describe, expect, it } from 'vitest';
import { excerpt, REPLACEMENT_CHAR, xmlAttr, xmlLegal, xmlText } from '../../src/report/xml-text.js';

describe('xmlLegal', () => {
  it('replaces what XML 1.0 cannot carry and keeps every legal character', () => {
    const illegal = ['\u0000', '\u0001', '\u001b', '\u001f', '\uD800', '\uDFFF', '\uFFFE', '\uFFFF'];
    for (const c of illegal) expect(xmlLegal(`a${c}b`)).toBe(`a${REPLACEMENT_CHAR}b`);
    const legal = 'tab\t lf\n cr\r \u2028 \u0085 \uE000 \uFFFD 😀 中文 \u{10FFFF}';
    expect(xmlLegal(legal)).toBe(legal);
  });

  it('a lone surrogate next to a real pair leaves the pair intact', () => {
    expect(xmlLegal('\uD83D😀\uDE00')).toBe(`${REPLACEMENT_CHAR}😀${REPLACEMENT_CHAR}`);
  });
});

describe('xmlText and xmlAttr', () => {
  it('escape markup so it stays text, CR as a character reference', () => {
    expect(xmlText('</failure>]]><!-- & "q"\r\n')).toBe('&lt;/failure&gt;]]&gt;&lt;!-- &amp; "q"&#13;\n');
  });

  it('attributes also escape quotes and keep tabs and line breaks through normalisation', () => {
    expect(xmlAttr('a"b\tc\nd\re<&>')).toBe('a&quot;b&#9;c&#10;d&#13;e&lt;&amp;&gt;');
  });
});

describe('excerpt', () => {
  it('bounds the length with an ellipsis and never splits a surrogate pair', () => {
    expect(excerpt('short', 10)).toBe('short');
    expect(excerpt('abcdefghij', 5)).toBe('abcd…');
    const cut = excerpt('abc😀def', 5);
    expect(cut).toBe('abc…');
    expect(cut.length).toBeLessThanOrEqual(5);
  });
});
