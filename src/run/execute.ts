import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Timeouts } from '../client/send.js';
import { type Clock, realClock } from '../clock.js';
import type { BadRow, BadRowPolicy } from '../dataset/types.js';
import type { Slo } from '../eval/slo.js';
import type { ExitCodeValue } from '../exit-codes.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../limit/retry-policy.js';
import { windowMs } from '../metrics/throughput.js';
import { countJobs, planJobs } from '../plan/jobs.js';
import { readRows, scanDatasets } from '../plan/rows.js';
import type { Job, Target } from '../plan/types.js';
import { buildReport, currentEnvironment, writeReportJson } from '../report/json.js';
import { phaseReport, targetForReport } from '../report/parts.js';
import type { Report } from '../report/schema.js';
import type { PriorResults } from '../results/resume.js';
import type { JobResult } from '../results/types.js';
import { STEPBENCH_VERSION } from '../version.js';
import { JobSource } from './job-source.js';
import { checkPhases, needsEndlessJobs, type Phase } from './phases.js';
import { type PhaseRecord, type ProgressSnapshot, RunSession } from './session.js';

export type { ProgressSnapshot } from './session.js';

/** Everything the core needs, already validated (targets resolved, keys present). */
export interface ExecuteRunOptions {
  datasets: string[];
  targets: Target[];
  /** Most requests in flight at once (the adaptive limit never goes above it). */
  concurrency: number;
  repeat: number;
  /** Load phases; default one closed-loop phase at `concurrency` over the whole plan. */
  phases?: Phase[];
  /** Stop after this many jobs (cycling the dataset). */
  requests?: number;
  onBadRow: BadRowPolicy;
  outDir: string;
  /** Adaptive concurrency (default on) and the budgets the client holds itself to. */
  limits?: { adaptive?: boolean; rpm?: number; tpm?: number; tier?: string };
  retryPolicy?: RetryPolicy;
  /** Named timeouts; `connectMs` goes to the transport. */
  timeouts?: Timeouts & { connectMs?: number };
  /** Per-request service-level objectives for goodput. */
  slos?: Slo[];
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
  /** The run's one clock; the real one by default. */
  clock?: Clock;
  random?: () => number;
}

/** Defaults for the run loop, in one place. */
export const RUN_DEFAULTS = {
  graceMs: 30_000,
  timeouts: { connectMs: 10_000, firstTokenMs: 120_000, idleMs: 60_000, totalMs: 600_000 },
} as const;

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

/**
 * The run pipeline: validate datasets → plan jobs → phases (closed or open loop) → limiter/retry
 * → client → results → metrics → reports.
 */
export async function executeRun(options: ExecuteRunOptions, events: RunEvents = {}): Promise<RunOutcome> {
  const clock = options.clock ?? realClock;
  const scan = await scanDatasets(options.datasets, options.onBadRow);
  // Copies: the bounds of the last phase may be filled in below; the caller's phases stay as given.
  const phases: Phase[] = (
    options.phases ?? [
      {
        name: 'main',
        warmup: false,
        load: { kind: 'closed', concurrency: { kind: 'constant', value: options.concurrency } },
        bounds: {},
      },
    ]
  ).map((p) => ({ ...p, bounds: { ...p.bounds } }));
  checkPhases(phases);
  // Phases that end by time or by count need a dataset that never runs out first: cycle it. An
  // unbounded last phase then sends one pass of the plan's size, not forever.
  const endless = needsEndlessJobs(phases);
  const last = phases.at(-1);
  if (endless && last && last.bounds.durationMs === undefined && last.bounds.requests === undefined) {
    last.bounds = { requests: countJobs(scan.rows, options.targets.length, { repeat: options.repeat }) };
  }
  const requests = endless ? Number.POSITIVE_INFINITY : options.requests;
  const planOptions = { repeat: options.repeat, ...(requests !== undefined ? { requests } : {}) };
  const retryPolicy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const timeouts = { ...RUN_DEFAULTS.timeouts, ...options.timeouts };
  const session = await RunSession.open({
    targets: options.targets,
    maxConcurrency: options.concurrency,
    outDir: options.outDir,
    limits: {
      adaptive: options.limits?.adaptive ?? true,
      ...(options.limits?.rpm ? { rpm: options.limits.rpm } : {}),
      ...(options.limits?.tpm ? { tpm: options.limits.tpm } : {}),
    },
    retryPolicy,
    timeouts,
    slos: options.slos ?? [],
    ...(options.maxErrorRate !== undefined ? { maxErrorRate: options.maxErrorRate } : {}),
    graceMs: options.graceMs ?? RUN_DEFAULTS.graceMs,
    ...(options.resume ? { resume: options.resume } : {}),
    ...(options.stop ? { stop: options.stop } : {}),
    ...(options.abort ? { abort: options.abort } : {}),
    clock,
    random: options.random ?? Math.random,
  });
  // Time-bounded phases make the total unknown in advance: 0 says so to progress displays.
  const planned = endless
    ? phases.every((p) => p.bounds.requests !== undefined && p.bounds.durationMs === undefined)
      ? phases.reduce((n, p) => n + (p.bounds.requests ?? 0), 0)
      : 0
    : countJobs(scan.rows, options.targets.length, planOptions);
  const totalJobs = Math.max(0, planned - (session.resumed?.kept ?? 0));
  events.onStart?.({
    totalJobs,
    rows: scan.rows,
    badRows: scan.badRows,
    ...(session.resumed ? { resumed: session.resumed } : {}),
    snapshot: () => session.snapshot(totalJobs),
  });

  const source = new JobSource(
    skipDone(
      planJobs(() => readRows(options.datasets, options.onBadRow), options.targets, planOptions),
      session.resumed?.done ?? new Set(),
    ),
  );
  const records: PhaseRecord[] = [];
  try {
    for (const phase of phases) {
      if (session.stopSignal.aborted) break;
      records.push(await session.runPhase(phase, source, events.onResult));
    }
  } finally {
    await session.close();
  }

  const reportPath = join(options.outDir, 'report.json');
  const report = buildReport({
    collector: session.overall,
    run: {
      id: options.outDir,
      startedAt: session.startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      wallMs: clock.now() - session.runStart,
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
      finalConcurrency: session.limiter.limit,
      rpm: options.limits?.rpm ?? null,
      tpm: options.limits?.tpm ?? null,
      tier: options.limits?.tier ?? null,
      retries: retryPolicy.retries,
      timeoutsMs: timeouts,
    },
    timeline: session.timeline.toJSON(),
    phases: records.map((r) => phaseReport(r, options.targets)),
    health: session.health.summary(),
    goodput: Object.fromEntries(
      [...session.goodput].map(([name, tracker]) => [name, tracker.summary(windowOf(session, name))]),
    ),
    ...(options.slos && options.slos.length > 0 ? { slos: options.slos.map((s) => s.text) } : {}),
    ...(session.resumed ? { resumed: { kept: session.resumed.kept, rerun: session.resumed.dropped } } : {}),
    ...(session.abortedReason
      ? { aborted: { reason: session.abortedReason } }
      : session.interrupted
        ? { aborted: { reason: 'interrupted by the user before every job was sent' } }
        : {}),
  });
  await writeReportJson(reportPath, report);
  const { exitCode } = session;
  const outcome: RunOutcome = { report, exitCode, resultsPath: session.resultsPath, reportPath };
  if (session.abortedReason) outcome.aborted = session.abortedReason;
  return outcome;
}

/** The measurement window of a target (first scheduled → last end), for goodput per second. */
function windowOf(session: RunSession, target: string): number {
  const metrics = session.overall.target(target);
  return metrics ? windowMs(metrics.window) : 0;
}
