import { CAPACITY_DEFAULTS } from '../plan/defaults.js';
import { formatPercent, formatRate } from '../report/format.js';
import { buildAnswer, describeLoad, formatLoad } from './answer.js';
import type {
  CapacityAnswer,
  CapacityDimension,
  CapacityPoint,
  CapacityThresholds,
  SearchOptions,
  StepMeasurement,
  StepVerdict,
} from './types.js';

export const DEFAULT_THRESHOLDS: CapacityThresholds = CAPACITY_DEFAULTS.thresholds;

/** Rates are measured to the hundredth of a request per second: finer steps are noise. */
const RATE_DECIMALS = 100;

/**
 * Fills in defaults. Concurrency is bisected down to 1. For rate, an absolute resolution has to fit
 * very different scales, so it is a tenth of the start rate, but never below 0.5 req/s: the
 * difference between 20.0 and 20.25 req/s is inside the noise of a bounded step anyway.
 */
export function defaultSearchOptions(
  dimension: CapacityDimension,
  overrides: Partial<Omit<SearchOptions, 'dimension' | 'thresholds'>> & {
    thresholds?: Partial<CapacityThresholds>;
  } = {},
): SearchOptions {
  const start = overrides.start ?? CAPACITY_DEFAULTS.start;
  const resolution = dimension === 'concurrency' ? 1 : Math.max(0.5, 0.1 * start);
  return {
    dimension,
    start,
    max: overrides.max ?? CAPACITY_DEFAULTS.max[dimension],
    growth: overrides.growth ?? 2,
    resolution: overrides.resolution ?? resolution,
    maxSteps: overrides.maxSteps ?? 12,
    thresholds: { ...DEFAULT_THRESHOLDS, ...overrides.thresholds },
  };
}

function validate(options: SearchOptions): void {
  const problems: string[] = [];
  if (!(options.start > 0)) problems.push(`start must be > 0 (got ${options.start})`);
  if (!(options.max >= options.start))
    problems.push(`max (${options.max}) must be ≥ start (${options.start})`);
  if (!(options.growth > 1)) problems.push(`growth must be > 1 (got ${options.growth})`);
  if (!(options.resolution > 0)) problems.push(`resolution must be > 0 (got ${options.resolution})`);
  if (!(Number.isInteger(options.maxSteps) && options.maxSteps >= 1))
    problems.push(`maxSteps must be a whole number ≥ 1 (got ${options.maxSteps})`);
  if (problems.length > 0) throw new RangeError(`invalid capacity search options: ${problems.join('; ')}`);
}

/** What the search wants next: a load to measure, or the end with its reason. */
type Plan = { kind: 'measure'; load: number } | { kind: 'done'; reason: string };

/**
 * Finds the highest load a server sustains. Exponential phase: start, start×growth, … (capped at
 * max) while steps stay good. The first bad or saturated step brackets the knee; bisection then
 * narrows the gap between the highest good and the lowest bad load until it is within the
 * resolution. Measured loads never repeat: every new load lies strictly above all good loads and
 * strictly below all bad ones.
 *
 * Use: `for (let load = s.next(); load !== undefined; load = s.next()) s.record(await step(load));`
 */
export class CapacitySearch {
  readonly options: SearchOptions;
  private readonly points: CapacityPoint[] = [];
  private stopReason: string | undefined;

  constructor(options: SearchOptions) {
    validate(options);
    this.options = options;
  }

  /** The next load to measure, or undefined when the search is over. Integers for concurrency. */
  next(): number | undefined {
    if (this.stopReason !== undefined) return undefined;
    const plan = this.plan();
    if (plan.kind === 'done') {
      this.stopReason = plan.reason;
      return undefined;
    }
    if (this.points.length >= this.options.maxSteps) {
      this.stopReason = this.budgetReason();
      return undefined;
    }
    return plan.load;
  }

  /** Records a measured step and judges it against the steps already recorded. */
  record(step: StepMeasurement): CapacityPoint {
    if (this.points.some((p) => p.load === step.load))
      throw new Error(`capacity search: load ${step.load} was already measured`);
    const point: CapacityPoint = { ...step, verdict: this.verdict(step) };
    this.points.push(point);
    return point;
  }

  /** Ends the search early (Ctrl-C, a fatal error): `answer()` then reports what was found so far. */
  stop(reason: string): void {
    this.stopReason ??= reason;
  }

  /** Whether the search has ended (next() returned undefined, or stop() was called). */
  get finished(): boolean {
    return this.stopReason !== undefined;
  }

  /**
   * Judges a step: 429 share, then other errors, then SLOs, then saturation. Saturation compares the
   * step with the best good step below it: throughput must grow by (1+minGain) per doubling of load,
   * i.e. by (load/lower)^log2(1+minGain). Over a doubling that is exactly "at least minGain more";
   * between close bisection points it asks proportionally less, so 33 vs 32 on a server that still
   * scales linearly is not mistaken for a plateau.
   */
  verdict(step: StepMeasurement): StepVerdict {
    const { thresholds, dimension } = this.options;
    const at = describeLoad(dimension, step.load);
    if (step.requests === 0) return { ok: false, kind: 'errors', reason: `no request finished at ${at}` };
    if (step.rateLimitedShare > thresholds.max429Share)
      return {
        ok: false,
        kind: 'rate_limited',
        reason: `429 share ${formatPercent(step.rateLimitedShare)} at ${at} > ${formatPercent(thresholds.max429Share)}`,
      };
    if (step.errorShare > thresholds.maxErrorShare)
      return {
        ok: false,
        kind: 'errors',
        reason: `error share ${formatPercent(step.errorShare)} at ${at} > ${formatPercent(thresholds.maxErrorShare)}`,
      };
    if (step.sloPassed === false) {
      const detail = step.sloFailures?.length ? `: ${step.sloFailures.join(', ')}` : '';
      return { ok: false, kind: 'slo', reason: `SLO failed at ${at}${detail}` };
    }
    const saturated = this.saturationReason(step);
    if (saturated !== null) return { ok: false, kind: 'saturated', reason: saturated };
    return { ok: true, kind: 'good', reason: `good at ${at}` };
  }

  /** What was found so far; complete once next() has returned undefined. */
  answer(): CapacityAnswer {
    const reason = this.stopReason ?? `search still running after ${this.points.length} steps`;
    return buildAnswer(this.options.dimension, this.points, reason);
  }

  private saturationReason(step: StepMeasurement): string | null {
    let best: CapacityPoint | undefined;
    for (const p of this.points) {
      if (!p.verdict.ok || p.load >= step.load) continue;
      if (best === undefined || p.throughputRps >= best.throughputRps) best = p;
    }
    if (best === undefined) return null;
    const exponent = Math.log2(1 + this.options.thresholds.minGain);
    const needed = best.throughputRps * (step.load / best.load) ** exponent;
    if (step.throughputRps >= needed) return null;
    const { dimension } = this.options;
    return (
      `throughput saturated at ${describeLoad(dimension, step.load)}: ${formatRate(step.throughputRps)} req/s ` +
      `vs ${formatRate(best.throughputRps)} req/s at ${formatLoad(best.load)} (needed ≥ ${formatRate(needed)})`
    );
  }

  /** The highest good load below the lowest bad one, and that bad one. */
  private bracket(): { lo: CapacityPoint | undefined; hi: CapacityPoint | undefined } {
    let hi: CapacityPoint | undefined;
    for (const p of this.points) if (!p.verdict.ok && (hi === undefined || p.load < hi.load)) hi = p;
    let lo: CapacityPoint | undefined;
    for (const p of this.points) {
      if (!p.verdict.ok || (hi !== undefined && p.load >= hi.load)) continue;
      if (lo === undefined || p.load > lo.load) lo = p;
    }
    return { lo, hi };
  }

  private plan(): Plan {
    const { dimension, max } = this.options;
    if (this.points.length === 0) return { kind: 'measure', load: this.roundLoad(this.options.start) };
    const { lo, hi } = this.bracket();
    if (lo === undefined) {
      // Nothing below the first step is known, so there is nothing to bisect against.
      const reason = hi?.verdict.reason ?? 'no good step';
      return { kind: 'done', reason: `the start load already failed (${reason}); try a lower start` };
    }
    if (hi === undefined) {
      const ceiling = this.roundLoad(max, 'down');
      if (lo.load >= ceiling)
        return {
          kind: 'done',
          reason: `reached the maximum, ${describeLoad(dimension, ceiling)}, with every step within limits`,
        };
      return { kind: 'measure', load: Math.min(ceiling, this.grow(lo.load)) };
    }
    const mid = this.roundLoad((lo.load + hi.load) / 2, 'down');
    if (hi.load - lo.load <= this.options.resolution || mid <= lo.load || mid >= hi.load)
      return { kind: 'done', reason: hi.verdict.reason };
    return { kind: 'measure', load: mid };
  }

  private budgetReason(): string {
    const { lo, hi } = this.bracket();
    const { dimension, maxSteps } = this.options;
    const used = `used all ${maxSteps} steps`;
    if (hi === undefined)
      return `${used} while still climbing${lo ? ` (last good: ${describeLoad(dimension, lo.load)})` : ''}`;
    if (lo === undefined) return `${used}; ${hi.verdict.reason}`;
    return `${used} with the knee between ${formatLoad(lo.load)} and ${formatLoad(hi.load)} (${hi.verdict.reason})`;
  }

  /** The next exponential step, always strictly above `load` after rounding. */
  private grow(load: number): number {
    const grown = this.roundLoad(load * this.options.growth, 'up');
    const smallest = this.options.dimension === 'concurrency' ? load + 1 : load + 1 / RATE_DECIMALS;
    return Math.max(grown, this.roundLoad(smallest, 'up'));
  }

  private roundLoad(load: number, direction: 'down' | 'up' | 'nearest' = 'nearest'): number {
    const scale = this.options.dimension === 'concurrency' ? 1 : RATE_DECIMALS;
    const op = direction === 'down' ? Math.floor : direction === 'up' ? Math.ceil : Math.round;
    // Float products like 0.1×3×100 land a hair off the integer; snap before rounding up or down.
    const scaled = Math.round(load * scale * 1e6) / 1e6;
    const rounded = op(scaled) / scale;
    return this.options.dimension === 'concurrency' ? Math.max(1, rounded) : Math.max(1 / scale, rounded);
  }
}
