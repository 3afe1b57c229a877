import type { Limiter } from '../../src/limit/limiter.js';
import { DEFAULT_RETRY_POLICY, decideRetry } from '../../src/limit/retry-policy.js';
import type { OutcomeClass } from '../../src/results/outcomes.js';
import type { FakeClock } from '../helpers/fake-clock.js';

export interface SimReply {
  outcome: OutcomeClass;
  status?: number;
  retryAfterMs?: number;
}

/**
 * The closed-loop scheduler and job runner in miniature, for the controller's simulations: `workers`
 * rows at a time, each attempt through the Limiter, retried by the real retry policy, for
 * `durationMs` of fake time. Counts rows answered and rows whose retries ran out.
 */
export async function driveClosedLoop(
  clock: FakeClock,
  limiter: Limiter,
  handle: () => Promise<SimReply>,
  random: () => number,
  run: { workers: number; durationMs: number },
): Promise<{ rowsDone: number; rowsLost: number }> {
  let stopped = false;
  let rowsDone = 0;
  let rowsLost = 0;

  async function row(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const permit = await limiter.acquire(100);
      const reply = await handle();
      permit.release({
        outcome: reply.outcome,
        ...(reply.status !== undefined ? { status: reply.status } : {}),
        ...(reply.retryAfterMs !== undefined ? { retryAfterMs: reply.retryAfterMs } : {}),
      });
      if (reply.outcome === 'ok') {
        rowsDone++;
        return;
      }
      const decision = decideRetry(reply, attempt, DEFAULT_RETRY_POLICY, random, 0);
      if (!decision.retry) {
        rowsLost++;
        return;
      }
      await clock.sleep(decision.delayMs);
    }
  }

  async function worker(): Promise<void> {
    while (!stopped) await row();
  }
  // Workers run until `stopped`; the fake clock drives them, so they are not awaited.
  for (let i = 0; i < run.workers; i++) void worker();
  await clock.advanceTo(run.durationMs);
  stopped = true;
  return { rowsDone, rowsLost };
}
