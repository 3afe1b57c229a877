import { describe, expect, it } from 'vitest';
import { parseGate } from '../../src/eval/gate.js';
import { decidableEarly, GateWatch } from '../../src/eval/gate-watch.js';
import type { OutcomeClass } from '../../src/results/outcomes.js';
import type { JobResult } from '../../src/results/types.js';
import { makeResult } from '../metrics/job-result-factory.js';

function judged(pass: boolean, target = 'm'): JobResult {
  const r = makeResult({ target, outcome: pass ? 'ok' : 'assertion_failed' });
  r.checks = {
    pass,
    score: pass ? 1 : 0,
    results: [{ type: 'contains', pass, score: pass ? 1 : 0, reason: '' }],
  };
  return r;
}

function watch(gates: string[], planned: number | null, targets = ['m']): GateWatch {
  return new GateWatch({ gates: gates.map(parseGate), targets, plannedPerTarget: planned });
}

/** Feeds results until the watch trips; returns how many it took (or null). */
function tripsAfter(w: GateWatch, results: JobResult[]): number | null {
  for (const [i, r] of results.entries()) if (w.add(r)) return i + 1;
  return null;
}

describe('GateWatch', () => {
  it('pass_rate>=0.9 of 20 planned: lost at the third failure, not at the second', () => {
    const w = watch(['pass_rate>=0.9'], 20);
    // Two failures: 18/20 = 0.9 can still be reached.
    expect(tripsAfter(w, [judged(false), judged(true), judged(false)])).toBeNull();
    const reason = w.add(judged(false));
    expect(reason).toMatch(/^gate 'pass_rate>=0\.9' can no longer pass for m: /);
    expect(reason).toMatch(/ends at most 0\.85/);
    expect(w.reason).toBe(reason);
    // Said once; later results do not repeat it.
    expect(w.add(judged(false))).toBeUndefined();
  });

  it('errors and unchecked answers are no judged failures: they never lose a pass_rate gate', () => {
    const w = watch(['pass_rate>=0.9'], 10);
    const others = [
      ...Array.from({ length: 5 }, () => makeResult({ target: 'm', outcome: 'http_5xx', status: 500 })),
      ...Array.from({ length: 4 }, () => makeResult({ target: 'm', outcome: 'ok' })),
    ];
    expect(tripsAfter(w, others)).toBeNull();
  });

  it('error_rate<0.1 of 20 planned: lost once two errors are in, whatever comes next', () => {
    const error = (o: OutcomeClass) => makeResult({ target: 'm', outcome: o, status: 500 });
    const w = watch(['error_rate<0.1'], 20);
    expect(tripsAfter(w, [error('http_5xx')])).toBeNull();
    // 2/20 = 0.1 is not < 0.1.
    expect(w.add(error('http_5xx'))).toMatch(/error_rate ends at least 0\.1/);
    // A final 429 is no error (as everywhere): it never loses the gate.
    const lenient = watch(['error_rate<0.1'], 20);
    expect(
      tripsAfter(
        lenient,
        Array.from({ length: 10 }, () => error('rate_limited')),
      ),
    ).toBeNull();
  });

  it('cost.total<x is lost once the spent cost reaches x, even when the run size is unknown', () => {
    const w = watch(['cost.total<0.01'], null);
    const priced = (cost: number) => Object.assign(makeResult({ target: 'm' }), { cost });
    expect(tripsAfter(w, [priced(0.004), priced(0.004)])).toBeNull();
    expect(w.add(priced(0.004))).toMatch(/0\.012 spent already/);
    // Unknown cost (no price) is never read as spending.
    expect(
      tripsAfter(
        watch(['cost.total<0.01'], null),
        Array.from({ length: 50 }, () => makeResult({ target: 'm' })),
      ),
    ).toBeNull();
  });

  it('ttft.p90<1s of 20 planned: lost when a third request is at or over 1 s; max at the first', () => {
    const slow = () => makeResult({ target: 'm', ttft: 1000 });
    const fast = () => makeResult({ target: 'm', ttft: 10 });
    const w = watch(['ttft.p90<1s'], 20);
    expect(tripsAfter(w, [slow(), fast(), slow()])).toBeNull();
    expect(w.add(slow())).toMatch(/3 of at most 20 requests had ttft ≥ 1000 ms/);
    expect(
      tripsAfter(watch(['e2e.max<=900ms'], 20), [
        makeResult({ target: 'm', e2e: 900 }),
        makeResult({ target: 'm', e2e: 901 }),
      ]),
    ).toBe(2);
    // A ttft of a request that got no response is not in the histogram, so it cannot lose the gate.
    const failed = () => makeResult({ target: 'm', outcome: 'http_5xx', status: 500, ttft: 5000 });
    expect(tripsAfter(watch(['ttft.max<1s'], 20), [failed(), failed()])).toBeNull();
  });

  it('a gate naming a target watches that target only; without one, each target on its own', () => {
    const named = watch(['b:pass_rate>=0.9'], 5, ['a', 'b']);
    expect(tripsAfter(named, [judged(false, 'a'), judged(false, 'a')])).toBeNull();
    expect(named.add(judged(false, 'b'))).toMatch(/for b:/);
    const every = watch(['pass_rate>=0.9'], 5, ['a', 'b']);
    expect(tripsAfter(every, [judged(true, 'a'), judged(false, 'b')])).toBe(2);
  });

  it('without a known run size only cost decides; some gates never decide early', () => {
    expect(
      tripsAfter(
        watch(['pass_rate>=0.9', 'ttft.max<1ms'], null),
        Array.from({ length: 30 }, () => judged(false)),
      ),
    ).toBeNull();
    for (const text of [
      'throughput>5',
      'ttft.mean<1s',
      'ttft.min<1s',
      'itl.p50<1s',
      'connect.p99<1s',
      'ttft.p95>1s',
      'cost.total>1',
    ])
      expect(decidableEarly(parseGate(text))).toBe(false);
    for (const text of [
      'pass_rate>=0.9',
      'success_rate>0.5',
      'error_rate<=0.01',
      'cost.total<5',
      'latency.p999<10s',
      'queue.max<=1s',
    ])
      expect(decidableEarly(parseGate(text))).toBe(true);
  });
});
