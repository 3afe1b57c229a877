import { Limiter, type LimiterOptions } from '../../src/limit/limiter.js';
import { createRandom } from '../../src/random.js';
import type { OutcomeClass } from '../../src/results/outcomes.js';
import type { FakeClock } from '../helpers/fake-clock.js';
import { driveClosedLoop } from './closed-loop-driver.js';

/**
 * A StepFun-like server on fake time: a concurrency cap and a sliding 60-s RPM window, answering
 * 429 (quickly) when either is full, with or without Retry-After.
 */
export interface SimServerOptions {
  concurrency: number;
  rpm: number;
  /** Service time of an admitted request, ms: uniform in [min, max]. */
  latencyMs: [number, number];
  /** Time to answer a 429. */
  rejectMs: number;
  sendRetryAfter: boolean;
}

interface Reply {
  outcome: OutcomeClass;
  status?: number;
  headers?: Record<string, string>;
  retryAfterMs?: number;
}

export class SimServer {
  admittedTimes: number[] = [];
  rejected = 0;
  attempts = 0;
  rejectTimes: number[] = [];
  attemptTimes: number[] = [];
  private inFlight = 0;
  private windowStart = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly options: SimServerOptions,
    private readonly random: () => number,
  ) {}

  private inWindow(now: number): number {
    while (
      this.windowStart < this.admittedTimes.length &&
      this.admittedTimes[this.windowStart]! <= now - 60_000
    ) {
      this.windowStart++;
    }
    return this.admittedTimes.length - this.windowStart;
  }

  async handle(): Promise<Reply> {
    this.attempts++;
    const now = this.clock.now();
    this.attemptTimes.push(now);
    const windowFull = this.inWindow(now) >= this.options.rpm;
    if (windowFull || this.inFlight >= this.options.concurrency) {
      this.rejected++;
      this.rejectTimes.push(now);
      await this.clock.sleep(this.options.rejectMs);
      if (!this.options.sendRetryAfter) return { outcome: 'rate_limited', status: 429 };
      // When the window is full, the oldest admission tells exactly when a slot reopens.
      const waitMs = windowFull ? this.admittedTimes[this.windowStart]! + 60_000 - now : 1000;
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      return {
        outcome: 'rate_limited',
        status: 429,
        headers: { 'retry-after': String(seconds) },
        retryAfterMs: seconds * 1000,
      };
    }
    this.admittedTimes.push(now);
    this.inFlight++;
    const [lo, hi] = this.options.latencyMs;
    await this.clock.sleep(lo + this.random() * (hi - lo));
    this.inFlight--;
    return { outcome: 'ok', status: 200 };
  }

  /** Largest count of admissions in any 60-s window (the server's own check, so ≤ rpm). */
  admittedBetween(fromMs: number, toMs: number): number {
    return this.admittedTimes.filter((t) => t >= fromMs && t < toMs).length;
  }
}

export interface SimResult {
  server: SimServer;
  limiter: Limiter;
  /** Admitted requests per minute over [measureFromMs, durationMs). */
  steadyRpm: number;
  rateLimitedShare: number;
  limits: number[];
}

/**
 * Drives `workers` jobs-at-a-time (the closed-loop scheduler) through a Limiter against the server
 * for `durationMs` of fake time, with the real retry policy.
 */
export async function simulate(
  clock: FakeClock,
  server: SimOptions,
  limiterOptions: Omit<LimiterOptions, 'clock'>,
  run: { workers: number; durationMs: number; measureFromMs: number; seed: number },
): Promise<SimResult> {
  const random = createRandom(run.seed);
  const sim = new SimServer(clock, server, random);
  const limiter = new Limiter({ ...limiterOptions, clock });
  const limits: number[] = [];
  limiter.onEvent((e) => limits.push(e.limit));
  await driveClosedLoop(clock, limiter, () => sim.handle(), random, run);
  const measured = sim.admittedBetween(run.measureFromMs, run.durationMs);
  return {
    server: sim,
    limiter,
    steadyRpm: measured / ((run.durationMs - run.measureFromMs) / 60_000),
    rateLimitedShare: sim.rejected / sim.attempts,
    limits,
  };
}

type SimOptions = SimServerOptions;
