import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isFatalForRun, type Timeouts } from '../client/send.js';
import { Transport } from '../client/transport.js';
import type { BadRow, BadRowPolicy } from '../dataset/types.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { Limiter } from '../limit/limiter.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../limit/retry-policy.js';
import { MetricsCollector } from '../metrics/collector.js';
import { Timeline } from '../metrics/timeline.js';
import { countJobs, planJobs } from '../plan/jobs.js';
import { redactHeaders } from '../plan/redact.js';
import { readRows, scanDatasets } from '../plan/rows.js';
import type { Job, Target } from '../plan/types.js';
import { buildReport, currentEnvironment, writeReportJson } from '../report/json.js';
import type { Report } from '../report/schema.js';
import { endedInError, type PriorResults, preparePriorResults } from '../results/resume.js';
import type { JobResult } from '../results/types.js';
import { ResultsWriter } from '../results/writer.js';
import { runClosedLoop } from '../schedule/closed-loop.js';
import { STEPBENCH_VERSION } from '../version.js';
import { ErrorBudget } from './error-budget.js';
import { type JobContext, runJob } from './job-runner.js';

/** Everything the core needs, already validated (targets resolved, keys present). */
export interface ExecuteRunOptions {
  datasets: string[];
  targets: Target[];
  /** Most requests in flight at once (the adaptive limit never goes above it). */
  concurrency: number;
  repeat: number;
  requests?: number;
  onBadRow: BadRowPolicy;
  outDir: string;
  /** Adaptive concurrency (default on) and the budgets the client holds itself to. */
  limits?: { adaptive?: boolean; rpm?: number; tpm?: number; tier?: string };
  retryPolicy?: RetryPolicy;
  /** Named timeouts; `connectMs` goes to the transport. */
  timeouts?: Timeouts & { connectMs?: number };
  /** Stop (exit 3) when more than this share of jobs fail for reasons other than 429. */
  maxErrorRate?: number;
  /** After a stop, how long in-flight requests may take before they are aborted. */
  graceMs?: number;
  /** Continue the run already in `outDir`: skip recorded jobs (and re-run errors if asked). */
  resume?: { retryErrors: boolean };
  /** Command line for the report, already redacted. */
  command?: string[];
  /** Options for the report, already redacted. */
  options?: Record<string, unknown>;
  /** Abort to stop dispatching (first Ctrl-C): in-flight jobs get `graceMs`, everything is written. */
  stop?: AbortSignal;
  /** Abort to cancel in-flight requests at once (second Ctrl-C); they are recorded as interrupted. */
  abort?: AbortSignal;
  now?: () => number;
  random?: () => number;
}

/** Defaults for the run loop, in one place. */
export const RUN_DEFAULTS = {
  graceMs: 30_000,
  timeouts: { connectMs: 10_000, firstTokenMs: 120_000, idleMs: 60_000, totalMs: 600_000 },
} as const;

/** A cheap view of a run in progress, for progress bars. */
export interface ProgressSnapshot {
  done: number;
  total: number;
  inFlight: number;
  /** The concurrency limit in force (adaptive or pinned). */
  limit: number;
  errors: number;
  /** 429 answers so far, retried or not. */
  rateLimited: number;
  elapsedMs: number;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
}

export interface RunEvents {
  /** After the datasets were validated, before the first request. */
  onStart?(info: {
    totalJobs: number;
    rows: number;
    badRows: BadRow[];
    resumed?: PriorResults;
    snapshot: () => ProgressSnapshot;
  }): void;
  onResult?(result: JobResult): void;
}

export interface RunOutcome {
  report: Report;
  exitCode: ExitCodeValue;
  resultsPath: string;
  reportPath: string;
  /** Why the run stopped early, when it did. */
  aborted?: string;
}

async function* skipDone(jobs: AsyncIterable<Job>, done: Set<string>): AsyncGenerator<Job> {
  for await (const job of jobs) if (!done.has(job.key)) yield job;
}

function targetForReport(t: Target) {
  const out = {
    name: t.name,
    baseUrl: t.baseUrl,
    model: t.model,
    apiKeyEnv: t.apiKeyEnv,
    stream: t.stream,
    params: t.params,
    headers: redactHeaders(t.headers),
  };
  return t.price ? { ...out, price: t.price } : out;
}

/**
 * The run pipeline: validate datasets → plan jobs → closed-loop schedule → limiter/retry →
 * client → results → metrics → reports.
 */
export async function executeRun(options: ExecuteRunOptions, events: RunEvents = {}): Promise<RunOutcome> {
  const now = options.now ?? (() => performance.now());
  const scan = await scanDatasets(options.datasets, options.onBadRow);
  const planOptions = { repeat: options.repeat, ...(options.requests ? { requests: options.requests } : {}) };
  const planned = countJobs(scan.rows, options.targets.length, planOptions);

  const resultsPath = join(options.outDir, 'results.jsonl');
  const reportPath = join(options.outDir, 'report.json');
  const collector = new MetricsCollector(options.targets);
  const resumed = options.resume
    ? await preparePriorResults(resultsPath, {
        retryErrors: options.resume.retryErrors,
        onKept: (r) => collector.add(r),
      })
    : undefined;
  const totalJobs = Math.max(0, planned - (resumed?.kept ?? 0));
  const writer = await ResultsWriter.open(resultsPath);
  const timeouts = { ...RUN_DEFAULTS.timeouts, ...options.timeouts };
  const transport = new Transport({ connections: options.concurrency, connectTimeoutMs: timeouts.connectMs });
  const limiter = new Limiter({
    maxConcurrency: options.concurrency,
    adaptive: options.limits?.adaptive ?? true,
    ...(options.limits?.rpm ? { rpm: options.limits.rpm } : {}),
    ...(options.limits?.tpm ? { tpm: options.limits.tpm } : {}),
    now,
  });
  const runStart = now();
  const timeline = new Timeline(runStart, limiter.limit);
  limiter.onEvent((e) =>
    e.kind === 'hold'
      ? timeline.event(e.at, 'hold', e.reason)
      : timeline.limitChanged(e.at, e.limit, e.kind, e.reason),
  );
  const counters = { rateLimited: 0, retries: 0 };
  const budget = options.maxErrorRate !== undefined ? new ErrorBudget(options.maxErrorRate) : undefined;

  // `stop` ends dispatching; `abortInFlight` also cancels requests already on the wire.
  const stop = new AbortController();
  const abortInFlight = new AbortController();
  // Every in-flight request listens on these signals; thousands of listeners are expected.
  setMaxListeners(0, stop.signal, abortInFlight.signal);
  let graceTimer: NodeJS.Timeout | undefined;
  const onUserStop = () => {
    stop.abort(options.stop?.reason);
    graceTimer = setTimeout(() => abortInFlight.abort(), options.graceMs ?? RUN_DEFAULTS.graceMs);
    graceTimer.unref();
  };
  const onUserAbort = () => {
    stop.abort();
    abortInFlight.abort();
  };
  if (options.stop?.aborted) onUserStop();
  else options.stop?.addEventListener('abort', onUserStop, { once: true });
  if (options.abort?.aborted) onUserAbort();
  else options.abort?.addEventListener('abort', onUserAbort, { once: true });
  let abortedReason: string | undefined;
  const abortRun = (reason: string) => {
    if (abortedReason) return;
    // Every later request would fail the same way: stop now rather than burn the dataset.
    abortedReason = reason;
    timeline.event(now(), 'abort', reason);
    stop.abort();
    abortInFlight.abort();
  };

  const startedAt = new Date();
  let done = 0;
  let errors = 0;
  events.onStart?.({
    totalJobs,
    rows: scan.rows,
    badRows: scan.badRows,
    ...(resumed ? { resumed } : {}),
    snapshot: () => {
      const live = collector.live();
      return {
        done,
        total: totalJobs,
        inFlight: limiter.inFlight,
        limit: limiter.limit,
        errors,
        rateLimited: counters.rateLimited,
        elapsedMs: now() - runStart,
        ttftP50Ms: live.ttftP50Ms,
        ttftP95Ms: live.ttftP95Ms,
      };
    },
  });

  const context: JobContext = {
    transport,
    limiter,
    timeline,
    retryPolicy: options.retryPolicy ?? DEFAULT_RETRY_POLICY,
    timeouts,
    runStart,
    now,
    random: options.random ?? Math.random,
    stop: stop.signal,
    abortInFlight: abortInFlight.signal,
    counters,
  };
  const execute = async (job: Job, dispatch: { scheduledAt: number }) => {
    const finished = await runJob(job, dispatch.scheduledAt, context);
    if (!finished) return;
    writer.write(finished.result);
    collector.add(finished.result);
    done++;
    if (endedInError(finished.result)) errors++;
    events.onResult?.(finished.result);
    const fatal = isFatalForRun(finished.final);
    if (fatal.fatal) abortRun(fatal.message);
    const spent = budget?.record(finished.result.outcome);
    if (spent) abortRun(spent);
  };

  try {
    await runClosedLoop(
      skipDone(
        planJobs(() => readRows(options.datasets, options.onBadRow), options.targets, planOptions),
        resumed?.done ?? new Set(),
      ),
      { concurrency: options.concurrency, stop: stop.signal, now },
      execute,
    );
  } finally {
    clearTimeout(graceTimer);
    options.stop?.removeEventListener('abort', onUserStop);
    options.abort?.removeEventListener('abort', onUserAbort);
    await writer.close();
    await transport.close();
  }

  const endedAt = new Date();
  const interrupted = !abortedReason && stop.signal.aborted;
  const report = buildReport({
    collector,
    run: {
      id: options.outDir,
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      wallMs: now() - runStart,
      command: options.command ?? [],
      stepbenchVersion: STEPBENCH_VERSION,
      options: options.options ?? {},
    },
    targets: options.targets.map(targetForReport),
    dataset: { files: options.datasets, rows: scan.rows, badRows: scan.badRows },
    environment: { ...currentEnvironment(), hostname: hostname() },
    limits: {
      adaptive: options.limits?.adaptive ?? true,
      maxConcurrency: options.concurrency,
      finalConcurrency: limiter.limit,
      rpm: options.limits?.rpm ?? null,
      tpm: options.limits?.tpm ?? null,
      tier: options.limits?.tier ?? null,
      retries: context.retryPolicy.retries,
      timeoutsMs: timeouts,
    },
    timeline: timeline.toJSON(),
    ...(resumed ? { resumed: { kept: resumed.kept, rerun: resumed.dropped } } : {}),
    ...(abortedReason
      ? { aborted: { reason: abortedReason } }
      : interrupted
        ? { aborted: { reason: 'interrupted by the user before every job was sent' } }
        : {}),
  });
  await writeReportJson(reportPath, report);
  const exitCode = abortedReason ? ExitCode.aborted : interrupted ? ExitCode.interrupted : ExitCode.ok;
  const outcome: RunOutcome = { report, exitCode, resultsPath, reportPath };
  if (abortedReason) outcome.aborted = abortedReason;
  return outcome;
}
