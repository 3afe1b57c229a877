import { describe, expect, it } from 'vitest';
import {
  isAnswered,
  isError,
  isSuccess,
  limiterSignal,
  OUTCOME_CLASSES,
  OUTCOMES,
  type OutcomeClass,
  outcomesWhere,
} from '../../src/results/outcomes.js';

const TIMEOUTS: OutcomeClass[] = ['timeout_connect', 'timeout_first_token', 'timeout_idle', 'timeout_total'];

describe('the outcome table', () => {
  it('has exactly one row per class, in the classes order', () => {
    expect(Object.keys(OUTCOMES)).toEqual([...OUTCOME_CLASSES]);
    expect(new Set(OUTCOME_CLASSES).size).toBe(OUTCOME_CLASSES.length);
  });

  it('lists every class DESIGN §3 names, plus stream_error and interrupted', () => {
    expect([...OUTCOME_CLASSES].sort()).toEqual(
      [
        'ok',
        'assertion_failed',
        'rate_limited',
        'http_4xx',
        'http_5xx',
        ...TIMEOUTS,
        'network',
        'truncated',
        'content_filter',
        'length',
        'stream_error',
        'interrupted',
      ].sort(),
    );
  });

  it('ok is an answer, a success, not an error, and grows the limit', () => {
    expect(OUTCOMES.ok).toMatchObject({ answered: true, success: true, error: false, retryable: false });
    expect(limiterSignal('ok')).toBe('grow');
  });

  it('rate_limited is retryable, tells the limiter to back off, and is counted apart from errors', () => {
    expect(OUTCOMES.rate_limited).toMatchObject({ retryable: true, limiter: 'back_off', error: false });
    expect(isAnswered('rate_limited')).toBe(false);
    expect(outcomesWhere((t) => t.limiter === 'back_off')).toEqual(['rate_limited']);
  });

  it('5xx and timeouts pause growth without cutting; 4xx and interruptions say nothing', () => {
    for (const o of ['http_5xx', ...TIMEOUTS, 'network', 'stream_error', 'truncated'] as const) {
      expect(limiterSignal(o)).toBe('pause_growth');
    }
    expect(limiterSignal('http_4xx')).toBe('neutral');
    expect(limiterSignal('interrupted')).toBe('neutral');
  });

  it('grows the limit on every answer and on nothing else', () => {
    expect(outcomesWhere((t) => t.limiter === 'grow')).toEqual(outcomesWhere((t) => t.answered));
  });

  it('defines errors once: the service or the wire failed, not throttling, answers or our own stop', () => {
    expect(outcomesWhere((t) => t.error)).toEqual([
      'http_4xx',
      'http_5xx',
      ...TIMEOUTS,
      'network',
      'truncated',
      'stream_error',
    ]);
    for (const o of [
      'rate_limited',
      'interrupted',
      'content_filter',
      'assertion_failed',
      'length',
    ] as const) {
      expect(isError(o)).toBe(false);
    }
  });

  it('keeps success within answers, and errors outside them', () => {
    for (const o of OUTCOME_CLASSES) {
      if (isSuccess(o)) expect(isAnswered(o)).toBe(true);
      if (isError(o)) expect(isAnswered(o)).toBe(false);
    }
    expect(outcomesWhere((t) => t.success)).toEqual(['ok', 'assertion_failed', 'length']);
    expect(outcomesWhere((t) => t.answered)).toEqual(['ok', 'assertion_failed', 'content_filter', 'length']);
  });

  it('content_filter is an answer, but neither a success nor an error', () => {
    expect(OUTCOMES.content_filter).toMatchObject({ answered: true, success: false, error: false });
  });

  it('marks only bodies that ended on their own as responses (truncated included)', () => {
    expect(outcomesWhere((t) => t.response)).toEqual([
      'ok',
      'assertion_failed',
      'truncated',
      'content_filter',
      'length',
    ]);
  });

  it('leaves 5xx retries to the status, never retries answers, 4xx or interruptions', () => {
    expect(OUTCOMES.http_5xx.retryable).toBe('by_status');
    expect(outcomesWhere((t) => t.retryable === true)).toEqual([
      'rate_limited',
      ...TIMEOUTS,
      'network',
      'truncated',
      'stream_error',
    ]);
    for (const o of outcomesWhere((t) => t.answered)) expect(OUTCOMES[o].retryable).toBe(false);
    expect(OUTCOMES.http_4xx.retryable).toBe(false);
    expect(OUTCOMES.interrupted.retryable).toBe(false);
  });

  it('lets only a 4xx end the run, and only by its status', () => {
    expect(outcomesWhere((t) => t.fatal !== false)).toEqual(['http_4xx']);
    expect(OUTCOMES.http_4xx.fatal).toBe('by_status');
  });
});
