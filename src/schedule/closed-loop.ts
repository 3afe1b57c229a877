import { type Clock, realClock } from '../clock.js';
import type { Job } from '../plan/types.js';
import { type ProfileSpec, profileAt, profileChangesAfter, profileProblem } from './profile.js';
import { RestingSlots } from './resting-slots.js';
import { RunningJobs } from './running-jobs.js';
import type { Execute, LoadBounds, ScheduleResult } from './types.js';

export interface ClosedLoopOptions {
  /** Slots: a fixed number, or a profile (a ramp raises or lowers the slots over time). */
  concurrency: ProfileSpec | number;
  bounds?: LoadBounds;
  /** Aborting stops dispatching new jobs; jobs already running finish (or are aborted by the caller). */
  stop: AbortSignal;
  /** Time to stamp and wait with; the real clock by default, a fake one in tests. */
  clock?: Clock;
}

export const CLOSED_LOOP_DEFAULTS = {
  /** While the slot count is ramping (or 0), look at it again at least this often. */
  recheckMs: 100,
};

/** Why a slot wait ended early; a plain object, so aborting costs no stack trace. */
const SLOT_FREED = Object.freeze({ reason: 'slot freed or stopped' });

/**
 * Closed loop: as many jobs in flight as there are slots, the next one starting as soon as one
 * ends. A job's `scheduledAt` is the moment its slot freed and the job was ready, so `queue`
 * measures only dispatch overhead: pulling jobs further ahead would make them wait behind running
 * ones and charge that wait to latency, which is not what a closed-loop user waited.
 *
 * Jobs are pulled from the (lazy) plan only when a slot is free, so memory stays flat however
 * long the dataset. When a ramp lowers the slot count, running jobs are left alone: no new job
 * starts until fewer than the new count are in flight. A slot whose job the server refused rests
 * for about one served job's time before it takes the next (RestingSlots), so a refusing server
 * sees the loop's load, not a loop of instant 429s.
 */
export async function runClosedLoop(
  jobs: AsyncIterable<Job>,
  options: ClosedLoopOptions,
  execute: Execute,
): Promise<ScheduleResult> {
  const profile: ProfileSpec =
    typeof options.concurrency === 'number'
      ? { kind: 'constant', value: options.concurrency }
      : options.concurrency;
  const problem = profileProblem(profile);
  if (problem) throw new RangeError(`closed loop concurrency: ${problem}`);
  const { stop } = options;
  const { now, sleep } = options.clock ?? realClock;
  const maxRequests = options.bounds?.requests ?? Number.POSITIVE_INFINITY;

  // Aborted whenever a job ends, so a wait for a free slot ends exactly then. Aborting with a
  // reason of our own: without one, every abort builds a DOMException with a stack trace, which
  // was ~2 % of client CPU at 256 streams.
  let slotWait: AbortController | undefined;
  const resting = new RestingSlots();
  const timed: Execute = async (job, scheduledAt) => {
    const began = now();
    const end = await execute(job, scheduledAt);
    if (end === 'refused') resting.refused(now());
    else resting.served(now() - began);
    return end;
  };
  const running = new RunningJobs(timed, () => slotWait?.abort(SLOT_FREED));

  const startedAt = now();
  const deadline = startedAt + (options.bounds?.durationMs ?? Number.POSITIVE_INFINITY);
  // Slots are whole; the tiny epsilon keeps a float like 2.9999999 from losing a slot.
  const slotsNow = () => Math.floor(profileAt(profile, now() - startedAt) + 1e-9);

  let sourceFailure: { error: unknown } | undefined;
  const iterator = jobs[Symbol.asyncIterator]();
  try {
    while (!stop.aborted && running.started < maxRequests && now() < deadline) {
      const slots = slotsNow();
      if (running.inFlight + resting.count(now()) < slots) {
        const next = await iterator.next();
        if (next.done || stop.aborted || now() >= deadline) break;
        running.start(next.value, now());
        continue;
      }
      // Wait for a job to end, a resting slot to wake, the slot count to change, the deadline, or a stop.
      const mayChange = slots < 1 || profileChangesAfter(profile, now() - startedAt);
      const waitMs = Math.min(
        deadline - now(),
        resting.nextWake() - now(),
        mayChange ? CLOSED_LOOP_DEFAULTS.recheckMs : Number.POSITIVE_INFINITY,
      );
      const wait = new AbortController();
      const onStop = () => wait.abort(SLOT_FREED);
      stop.addEventListener('abort', onStop, { once: true });
      slotWait = wait;
      try {
        await sleep(waitMs, wait.signal);
      } finally {
        slotWait = undefined;
        stop.removeEventListener('abort', onStop);
      }
    }
    await iterator.return?.();
  } catch (error) {
    // The job source failed: start nothing more, but wait for running jobs before reporting it.
    sourceFailure = { error };
  }

  const dispatchEndedAt = now();
  await running.whenIdle();
  const endedAt = now();
  if (sourceFailure) throw sourceFailure.error;
  running.rethrowFailure();
  return { dispatched: running.started, late: 0, startedAt, endedAt, dispatchEndedAt };
}
