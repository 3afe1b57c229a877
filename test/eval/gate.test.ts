import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { evaluateGates, parseGate } from '../../src/eval/gate.js';
import { MetricsCollector } from '../../src/metrics/collector.js';
import { makeResult } from '../metrics/job-result-factory.js';

function summaries() {
  const c = new MetricsCollector([{ name: 'a' }, { name: 'b' }]);
  for (let i = 0; i < 8; i++) c.add(makeResult({ target: 'a', outcome: 'ok' }));
  c.add(makeResult({ target: 'a', outcome: 'http_5xx' }));
  c.add(makeResult({ target: 'a', outcome: 'http_4xx' }));
  for (let i = 0; i < 10; i++) c.add(makeResult({ target: 'b', outcome: 'ok' }));
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
      ['a', false, 0.8],
      ['b', true, 1],
      ['b', true, 0],
    ]);
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
