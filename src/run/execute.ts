import { setMaxListeners } from 'node:events';
import { cpus, hostname } from 'node:os';
import { join } from 'node:path';
import { isFatalForRun, sendCompletion } from '../client/send.js';
import { Transport } from '../client/transport.js';
import type { BadRow, BadRowPolicy } from '../dataset/types.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { MetricsCollector } from '../metrics/collector.js';
import { countJobs, planJobs } from '../plan/jobs.js';
import { redactHeaders } from '../plan/redact.js';
import { readRows, scanDatasets } from '../plan/rows.js';
import type { Job, Target } from '../plan/types.js';
import { buildReport, writeReportJson } from '../report/json.js';
import type { Report } from '../report/schema.js';
import { attemptRecord, buildJobResult } from '../results/record.js';
import type { JobResult } from '../results/types.js';
import { ResultsWriter } from '../results/writer.js';
import { runClosedLoop } from '../schedule/closed-loop.js';
import { STEPBENCH_VERSION } from '../version.js';

/** Everything the core needs, already validated (targets resolved, keys present). */
export interface ExecuteRunOptions {
  datasets: string[];
  targets: Target[];
  concurrency: number;
  repeat: number;
  requests?: number;
  onBadRow: BadRowPolicy;
  outDir: string;
  /** Command line for the report, already redacted. */
  command?: string[];
  /** Options for the report, already redacted. */
  options?: Record<string, unknown>;
  /** Abort to stop dispatching (e.g. Ctrl-C): in-flight jobs finish, everything is written. */
  stop?: AbortSignal;
  now?: () => number;
}

/** A cheap view of a run in progress, for progress bars. */
export interface ProgressSnapshot {
  done: number;
  total: number;
  inFlight: number;
  errors: number;
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
 * The run pipeline: validate datasets → plan jobs → closed-loop schedule → client → results →
 * metrics → reports. One attempt per job in this version (retries arrive with the limiter).
 */
export async function executeRun(options: ExecuteRunOptions, events: RunEvents = {}): Promise<RunOutcome> {
  const now = options.now ?? (() => performance.now());
  const scan = await scanDatasets(options.datasets, options.onBadRow);
  const planOptions = { repeat: options.repeat, ...(options.requests ? { requests: options.requests } : {}) };
  const totalJobs = countJobs(scan.rows, options.targets.length, planOptions);

  const resultsPath = join(options.outDir, 'results.jsonl');
  const reportPath = join(options.outDir, 'report.json');
  const writer = await ResultsWriter.open(resultsPath);
  const collector = new MetricsCollector(options.targets);
  const transport = new Transport({ connections: options.concurrency });

  // `stop` ends dispatching; `abortInFlight` also cancels requests already on the wire.
  const stop = new AbortController();
  const abortInFlight = new AbortController();
  // Every in-flight request listens on this one signal; thousands of listeners are expected.
  setMaxListeners(0, abortInFlight.signal);
  const onUserStop = () => stop.abort(options.stop?.reason);
  if (options.stop?.aborted) onUserStop();
  options.stop?.addEventListener('abort', onUserStop, { once: true });
  let abortedReason: string | undefined;

  const runStart = now();
  const startedAt = new Date();
  let inFlight = 0;
  let done = 0;
  events.onStart?.({
    totalJobs,
    rows: scan.rows,
    badRows: scan.badRows,
    snapshot: () => {
      const live = collector.live();
      return {
        done,
        total: totalJobs,
        inFlight,
        errors: live.errors,
        elapsedMs: now() - runStart,
        ttftP50Ms: live.ttftP50Ms,
        ttftP95Ms: live.ttftP95Ms,
      };
    },
  });

  const execute = async (job: Job, dispatch: { scheduledAt: number; dispatchedAt: number }) => {
    inFlight++;
    try {
      const params = job.row.params;
      const attempt = await sendCompletion(transport, job.target, job.row.messages, params, {
        signal: abortInFlight.signal,
        now,
      });
      const result = buildJobResult(job, attempt, [attemptRecord(attempt, 1, runStart, 0)], {
        runStart,
        ...dispatch,
      });
      writer.write(result);
      collector.add(result);
      done++;
      events.onResult?.(result);
      const fatal = isFatalForRun(attempt);
      if (fatal.fatal && !abortedReason) {
        // Every later request would fail the same way: stop now rather than burn the dataset.
        abortedReason = fatal.message;
        stop.abort();
        abortInFlight.abort();
      }
    } finally {
      inFlight--;
    }
  };

  try {
    await runClosedLoop(
      planJobs(() => readRows(options.datasets, options.onBadRow), options.targets, planOptions),
      { concurrency: options.concurrency, stop: stop.signal, now },
      execute,
    );
  } finally {
    options.stop?.removeEventListener('abort', onUserStop);
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
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: cpus().length,
      hostname: hostname(),
    },
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
