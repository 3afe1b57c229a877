import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistogramSet, msToMicros } from '../../src/metrics/histograms.js';

/** HDR with 3 significant digits: any reported value is within 0.1% of a recorded one. */
const HDR_REL = 0.001;

function expectNear(actual: number | null, expected: number, rel = HDR_REL): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(Math.abs(expected) * rel + 1e-9);
}

describe('HistogramSet', () => {
  it('reports percentiles of a known distribution in ms within HDR precision', () => {
    const set = new HistogramSet();
    // 1.000 ms … 10.000 ms in 1 µs steps would be 9001 values; use 1 … 10000 ms in 1 ms steps.
    for (let ms = 1; ms <= 10_000; ms++) set.record('ttft', ms);
    const p = set.percentiles('ttft');
    expect(p.count).toBe(10_000);
    expectNear(p.min, 1);
    expectNear(p.p50, 5000);
    expectNear(p.p90, 9000);
    expectNear(p.p95, 9500);
    expectNear(p.p99, 9900);
    expectNear(p.p999, 9990);
    expectNear(p.max, 10_000);
    expectNear(p.mean, 5000.5);
    // Uniform 1..N has stddev N/sqrt(12).
    expectNear(p.stddev, 10_000 / Math.sqrt(12), 0.002);
  });

  it('records sub-millisecond durations as integer microseconds (no bucket-vs-max disagreement)', () => {
    const set = new HistogramSet();
    set.record('itl', 1.9);
    set.record('itl', 0.0004); // rounds to 0 µs
    set.record('itl', -3); // clock skew: clamped to 0, never thrown
    const p = set.percentiles('itl');
    expect(p.count).toBe(3);
    expect(p.min).toBe(0);
    expect(p.max).toBe(1.9);
    expect(msToMicros(1.9)).toBe(1900);
  });

  it('keeps token counts as plain integers', () => {
    const set = new HistogramSet();
    for (const n of [10, 20, 30]) set.record('completion_tokens', n);
    const p = set.percentiles('completion_tokens');
    expect(p).toMatchObject({ count: 3, min: 10, p50: 20, max: 30, mean: 20 });
  });

  it('keeps exact means next to the buckets: one 1,310,727-token prompt has that mean', () => {
    const set = new HistogramSet();
    set.record('prompt_tokens', 1_310_727);
    const p = set.percentiles('prompt_tokens');
    expect(p.mean).toBe(1_310_727);
    // The percentiles still come from the bucket (3 significant digits).
    expect(p.max).not.toBe(1_310_727);
    expectNear(p.max, 1_310_727);
    set.record('e2e', 1234.5678);
    set.record('e2e', 0.0014);
    expect(set.percentiles('e2e').mean).toBe(617.285); // (1234568 + 1) µs ÷ 2, in ms
  });

  it('adds exact sums on merge, and decode takes the means back', () => {
    const a = new HistogramSet();
    const b = new HistogramSet();
    a.record('prompt_tokens', 1_310_727);
    b.record('prompt_tokens', 3);
    a.merge(b);
    expect(a.percentiles('prompt_tokens').mean).toBe(655_365);
    const encoded = a.encode();
    // Without the means only the buckets are known.
    expect(HistogramSet.decode(encoded).percentiles('prompt_tokens').mean).not.toBe(655_365);
    const rebuilt = HistogramSet.decode(encoded, { prompt_tokens: 655_365 });
    expect(rebuilt.percentiles('prompt_tokens')).toEqual(a.percentiles('prompt_tokens'));
  });

  it('ignores non-finite values and reports an empty metric as nulls, not zeros', () => {
    const set = new HistogramSet();
    set.record('e2e', Number.NaN);
    set.record('e2e', Number.POSITIVE_INFINITY);
    expect(set.count('e2e')).toBe(0);
    const p = set.percentiles('ttfa');
    expect(p.count).toBe(0);
    for (const key of ['min', 'mean', 'p50', 'p90', 'p95', 'p99', 'p999', 'max', 'stddev'] as const) {
      expect(p[key]).toBeNull();
    }
  });

  it('encodes to standard compressed base64 and decodes to identical counts and percentiles', () => {
    const set = new HistogramSet();
    for (let i = 0; i < 500; i++) set.record('e2e', 50 + ((i * 37) % 1000) * 3.3);
    set.record('prompt_tokens', 123);
    const encoded = set.encode();
    expect(encoded.e2e).toMatch(/^HISTF/);
    expect(Object.keys(encoded).sort()).toEqual(['e2e', 'prompt_tokens']);
    const decoded = HistogramSet.decode(encoded, {
      e2e: set.percentiles('e2e').mean,
      prompt_tokens: set.percentiles('prompt_tokens').mean,
    });
    expect(decoded.count('e2e')).toBe(500);
    expect(decoded.percentiles('e2e')).toEqual(set.percentiles('e2e'));
    expect(decoded.percentiles('prompt_tokens')).toEqual(set.percentiles('prompt_tokens'));
    // Decoded histograms normally cannot grow (reference §7.4 gotcha 2); ours can.
    decoded.record('e2e', 3_600_000);
    expect(decoded.count('e2e')).toBe(501);
    expectNear(decoded.percentiles('e2e').max, 3_600_000);
  });

  it('refuses to decode a metric it does not know', () => {
    expect(() => HistogramSet.decode({ bogus: 'HISTFAAAABp4nJNpmSzMwMDACMXMDBDACKWZ4HwAMzIBUA==' })).toThrow(
      /unknown histogram metric "bogus"/,
    );
  });

  it('merging two sets equals one set fed both (property)', () => {
    const values = fc.array(fc.double({ min: 0, max: 600_000, noNaN: true }), { maxLength: 60 });
    fc.assert(
      fc.property(values, values, (a, b) => {
        const left = new HistogramSet();
        const right = new HistogramSet();
        const both = new HistogramSet();
        for (const v of a) {
          left.record('latency', v);
          both.record('latency', v);
        }
        for (const v of b) {
          right.record('latency', v);
          both.record('latency', v);
        }
        left.merge(right);
        expect(left.percentiles('latency')).toEqual(both.percentiles('latency'));
        // And through the wire format, as shards' reports would be merged.
        const viaWire = HistogramSet.decode(left.encode(), { latency: left.percentiles('latency').mean });
        expect(viaWire.percentiles('latency')).toEqual(both.percentiles('latency'));
      }),
      { numRuns: 50 },
    );
  });
});
