import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CapacitySearch, defaultSearchOptions } from '../../src/capacity/search.js';
import type { StepMeasurement } from '../../src/capacity/types.js';
import {
  concurrencyLimitedServer,
  drive,
  measurement,
  requestRateLimitedServer,
  type Server,
  saturatingServer,
} from './synthetic.js';

function concurrencySearch(overrides: Parameters<typeof defaultSearchOptions>[1] = {}): CapacitySearch {
  return new CapacitySearch(defaultSearchOptions('concurrency', overrides));
}

describe('CapacitySearch against a concurrency limit', () => {
  it('finds a limit of 48 exactly, with 429s starting at the first load above it', () => {
    const search = concurrencySearch({ start: 1, max: 256 });
    const loads = drive(search, concurrencyLimitedServer(48));
    const answer = search.answer();
    expect(loads.slice(0, 7)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(answer.sustainable?.load).toBe(48);
    expect(answer.limit?.load).toBe(49);
    expect(answer.limit?.verdict.kind).toBe('rate_limited');
    expect(answer.rateLimitOnset?.load).toBe(49);
    expect(answer.rateLimitOnset?.share).toBeGreaterThan(0.02);
    expect(answer.saturation).toBeNull();
    expect(answer.stoppedBecause).toMatch(/^429 share .* at concurrency 49 > 2\.0%$/);
    expect(answer.steps).toBe(loads.length);
    expect(loads.length).toBeLessThanOrEqual(12);
    // 48 slots × 1 req/s.
    expect(answer.sustainable?.rpm).toBeCloseTo(48 * 60, 6);
  });

  it('keeps the curve sorted by load with every step in it', () => {
    const search = concurrencySearch();
    const loads = drive(search, concurrencyLimitedServer(48));
    const curve = search.answer().curve.map((p) => p.load);
    expect(curve).toEqual([...loads].sort((a, b) => a - b));
  });
});

describe('CapacitySearch against a request-rate limit', () => {
  it('finds the concurrency where 20 req/s is reached when each slot offers 2 req/s', () => {
    const search = concurrencySearch({ start: 1, max: 256 });
    drive(search, requestRateLimitedServer(20, 2));
    const answer = search.answer();
    expect(answer.sustainable?.load).toBe(10);
    expect(answer.sustainable?.throughputRps).toBeCloseTo(20, 6);
    expect(answer.sustainable?.rpm).toBeCloseTo(1200, 6);
    expect(answer.rateLimitOnset?.load).toBe(11);
  });

  it('finds 20 req/s within the resolution on the rate dimension, using non-integer loads', () => {
    const options = defaultSearchOptions('rate', { start: 1, max: 200 });
    expect(options.resolution).toBe(0.5);
    const search = new CapacitySearch(options);
    const loads = drive(search, requestRateLimitedServer(20, 1));
    const answer = search.answer();
    const sustainable = answer.sustainable?.load ?? Number.NaN;
    expect(sustainable).toBeGreaterThanOrEqual(20 - options.resolution);
    // 429 share is ≤ 2 % up to 20.4 req/s, so anything from 19.5 to 20.4 is a right answer.
    expect(sustainable).toBeLessThanOrEqual(20.4);
    expect(answer.limit?.verdict.kind).toBe('rate_limited');
    expect((answer.limit?.load ?? 0) - sustainable).toBeLessThanOrEqual(options.resolution);
    expect(loads.some((l) => !Number.isInteger(l))).toBe(true);
    expect(new Set(loads).size).toBe(loads.length);
  });
});

describe('CapacitySearch against a saturating server', () => {
  it('stops at the concurrency where throughput stops growing, with no 429s', () => {
    const search = concurrencySearch({ start: 1, max: 512 });
    drive(search, saturatingServer(16));
    const answer = search.answer();
    expect(answer.sustainable?.load).toBe(16);
    expect(answer.saturation).toEqual({ load: 17 });
    expect(answer.limit?.verdict.kind).toBe('saturated');
    expect(answer.rateLimitOnset).toBeNull();
    expect(answer.stoppedBecause).toContain('throughput saturated at concurrency 17');
  });
});

describe('CapacitySearch with an SLO', () => {
  // Latency grows with load but throughput still grows; the SLO (e2e p95 ≤ 3 s) breaks above 20.
  const server: Server = (load) => {
    const e2e = 1000 + 50 * load;
    const p95 = e2e * 1.5;
    const passed = p95 <= 3000;
    const requests = Math.round((load * 30_000) / e2e);
    return measurement({
      load,
      requests,
      e2eP50Ms: e2e,
      sloPassed: passed,
      sloFailures: passed ? [] : [`e2e.p95 ${p95} ms > 3000 ms`],
    });
  };

  it('reports the highest load that met the SLO and why the next one failed', () => {
    const search = concurrencySearch({ start: 2, max: 128 });
    drive(search, server);
    const answer = search.answer();
    expect(answer.sustainable?.load).toBe(20);
    expect(answer.limit?.load).toBe(21);
    expect(answer.limit?.verdict.kind).toBe('slo');
    expect(answer.stoppedBecause).toBe('SLO failed at concurrency 21: e2e.p95 3075 ms > 3000 ms');
  });
});

describe('CapacitySearch bounds', () => {
  it('answers "none" and explains when even the start load fails', () => {
    const search = concurrencySearch({ start: 8 });
    const loads = drive(search, concurrencyLimitedServer(2));
    const answer = search.answer();
    expect(loads).toEqual([8]);
    expect(answer.sustainable).toBeNull();
    expect(answer.stoppedBecause).toMatch(/start load already failed \(429 share .* at concurrency 8/);
    expect(search.next()).toBeUndefined();
  });

  it('respects maxSteps while climbing', () => {
    const search = concurrencySearch({ maxSteps: 4 });
    const loads = drive(search, concurrencyLimitedServer(48));
    expect(loads).toEqual([1, 2, 4, 8]);
    const answer = search.answer();
    expect(answer.sustainable?.load).toBe(8);
    expect(answer.stoppedBecause).toBe('used all 4 steps while still climbing (last good: concurrency 8)');
  });

  it('respects maxSteps while bisecting and names the bracket', () => {
    const search = concurrencySearch({ maxSteps: 8 });
    const loads = drive(search, concurrencyLimitedServer(40));
    expect(loads).toEqual([1, 2, 4, 8, 16, 32, 64, 48]);
    expect(search.answer().stoppedBecause).toMatch(
      /^used all 8 steps with the knee between 32 and 48 \(429 share/,
    );
  });

  it('stops at max when every step is good', () => {
    const search = concurrencySearch({ start: 3, max: 20 });
    const loads = drive(search, saturatingServer(1000));
    expect(loads).toEqual([3, 6, 12, 20]);
    const answer = search.answer();
    expect(answer.sustainable?.load).toBe(20);
    expect(answer.limit).toBeNull();
    expect(answer.stoppedBecause).toBe('reached the maximum, concurrency 20, with every step within limits');
  });

  it('never measures the same load twice, stays in [start, max] and within maxSteps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom(1.5, 2, 3, 4),
        fc.integer({ min: 10, max: 600 }),
        fc.integer({ min: 1, max: 16 }),
        fc.boolean(),
        (limit, start, growth, max, maxSteps, saturate) => {
          const search = concurrencySearch({ start, growth, max, maxSteps });
          const server = saturate ? saturatingServer(limit) : concurrencyLimitedServer(limit);
          const loads = drive(search, server);
          expect(new Set(loads).size).toBe(loads.length);
          expect(loads.length).toBeLessThanOrEqual(maxSteps);
          for (const load of loads) {
            expect(Number.isInteger(load)).toBe(true);
            expect(load).toBeGreaterThanOrEqual(start);
            expect(load).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });

  it('finds any concurrency limit exactly when given enough steps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 1, max: 10 }),
        fc.constantFrom(1.5, 2, 3, 4),
        fc.boolean(),
        (limit, start, growth, saturate) => {
          const search = concurrencySearch({ start, growth, max: 1000, maxSteps: 40 });
          drive(search, saturate ? saturatingServer(limit) : concurrencyLimitedServer(limit));
          const answer = search.answer();
          expect(answer.stoppedBecause).not.toMatch(/^used all/);
          const found = answer.sustainable?.load;
          if (!saturate) {
            if (start <= limit) expect(found).toBe(limit);
            else expect(answer.sustainable).toBeNull();
          } else if (start <= limit) {
            // The minGain rule only sees the plateau once a step buys (almost) nothing: a climb
            // step that still gained more than minGain over the one below is kept, so the answer
            // is at the knee or up to one climb step past it, never below.
            expect(found).toBeGreaterThanOrEqual(limit);
            expect(found).toBeLessThanOrEqual(Math.ceil(limit * growth));
            expect(answer.sustainable?.throughputRps).toBeCloseTo(limit, 6);
          } else {
            // Saturation needs a lower step to compare with: the first step is all it can vouch for.
            expect(found).toBe(start);
          }
        },
      ),
    );
  });

  it('rate loads never repeat and are hundredths', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.5, max: 300, noNaN: true }), (limitRps) => {
        const search = new CapacitySearch(defaultSearchOptions('rate', { start: 1, max: 500, maxSteps: 30 }));
        const loads = drive(search, requestRateLimitedServer(limitRps, 1));
        expect(new Set(loads).size).toBe(loads.length);
        for (const load of loads) expect(Math.abs(load * 100 - Math.round(load * 100))).toBeLessThan(1e-6);
      }),
    );
  });
});

describe('CapacitySearch.verdict', () => {
  const good = (load: number, rps: number): StepMeasurement =>
    measurement({ load, requests: Math.round(rps * 30), e2eP50Ms: 1000 });

  it('judges 429s before errors before SLOs', () => {
    const search = concurrencySearch();
    const both = measurement({
      load: 4,
      requests: 100,
      rateLimited: 10,
      errors: 10,
      e2eP50Ms: 1,
      sloPassed: false,
    });
    expect(search.verdict(both).kind).toBe('rate_limited');
    const errors = measurement({ load: 4, requests: 100, errors: 2, e2eP50Ms: 1, sloPassed: false });
    expect(search.verdict(errors)).toEqual({
      ok: false,
      kind: 'errors',
      reason: 'error share 2.0% at concurrency 4 > 1.0%',
    });
    const slo = measurement({ load: 4, requests: 100, e2eP50Ms: 1, sloPassed: false });
    expect(search.verdict(slo)).toEqual({ ok: false, kind: 'slo', reason: 'SLO failed at concurrency 4' });
  });

  it('allows shares equal to the thresholds', () => {
    const search = concurrencySearch();
    const edge = measurement({ load: 4, requests: 100, rateLimited: 2, errors: 1, e2eP50Ms: 1 });
    expect(search.verdict(edge).kind).toBe('good');
  });

  it('treats a step that finished no request as failed', () => {
    const empty = measurement({ load: 4, requests: 0, e2eP50Ms: 1 });
    expect(concurrencySearch().verdict(empty)).toMatchObject({ ok: false, kind: 'errors' });
  });

  it('asks a doubling of load for minGain more throughput, closer steps for proportionally less', () => {
    const search = concurrencySearch();
    search.record(good(32, 32));
    expect(search.verdict(good(64, 32 * 1.04)).kind).toBe('saturated');
    expect(search.verdict(good(64, 32 * 1.06)).kind).toBe('good');
    // A server still scaling linearly: 33 vs 32 is a 3 % gain, less than minGain, and still good.
    expect(search.verdict(good(33, 33)).kind).toBe('good');
    expect(search.verdict(good(33, 32)).kind).toBe('saturated');
  });

  it('compares with the best good step below only', () => {
    const search = concurrencySearch();
    search.record(good(8, 8));
    search.record(measurement({ load: 16, requests: 100, rateLimited: 50, e2eP50Ms: 1 }));
    // The rate-limited 16 is no reference: 12 is compared with 8.
    expect(search.verdict(good(12, 12)).kind).toBe('good');
  });
});

describe('CapacitySearch lifecycle', () => {
  it('returns the same pending load until it is recorded', () => {
    const search = concurrencySearch({ start: 5 });
    expect(search.next()).toBe(5);
    expect(search.next()).toBe(5);
  });

  it('refuses to record a load twice', () => {
    const search = concurrencySearch();
    search.record(measurement({ load: 4, requests: 10, e2eP50Ms: 1 }));
    expect(() => search.record(measurement({ load: 4, requests: 10, e2eP50Ms: 1 }))).toThrow(
      /already measured/,
    );
  });

  it('stop() ends the search and keeps what was found (Ctrl-C)', () => {
    const search = concurrencySearch();
    const server = concurrencyLimitedServer(48);
    for (let i = 0; i < 3; i++) search.record(server(search.next() ?? 0));
    search.stop('interrupted after 3 steps');
    search.stop('a later reason does not overwrite the first');
    expect(search.finished).toBe(true);
    expect(search.next()).toBeUndefined();
    const answer = search.answer();
    expect(answer.stoppedBecause).toBe('interrupted after 3 steps');
    expect(answer.sustainable?.load).toBe(4);
    expect(answer.curve.map((p) => p.load)).toEqual([1, 2, 4]);
  });

  it('says the search is still running when asked for an answer mid-way', () => {
    const search = concurrencySearch();
    expect(search.answer().stoppedBecause).toBe('search still running after 0 steps');
    expect(search.finished).toBe(false);
  });

  it('rejects options that cannot terminate or make no sense', () => {
    const base = defaultSearchOptions('concurrency');
    expect(() => new CapacitySearch({ ...base, growth: 1 })).toThrow(/growth must be > 1/);
    expect(() => new CapacitySearch({ ...base, start: 0 })).toThrow(/start must be > 0/);
    expect(() => new CapacitySearch({ ...base, max: 0.5 })).toThrow(/max/);
    expect(() => new CapacitySearch({ ...base, resolution: 0 })).toThrow(/resolution/);
    expect(() => new CapacitySearch({ ...base, maxSteps: 0 })).toThrow(/maxSteps/);
  });

  it('rounds concurrency loads to integers and keeps rate loads fractional', () => {
    expect(concurrencySearch({ start: 2.6 }).next()).toBe(3);
    const rate = new CapacitySearch(defaultSearchOptions('rate', { start: 0.25 }));
    expect(rate.next()).toBe(0.25);
  });
});
