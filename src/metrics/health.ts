import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { HistogramSet, type Percentiles } from './histograms.js';
import type { TargetSummary } from './target-metrics.js';

/**
 * Above these the client itself, not the service, may be shaping the numbers (DESIGN §3: a load
 * tester must know when it is the bottleneck). A delay only matters next to what it delays, so
 * the two delay rules are relative, with an absolute floor below which a delay is just timer and
 * loopback jitter; and a verdict needs enough samples to be more than one outlier.
 */
export const HEALTH_THRESHOLDS = {
  /**
   * Floor for event-loop delay and dispatch lag p99, ms. Node timers fire 1–2 ms late on an idle
   * loop and a loopback socket jitters by as much; 5 ms leaves room for that.
   */
  eventLoopP99Ms: 5,
  dispatchLagP99Ms: 5,
  /**
   * A late callback delays the timestamp of whatever chunk arrived meanwhile, by up to the delay.
   * It makes the numbers doubtful once its p99 passes this share of the run's typical latency
   * (the fastest target's TTFT p50, or e2e p50 without streaming): a 6.7 ms delay is 1/3 of a
   * 20 ms TTFT but 0.3 % of a 2 s one. 10 % is about the spread one can read from a p50 anyway.
   */
  eventLoopShareOfLatency: 0.1,
  /**
   * Dispatch lag makes the offered load burstier than asked once it is a visible share of the
   * gap between arrivals (1 / target rate): 10 % of it, or the floor, whichever is larger.
   */
  dispatchLagShareOfGap: 0.1,
  /**
   * A p99 of fewer than 100 samples is the maximum: one GC pause or the JIT compiling the hot
   * paths in the first second would decide the verdict. From 100 samples on the p99 leaves out
   * the single worst one. For the event loop that is ≥ 1 s of a healthy run (one sample per
   * 10 ms tick); a loop blocked badly enough to tick less often still shows up in the CPU rule.
   */
  minSamples: 100,
  /**
   * CPU share is judged over at least this much measured time, ms: over a run shorter than a
   * second it is mostly one-off start-up work (compiling, opening connections).
   */
  minMeasuredMs: 1000,
  /**
   * Constant arrivals lose at most a request at each window edge and Poisson arrivals vary by
   * chance over short runs; 3 % absorbs both, so a shortfall past it means the client fell behind.
   */
  achievedShare: 0.97,
  /**
   * Percent of one core. The JS thread is single; near 100 % it cannot keep pace and every timing
   * above degrades. 90 warns before that point (GC and libuv threads also count here).
   */
  cpuPercent: 90,
} as const;

/**
 * The event-loop monitor's sampling period, ms. Node records the whole interval between two of
 * its timer ticks, so an idle loop reads ≈ this value; we subtract it to report the delay beyond
 * the intended tick (an idle loop then reads ≈ 0, and a 60 ms block reads ≈ 60, not 70).
 * Depending on where inside a tick a block begins, it reads up to one resolution shorter than it
 * lasted, so blocks under ~10 ms may not show; the blocks worth a warning are longer than that.
 * 10 ms is also Node's default and costs one timer wake-up per tick.
 */
export const EVENT_LOOP_RESOLUTION_MS = 10;

export interface CpuTimes {
  /** µs, as process.cpuUsage() reports. */
  user: number;
  system: number;
}

export interface HealthOptions {
  /** Wall clock in ms (performance.now by default), for the CPU share. */
  now?: () => number;
  /** CPU time source (process.cpuUsage by default); injectable so tests need not burn CPU. */
  cpuUsage?: () => CpuTimes;
}

export interface EventLoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export interface HealthSummary {
  /** Delay beyond the monitor's tick, ms; all 0 when the run was shorter than one tick. */
  eventLoopDelayMs: EventLoopDelay;
  /** Ticks the event-loop monitor recorded (≈ one per 10 ms on a healthy loop). */
  eventLoopSamples: number;
  /** Wall time the client was watched over, ms (the measured phases). */
  measuredMs: number;
  /**
   * The latency the event-loop delay is compared with, ms: the fastest target's TTFT p50 (e2e p50
   * without streaming); null when unknown (then only the absolute floor applies).
   */
  latencyReferenceMs: number | null;
  /** User + system CPU time over wall time, percent of one core; can exceed 100 (GC, libuv threads). */
  cpuPercent: number;
  /** Open loop only: actual − intended start of each dispatch; null in closed loop. */
  dispatchLagMs: Percentiles | null;
  targetRate: number | null;
  achievedRate: number | null;
  /** achieved / target; null unless both rates are known and target > 0. */
  achievedShare: number | null;
  /** Plain sentences for the console and the report; empty when the client kept up. */
  warnings: string[];
}

/** The measurements a verdict is drawn from: split out so warnings can be tested with synthetic numbers. */
export type HealthMeasurements = Omit<HealthSummary, 'warnings'>;

function fixed(value: number, digits = 1): string {
  return value.toFixed(digits);
}

/** The event-loop p99 above which timings are doubtful, ms, given the run's typical latency. */
export function eventLoopLimitMs(latencyReferenceMs: number | null): number {
  const t = HEALTH_THRESHOLDS;
  return Math.max(t.eventLoopP99Ms, (latencyReferenceMs ?? 0) * t.eventLoopShareOfLatency);
}

/** The dispatch-lag p99 above which the offered load was burstier than asked, ms. */
export function dispatchLagLimitMs(targetRate: number | null): number {
  const t = HEALTH_THRESHOLDS;
  const gapMs = targetRate !== null && targetRate > 0 ? 1000 / targetRate : 0;
  return Math.max(t.dispatchLagP99Ms, gapMs * t.dispatchLagShareOfGap);
}

/**
 * Turns measurements into warnings, one per rule broken, each saying what it means and what to
 * do. Rules (HEALTH_THRESHOLDS says why): event-loop delay p99 above max(5 ms, 10 % of the
 * reference latency), over ≥ 100 ticks; dispatch lag p99 above max(5 ms, 10 % of the arrival
 * gap), over ≥ 100 dispatches; achieved rate under 97 % of target; CPU above 90 % of a core,
 * over ≥ 1 s.
 */
export function healthWarnings(m: HealthMeasurements): string[] {
  const t = HEALTH_THRESHOLDS;
  const warnings: string[] = [];
  const loop = m.eventLoopDelayMs;
  const loopLimit = eventLoopLimitMs(m.latencyReferenceMs);
  if (m.eventLoopSamples >= t.minSamples && loop.p99 > loopLimit) {
    const basis =
      loopLimit > t.eventLoopP99Ms
        ? `${fixed(t.eventLoopShareOfLatency * 100, 0)} % of the typical latency ${fixed(m.latencyReferenceMs ?? 0)} ms; `
        : '';
    warnings.push(
      `event-loop delay p99 was ${fixed(loop.p99)} ms (> ${fixed(loopLimit)} ms, ${basis}max ${fixed(loop.max)} ms): ` +
        'client-side timings may be inflated by up to that much; lower the concurrency or run shards',
    );
  }
  const lag = m.dispatchLagMs;
  const lagLimit = dispatchLagLimitMs(m.targetRate);
  if (lag && lag.count >= t.minSamples && lag.p99 != null && lag.p99 > lagLimit) {
    warnings.push(
      `dispatch lag p99 was ${fixed(lag.p99)} ms (> ${fixed(lagLimit)} ms): requests left later than ` +
        'the arrival schedule asked, so the offered load was burstier than intended; lower the rate or run shards',
    );
  }
  if (m.achievedShare !== null && m.achievedShare < t.achievedShare) {
    warnings.push(
      `achieved ${fixed(m.achievedShare * 100)} % of the target rate (< ${t.achievedShare * 100} %): ` +
        `the client could not keep up (${fixed(m.achievedRate ?? 0, 2)} of ${fixed(m.targetRate ?? 0, 2)} requests/s); ` +
        'raise the concurrency limit, lower the rate, or run shards',
    );
  }
  if (m.measuredMs >= t.minMeasuredMs && m.cpuPercent > t.cpuPercent) {
    warnings.push(
      `client CPU was ${Math.round(m.cpuPercent)} % of one core (> ${t.cpuPercent} %): the client is near ` +
        'saturation and its timings are suspect; lower the concurrency or run shards',
    );
  }
  return warnings;
}

/**
 * The run's typical latency, for judging event-loop delay: the smallest TTFT p50 over the targets
 * (e2e p50 for a target without a first token, e.g. no streaming); null when nothing completed.
 */
export function typicalLatencyMs(summaries: ReadonlyArray<Pick<TargetSummary, 'latency'>>): number | null {
  let best: number | null = null;
  for (const { latency } of summaries) {
    const p50 = latency.ttft.p50 ?? latency.e2e.p50;
    if (p50 !== null && (best === null || p50 < best)) best = p50;
  }
  return best;
}

/** `health` judged again next to the run's typical latency (what a report does once it knows it). */
export function judgeHealth(health: HealthSummary, latencyReferenceMs: number | null): HealthSummary {
  const { warnings: _, ...measurements } = health;
  const judged: HealthMeasurements = { ...measurements, latencyReferenceMs };
  return { ...judged, warnings: healthWarnings(judged) };
}

function nsToDelayMs(ns: number): number {
  const ms = ns / 1e6 - EVENT_LOOP_RESOLUTION_MS;
  return Math.max(0, Math.round(ms * 1000) / 1000);
}

function readEventLoop(h: IntervalHistogram): EventLoopDelay {
  // An empty histogram reports min/max as sentinel extremes; a run shorter than one tick saw nothing.
  if (h.count === 0) return { p50: 0, p99: 0, max: 0, mean: 0 };
  return {
    p50: nsToDelayMs(h.percentile(50)),
    p99: nsToDelayMs(h.percentile(99)),
    max: nsToDelayMs(h.max),
    mean: nsToDelayMs(h.mean),
  };
}

/**
 * Watches the client for the whole run: event-loop delay, CPU, open-loop dispatch lag and
 * achieved vs target rate. Cheap enough to stay on during measurement (one 10 ms timer inside
 * Node, one histogram record per dispatch).
 */
export class ClientHealth {
  private readonly now: () => number;
  private readonly cpuUsage: () => CpuTimes;
  private readonly loop = monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
  // HistogramSet only knows the shared metric names; dispatch lag is a client queueing delay
  // (intended → actual start), so it lives under `queue` in a set that holds nothing else.
  private lag = new HistogramSet();
  private running = false;
  private startedAt: number | undefined;
  private stoppedAt: number | undefined;
  private cpuAtStart: CpuTimes | undefined;
  private cpuAtStop: CpuTimes | undefined;
  private targetRate: number | null = null;
  private achievedRate: number | null = null;

  constructor(options: HealthOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.cpuUsage = options.cpuUsage ?? (() => process.cpuUsage());
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop.enable();
    this.cpuAtStart = this.cpuUsage();
    this.startedAt = this.now();
    this.stoppedAt = undefined;
    this.cpuAtStop = undefined;
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.loop.disable();
    this.cpuAtStop = this.cpuUsage();
    this.stoppedAt = this.now();
  }

  /**
   * Starts the measurement over (after a warmup): the event-loop histogram, dispatch lag and CPU
   * baseline then describe only what follows, like the statistics they are judged with.
   */
  restart(): void {
    this.stop();
    this.loop.reset();
    this.lag = new HistogramSet();
    this.start();
  }

  recordDispatchLag(ms: number): void {
    this.lag.record('queue', ms);
  }

  /** Rates in requests/s; undefined when not applicable (no target rate in closed loop). */
  setRates(targetPerSec: number | undefined, achievedPerSec: number | undefined): void {
    this.targetRate = targetPerSec ?? null;
    this.achievedRate = achievedPerSec ?? null;
  }

  /** Callable while running (values so far) or after stop (frozen at stop). */
  summary(): HealthSummary {
    const measurements: HealthMeasurements = {
      eventLoopDelayMs: readEventLoop(this.loop),
      eventLoopSamples: this.loop.count,
      measuredMs: this.measuredMs(),
      latencyReferenceMs: null,
      cpuPercent: this.cpuPercent(),
      dispatchLagMs: this.lag.count('queue') > 0 ? this.lag.percentiles('queue') : null,
      targetRate: this.targetRate,
      achievedRate: this.achievedRate,
      achievedShare:
        this.targetRate !== null && this.targetRate > 0 && this.achievedRate !== null
          ? Math.round((this.achievedRate / this.targetRate) * 10_000) / 10_000
          : null,
    };
    return { ...measurements, warnings: healthWarnings(measurements) };
  }

  private measuredMs(): number {
    if (this.startedAt === undefined) return 0;
    return Math.round(((this.stoppedAt ?? this.now()) - this.startedAt) * 1000) / 1000;
  }

  private cpuPercent(): number {
    if (this.startedAt === undefined || this.cpuAtStart === undefined) return 0;
    const end = this.cpuAtStop ?? this.cpuUsage();
    const wallMs = (this.stoppedAt ?? this.now()) - this.startedAt;
    if (wallMs <= 0) return 0;
    const cpuMs = (end.user - this.cpuAtStart.user + end.system - this.cpuAtStart.system) / 1000;
    return Math.round((cpuMs / wallMs) * 1000) / 10;
  }
}
