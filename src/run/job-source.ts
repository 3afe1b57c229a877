import type { Job } from '../plan/types.js';

/**
 * One stream of jobs shared by the phases of a run. A scheduler may pull a job and then end
 * (its time bound passed) without dispatching it; `endPhase()` puts such jobs back in front, so
 * the next phase sends them and no job is skipped. Breaking out of a `for await` over
 * `phaseJobs()` does not close the underlying plan.
 */
export class JobSource {
  private readonly iterator: AsyncIterator<Job>;
  private readonly pushedBack: Job[] = [];
  private readonly undispatched = new Map<string, Job>();

  constructor(jobs: AsyncIterable<Job>) {
    this.iterator = jobs[Symbol.asyncIterator]();
  }

  /** The jobs for one phase: an iterable without `return()`, so a scheduler stopping early leaves the rest. */
  phaseJobs(): AsyncIterable<Job> {
    return {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<Job>> => {
          const job = this.pushedBack.shift() ?? (await this.nextFromPlan());
          if (!job) return { done: true, value: undefined };
          this.undispatched.set(job.key, job);
          return { done: false, value: job };
        },
      }),
    };
  }

  private async nextFromPlan(): Promise<Job | undefined> {
    const r = await this.iterator.next();
    return r.done ? undefined : r.value;
  }

  /** Called when a job is handed to `execute`. */
  dispatched(job: Job): void {
    this.undispatched.delete(job.key);
  }

  /** Jobs pulled during the phase but never dispatched go back to the front, in plan order. */
  endPhase(): void {
    const back = [...this.undispatched.values()].sort((a, b) => a.index - b.index);
    this.undispatched.clear();
    this.pushedBack.unshift(...back);
  }
}
