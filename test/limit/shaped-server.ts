import { Limiter, type LimiterOptions } from '../../src/limit/limiter.js';
import { createRandom } from '../../src/random.js';
import type { OutcomeClass } from '../../src/results/outcomes.js';
import type { FakeClock } from '../helpers/fake-clock.js';
import { driveClosedLoop } from './closed-loop-driver.js';

/**
 * Rate limits of the shapes real servers have, on fake time, written for the controller's
 * simulation tests (not shared with src/mock). Each answers "admit now?" and, when not, how long
 * until it would (what a Retry-After would say). `scale(now)` lets a limit move during a run.
 */
export interface Shape {
  /** ms until a request costing `cost` could be admitted (0 = admit now); admits it when 0. */
  tryAdmit(now: number, cost: number): number;
  /** A request finished (concurrency slots; TPM completion tokens are folded into `cost`). */
  release?(now: number): void;
  /** Long-run admitted requests per second at scale 1 (for the throughput target). */
  readonly ratePerSec: number;
}

type Scale = (now: number) => number;
const one: Scale = () => 1;

/** nginx limit_req / Envoy / API-gateway style: refill `perMinute / 60` per second, capacity `burst`. */
export function tokenBucket(perMinute: number, burst: number, scale: Scale = one): Shape {
  let tokens = burst;
  let at = 0;
  return {
    ratePerSec: perMinute / 60,
    tryAdmit(now, cost) {
      const rate = (perMinute * scale(now)) / 60_000;
      tokens = Math.min(burst, tokens + (now - at) * rate);
      at = now;
      if (tokens >= cost) {
        tokens -= cost;
        return 0;
      }
      return Math.ceil((cost - tokens) / rate);
    },
  };
}

/** A counter that resets at every minute boundary of the server's clock. */
export function fixedWindow(perMinute: number, scale: Scale = one): Shape {
  let window = -1;
  let used = 0;
  return {
    ratePerSec: perMinute / 60,
    tryAdmit(now, cost) {
      const w = Math.floor(now / 60_000);
      if (w !== window) {
        window = w;
        used = 0;
      }
      if (used + cost <= perMinute * scale(now)) {
        used += cost;
        return 0;
      }
      return (w + 1) * 60_000 - now;
    },
  };
}

/** Admitted cost in the last 60 s (StepFun's documented shape, and the mock's default). */
export function slidingWindow(perMinute: number, scale: Scale = one): Shape {
  const entries: Array<{ at: number; cost: number }> = [];
  let head = 0;
  let sum = 0;
  return {
    ratePerSec: perMinute / 60,
    tryAdmit(now, cost) {
      while (head < entries.length && entries[head]!.at <= now - 60_000) sum -= entries[head++]!.cost;
      if (sum + cost <= perMinute * scale(now)) {
        entries.push({ at: now, cost });
        sum += cost;
        return 0;
      }
      let left = sum;
      for (let i = head; i < entries.length; i++) {
        left -= entries[i]!.cost;
        if (left + cost <= perMinute * scale(now)) return entries[i]!.at + 60_000 - now;
      }
      return 60_000;
    },
  };
}

/** Requests answered at once. */
export function concurrency(slots: number, meanLatencyMs: number): Shape {
  let inFlight = 0;
  return {
    ratePerSec: (slots * 1000) / meanLatencyMs,
    tryAdmit() {
      if (inFlight >= slots) return 1000;
      inFlight++;
      return 0;
    },
    release() {
      inFlight--;
    },
  };
}

export interface ShapedServerOptions {
  shape: Shape;
  /** Service time of an admitted request, ms: uniform in [min, max]. */
  latencyMs: [number, number];
  rejectMs: number;
  /** Send Retry-After (whole seconds, as HTTP says) with each 429. */
  retryAfter: boolean;
  /** What one request costs the shape (1 for request limits; tokens for TPM). */
  cost?: number;
}

interface Reply {
  outcome: OutcomeClass;
  status: number;
  retryAfterMs?: number;
}

export class ShapedServer {
  readonly admitted: number[] = [];
  attempts = 0;
  rejected = 0;
  constructor(
    private readonly clock: FakeClock,
    private readonly o: ShapedServerOptions,
    private readonly random: () => number,
  ) {}

  async handle(): Promise<Reply> {
    this.attempts++;
    const now = this.clock.now();
    const wait = this.o.shape.tryAdmit(now, this.o.cost ?? 1);
    if (wait > 0) {
      this.rejected++;
      await this.clock.sleep(this.o.rejectMs);
      if (!this.o.retryAfter) return { outcome: 'rate_limited', status: 429 };
      const seconds = Math.max(1, Math.ceil(wait / 1000));
      return { outcome: 'rate_limited', status: 429, retryAfterMs: seconds * 1000 };
    }
    this.admitted.push(now);
    const [lo, hi] = this.o.latencyMs;
    await this.clock.sleep(lo + this.random() * (hi - lo));
    this.o.shape.release?.(this.clock.now());
    return { outcome: 'ok', status: 200 };
  }

  admittedBetween(from: number, to: number): number {
    let n = 0;
    for (const t of this.admitted) if (t >= from && t < to) n++;
    return n;
  }
}

export interface ShapedRun {
  workers: number;
  durationMs: number;
  /** Throughput is judged from here (after the first episode / the first windows). */
  measureFromMs: number;
  seed: number;
}

export interface ShapedResult {
  server: ShapedServer;
  limiter: Limiter;
  /** Admitted per second over [measureFromMs, durationMs). */
  steadyRate: number;
  rateLimitedShare: number;
  rowsDone: number;
  /** Rows whose every attempt was refused (retries exhausted). */
  rowsLost: number;
}

/** A closed loop of `workers` rows at a time through the Limiter, with the real retry policy. */
export async function simulateShaped(
  clock: FakeClock,
  server: ShapedServerOptions,
  limiterOptions: Omit<LimiterOptions, 'clock'>,
  run: ShapedRun,
): Promise<ShapedResult> {
  const random = createRandom(run.seed);
  const sim = new ShapedServer(clock, server, random);
  const limiter = new Limiter({ ...limiterOptions, clock });
  const { rowsDone, rowsLost } = await driveClosedLoop(clock, limiter, () => sim.handle(), random, run);
  const measured = sim.admittedBetween(run.measureFromMs, run.durationMs);
  return {
    server: sim,
    limiter,
    steadyRate: measured / ((run.durationMs - run.measureFromMs) / 1000),
    rateLimitedShare: sim.rejected / sim.attempts,
    rowsDone,
    rowsLost,
  };
}
