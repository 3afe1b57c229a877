import { describe, expect, it } from 'vitest';
import { canonicalJson, RowIdRegistry, rowContentHash } from '../../src/dataset/row-id.js';
import type { ChatMessage } from '../../src/dataset/types.js';

const messages: ChatMessage[] = [{ role: 'user', content: '你好' }];

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"y":2,"z":1}]},"b":1}',
    );
  });
});

describe('rowContentHash', () => {
  it('is a prefixed 16-hex digest that ignores key order', () => {
    const hash = rowContentHash(messages, { temperature: 0.5, max_tokens: 10 });
    expect(hash).toMatch(/^h_[0-9a-f]{16}$/);
    expect(rowContentHash(messages, { max_tokens: 10, temperature: 0.5 })).toBe(hash);
  });

  it('is pinned, so ids stay stable across versions and machines', () => {
    expect(rowContentHash(messages, {})).toBe('h_debbad344be82366');
  });

  it('changes when the messages or the params change', () => {
    const base = rowContentHash(messages, { max_tokens: 10 });
    expect(rowContentHash(messages, { max_tokens: 11 })).not.toBe(base);
    expect(rowContentHash([{ role: 'user', content: '你好!' }], { max_tokens: 10 })).not.toBe(base);
  });
});

describe('RowIdRegistry', () => {
  it('keeps explicit ids and names the first line of a duplicate', () => {
    const ids = new RowIdRegistry();
    expect(ids.assign('a', () => 'h_x', 2)).toBe('a');
    expect(() => ids.assign('a', () => 'h_x', 9)).toThrow('duplicate id "a" (first used on line 2)');
  });

  it('numbers repeated content hashes instead of failing', () => {
    const ids = new RowIdRegistry();
    expect(
      ['h_x', 'h_x', 'h_y', 'h_x'].map((hash, line) => ids.assign(undefined, () => hash, line + 1)),
    ).toEqual(['h_x', 'h_x#2', 'h_y', 'h_x#3']);
  });
});
