import { describe, expect, it } from 'vitest';
import { Timeline } from '../../src/metrics/timeline.js';

const START = 10_000;

describe('Timeline', () => {
  it('buckets attempts per second relative to the run start', () => {
    const tl = new Timeline(START, 4);
    tl.attemptStarted(START + 100, 1);
    tl.attemptStarted(START + 200, 2);
    tl.attemptEnded(START + 900, 'ok', false, 50);
    tl.attemptEnded(START + 1500, 'rate_limited', true, 0);
    tl.attemptStarted(START + 1600, 1);
    tl.attemptEnded(START + 1700, 'http_5xx', false, 0);
    const { buckets } = tl.toJSON();
    expect(buckets).toEqual([
      {
        t: 0,
        started: 2,
        completed: 1,
        errors: 0,
        rateLimited: 0,
        retries: 0,
        inFlightMax: 2,
        limit: 4,
        sendRate: null,
        outputTokens: 50,
      },
      {
        t: 1,
        started: 1,
        completed: 0,
        errors: 2,
        rateLimited: 1,
        retries: 1,
        inFlightMax: 1,
        limit: 4,
        sendRate: null,
        outputTokens: 0,
      },
    ]);
  });

  it('fills idle seconds with zeros, carrying the limit and the in-flight level', () => {
    const tl = new Timeline(START);
    tl.attemptStarted(START + 500, 3);
    tl.limitChanged(START + 600, 8, 'increase', 'slow start');
    tl.attemptEnded(START + 3500, 'ok', false, 10);
    const { buckets } = tl.toJSON();
    expect(buckets.map((b) => b.t)).toEqual([0, 1, 2, 3]);
    expect(buckets[1]).toEqual({
      t: 1,
      started: 0,
      completed: 0,
      errors: 0,
      rateLimited: 0,
      retries: 0,
      inFlightMax: 3,
      limit: 8,
      sendRate: null,
      outputTokens: 0,
    });
    expect(buckets[3]).toMatchObject({ completed: 1, inFlightMax: 3, limit: 8 });
  });

  it('carries the learned send rate of the last start in a second into the idle seconds after it', () => {
    const tl = new Timeline(START);
    tl.attemptStarted(START + 100, 1, null);
    tl.attemptStarted(START + 1200, 1, 9.876);
    tl.attemptEnded(START + 3500, 'ok', false, 10);
    const rates = tl.toJSON().buckets.map((b) => b.sendRate);
    expect(rates).toEqual([null, 9.88, 9.88, 9.88]);
  });

  it('keeps the last limit of a second and logs every change and event', () => {
    const tl = new Timeline(START, 4);
    tl.limitChanged(START + 100, 8, 'increase', 'slow start');
    tl.limitChanged(START + 700, 5, 'decrease', '429');
    tl.event(START + 800, 'hold', '429 with Retry-After 2000 ms');
    tl.event(START + 2400.5, 'abort', 'SIGINT');
    const json = tl.toJSON();
    expect(json.buckets[0]!.limit).toBe(5);
    // Events alone do not stretch the bucket array: they live in the events list.
    expect(json.buckets).toHaveLength(1);
    expect(json.events).toEqual([
      { atMs: 100, kind: 'increase', limit: 8, reason: 'slow start' },
      { atMs: 700, kind: 'decrease', limit: 5, reason: '429' },
      { atMs: 800, kind: 'hold', reason: '429 with Retry-After 2000 ms' },
      { atMs: 2400.5, kind: 'abort', reason: 'SIGINT' },
    ]);
  });

  it('counts answered outcomes as completed and everything else as errors', () => {
    const tl = new Timeline(START);
    for (const outcome of ['ok', 'assertion_failed', 'length', 'content_filter'] as const) {
      tl.attemptEnded(START, outcome, false, 1);
    }
    for (const outcome of ['timeout_idle', 'truncated', 'network', 'interrupted'] as const) {
      tl.attemptEnded(START, outcome, false, 0);
    }
    expect(tl.toJSON().buckets[0]).toMatchObject({ completed: 4, errors: 4, outputTokens: 4, limit: null });
  });

  it('is empty before any activity, and clamps times before the start to second 0', () => {
    const tl = new Timeline(START);
    expect(tl.toJSON()).toEqual({ buckets: [], events: [] });
    tl.attemptStarted(START - 5, 1);
    expect(tl.toJSON().buckets).toHaveLength(1);
  });

  it('survives a JSON round trip as plain data', () => {
    const tl = new Timeline(START, 2);
    tl.attemptStarted(START + 42_000, 1);
    const parsed = JSON.parse(JSON.stringify(tl));
    expect(parsed.buckets).toHaveLength(43);
    expect(parsed.buckets[42].started).toBe(1);
  });
});
