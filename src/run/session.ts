import { setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { sendCompletion } from '../client/send.js';
import { Transport } from '../client/transport.js';
import { preconnect, warmDecoder } from '../client/warm-up.js';
import { type Clock, realClock, type TimerHandle } from '../clock.js';
import { GoodputTracker, type Slo } from '../eval/slo.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { Limiter } from '../limit/limiter.js';
import { MetricsCollector } from '../metrics/collector.js';
import { ClientHealth } from '../metrics/health.js';
import { Timeline } from '../metrics/timeline.js';
import type { Phase } from '../plan/phases.js';
import type { RunConfig } from '../plan/run-config.js';
import type { Job, Target } from '../plan/types.js';
import { mixSeed } from '../random.js';
import type { PhaseRecordInput } from '../report/parts.js';
import { TOP_FAILURES } from '../report/summary-md.js';
import { ErrorDigest } from '../results/error-digest.js';
import { isFatalForRun } from '../results/fatal.js';
import { isError, isSuccess } from '../results/outcomes.js';
import { RESULTS_FILE } from '../results/results-file.js';
import { type PriorResults, preparePriorResults } from '../results/resume.js';
import type { JobResult } from '../results/types.js';
import { ResultsWriter } from '../results/writer.js';
import { runClosedLoop } from '../schedule/closed-loop.js';
import { runOpenLoop } from '../schedule/open-loop.js';
import type { ScheduleResult } from '../schedule/types.js';
import { ErrorBudget } from './error-budget.js';
import { type JobContext, runJob, type SendAttempt } from './job-runner.js';
import type { JobSource } from './job-source.js';
import { ModelGrader } from './model-grader.js';
import { failedRunReason, outcomeTotals } from './run-verdict.js';
import { warmResultPath } from './warm-results.js';

/**
 * Everything a session needs: the parts of the resolved RunConfig it uses, the targets and the
 * folder, plus the run's signals and clock.
 */
export interface SessionOptions
  extends Pick<
    RunConfig,
    'limits' | 'retryPolicy' | 'timeouts' | 'slos' | 'maxErrorRate' | 'graceMs' | 'arrivalSeed'
  > {
  targets: Target[];
  outDir: string;
  /** The results file's name in `outDir` (results-file.ts): plain (default) or gzip. */
  resultsFile?: string;
  /** Continue the run already in `outDir`: skip recorded jobs (and re-run errors if asked). */
  resume?: { retryErrors: boolean };
  stop?: AbortSignal;
  abort?: AbortSignal;
  /** The run's one clock; the real one by default. */
  clock?: Clock;
  random: () => number;
  /** Makes one attempt; default `sendCompletion` over the session's transport (a fake in tests). */
  send?: SendAttempt;
  /** Connections per origin to open, and the client to warm, before the run's clock starts. */
  preconnect?: number;
  /** The grader target for `judge` assertions (resolveGrader); the offline grader without one. */
  grader?: Target;
  /** Called with every result that enters the statistics (kept ones of a resumed run too, warmups never). */
  onCounted?: (result: JobResult) => void;
}

/** What one phase measured: its own metrics (warmup included), schedule figures and goodput. */
export type PhaseRecord = PhaseRecordInput;

/** A cheap view of a run in progress, for progress bars. */
export interface ProgressSnapshot {
  done: number;
  /** Jobs planned; 0 when unknown (time-bounded phases). */
  total: number;
  inFlight: number;
  /** The concurrency limit in force (adaptive or pinned). */
  limit: number;
  /** Finished jobs that count as errors (isError): final 429s and interruptions do not. */
  errors: number;
  /** 429 answers so far, retried or not. */
  rateLimited: number;
  elapsedMs: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  phase: string | null;
}

/** A result entering the statistics: the metrics, the goodput and the run's checks (`onCounted`). */
function countIn(
  overall: MetricsCollector,
  goodput: ReadonlyMap<string, GoodputTracker>,
  onCounted: ((result: JobResult) => void) | undefined,
  result: JobResult,
): void {
  overall.add(result);
  goodput.get(result.target)?.add(result);
  onCounted?.(result);
}

function goodputTrackers(targets: readonly Target[], slos: Slo[]): Map<string, GoodputTracker> {
  return new Map(targets.map((t) => [t.name, new GoodputTracker(slos)]));
}

/**
 * The run engine: results file, transport, limiter, timeline, client health and the signals
 * that stop it, shared by every phase of a `run` and every step of `capacity`. Each phase hands
 * its jobs to a scheduler (closed or open loop); every finished job is written, added to the
 * overall statistics (unless warmup) and to the phase's own, and checked for run-ending errors.
 */
export class RunSession {
  readonly resultsPath: string;
  readonly overall: MetricsCollector;
  readonly goodput: Map<string, GoodputTracker>;
  readonly timeline: Timeline;
  readonly health: ClientHealth;
  readonly limiter: Limiter;
  readonly runStart: number;
  readonly startedAt = new Date();
  readonly clock: Clock;
  /** The seed every open-loop phase's arrivals derive from (given or drawn): the report records it. */
  readonly arrivalSeed: number;
  readonly resumed: PriorResults | undefined;
  abortedReason: string | undefined;

  private readonly stopController = new AbortController();
  private readonly abortController = new AbortController();
  private readonly counters = { rateLimited: 0 };
  private readonly budget: ErrorBudget | undefined;
  /** The messages behind the final errors (run-verdict.ts, the console's `errors` block). */
  readonly errorDigest = new ErrorDigest();
  /** The first rows whose answers failed their checks, for summary.md. */
  readonly failedCheckSamples: JobResult[] = [];
  /** Set when a run that ran to its end still failed: no job succeeded, or the error budget was spent. */
  failedReason: string | undefined;
  private readonly context: JobContext;
  /** Present when the run has a grader target; its counts go into the report's `grader` block. */
  readonly grader: ModelGrader | undefined;
  private graceTimer: TimerHandle | undefined;
  private phasesRun = 0;
  private done = 0;
  private errors = 0;
  private currentPhase: string | null = null;
  private sawWarmup = false;
  private measuring = false;

  private constructor(
    private readonly options: SessionOptions,
    private readonly writer: ResultsWriter,
    private readonly transport: Transport,
    overall: MetricsCollector,
    goodput: Map<string, GoodputTracker>,
    resumed: PriorResults | undefined,
  ) {
    this.resumed = resumed;
    this.resultsPath = join(options.outDir, options.resultsFile ?? RESULTS_FILE);
    this.overall = overall;
    this.goodput = goodput;
    const clock = options.clock ?? realClock;
    const { now } = clock;
    this.clock = clock;
    this.arrivalSeed = options.arrivalSeed ?? Math.floor(options.random() * 2 ** 31);
    this.limiter = new Limiter({
      maxConcurrency: options.limits.maxConcurrency,
      adaptive: options.limits.adaptive,
      ...(options.limits.rpm ? { rpm: options.limits.rpm } : {}),
      ...(options.limits.tpm ? { tpm: options.limits.tpm } : {}),
      clock,
    });
    // A resumed run's clock goes on from where the kept results end (see PriorResults.endedAtMs).
    this.runStart = now() - (resumed?.endedAtMs ?? 0);
    this.timeline = new Timeline(this.runStart, this.limiter.limit);
    this.limiter.onEvent((e) =>
      e.kind === 'hold' || e.kind === 'rate'
        ? this.timeline.event(e.at, e.kind, e.reason)
        : this.timeline.limitChanged(e.at, e.limit, e.kind, e.reason),
    );
    this.health = new ClientHealth({ now });
    this.budget = options.maxErrorRate !== undefined ? new ErrorBudget(options.maxErrorRate) : undefined;
    // Every in-flight request listens on these signals; thousands of listeners are expected.
    setMaxListeners(0, this.stopController.signal, this.abortController.signal);
    const { timeouts } = options;
    const send: SendAttempt =
      options.send ??
      ((job, signal) =>
        sendCompletion(transport, job.target, job.row.messages, job.row.params, { signal, now, timeouts }));
    this.context = {
      send,
      limiter: this.limiter,
      timeline: this.timeline,
      retryPolicy: options.retryPolicy,
      runStart: this.runStart,
      clock,
      random: options.random,
      stop: this.stopController.signal,
      abortInFlight: this.abortController.signal,
      counters: this.counters,
    };
    if (options.grader) {
      this.grader = new ModelGrader({
        target: options.grader,
        retryPolicy: options.retryPolicy,
        timeouts,
        connections: options.limits.maxConcurrency,
        clock,
        random: options.random,
        abort: this.abortController.signal,
      });
      this.context.grader = this.grader.grade;
    }
    this.listen();
  }

  /** Opens the results file (preparing it for `--resume`), the transport and the limiter. */
  static async open(options: SessionOptions): Promise<RunSession> {
    const overall = new MetricsCollector(options.targets);
    const path = join(options.outDir, options.resultsFile ?? RESULTS_FILE);
    const goodput = goodputTrackers(options.targets, options.slos);
    let resumed: PriorResults | undefined;
    if (options.resume) {
      // Kept results go into the statistics as they are read, not held: a resumed run may have
      // a million of them.
      resumed = await preparePriorResults(path, {
        retryErrors: options.resume.retryErrors,
        onKept: (r) => {
          if (!r.warmup) countIn(overall, goodput, options.onCounted, r);
        },
      });
    }
    const writer = await ResultsWriter.open(path);
    const transport = new Transport({
      connections: options.limits.maxConcurrency,
      ...(options.timeouts.connectMs ? { connectTimeoutMs: options.timeouts.connectMs } : {}),
    });
    // Before the session exists, so before its clock starts: a warm client (warm-up.ts).
    if (options.preconnect && !options.send) {
      warmDecoder();
      warmResultPath();
      const bounded = AbortSignal.timeout(options.timeouts.connectMs);
      await preconnect(
        transport,
        options.targets,
        options.preconnect,
        options.stop ? AbortSignal.any([bounded, options.stop]) : bounded,
      );
    }
    const session = new RunSession(options, writer, transport, overall, goodput, resumed);
    session.health.start();
    return session;
  }

  /** Aborted when the run should dispatch nothing more. */
  get stopSignal(): AbortSignal {
    return this.stopController.signal;
  }

  /** True when the user stopped the run (not an abort for a fatal error). */
  get interrupted(): boolean {
    return !this.abortedReason && this.stopController.signal.aborted;
  }

  /**
   * 3 after a run-ending error (401, 402, error budget) or a run that failed as a whole (no job
   * succeeded, errors over the budget at the end), 130 after Ctrl-C, else 0.
   */
  get exitCode(): ExitCodeValue {
    if (this.abortedReason) return ExitCode.aborted;
    if (this.interrupted) return ExitCode.interrupted;
    return this.failedReason ? ExitCode.aborted : ExitCode.ok;
  }

  private unlisten: () => void = () => {};

  private listen(): void {
    const { stop, abort } = this.options;
    const onStop = () => {
      this.stopController.abort(stop?.reason);
      this.timeline.event(this.clock.now(), 'stop', 'stopped by the user');
      // Cancelled in close(), so it never keeps a finished run's process alive.
      this.graceTimer = this.clock.setTimer(() => this.abortController.abort(), this.options.graceMs);
    };
    const onAbort = () => {
      this.stopController.abort();
      this.abortController.abort();
    };
    if (stop?.aborted) onStop();
    else stop?.addEventListener('abort', onStop, { once: true });
    if (abort?.aborted) onAbort();
    else abort?.addEventListener('abort', onAbort, { once: true });
    this.unlisten = () => {
      stop?.removeEventListener('abort', onStop);
      abort?.removeEventListener('abort', onAbort);
    };
  }

  /** Stops the run for a reason every later request would share (401, 402, error budget). */
  abortRun(reason: string): void {
    if (this.abortedReason) return;
    this.abortedReason = reason;
    this.timeline.event(this.clock.now(), 'abort', reason);
    this.stopController.abort();
    this.abortController.abort();
  }

  private addToStatistics(result: JobResult): void {
    countIn(this.overall, this.goodput, this.options.onCounted, result);
  }

  /** Runs one phase to its bounds (or until the jobs run out or the run stops). */
  async runPhase(phase: Phase, source: JobSource, onResult?: (r: JobResult) => void): Promise<PhaseRecord> {
    const clock = this.clock;
    const { now } = clock;
    const phaseIndex = this.phasesRun++;
    const collector = new MetricsCollector(this.options.targets);
    const goodput = goodputTrackers(this.options.targets, this.options.slos);
    const tag = { name: phase.name, warmup: phase.warmup };
    // Client health is judged over the measured phases only, like the statistics.
    if (phase.warmup) this.sawWarmup = true;
    else if (!this.measuring) {
      this.measuring = true;
      if (this.sawWarmup) this.health.restart();
    }
    this.currentPhase = phase.name;
    this.timeline.event(now(), 'phase', `${phase.name} starts`);
    const startedAtMs = now() - this.runStart;
    const execute = async (job: Job, scheduledAt: number) => {
      source.dispatched(job);
      const finished = await runJob(job, scheduledAt, this.context, tag);
      if (!finished) return undefined;
      const { result } = finished;
      this.writer.write(result);
      collector.add(result);
      goodput.get(result.target)?.add(result);
      if (!phase.warmup) this.addToStatistics(result);
      this.done++;
      if (isError(result.outcome)) this.errors++;
      if (!isSuccess(result.outcome)) this.errorDigest.add(result.outcome, result.error?.message);
      if (result.outcome === 'assertion_failed' && this.failedCheckSamples.length < TOP_FAILURES) {
        this.failedCheckSamples.push(result);
      }
      onResult?.(result);
      const fatal = isFatalForRun(finished.final);
      if (fatal.fatal) this.abortRun(fatal.message);
      const spent = this.budget?.record(result.outcome);
      if (spent) this.abortRun(spent);
      // Refused for good (retries off or used up): a closed loop rests the slot (resting-slots.ts).
      return finished.final.outcome === 'rate_limited' ? ('refused' as const) : undefined;
    };
    const jobs = source.phaseJobs();
    const stop = this.stopController.signal;
    let schedule: ScheduleResult;
    if (phase.load.kind === 'closed') {
      schedule = await runClosedLoop(
        jobs,
        { concurrency: phase.load.concurrency, bounds: phase.bounds, stop, clock },
        execute,
      );
    } else {
      const load = phase.load;
      schedule = await runOpenLoop(
        jobs,
        {
          rate: load.rate,
          arrival: load.arrival,
          seed: mixSeed(this.arrivalSeed, phaseIndex),
          ...(load.maxConcurrency !== undefined ? { maxConcurrency: load.maxConcurrency } : {}),
          bounds: phase.bounds,
          stop,
          clock,
          ...(phase.warmup ? {} : { onDispatchLag: (lag: number) => this.health.recordDispatchLag(lag) }),
        },
        execute,
      );
      if (!phase.warmup) this.health.setRates(schedule.targetRate, schedule.achievedRate);
    }
    source.endPhase();
    this.timeline.event(now(), 'phase', `${phase.name} ends`);
    return { phase, startedAtMs, endedAtMs: now() - this.runStart, schedule, collector, goodput };
  }

  snapshot(total: number): ProgressSnapshot {
    const live = this.overall.live();
    return {
      done: this.done,
      total,
      inFlight: this.limiter.inFlight,
      limit: this.limiter.limit,
      errors: this.errors,
      rateLimited: this.counters.rateLimited,
      elapsedMs: this.clock.now() - this.runStart,
      ttftP50Ms: live.ttftP50Ms,
      ttftP95Ms: live.ttftP95Ms,
      phase: this.currentPhase,
    };
  }

  /** Flushes the results, closes connections, stops the health monitor. */
  async close(): Promise<void> {
    if (!this.abortedReason && !this.interrupted) {
      // Judged on the statistics (kept results of a resumed run included, warmups left out).
      this.failedReason = failedRunReason({
        outcomes: outcomeTotals(this.overall.targets()),
        digest: this.errorDigest,
        ...(this.options.maxErrorRate !== undefined ? { maxErrorRate: this.options.maxErrorRate } : {}),
      });
      if (this.failedReason) this.timeline.event(this.clock.now(), 'failed', this.failedReason);
    }
    this.graceTimer?.cancel();
    this.unlisten();
    this.health.stop();
    try {
      await this.writer.close();
    } finally {
      await Promise.all([this.transport.close(), this.grader?.close()]);
    }
  }
}
