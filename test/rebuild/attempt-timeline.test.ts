import { describe, expect, it } from 'vitest';
import { AttemptTimeline } from '../../src/rebuild/attempt-timeline.js';
import type { AttemptRecord, JobResult } from '../../src/results/types.js';
import { makeResult } from '../metrics/job-result-factory.js';

function withAttempts(result: JobResult, attempts: Array<Partial<AttemptRecord>>): JobResult {
  result.attempts = attempts.map((a, i) => ({
    attempt: i + 1,
    outcome: 'ok',
    sentAt: 0,
    endAt: 0,
    waitMs: 0,
    ...a,
  }));
  return result;
}

describe('the timeline rebuilt from attempts', () => {
  it('counts each attempt from its sentAt to its endAt, retries and 429s included', () => {
    const timeline = new AttemptTimeline(4);
    // A job refused once (429 at 0.3 s, retried), answered by its second attempt at 2.5 s.
    timeline.add(
      withAttempts(makeResult({ usage: { completionTokens: 7 } }), [
        { outcome: 'rate_limited', status: 429, sentAt: 100, endAt: 300 },
        { outcome: 'ok', sentAt: 1_200, endAt: 2_500 },
      ]),
    );
    // A job sent at 0.2 s and answered at 0.9 s.
    timeline.add(withAttempts(makeResult({ usage: { completionTokens: 5 } }), [{ sentAt: 200, endAt: 900 }]));
    const { buckets, events } = timeline.toJSON();
    expect(events).toEqual([]);
    expect(buckets.map((b) => b.t)).toEqual([0, 1, 2]);
    expect(buckets[0]).toMatchObject({
      started: 2,
      completed: 1,
      errors: 1,
      rateLimited: 1,
      retries: 1,
      inFlightMax: 2,
      limit: 4,
      sendRate: null,
      // Only a job's final attempt has known tokens.
      outputTokens: 5,
    });
    expect(buckets[1]).toMatchObject({ started: 1, completed: 0, inFlightMax: 1 });
    expect(buckets[2]).toMatchObject({ started: 0, completed: 1, retries: 0, outputTokens: 7 });
  });

  it('zero-fills idle seconds at the level the last activity left', () => {
    const timeline = new AttemptTimeline(null);
    timeline.add(withAttempts(makeResult(), [{ sentAt: 500, endAt: 3_500 }]));
    const { buckets } = timeline.toJSON();
    expect(buckets.map((b) => [b.t, b.started, b.completed, b.inFlightMax, b.limit])).toEqual([
      [0, 1, 0, 1, null],
      [1, 0, 0, 1, null],
      [2, 0, 0, 1, null],
      [3, 0, 1, 1, null],
    ]);
  });

  it('a slot freed and taken at the same instant is one request in flight, not two', () => {
    const timeline = new AttemptTimeline(1);
    timeline.add(withAttempts(makeResult(), [{ sentAt: 100, endAt: 400 }]));
    timeline.add(withAttempts(makeResult(), [{ sentAt: 400, endAt: 700 }]));
    expect(timeline.toJSON().buckets[0]).toMatchObject({ started: 2, completed: 2, inFlightMax: 1 });
  });

  it('a result written before attempts were recorded stands for one attempt', () => {
    const timeline = new AttemptTimeline(2);
    timeline.add(makeResult({ scheduledAt: 0, e2e: 300 }));
    expect(timeline.toJSON().buckets).toMatchObject([{ t: 0, started: 1, completed: 1, outputTokens: 50 }]);
  });
});
