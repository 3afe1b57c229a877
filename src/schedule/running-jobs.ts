import type { Job } from '../plan/types.js';
import type { Execute } from './types.js';

/**
 * The jobs a scheduler has started and not yet seen finish. `execute` is expected to record its
 * own outcome and never throw; a throw is a bug, kept and re-raised by the scheduler once every
 * started job has settled, so no job is left running unobserved.
 */
export class RunningJobs {
  inFlight = 0;
  started = 0;
  private failure: { error: unknown } | undefined;
  private idleWaiters: Array<() => void> = [];

  /** `onSettle` runs after each job ends, with the slot already freed (schedulers refill it). */
  constructor(
    private readonly execute: Execute,
    private readonly onSettle: () => void = () => {},
  ) {}

  start(job: Job, scheduledAt: number): void {
    this.inFlight++;
    this.started++;
    let running: Promise<unknown>;
    try {
      running = this.execute(job, scheduledAt);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      () => this.settle(),
      (error: unknown) => {
        this.failure ??= { error };
        this.settle();
      },
    );
  }

  /** Resolves once nothing is in flight (jobs started by `onSettle` count as in flight). */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  rethrowFailure(): void {
    if (this.failure) throw this.failure.error;
  }

  private settle(): void {
    this.inFlight--;
    this.onSettle();
    if (this.inFlight > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
