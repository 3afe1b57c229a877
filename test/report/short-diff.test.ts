import { describe, expect, it } from 'vitest';
import { shortWordDiff } from '../../src/report/short-diff.js';

describe('shortWordDiff', () => {
  it('marks removed and added words in word-diff notation', () => {
    expect(shortWordDiff('The capital is Paris.', 'The capital is Lyon.')).toBe(
      'The capital is [-Paris-]{+Lyon+}.',
    );
  });

  it('shortens long unchanged stretches around the edit and bounds the length', () => {
    const same = 'word '.repeat(100);
    const diff = shortWordDiff(`${same}alpha ${same}`, `${same}beta ${same}`) ?? '';
    expect(diff).toMatch(/^….*\[-alpha-\]\{\+beta\+\}.*…$/);
    expect(diff.length).toBeLessThan(100);
    const many = shortWordDiff('a b '.repeat(50), 'a c '.repeat(50), 80) ?? '';
    expect(many).toMatch(/^a \[-b-\]\{\+c\+\} a/);
    expect(many.length).toBe(80);
  });

  it('gives nothing for equal texts, or texts too different for a diff to help', () => {
    expect(shortWordDiff('same', 'same')).toBeUndefined();
    expect(shortWordDiff('a b c '.repeat(500), 'x y z '.repeat(500))).toBeUndefined();
  });
});
