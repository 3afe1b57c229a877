import type { Job } from '../plan/types.js';

/** Limits on a load phase: dispatching stops at whichever comes first; none = until the jobs run out. */
export interface LoadBounds {
  durationMs?: number;
  requests?: number;
}

/**
 * What a finished job tells its scheduler: `'refused'` when the server turned it away for good (a
 * 429 that was not sent again), so a closed loop rests that slot before its next job
 * (see resting-slots.ts); nothing otherwise. Open loops ignore it: their arrivals do not wait.
 */
export type JobEnd = 'refused' | undefined;

/**
 * Runs one job. The promise settles when the job is finished, including any rate-limiter waits
 * and retries: the scheduler only counts slots and never looks inside. `scheduledAt` is the
 * `now()` time the schedule intended the job to start (open loop) or the moment a slot freed
 * (closed loop); `latency` and `queue` are measured from it.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: most executors are plain async functions that report nothing
export type Execute = (job: Job, scheduledAt: number) => Promise<JobEnd | void>;

/** What a scheduler did, for the report and for "the load tester was the bottleneck" warnings. */
export interface ScheduleResult {
  dispatched: number;
  /** Open loop: arrivals that could not start at their intended time (dispatch lag > lateThresholdMs, or waiting for the concurrency cap). */
  late: number;
  /** Open loop: the number of arrivals intended so far ÷ elapsed, and achieved starts ÷ elapsed, per second over the phase. */
  targetRate?: number;
  achievedRate?: number;
  /** now() when dispatching began / when the last job finished. */
  startedAt: number;
  endedAt: number;
  /** now() when dispatching stopped (a bound, the end of the jobs, or a stop); jobs may still run. */
  dispatchEndedAt: number;
}
