import { describe, expect, it } from 'vitest';
import { buildAnswer, describeLoad, formatLoad, summarizeAnswer } from '../../src/capacity/answer.js';
import { CapacitySearch, defaultSearchOptions } from '../../src/capacity/search.js';
import type { CapacityPoint, StepVerdict } from '../../src/capacity/types.js';
import { concurrencyLimitedServer, drive, measurement, saturatingServer } from './synthetic.js';

const GOOD: StepVerdict = { ok: true, kind: 'good', reason: 'good' };
const LIMITED: StepVerdict = { ok: false, kind: 'rate_limited', reason: '429 share too high' };

function point(load: number, verdict: StepVerdict, rateLimited = 0): CapacityPoint {
  return { ...measurement({ load, requests: 100, rateLimited, e2eP50Ms: 1000 }), verdict };
}

describe('buildAnswer', () => {
  it('sorts the curve and ignores good steps measured above the lowest bad one', () => {
    const answer = buildAnswer(
      'concurrency',
      [point(8, GOOD), point(32, GOOD), point(16, LIMITED, 10), point(4, GOOD, 1)],
      'why',
    );
    expect(answer.curve.map((p) => p.load)).toEqual([4, 8, 16, 32]);
    expect(answer.sustainable?.load).toBe(8);
    expect(answer.limit?.load).toBe(16);
    expect(answer.rateLimitOnset).toEqual({ load: 4, share: 0.01 });
    expect(answer.saturation).toBeNull();
    expect(answer.steps).toBe(4);
  });

  it('has no sustainable point when every step failed, and none of the optional findings without data', () => {
    const answer = buildAnswer('rate', [point(2, LIMITED, 50)], 'the start load already failed');
    expect(answer.sustainable).toBeNull();
    expect(answer.dimension).toBe('rate');
    const empty = buildAnswer('rate', [], 'nothing');
    expect(empty).toMatchObject({
      sustainable: null,
      limit: null,
      rateLimitOnset: null,
      saturation: null,
      steps: 0,
    });
  });
});

describe('load labels', () => {
  it('prints concurrency as integers and rates with up to two decimals', () => {
    expect(describeLoad('concurrency', 48)).toBe('concurrency 48');
    expect(describeLoad('rate', 20.5)).toBe('rate 20.5 req/s');
    expect(formatLoad(19.75)).toBe('19.75');
    expect(formatLoad(1200)).toBe('1200');
  });
});

describe('summarizeAnswer', () => {
  it('gives the sustainable load, what it achieved, the 429 onset and the reason in one line', () => {
    const search = new CapacitySearch(defaultSearchOptions('concurrency'));
    drive(search, concurrencyLimitedServer(48));
    const line = summarizeAnswer(search.answer());
    expect(line).not.toContain('\n');
    // 48 req/s = 2,880 req/min; 1,000 tokens per request → 2.9M tok/min; e2e p95 = 1.5 × 1 s.
    expect(line).toMatch(
      /^sustainable: concurrency 48 — 2,880 req\/min, 2\.9M tok\/min, p95 e2e 1\.5 s; 429s begin at 49 \(\d+\.\d%\); stopped: 429 share/,
    );
    expect(line).not.toMatch(/NaN|undefined|null/);
  });

  it('mentions saturation and the absence of 429s', () => {
    const search = new CapacitySearch(defaultSearchOptions('concurrency'));
    drive(search, saturatingServer(16));
    const line = summarizeAnswer(search.answer());
    expect(line).toContain('sustainable: concurrency 16 — 960 req/min');
    expect(line).toContain(
      'no 429s seen; throughput flat from 17; stopped: throughput saturated at concurrency 17',
    );
  });

  it('says plainly when no load was sustainable', () => {
    const search = new CapacitySearch(defaultSearchOptions('concurrency', { start: 8 }));
    drive(search, concurrencyLimitedServer(2));
    const line = summarizeAnswer(search.answer());
    expect(line).toMatch(
      /^no sustainable load found; 429s begin at 8 \(\d+\.\d%\); stopped: the start load already failed/,
    );
    expect(line).not.toMatch(/NaN|undefined/);
  });

  it('leaves latency out rather than printing a missing percentile', () => {
    const p = point(4, GOOD);
    p.latencyMs.e2e.p95 = null;
    const line = summarizeAnswer(buildAnswer('concurrency', [p], 'stopped'));
    expect(line).toBe(
      'sustainable: concurrency 4 — 200 req/min, 200K tok/min; no 429s seen; stopped: stopped',
    );
  });
});
