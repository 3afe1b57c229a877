import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_REGRESSION,
  parseThreshold,
  thresholdsOrDefaults,
} from '../../src/compare/thresholds.js';
import { UserError } from '../../src/errors.js';

describe('--max-regression', () => {
  it('reads relative, absolute and per-target thresholds', () => {
    expect(parseThreshold('ttft.p95:+20%')).toMatchObject({
      target: null,
      metric: { kind: 'duration', metric: 'ttft', stat: 'p95' },
      amount: 0.2,
      relative: true,
    });
    expect(parseThreshold('e2e.p50:+150ms')).toMatchObject({ amount: 150, relative: false });
    expect(parseThreshold('e2e.p50:1s')).toMatchObject({ amount: 1000 });
    expect(parseThreshold('pass_rate:-0.05')).toMatchObject({
      metric: { kind: 'rate', name: 'pass_rate' },
      amount: 0.05,
    });
    expect(parseThreshold('pass_rate:-5pp').amount).toBeCloseTo(0.05, 12);
    expect(parseThreshold('step-3.5-flash:error_rate:+0.01')).toMatchObject({
      target: 'step-3.5-flash',
      metric: { kind: 'rate', name: 'error_rate' },
    });
    expect(parseThreshold('cost.mean:+10%').metric).toEqual({ kind: 'cost' });
  });

  it.each([
    ['ttft.p95:-20%', /gets worse as it grows: write \+20%/],
    ['pass_rate:+0.05', /gets worse as it falls: write -0.05/],
    ['pass_rate:-5%', /a rate moves in points/],
    ['ttft.p95:+20', /has no unit/],
    ['ttfx.p95:+20%', /unknown metric 'ttfx.p95'/],
    ['ttft.p95', /no change after the metric/],
    ['cost.mean:+5ms', /ms is for durations only/],
    ['ttft.p95:+fast', /cannot read the change/],
  ])('refuses %s with a message that says what to write', (text, message) => {
    expect(() => parseThreshold(text)).toThrow(UserError);
    expect(() => parseThreshold(text)).toThrow(message);
  });

  it('uses the defaults only when no threshold is given', () => {
    expect(thresholdsOrDefaults(undefined).map((t) => t.text)).toEqual([...DEFAULT_MAX_REGRESSION]);
    expect(thresholdsOrDefaults(['ttft.p99:+50%']).map((t) => t.text)).toEqual(['ttft.p99:+50%']);
  });
});
