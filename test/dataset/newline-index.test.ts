import { describe, expect, it } from 'vitest';
import { countLineBreaks, NewlineIndex } from '../../src/dataset/newline-index.js';

describe('NewlineIndex', () => {
  it('maps byte offsets to lines across chunks', () => {
    const index = new NewlineIndex();
    index.add(Buffer.from('ab\nc')); // offsets 0-3, newline at 2
    index.add(Buffer.from('\r\n\nd')); // offsets 4-7, newlines at 5 and 6
    expect(index.lineAt(0)).toBe(1);
    expect(index.lineAt(2)).toBe(1); // the newline belongs to the line it ends
    expect(index.lineAt(3)).toBe(2);
    expect(index.lineAt(6)).toBe(3);
    expect(index.lineAt(7)).toBe(4);
  });

  it('refuses to go backwards, since passed newlines are forgotten', () => {
    const index = new NewlineIndex();
    index.add(Buffer.from('a\nb\n'));
    index.lineAt(3);
    expect(() => index.lineAt(1)).toThrow(/backwards/);
  });

  it('counts line breaks in field values, CRLF once', () => {
    expect(countLineBreaks(['a\r\nb', 'c\nd\ne', 'f', 7])).toBe(3);
  });
});
