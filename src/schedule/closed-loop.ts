import PQueue from 'p-queue';
import type { Job } from '../plan/types.js';

/** When the schedule meant a job to start and when it actually left the queue (performance.now ms). */
export interface Dispatch {
  scheduledAt: number;
  dispatchedAt: number;
}

export interface ClosedLoopOptions {
  concurrency: number;
  /** Aborting stops dispatching new jobs; jobs already running finish (or are aborted by the caller). */
  stop: AbortSignal;
  now: () => number;
}

/**
 * Closed loop: at most `concurrency` jobs in flight, the next one starting as soon as one ends.
 * Jobs are pulled from the (lazy) plan only when a slot is free, so memory stays flat however
 * long the dataset. `execute` must record its own outcome and never throw; a throw
 * is a bug and is re-raised after the in-flight jobs settle.
 */
export async function runClosedLoop(
  jobs: AsyncIterable<Job>,
  options: ClosedLoopOptions,
  execute: (job: Job, dispatch: Dispatch) => Promise<void>,
): Promise<{ dispatched: number }> {
  const queue = new PQueue({ concurrency: options.concurrency });
  let bug: unknown;
  let dispatched = 0;
  for await (const job of jobs) {
    if (options.stop.aborted) break;
    // Closed loop: a job is scheduled the moment a slot frees, so `queue` measures only
    // dispatch overhead. Pulling further ahead would make jobs wait behind running ones and
    // charge that wait to queue/latency, which is not what a closed-loop user waited.
    while (queue.size + queue.pending >= options.concurrency && !options.stop.aborted) {
      await new Promise<void>((resolve) => queue.once('next', () => resolve()));
    }
    if (options.stop.aborted) break;
    const scheduledAt = options.now();
    queue
      .add(async () => {
        if (options.stop.aborted) return;
        dispatched++;
        await execute(job, { scheduledAt, dispatchedAt: options.now() });
      })
      .catch((err: unknown) => {
        bug ??= err;
      });
  }
  // Jobs still waiting in the queue were never dispatched; drop them on stop.
  if (options.stop.aborted) queue.clear();
  await queue.onIdle();
  if (bug) throw bug;
  return { dispatched };
}
