import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { jobKey } from '../../src/plan/jobs.js';
import type { Phase } from '../../src/plan/phases.js';
import { inShard, resolveShard, shardPhases } from '../../src/plan/shard.js';

describe('--shard', () => {
  it('reads i/N (0-based) and auto with --shards N from JOB_COMPLETION_INDEX', () => {
    expect(resolveShard(undefined, undefined, {})).toBeUndefined();
    expect(resolveShard('2/4', undefined, {})).toEqual({ index: 2, count: 4 });
    expect(resolveShard(' 0 / 1 ', undefined, {})).toEqual({ index: 0, count: 1 });
    expect(resolveShard('auto', 4, { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
  });

  it.each([
    ['auto', 4, {}, /JOB_COMPLETION_INDEX, which is not set: run it in a Kubernetes Indexed Job/],
    ['auto', undefined, { JOB_COMPLETION_INDEX: '1' }, /--shard auto needs --shards N/],
    [
      'auto',
      4,
      { JOB_COMPLETION_INDEX: '4' },
      /JOB_COMPLETION_INDEX=4 is not a shard index of --shards 4 \(0 to 3\)/,
    ],
    ['auto', 4, { JOB_COMPLETION_INDEX: 'one' }, /JOB_COMPLETION_INDEX=one is not a shard index/],
    ['4/4', undefined, {}, /the index is 0-based, so it must be below 4/],
    ['1/0', undefined, {}, /the shard count must be at least 1/],
    ['half', undefined, {}, /expected i\/N such as 0\/4/],
    ['1/4', 3, {}, /--shard 1\/4 and --shards 3 disagree/],
    [undefined, 3, {}, /--shards N goes with --shard auto/],
  ])('refuses --shard %s --shards %s with %j', (shard, shards, env, message) => {
    expect(() => resolveShard(shard, shards, env)).toThrow(UserError);
    expect(() => resolveShard(shard, shards, env)).toThrow(message);
  });

  it('puts every job in exactly one shard, about evenly, whatever the keys look like', () => {
    const keys: string[] = [];
    for (let row = 0; row < 2_500; row++)
      for (const target of ['step-3.7-flash', 'step-3.5-flash'])
        for (let repeat = 0; repeat < 2; repeat++) keys.push(jobKey(`row-${row}`, target, repeat));
    const counts = [0, 0, 0, 0];
    for (const key of keys) {
      const owners = [0, 1, 2, 3].filter((index) => inShard(key, { index, count: 4 }));
      expect(owners).toHaveLength(1);
      const owner = owners[0] as number;
      counts[owner] = (counts[owner] ?? 0) + 1;
    }
    for (const n of counts) expect(Math.abs(n - keys.length / 4)).toBeLessThan(keys.length / 4 / 10);
    // Two shards: the lowest hash bit alone would split by the keys' spelling; the mix does not.
    const half = keys.filter((k) => inShard(k, { index: 0, count: 2 })).length;
    expect(Math.abs(half - keys.length / 2)).toBeLessThan(keys.length / 20);
  });

  it("splits an open loop's rate between the shards and leaves a closed loop's concurrency alone", () => {
    const phases: Phase[] = [
      {
        name: 'ramp',
        warmup: false,
        load: {
          kind: 'open',
          rate: { kind: 'ramp', from: 4, to: 20, durationMs: 1000 },
          arrival: { kind: 'poisson' } as never,
        },
        bounds: {},
      },
      {
        name: 'main',
        warmup: false,
        load: { kind: 'open', rate: { kind: 'constant', value: 20 }, arrival: { kind: 'poisson' } as never },
        bounds: {},
      },
      {
        name: 'closed',
        warmup: false,
        load: { kind: 'closed', concurrency: { kind: 'constant', value: 8 } },
        bounds: {},
      },
    ];
    const split = shardPhases(phases, { index: 1, count: 4 });
    expect(split[0]?.load).toMatchObject({ rate: { kind: 'ramp', from: 1, to: 5, durationMs: 1000 } });
    expect(split[1]?.load).toMatchObject({ rate: { kind: 'constant', value: 5 } });
    expect(split[2]?.load).toEqual(phases[2]?.load);
    expect(shardPhases(phases, undefined)).toEqual(phases);
  });
});
