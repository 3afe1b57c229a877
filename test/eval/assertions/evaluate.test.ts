import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/errors.js';
import { evaluateRow } from '../../../src/eval/assertions/evaluate.js';
import type { AssertionContext } from '../../../src/eval/assertions/types.js';
import { validateAssertions } from '../../../src/eval/assertions/validate.js';

const ctx: AssertionContext = { output: 'The capital of France is Paris.', finishReason: 'stop', cost: null };

describe('evaluateRow', () => {
  it('without a threshold every assertion must pass', async () => {
    const specs = validateAssertions([
      { type: 'contains', value: 'Paris' },
      { type: 'finish-reason', value: 'stop' },
    ]);
    expect(await evaluateRow(specs, ctx)).toEqual({
      pass: true,
      score: 1,
      results: [
        { type: 'contains', pass: true, score: 1, reason: 'output contains "Paris"' },
        { type: 'finish-reason', pass: true, score: 1, reason: 'finish reason is "stop"' },
      ],
    });
    const failing = validateAssertions([
      { type: 'contains', value: 'Paris' },
      { type: 'contains', value: 'Lyon' },
    ]);
    expect(await evaluateRow(failing, ctx)).toMatchObject({ pass: false, score: 0.5 });
  });

  it('the score is the weighted mean; a threshold decides the row', async () => {
    const specs = validateAssertions([
      { type: 'contains', value: 'Paris', weight: 3 },
      { type: 'contains', value: 'Lyon', weight: 1 },
    ]);
    const strict = await evaluateRow(specs, ctx);
    expect(strict).toMatchObject({ pass: false, score: 0.75 });
    expect(strict.results.map((r) => r.weight)).toEqual([3, undefined]);
    expect(await evaluateRow(specs, ctx, { threshold: 0.75 })).toMatchObject({
      pass: true,
      score: 0.75,
      threshold: 0.75,
    });
    expect(await evaluateRow(specs, ctx, { threshold: 0.8 })).toMatchObject({ pass: false, score: 0.75 });
  });

  it('a threshold of two thirds is met by two of three despite float division', async () => {
    const specs = validateAssertions([
      { type: 'contains', value: 'Paris' },
      { type: 'contains', value: 'France' },
      { type: 'contains', value: 'Lyon' },
    ]);
    expect((await evaluateRow(specs, ctx, { threshold: 2 / 3 })).pass).toBe(true);
  });

  it('similarity scores count as they are', async () => {
    const specs = validateAssertions([
      { type: 'similarity', value: 'kitten', threshold: 0.5 },
      { type: 'contains', value: 'x' },
    ]);
    const result = await evaluateRow(specs, { output: 'sitting' }, { threshold: 0.25 });
    expect(result.score).toBeCloseTo((1 - 3 / 7) / 2, 5);
    expect(result.pass).toBe(true);
  });

  it('weight 0 is informational: reported, never failing the row', async () => {
    const specs = validateAssertions([
      { type: 'contains', value: 'Paris' },
      { type: 'max-cost', value: 0.01, weight: 0 },
    ]);
    const result = await evaluateRow(specs, ctx);
    expect(result).toMatchObject({ pass: true, score: 1 });
    expect(result.results[1]).toMatchObject({
      type: 'max-cost',
      pass: false,
      weight: 0,
      reason: expect.stringMatching(/^cost unknown/),
    });
  });

  it('the row’s own run first, then the defaults', async () => {
    const defaults = validateAssertions([{ type: 'not-icontains', value: 'sorry' }], { where: 'defaults' });
    const own = validateAssertions([{ type: 'contains', value: 'Paris' }]);
    const result = await evaluateRow(own, ctx, { defaults });
    expect(result.results.map((r) => r.type)).toEqual(['contains', 'not-icontains']);
    const refused = await evaluateRow(own, { output: 'Sorry, Paris is not known to me' }, { defaults });
    expect(refused).toMatchObject({ pass: false, score: 0.5 });
  });

  it('no assertions pass with score 1; nothing weighted likewise', async () => {
    expect(await evaluateRow([], ctx)).toEqual({ pass: true, score: 1, results: [] });
    const zero = validateAssertions([{ type: 'contains', value: 'Lyon', weight: 0 }]);
    expect(await evaluateRow(zero, ctx)).toMatchObject({ pass: true, score: 1 });
  });

  it('an unknown cost fails max-cost, and not- never turns a check that could not run into a pass', async () => {
    const specs = validateAssertions([{ type: 'max-cost', value: 1 }]);
    const result = await evaluateRow(specs, { output: 'x', cost: null });
    expect(result.results[0]).toEqual({
      type: 'max-cost',
      pass: false,
      score: 0,
      reason: 'cost unknown (no price for this model), so it cannot be held to a maximum',
    });
    const known = await evaluateRow(specs, { output: 'x', cost: 0.5 });
    expect(known.pass).toBe(true);
    const negatedJson = validateAssertions([{ type: 'not-json-path', path: '$.a', equals: 1 }]);
    expect(await evaluateRow(negatedJson, { output: 'plain' })).toMatchObject({ pass: false, score: 0 });
  });

  it('a bad threshold is an input error', async () => {
    await expect(evaluateRow([], ctx, { threshold: 2 })).rejects.toBeInstanceOf(UserError);
  });

  it('labels travel with the result', async () => {
    const specs = validateAssertions([{ type: 'contains', value: 'Paris', label: 'capital' }]);
    expect((await evaluateRow(specs, ctx)).results[0]).toMatchObject({ label: 'capital' });
  });
});
