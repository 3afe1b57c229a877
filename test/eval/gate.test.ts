import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { evaluateGates, parseGate } from '../../src/eval/gate.js';
import { MetricsCollector } from '../../src/metrics/collector.js';
import { makeResult } from '../metrics/job-result-factory.js';

/** An answer judged against its row's checks. */
function judged(target: string, pass: boolean) {
  const r = makeResult({ target, outcome: pass ? 'ok' : 'assertion_failed' });
  r.checks = {
    pass,
    score: pass ? 1 : 0,
    results: [{ type: 'contains', pass, score: pass ? 1 : 0, reason: '' }],
  };
  return r;
}

/** a: 6 passed, 2 failed, 1 unchecked answer, 2 errors; b: 10 passed. */
function summaries() {
  const c = new MetricsCollector([{ name: 'a' }, { name: 'b' }]);
  for (let i = 0; i < 6; i++) c.add(judged('a', true));
  for (let i = 0; i < 2; i++) c.add(judged('a', false));
  c.add(makeResult({ target: 'a', outcome: 'ok' }));
  c.add(makeResult({ target: 'a', outcome: 'http_5xx' }));
  c.add(makeResult({ target: 'a', outcome: 'http_4xx' }));
  for (let i = 0; i < 10; i++) c.add(judged('b', true));
  return ['a', 'b'].map((name) => ({ name, summary: c.target(name)!.summary() }));
}

describe('parseGate', () => {
  it('reads rates (share or percent), durations with units, cost and a target prefix', () => {
    expect(parseGate('pass_rate>=0.95')).toMatchObject({
      target: null,
      metric: { kind: 'rate', name: 'pass_rate' },
      op: '>=',
      value: 0.95,
    });
    expect(parseGate('error_rate < 1%').value).toBeCloseTo(0.01);
    expect(parseGate('ttft.p95<2s')).toMatchObject({
      metric: { kind: 'duration', metric: 'ttft', stat: 'p95' },
      value: 2000,
    });
    expect(parseGate('e2e.max<=500ms').value).toBe(500);
    expect(parseGate('cost.total<5')).toMatchObject({ metric: { kind: 'cost' }, value: 5 });
    expect(parseGate('step-3.5-flash:pass_rate>=0.9')).toMatchObject({
      target: 'step-3.5-flash',
      value: 0.9,
    });
  });

  it('refuses what it cannot read, naming the problem', () => {
    expect(() => parseGate('ttft.p95<2')).toThrow(/has no unit/);
    expect(() => parseGate('pass_rate>=1.5')).toThrow(/not a share/);
    expect(() => parseGate('speed>3')).toThrow(/unknown metric 'speed'/);
    expect(() => parseGate('ttft.p42<1s')).toThrow(/unknown statistic 'p42'/);
    expect(() => parseGate('pass_rate')).toThrow(UserError);
  });
});

describe('evaluateGates', () => {
  it('checks every target without a prefix and one target with it', () => {
    const results = evaluateGates([parseGate('pass_rate>=0.9'), parseGate('b:error_rate<0.01')], summaries());
    expect(results.map((r) => [r.target, r.pass, r.measured])).toEqual([
      ['a', false, 0.75],
      ['b', true, 1],
      ['b', true, 0],
    ]);
  });

  it('pass_rate is passed ÷ judged answers: unchecked answers and errors are not in it', () => {
    const [a] = summaries();
    expect(a!.summary.checks).toMatchObject({ judged: 8, passed: 6, failed: 2, unchecked: 1, unanswered: 2 });
    const [rate, errors] = evaluateGates(
      [parseGate('a:pass_rate>=0.75'), parseGate('a:error_rate<0.2')],
      [a!],
    );
    expect(rate).toMatchObject({ measured: 0.75, pass: true });
    expect(errors).toMatchObject({ measured: 2 / 11, pass: true });
  });

  it('pass_rate without any judged answer fails, saying why', () => {
    const c = new MetricsCollector([{ name: 'plain' }]);
    c.add(makeResult({ target: 'plain', outcome: 'ok' }));
    const [g] = evaluateGates(
      [parseGate('pass_rate>=0.5')],
      [{ name: 'plain', summary: c.target('plain')!.summary() }],
    );
    expect(g).toMatchObject({
      pass: false,
      measured: null,
      reason: expect.stringMatching(/no answer was judged/),
    });
  });

  it('fails a gate whose figure is missing or unknown, saying why, never as 0', () => {
    const [cost] = evaluateGates([parseGate('a:cost.total<5')], summaries());
    expect(cost).toMatchObject({
      pass: false,
      measured: null,
      reason: 'cost unknown (no price for the model)',
    });
    const [missing] = evaluateGates([parseGate('c:pass_rate>=0.5')], summaries());
    expect(missing).toMatchObject({ pass: false, reason: "no target named 'c'" });
  });
});
