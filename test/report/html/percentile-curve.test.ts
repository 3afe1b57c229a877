import { describe, expect, it } from 'vitest';
import { HistogramSet } from '../../../src/metrics/histograms.js';
import {
  binCounts,
  binEdges,
  decodeHistogram,
  percentileCurve,
  percentileGrid,
  recordedValues,
} from '../../../src/report/html/percentile-curve.js';

/** 1,000 TTFTs: 1..1000 ms, so p50 ≈ 500 ms, p99 ≈ 990 ms, max 1,000 ms. */
function encodedTtft(n = 1000): string {
  const set = new HistogramSet();
  for (let i = 1; i <= n; i++) set.record('ttft', i);
  const encoded = set.encode().ttft;
  if (!encoded) throw new Error('no histogram');
  return encoded;
}

describe('percentile curve', () => {
  it('spans 1 (p0) to the largest count on a log grid that holds every count', () => {
    const grid = percentileGrid([1000, 40]);
    expect(grid[0]).toBe(1);
    expect(grid.at(-1)).toBe(1000);
    expect(grid).toContain(40);
    expect([...grid].sort((a, b) => a - b)).toEqual(grid);
    expect(grid).toContain(10);
    expect(grid).toContain(100);
  });

  it('reads the same percentiles as the report (p50 at x=2, p99 at x=100, max at x=count)', () => {
    const encoded = encodedTtft();
    const h = decodeHistogram(encoded);
    const stats = HistogramSet.decode({ ttft: encoded }).percentiles('ttft');
    const grid = [1, 2, 10, 100, 1000];
    const [p0, p50, p90, p99, max] = percentileCurve(h, grid, 1000);
    expect(p0).toBe(stats.min);
    expect(p50).toBe(stats.p50);
    expect(p90).toBe(stats.p90);
    expect(p99).toBe(stats.p99);
    expect(max).toBe(stats.max);
  });

  it('draws nothing past the histogram count (no information there)', () => {
    const h = decodeHistogram(encodedTtft(10));
    expect(percentileCurve(h, [1, 10, 100], 1000)).toEqual([expect.any(Number), expect.any(Number), null]);
  });
});

describe('histogram bins', () => {
  it('puts every recorded value in one bin', () => {
    const values = recordedValues(decodeHistogram(encodedTtft()));
    const total = values.reduce((n, v) => n + v.count, 0);
    expect(total).toBe(1000);
    const edges = binEdges(values[0]!.value, values.at(-1)!.value, 40);
    const counts = binCounts(values, edges);
    expect(counts).toHaveLength(40);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('spaces bins by log when the values span more than a decade, evenly otherwise', () => {
    const log = binEdges(1, 1000, 3);
    expect(log.map((e) => Math.round(e))).toEqual([1, 10, 100, 1000]);
    expect(binEdges(10, 40, 3)).toEqual([10, 20, 30, 40]);
  });
});
