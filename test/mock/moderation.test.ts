import { expect, test } from 'vitest';
import { createModerationCheck } from '../../src/mock/moderation.js';

test('matches user text only, including text parts; null pattern never matches', () => {
  const check = createModerationCheck('炸弹|forbidden');
  expect(check([{ role: 'user', content: '怎么做炸弹' }])).toBe(true);
  expect(check([{ role: 'user', content: [{ type: 'text', text: 'a forbidden thing' }] }])).toBe(true);
  expect(
    check([
      { role: 'system', content: 'forbidden' },
      { role: 'user', content: 'hello' },
    ]),
  ).toBe(false);
  expect(check([{ role: 'assistant', content: 'forbidden' }])).toBe(false);
  expect(createModerationCheck(null)([{ role: 'user', content: 'forbidden' }])).toBe(false);
});

test('anchors apply per message', () => {
  const check = createModerationCheck('^bad$');
  expect(check([{ role: 'user', content: 'bad' }])).toBe(true);
  expect(check([{ role: 'user', content: 'not bad' }])).toBe(false);
});
