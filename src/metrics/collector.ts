import type * as hdr from 'hdr-histogram-js';
import type { Price } from '../plan/types.js';
import { isError } from '../results/outcomes.js';
import type { JobResult } from '../results/types.js';
import { msToMicros, newHistogram } from './histograms.js';
import { gotResponse } from './outcomes.js';
import { TargetMetrics } from './target-metrics.js';

/** What a progress line needs, over all targets. */
export interface LiveStats {
  /** Results seen. */
  done: number;
  /** Results that count as errors (isError: not answers, 429s or interruptions). */
  errors: number;
  /** TTFT percentiles over all targets so far, ms; null before the first response. */
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
}

/**
 * Folds `JobResult`s into per-target metrics. Reads plain result data only, so the same numbers
 * come out whether it is fed live by the runner or later from `results.jsonl`.
 */
export class MetricsCollector {
  private readonly byTarget = new Map<string, TargetMetrics>();
  /** TTFT of every target pooled, only for `live()`; reports use the per-target histograms. */
  private readonly pooledTtft: hdr.Histogram = newHistogram();
  private done = 0;
  private errors = 0;
  private liveCache: LiveStats | undefined;

  /** Registers the run's targets up front so that a target with no results still shows up, with its price. */
  constructor(targets: ReadonlyArray<{ name: string; price?: Price }> = []) {
    for (const t of targets) this.byTarget.set(t.name, new TargetMetrics(t.name, t.price));
  }

  /** Hot-path safe: O(number of ITL gaps) with no I/O or formatting. */
  add(result: JobResult): void {
    this.targetFor(result.target).add(result);
    this.done++;
    if (isError(result.outcome)) this.errors++;
    const ttft = result.durations.ttft;
    if (ttft !== undefined && Number.isFinite(ttft) && gotResponse(result)) {
      this.pooledTtft.recordValue(msToMicros(ttft));
    }
    this.liveCache = undefined;
  }

  /** Metrics of one target, or undefined when it was neither registered nor seen. */
  target(name: string): TargetMetrics | undefined {
    return this.byTarget.get(name);
  }

  /** All targets in registration order, then in order of first result. */
  targets(): TargetMetrics[] {
    return [...this.byTarget.values()];
  }

  /**
   * Cheap progress numbers. Percentile lookups walk the histogram's buckets, so the answer is
   * cached until the next `add`: calling this every 250 ms costs nothing between results.
   */
  live(): LiveStats {
    if (!this.liveCache) {
      const empty = this.pooledTtft.totalCount === 0;
      const at = (p: number) => (empty ? null : this.pooledTtft.getValueAtPercentile(p) / 1000);
      this.liveCache = { done: this.done, errors: this.errors, ttftP50Ms: at(50), ttftP95Ms: at(95) };
    }
    return this.liveCache;
  }

  /** Adds everything `other` collected (exact for histograms, additive for counters). */
  merge(other: MetricsCollector): void {
    for (const theirs of other.byTarget.values()) {
      this.targetFor(theirs.name, theirs.price).merge(theirs);
    }
    this.pooledTtft.add(other.pooledTtft);
    this.done += other.done;
    this.errors += other.errors;
    this.liveCache = undefined;
  }

  private targetFor(name: string, price?: Price): TargetMetrics {
    let metrics = this.byTarget.get(name);
    if (!metrics) {
      metrics = new TargetMetrics(name, price);
      this.byTarget.set(name, metrics);
    }
    return metrics;
  }
}
