import { checkVerdict } from '../metrics/check-counts.js';
import type { DurationMetric } from '../metrics/histograms.js';
import { gotResponse } from '../metrics/outcomes.js';
import { isError, isSuccess } from '../results/outcomes.js';
import type { JobResult } from '../results/types.js';
import { type Gate, type GateOp, holds } from './gate.js';

/**
 * `--abort-on-gate` (like k6's abortOnFail): watches the gates while the run goes and says when
 * one can no longer pass whatever the jobs still to come do. Only sound verdicts: each figure is
 * bounded by its best possible final value, given at most `plannedPerTarget` results per target.
 *
 * - `pass_rate`, `success_rate`, `error_rate` (any comparison): the best final share is reached
 *   when every remaining job goes the gate's way (passes / succeeds / errs, or not). Needs the
 *   planned count.
 * - `cost.total<x` / `<=x`: cost only grows, so it fails once the money spent reaches x. Needs a
 *   price; does not need the planned count.
 * - `<duration>.pNN<x` / `<=x` and `.max` for ttfb, ttft, ttfa, tpot, e2e, latency, queue: with at
 *   most N values, pNN ends at or above x once more than N − ⌈NN%·N⌉ values did (max: once one
 *   did). Needs the planned count.
 * - Never early: `throughput`, `.mean`, `.min`, `itl` and `connect` (not one value per job),
 *   `>`/`>=` on durations and cost, `--gate slo`, and any gate of a run whose size is unknown
 *   (time-bounded phases) except cost. They are judged at the end as always.
 */
export interface GateWatchOptions {
  gates: readonly Gate[];
  targets: readonly string[];
  /** At most this many results per target reach the statistics; null when unknown. */
  plannedPerTarget: number | null;
}

interface Tally {
  finished: number;
  errors: number;
  successes: number;
  judged: number;
  passed: number;
  spent: number;
  /** Per watched gate: values past its bound (durations only). */
  exceeded: number[];
}

/** The stat → the share of values at or below it. */
const QUANTILE: Partial<Record<string, number>> = {
  p50: 0.5,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
  p999: 0.999,
  max: 1,
};
/** Durations with at most one value per job, as TargetMetrics records them. */
const PER_JOB: ReadonlySet<DurationMetric> = new Set([
  'ttfb',
  'ttft',
  'ttfa',
  'tpot',
  'e2e',
  'latency',
  'queue',
]);
const ALWAYS_RECORDED: ReadonlySet<DurationMetric> = new Set(['latency', 'queue']);

const upperBound = (op: GateOp) => op === '<' || op === '<=';

/** Whether the gate is one this watch can ever decide early (see the file comment). */
export function decidableEarly(gate: Gate): boolean {
  const m = gate.metric;
  if (m.kind === 'rate') return true;
  if (m.kind === 'cost') return upperBound(gate.op);
  if (m.kind === 'duration')
    return upperBound(gate.op) && QUANTILE[m.stat] !== undefined && PER_JOB.has(m.metric);
  return false;
}

export class GateWatch {
  private readonly watched: Gate[];
  private readonly tallies = new Map<string, Tally>();
  private tripped: string | undefined;

  /** The plan's size, learned after the start (a dataset checked alongside the run): bounds can tighten from now on. */
  planKnown(plannedPerTarget: number): void {
    this.options = { ...this.options, plannedPerTarget };
  }

  constructor(private options: GateWatchOptions) {
    this.watched = options.gates.filter(decidableEarly);
    for (const t of options.targets) this.tallies.set(t, this.emptyTally());
  }

  /** Why the run should stop, once a gate can no longer pass. */
  get reason(): string | undefined {
    return this.tripped;
  }

  /** Folds one result of the statistics in; returns the reason the first time a gate is lost. */
  add(result: JobResult): string | undefined {
    const tally = this.tallies.get(result.target);
    if (!tally || this.watched.length === 0) return undefined;
    this.count(tally, result);
    if (this.tripped) return undefined;
    for (const gate of this.watched) {
      if (gate.target !== null && gate.target !== result.target) continue;
      const why = this.lost(gate, tally);
      if (why) {
        this.tripped = `gate '${gate.text}' can no longer pass for ${result.target}: ${why} (--abort-on-gate)`;
        return this.tripped;
      }
    }
    return undefined;
  }

  private emptyTally(): Tally {
    return {
      finished: 0,
      errors: 0,
      successes: 0,
      judged: 0,
      passed: 0,
      spent: 0,
      exceeded: this.watched.map(() => 0),
    };
  }

  private count(tally: Tally, result: JobResult): void {
    tally.finished++;
    if (isError(result.outcome)) tally.errors++;
    if (isSuccess(result.outcome)) tally.successes++;
    const verdict = checkVerdict(result);
    if (verdict === 'passed' || verdict === 'failed') tally.judged++;
    if (verdict === 'passed') tally.passed++;
    if (result.cost !== undefined) tally.spent += result.cost;
    this.watched.forEach((gate, i) => {
      if (gate.metric.kind !== 'duration') return;
      const { metric } = gate.metric;
      if (!ALWAYS_RECORDED.has(metric) && !gotResponse(result)) return;
      const value = result.durations[metric as keyof JobResult['durations']];
      if (value === undefined || !Number.isFinite(value)) return;
      // Compared as the histogram stores it (integer µs); its percentiles never read below that.
      const micros = Math.max(0, Math.round(value * 1000));
      const bound = gate.value * 1000;
      if (gate.op === '<' ? micros >= bound : micros > bound)
        tally.exceeded[i] = (tally.exceeded[i] ?? 0) + 1;
    });
  }

  /** Why `gate` can no longer pass on this tally, or undefined while it still can. */
  private lost(gate: Gate, tally: Tally): string | undefined {
    const planned = this.options.plannedPerTarget;
    const remaining = planned === null || tally.finished > planned ? null : planned - tally.finished;
    const m = gate.metric;
    if (m.kind === 'cost') {
      // Float sums of per-request costs may differ from the total's in the last digits.
      const spent = tally.spent - 1e-9 * Math.max(1, Math.abs(gate.value));
      return holds(spent, gate.op, gate.value) ? undefined : `${round(tally.spent)} spent already`;
    }
    if (remaining === null) return undefined;
    if (m.kind === 'rate') {
      const [hits, total, what] =
        m.name === 'pass_rate'
          ? [tally.passed, tally.judged, 'judged answers passed']
          : m.name === 'success_rate'
            ? [tally.successes, tally.finished, 'jobs succeeded']
            : [tally.errors, tally.finished, 'jobs failed'];
      const best = bestShare(hits, total, remaining, upperBound(gate.op));
      if (best === null || holds(best, gate.op, gate.value)) return undefined;
      return `${hits} of ${total} ${what} with ${remaining} job(s) to go, so ${m.name} ends at ${upperBound(gate.op) ? 'least' : 'most'} ${round(best)}`;
    }
    if (m.kind === 'duration') {
      const i = this.watched.indexOf(gate);
      const q = QUANTILE[m.stat] ?? 1;
      const exceeded = tally.exceeded[i] ?? 0;
      const allowed =
        planned === null ? Number.POSITIVE_INFINITY : planned - Math.max(1, Math.ceil(q * planned - 1e-9));
      if (exceeded <= allowed) return undefined;
      return `${exceeded} of at most ${planned} requests had ${m.metric} ${gate.op === '<' ? '≥' : '>'} ${gate.value} ms`;
    }
    return undefined;
  }
}

/**
 * The most favourable final share of `hits` in `total` once `remaining` more jobs are in: all of
 * them against (for an upper bound) or all of them for (a lower bound). For the pass rate a
 * remaining job may also go unjudged, which leaves the share between these two.
 */
function bestShare(hits: number, total: number, remaining: number, upper: boolean): number | null {
  const all = total + remaining;
  if (all === 0) return null;
  return upper ? hits / all : (hits + remaining) / all;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
