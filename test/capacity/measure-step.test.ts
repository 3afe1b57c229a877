import { describe, expect, it } from 'vitest';
import { measureStep } from '../../src/capacity/measure-step.js';
import { GoodputTracker } from '../../src/eval/slo.js';
import { MetricsCollector } from '../../src/metrics/collector.js';
import type { Target } from '../../src/plan/types.js';
import type { OutcomeClass } from '../../src/results/outcomes.js';
import type { PhaseRecord } from '../../src/run/session.js';
import { makeResult } from '../metrics/job-result-factory.js';

const target: Target = {
  name: 't',
  baseUrl: 'http://127.0.0.1:1/v1',
  model: 'step-3.7-flash',
  apiKey: 'k',
  apiKeyEnv: 'K',
  headers: {},
  params: {},
  stream: true,
  streamUsage: false,
};

function stepOf(outcomes: Array<[OutcomeClass, number, number?]>): PhaseRecord {
  const collector = new MetricsCollector([target]);
  for (const [outcome, n, status] of outcomes) {
    for (let i = 0; i < n; i++) collector.add(makeResult({ target: 't', outcome, status: status ?? 200 }));
  }
  return {
    phase: {
      name: 'step',
      warmup: false,
      load: { kind: 'closed', concurrency: { kind: 'constant', value: 4 } },
      bounds: {},
    },
    startedAtMs: 0,
    endedAtMs: 1000,
    schedule: { dispatched: 0, late: 0, startedAt: 0, endedAt: 1000, dispatchEndedAt: 1000 },
    collector,
    goodput: new Map([['t', new GoodputTracker([])]]),
  };
}

describe('measureStep', () => {
  it('counts errors as the outcome table does: not 429s, content filters or answers', () => {
    const step = measureStep(
      stepOf([
        ['ok', 80],
        ['length', 2],
        ['assertion_failed', 1],
        ['content_filter', 3, 451],
        ['rate_limited', 5, 429],
        ['http_5xx', 4, 503],
        ['timeout_first_token', 3],
        ['network', 2],
      ]),
      target,
      4,
      [],
    );
    expect(step.requests).toBe(100);
    expect(step.rateLimited).toBe(5);
    expect(step.errors).toBe(9);
    expect(step.errorShare).toBeCloseTo(0.09);
  });

  // Changed when errors were defined once: an interrupted request (our own Ctrl-C) used to count
  // as a step error and could fail the step; like the error budget, it no longer does.
  it('does not count interrupted requests as errors', () => {
    const step = measureStep(
      stepOf([
        ['ok', 10],
        ['interrupted', 5],
      ]),
      target,
      4,
      [],
    );
    expect(step.requests).toBe(15);
    expect(step.errors).toBe(0);
  });
});
