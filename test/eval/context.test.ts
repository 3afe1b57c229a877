import { describe, expect, it } from 'vitest';
import { evaluateRow } from '../../src/eval/assertions/evaluate.js';
import { validateAssertions } from '../../src/eval/assertions/validate.js';
import { contextFromResult } from '../../src/eval/context.js';
import { offlineGrader } from '../../src/eval/offline-grader.js';
import { makeResult } from '../metrics/job-result-factory.js';

describe('contextFromResult', () => {
  it('reads what the checks need from a plain result record', async () => {
    const result = {
      ...makeResult({ ttft: 300, e2e: 1200, usage: { completionTokens: 40 } }),
      output: 'Paris',
      finishReason: 'stop',
      expected: 'Paris',
      vars: { city: 'Paris' },
    };
    const ctx = contextFromResult(result, { cost: 0.002, grader: offlineGrader });
    expect(ctx).toMatchObject({
      output: 'Paris',
      finishReason: 'stop',
      expected: 'Paris',
      vars: { city: 'Paris' },
      cost: 0.002,
      durations: { ttft: 300, e2e: 1200 },
      usage: { completionTokens: 40, source: 'server' },
    });
    const specs = validateAssertions([
      { type: 'max-ttft', value: '500ms' },
      { type: 'max-e2e', value: '1s' },
      { type: 'max-tokens', value: 40 },
      { type: 'max-cost', value: 0.01 },
      { type: 'judge', value: 'Says "Paris"' },
    ]);
    const evaluation = await evaluateRow(specs, ctx);
    expect(evaluation.results.map((r) => r.pass)).toEqual([true, false, true, true, true]);
  });

  it('cost defaults to unknown', () => {
    expect(contextFromResult(makeResult()).cost).toBeNull();
  });
});
