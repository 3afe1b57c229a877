import { GateWatch } from '../eval/gate-watch.js';
import { type RepeatsReport, RepeatTracker } from '../eval/repeats.js';
import type { RunConfig } from '../plan/run-config.js';
import type { JobResult } from '../results/types.js';

/**
 * What a run judges as its results come in, besides the metrics: each row's repeats (`--repeat`
 * above 1) and the gates that can no longer pass (`--abort-on-gate`). It is fed every result
 * that enters the statistics — a resumed run's kept results first, warmups never — so both agree
 * with the report's figures.
 */
export class RunChecks {
  private readonly repeats: RepeatTracker | undefined;
  private readonly watch: GateWatch | undefined;
  private onLost: ((reason: string) => void) | undefined;
  private readonly targetCount: number;

  /** `planned`: the jobs the plan holds over all targets (0 when unknown: time-bounded phases). */
  constructor(
    private readonly config: Pick<RunConfig, 'plan' | 'gates' | 'abortOnGate'>,
    targets: readonly string[],
    planned: number,
  ) {
    this.targetCount = targets.length;
    if (config.plan.repeat > 1) this.repeats = new RepeatTracker();
    if (config.abortOnGate && config.gates.length > 0) {
      this.watch = new GateWatch({
        gates: config.gates,
        targets,
        // Targets are interleaved per row and repeat (plan/jobs.ts), so no target gets more
        // than its share of the plan, rounded up.
        plannedPerTarget: planned > 0 && targets.length > 0 ? Math.ceil(planned / targets.length) : null,
      });
    }
  }

  /** `planned` became known after the start (the dataset check ran alongside): the gate watch learns it. */
  planKnown(planned: number): void {
    if (planned > 0 && this.targetCount > 0) this.watch?.planKnown(Math.ceil(planned / this.targetCount));
  }

  add(result: JobResult): void {
    this.repeats?.add(result);
    const lost = this.watch?.add(result);
    if (lost) this.onLost?.(lost);
  }

  /** Calls `stop` when a gate is lost; at once when the kept results of a resumed run already lost one. */
  whenGateLost(stop: (reason: string) => void): void {
    this.onLost = stop;
    if (this.watch?.reason) stop(this.watch.reason);
  }

  /** The reason the run was stopped for a lost gate, if it was. */
  get gateLost(): string | undefined {
    return this.watch?.reason;
  }

  /** What the report adds: `repeats` when rows were repeated. */
  reportPart(): { repeats?: RepeatsReport } {
    return this.repeats ? { repeats: this.repeats.report(this.config.plan.repeat) } : {};
  }
}
