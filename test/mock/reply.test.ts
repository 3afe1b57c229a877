import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { planReply } from '../../src/mock/reply.js';

const messages = [{ role: 'user' as const, content: 'hello' }];
const base = { seed: 1, model: 'step-3.5-flash', messages, reasoningTokens: 4, replyTokens: 10 };

describe('planReply', () => {
  test('is a function of seed, model and messages', () => {
    const a = planReply(base);
    expect(planReply(base)).toEqual(a);
    expect(planReply({ ...base, seed: 2 }).answer).not.toEqual(a.answer);
    expect(planReply({ ...base, model: 'step-3.7-flash' }).answer).not.toEqual(a.answer);
    expect(planReply({ ...base, messages: [{ role: 'user', content: 'hello?' }] }).answer).not.toEqual(
      a.answer,
    );
  });

  test('counts and finish reason follow max_tokens over reasoning + answer', () => {
    fc.assert(
      fc.property(
        fc.nat(50),
        fc.nat(50),
        fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
        (reasoningTokens, replyTokens, maxTokens) => {
          const reply = planReply({ ...base, reasoningTokens, replyTokens, maxTokens });
          const cap = maxTokens ?? Number.POSITIVE_INFINITY;
          expect(reply.reasoning.length).toBe(Math.min(reasoningTokens, cap));
          expect(reply.reasoning.length + reply.answer.length).toBe(
            Math.min(reasoningTokens + replyTokens, cap),
          );
          expect(reply.finishReason).toBe(reasoningTokens + replyTokens > cap ? 'length' : 'stop');
          // Cutting short never changes the words that do appear.
          const full = planReply({ ...base, reasoningTokens, replyTokens });
          expect(full.answer.slice(0, reply.answer.length)).toEqual(reply.answer);
        },
      ),
    );
  });

  test('replies mix Chinese, spaced English and the odd emoji', () => {
    const text = planReply({ ...base, replyTokens: 400 }).answer.join('');
    expect(text).toMatch(/[\u4e00-\u9fff]/);
    expect(text).toMatch(/ [a-z]+/);
    expect(text).toMatch(/\p{Extended_Pictographic}/u);
    expect(Buffer.byteLength(text)).toBeGreaterThan(text.length);
  });
});
