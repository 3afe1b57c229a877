import * as hdr from 'hdr-histogram-js';
import { HDR_CONFIG } from '../../metrics/histograms.js';

/**
 * Latency by percentile, HdrHistogram-plotter style: x is 1/(1−p) on a log axis (1 = 0 %,
 * 2 = 50 %, 10 = 90 %, 100 = 99 %, 1000 = 99.9 %), so the tail gets as much room as the median.
 * The points come from the report's encoded histograms, decoded the way `HistogramSet.decode`
 * does, with their buckets iterated for the histogram bins.
 */

/** Points per decade of 1/(1−p): smooth enough, and 6 decades (1M requests) stay under 300 points. */
const POINTS_PER_DECADE = 40;

export function decodeHistogram(base64: string): hdr.JsHistogram {
  const h = hdr.decodeFromCompressedBase64(base64, HDR_CONFIG.bitBucketSize, false);
  if (!(h instanceof hdr.JsHistogram)) throw new Error('expected a JavaScript histogram');
  return h;
}

/**
 * The shared x grid for curves of histograms with these counts: log-spaced from 1 (0 %) up to
 * the largest count, plus each count itself, where that curve ends at its maximum. Beyond
 * 1/(1−p) = count a histogram holds no information, so no curve goes past its own count.
 */
export function percentileGrid(counts: readonly number[]): number[] {
  const top = Math.max(1, ...counts);
  const decades = Math.log10(top);
  const steps = Math.max(1, Math.ceil(decades * POINTS_PER_DECADE));
  const xs = new Set<number>([1]);
  for (let i = 1; i <= steps; i++) xs.add(round4(10 ** ((decades * i) / steps)));
  for (const c of counts) if (c >= 1) xs.add(c);
  return [...xs].sort((a, b) => a - b);
}

/**
 * The value at each grid point x (p = 1 − 1/x), divided by `scale` (1000 turns µs into ms); null
 * past the histogram's count. The point at x = count is the maximum.
 */
export function percentileCurve(h: hdr.Histogram, grid: readonly number[], scale: number): (number | null)[] {
  const count = h.totalCount;
  return grid.map((x) => {
    if (count === 0 || x > count) return null;
    const percentile = x >= count ? 100 : (1 - 1 / x) * 100;
    return round4(h.getValueAtPercentile(percentile) / scale);
  });
}

export interface ValueCount {
  /** The bucket's highest equivalent value, in the histogram's units. */
  value: number;
  count: number;
}

/** Every non-empty bucket of `h`, lowest first. */
export function recordedValues(h: hdr.JsHistogram): ValueCount[] {
  const out: ValueCount[] = [];
  const it = h.recordedValuesIterator;
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    out.push({ value: v.valueIteratedTo, count: v.countAtValueIteratedTo });
  }
  return out;
}

/**
 * `bins` bin edges from `min` to `max`: log-spaced when the range spans more than a decade (a
 * latency tail would squash linear bins into one), linear otherwise.
 */
export function binEdges(min: number, max: number, bins: number): number[] {
  const lo = Math.max(min, 0);
  const hi = max > lo ? max : lo + 1;
  const log = lo > 0 && hi / lo > 10;
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const f = i / bins;
    edges.push(log ? lo * (hi / lo) ** f : lo + (hi - lo) * f);
  }
  return edges;
}

/** How many values fall in each bin [edge i, edge i+1); the last bin includes its upper edge. */
export function binCounts(values: readonly ValueCount[], edges: readonly number[]): number[] {
  const counts = new Array<number>(Math.max(0, edges.length - 1)).fill(0);
  let bin = 0;
  for (const { value, count } of values) {
    while (bin < counts.length - 1 && value >= (edges[bin + 1] as number)) bin++;
    counts[bin] = (counts[bin] as number) + count;
  }
  return counts;
}

function round4(value: number): number {
  return Math.round(value * 1e4) / 1e4;
}
