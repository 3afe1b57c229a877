import { expect, test } from 'vitest';
import { planChunks } from '../../src/mock/chunk-plan.js';
import { createRandom } from '../../src/random.js';

const reply = { reasoning: ['a', 'b', 'c'], answer: ['x', 'y', 'z', 'w'], finishReason: 'stop' as const };

test('first chunk at TTFT, then one inter-token delay per token carried', () => {
  const { chunks, doneAtMs } = planChunks(
    reply,
    { ttftMs: 100, interTokenMs: 10, tokensPerChunk: 2 },
    createRandom(1),
  );
  expect(chunks.map((c) => [c.kind, c.text, c.tokens, c.atMs])).toEqual([
    ['reasoning', 'ab', 2, 100],
    ['reasoning', 'c', 1, 110],
    ['content', 'xy', 2, 130],
    ['content', 'zw', 2, 150],
  ]);
  expect(doneAtMs).toBe(150);
});

test('no tokens: nothing to send, done at TTFT', () => {
  const empty = { reasoning: [], answer: [], finishReason: 'stop' as const };
  expect(planChunks(empty, { ttftMs: 7, interTokenMs: 10, tokensPerChunk: 1 }, createRandom(1))).toEqual({
    chunks: [],
    doneAtMs: 7,
  });
});

test('random distributions are reproducible from the generator seed', () => {
  const timing = {
    ttftMs: { kind: 'exponential', mean: 50 },
    interTokenMs: { kind: 'uniform', min: 1, max: 9 },
    tokensPerChunk: 1,
  } as const;
  const a = planChunks(reply, timing, createRandom(3));
  expect(planChunks(reply, timing, createRandom(3))).toEqual(a);
  expect(planChunks(reply, timing, createRandom(4))).not.toEqual(a);
  for (let i = 1; i < a.chunks.length; i++) expect(a.chunks[i]!.atMs).toBeGreaterThan(a.chunks[i - 1]!.atMs);
});
