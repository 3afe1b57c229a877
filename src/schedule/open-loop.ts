import { type Clock, realClock } from '../clock.js';
import type { Job } from '../plan/types.js';
import { type ArrivalSpec, arrivalProblem, createArrivals } from './arrivals.js';
import { Fifo } from './fifo.js';
import { type ProfileSpec, profileAt, profileProblem, timeOfArrival } from './profile.js';
import { RunningJobs } from './running-jobs.js';
import type { Execute, LoadBounds, ScheduleResult } from './types.js';

export interface OpenLoopOptions {
  /** Arrivals per second over time. */
  rate: ProfileSpec;
  arrival: ArrivalSpec;
  seed: number;
  /** Most jobs in flight at once; due arrivals beyond it wait (FIFO) and count as late. */
  maxConcurrency?: number;
  bounds: LoadBounds;
  /** Aborting stops dispatching; started jobs finish (or are aborted by the caller). */
  stop: AbortSignal;
  /** An arrival that starts more than this after its intended time counts as late. Default {@link OPEN_LOOP_DEFAULTS}. */
  lateThresholdMs?: number;
  /** Called for every arrival as it starts, with actual − intended start in ms. */
  onDispatchLag?: (lagMs: number) => void;
  /** Time to stamp and wait for arrivals with; the real clock by default, a fake one in tests. */
  clock?: Clock;
}

export const OPEN_LOOP_DEFAULTS = {
  /**
   * Measured on an idle 2-core machine, a timer-driven arrival starts 0.5–1.5 ms after its
   * intended time (p99 ≈ 1.4 ms at 200/s, max ≈ 2 ms at 1000/s). 5 ms sits well above that noise,
   * so "late" means the process is really falling behind, not that timers tick in whole ms.
   */
  lateThresholdMs: 5,
  /** While catching up, let I/O run after this many back-to-back dispatches. */
  dispatchesPerTurn: 64,
  /** How often to look again when the rate is 0 for good (a ramp down to 0 without a duration). */
  idleRecheckMs: 100,
};

interface Arrival {
  job: Job;
  scheduledAt: number;
}

/**
 * Open loop: jobs start on a schedule of intended times, whatever the server does, and each
 * job's `scheduledAt` is its intended time. Latency measured from it includes any time the
 * generator or the concurrency cap held the job back, so a stalling server cannot hide behind
 * fewer requests (coordinated omission, as wrk2 corrects it).
 *
 * Intended times come from the start, never from "now": arrival i starts where the expected
 * number of arrivals under the rate profile reaches the sum of i mean-1 draws. For a constant
 * rate that is exactly t₀ + Σ nextGapMs(rate); for a ramp it follows the rate as it changes
 * (stepping by the rate at the previous arrival would leave a ramp from 0 nearly empty: its first
 * draw at 0.03/s spans 30 s). When the process falls behind, overdue arrivals start at once and
 * count as late; none is skipped (k6 drops them as dropped_iterations, we do not).
 */
export async function runOpenLoop(
  jobs: AsyncIterable<Job>,
  options: OpenLoopOptions,
  execute: Execute,
): Promise<ScheduleResult> {
  const problem = profileProblem(options.rate) ?? arrivalProblem(options.arrival);
  if (problem) throw new RangeError(`open loop: ${problem}`);
  const { stop, rate, onDispatchLag } = options;
  const { now, sleep } = options.clock ?? realClock;
  const cap = options.maxConcurrency ?? Number.POSITIVE_INFINITY;
  if (!(cap >= 1)) throw new RangeError(`open loop: maxConcurrency must be >= 1, got ${cap}`);
  const lateThresholdMs = options.lateThresholdMs ?? OPEN_LOOP_DEFAULTS.lateThresholdMs;
  const maxRequests = options.bounds.requests ?? Number.POSITIVE_INFINITY;
  const arrivals = createArrivals(options.arrival, options.seed);
  // Draws at 1000/s have mean 1: they are gaps counted in "expected arrivals", not ms.
  const nextCount = () => arrivals.nextGapMs(1000);

  const waiting = new Fifo<Arrival>();
  const begin = (arrival: Arrival) => {
    onDispatchLag?.(now() - arrival.scheduledAt);
    running.start(arrival.job, arrival.scheduledAt);
  };
  const admitWaiting = () => {
    if (stop.aborted) waiting.clear(); // never dispatched: a stop ends dispatching, queued or not
    while (waiting.size > 0 && running.inFlight < cap) begin(waiting.shift()!);
  };
  const running = new RunningJobs(execute, admitWaiting);

  const startedAt = now();
  const deadline = startedAt + (options.bounds.durationMs ?? Number.POSITIVE_INFINITY);
  const sleepUntil = async (time: number) => {
    for (let left = time - now(); left > 0 && !stop.aborted; left = time - now()) {
      await sleep(left, stop);
    }
  };

  let intended = 0;
  let late = 0;
  let backToBack = 0;
  // The first arrival is at the start, unless the rate is 0 there (a ramp from 0).
  let count = profileAt(rate, 0) > 0 ? 0 : nextCount();
  let sourceFailure: { error: unknown } | undefined;
  const iterator = jobs[Symbol.asyncIterator]();
  try {
    while (!stop.aborted && intended < maxRequests) {
      const scheduledAt = startedAt + timeOfArrival(rate, count);
      if (scheduledAt >= deadline) {
        await sleepUntil(deadline); // the phase lasts its duration, so rates are per the whole phase
        break;
      }
      if (scheduledAt === Number.POSITIVE_INFINITY) {
        // The rate stays 0 and there is no duration: nothing more will arrive; idle until stopped.
        while (!stop.aborted) await sleep(OPEN_LOOP_DEFAULTS.idleRecheckMs, stop);
        break;
      }
      // Pulled before the wait, so reading the dataset never delays an arrival.
      const next = await iterator.next();
      if (next.done) break;
      if (scheduledAt > now()) {
        backToBack = 0;
        await sleepUntil(scheduledAt);
        if (stop.aborted) break;
      } else if (++backToBack % OPEN_LOOP_DEFAULTS.dispatchesPerTurn === 0) {
        await sleep(0, stop); // behind schedule: catch up, but let responses be read meanwhile
        if (stop.aborted) break;
      }
      intended++;
      const arrival = { job: next.value, scheduledAt };
      if (running.inFlight < cap && waiting.size === 0) {
        if (now() - scheduledAt > lateThresholdMs) late++;
        begin(arrival);
      } else {
        late++; // it waits for a slot, and that wait is part of its latency
        waiting.push(arrival);
      }
      count += nextCount();
    }
    await iterator.return?.();
  } catch (error) {
    // The job source failed (a bad dataset row in fail-fast mode): start nothing more, but
    // still wait for the jobs already running before reporting it.
    sourceFailure = { error };
    waiting.clear();
  }

  const dispatchEndedAt = now();
  const startedInPhase = running.started;
  admitWaiting();
  await running.whenIdle();
  const endedAt = now();
  if (sourceFailure) throw sourceFailure.error;
  running.rethrowFailure();

  const phaseSeconds = (dispatchEndedAt - startedAt) / 1000;
  const rates =
    phaseSeconds > 0
      ? { targetRate: intended / phaseSeconds, achievedRate: startedInPhase / phaseSeconds }
      : {};
  return { dispatched: running.started, late, ...rates, startedAt, endedAt, dispatchEndedAt };
}
