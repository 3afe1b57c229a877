import { describe, expect, it } from 'vitest';
import type { LimiterState } from '../../src/limit/limiter.js';
import { whatBound } from '../../src/limit/what-bound.js';

const state = (o: {
  rate?: number | null;
  limit?: number;
  refusals: { concurrency: number; rate: number };
  episodes: { concurrency: number; rate: number };
}): LimiterState => ({
  limit: o.limit ?? 8,
  ratePerSec: o.rate ?? null,
  episodes: o.episodes,
  evidence: { refusals: o.refusals },
});

describe('whatBound', () => {
  it('names the rate limit with the learned rate when rate episodes dominate', () => {
    const b = whatBound(
      state({ rate: 9.83, refusals: { concurrency: 6, rate: 12 }, episodes: { concurrency: 1, rate: 9 } }),
    );
    expect(b.kind).toBe('rate');
    expect(b.summary).toBe(
      "held to ≈ 9.83 req/s by the server's rate limit (12 of 18 refusals came at in-flight levels it had just accepted); concurrency bound in 1 of 10 episodes",
    );
  });

  it('names the concurrency limit when it alone refused', () => {
    const b = whatBound(
      state({ limit: 32, refusals: { concurrency: 4, rate: 0 }, episodes: { concurrency: 3, rate: 0 } }),
    );
    expect(b).toEqual({
      kind: 'concurrency',
      summary:
        "held to 32 in flight by the server's concurrency limit (4 of 4 refusals came above the level it had just accepted); no rate limit seen",
    });
  });

  it('says both when neither has twice the other’s episodes, and none without refusals', () => {
    expect(
      whatBound(
        state({ rate: 5, refusals: { concurrency: 3, rate: 3 }, episodes: { concurrency: 2, rate: 3 } }),
      ).kind,
    ).toBe('both');
    expect(
      whatBound(state({ refusals: { concurrency: 0, rate: 0 }, episodes: { concurrency: 0, rate: 0 } })).kind,
    ).toBe('none');
  });
});
