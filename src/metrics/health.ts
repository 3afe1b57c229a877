import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { HistogramSet, type Percentiles } from './histograms.js';

/**
 * Above these the client itself, not the service, may be shaping the numbers (DESIGN §3: a load
 * tester must know when it is the bottleneck).
 */
export const HEALTH_THRESHOLDS = {
  /**
   * A late callback delays the timestamp of whatever chunk arrived meanwhile. Streamed chunks are
   * typically 10–50 ms apart, so 5 ms of loop delay is already a visible share of an ITL gap,
   * while 1–2 ms is within the jitter of a loopback socket and timer scheduling.
   */
  eventLoopP99Ms: 5,
  /**
   * Node timers fire 1–2 ms late on an idle loop; 5 ms leaves room for that. Beyond it the
   * arrival process the server saw is no longer the one asked for (bursty instead of paced).
   */
  dispatchLagP99Ms: 5,
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

/** Turns measurements into warnings, one per threshold crossed, each saying what it means and what to do. */
export function healthWarnings(m: HealthMeasurements): string[] {
  const t = HEALTH_THRESHOLDS;
  const warnings: string[] = [];
  const loop = m.eventLoopDelayMs;
  if (loop.p99 > t.eventLoopP99Ms) {
    warnings.push(
      `event-loop delay p99 was ${fixed(loop.p99)} ms (> ${t.eventLoopP99Ms} ms, max ${fixed(loop.max)} ms): ` +
        'client-side timings may be inflated by up to that much; lower the concurrency or run shards',
    );
  }
  const lagP99 = m.dispatchLagMs?.p99;
  if (lagP99 != null && lagP99 > t.dispatchLagP99Ms) {
    warnings.push(
      `dispatch lag p99 was ${fixed(lagP99)} ms (> ${t.dispatchLagP99Ms} ms): requests left later than ` +
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
  if (m.cpuPercent > t.cpuPercent) {
    warnings.push(
      `client CPU was ${Math.round(m.cpuPercent)} % of one core (> ${t.cpuPercent} %): the client is near ` +
        'saturation and its timings are suspect; lower the concurrency or run shards',
    );
  }
  return warnings;
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

  private cpuPercent(): number {
    if (this.startedAt === undefined || this.cpuAtStart === undefined) return 0;
    const end = this.cpuAtStop ?? this.cpuUsage();
    const wallMs = (this.stoppedAt ?? this.now()) - this.startedAt;
    if (wallMs <= 0) return 0;
    const cpuMs = (end.user - this.cpuAtStart.user + end.system - this.cpuAtStart.system) / 1000;
    return Math.round((cpuMs / wallMs) * 1000) / 10;
  }
}
