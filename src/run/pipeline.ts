import { access, constants } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { type Clock, realClock } from '../clock.js';
import { checkThresholdTargets, compareRuns } from '../compare/compare-runs.js';
import { loadRunSide, runSide } from '../compare/run-side.js';
import { checkReference, compareTargetsOf } from '../compare/targets-compare.js';
import type { BadRow } from '../dataset/types.js';
import { UserError } from '../errors.js';
import { ExitCode, type ExitCodeValue } from '../exit-codes.js';
import { KeySet } from '../id-table.js';
import { CheckCancelled, type CheckResult, DatasetCheck } from '../plan/dataset-check.js';
import { planFingerprint } from '../plan/fingerprint.js';
import { planJobs } from '../plan/jobs.js';
import { type DatasetScan, readRows } from '../plan/rows.js';
import { definedSettings, type RunConfig } from '../plan/run-config.js';
import { inShard, type Shard } from '../plan/shard.js';
import type { Job, Target } from '../plan/types.js';
import { writeReportHtml } from '../report/html/write-html.js';
import { writeReportJson } from '../report/json.js';
import { junitOptionsFromReport, writeJunitXml } from '../report/junit-xml.js';
import { writeRunFile } from '../report/run-file.js';
import type { Report, ReportShard } from '../report/schema.js';
import { summaryMarkdown, writeSummaryMarkdown } from '../report/summary-md.js';
import { writeBatchOutput } from '../results/batch-output.js';
import { prepareOutputDir } from '../results/output-dir.js';
import { checkResumedPlan, writePlanFile } from '../results/plan-file.js';
import { findResultsFile, resultsFileName } from '../results/results-file.js';
import type { PriorResults } from '../results/resume.js';
import { shardManifest, writeShardManifest } from '../results/shard-manifest.js';
import type { JobResult } from '../results/types.js';
import { JobSource } from './job-source.js';
import { RunChecks } from './run-checks.js';
import { buildRunReport, runFileFor } from './run-report.js';
import { type PhaseRecord, type ProgressSnapshot, RunSession } from './session.js';
import { waitForStart } from './start-at.js';
import { withTargets } from './with-targets.js';

export type { ProgressSnapshot } from './session.js';

/** Signals and clocks of one run: what is not configuration. */
export interface RunIo {
  /** Abort to stop dispatching (first Ctrl-C): in-flight jobs get the grace period, everything is written. */
  stop?: AbortSignal;
  /** Abort to cancel in-flight requests at once (second Ctrl-C); they are recorded as interrupted. */
  abort?: AbortSignal;
  /** The run's one clock; the real one by default (a fake one in tests). */
  clock?: Clock;
  random?: () => number;
}

export interface RunEvents {
  /** After the datasets were validated and the output folder made ready, before the first request. */
  onStart?(info: {
    totalJobs: number;
    rows: number;
    badRows: BadRow[];
    outDir: string;
    resumed?: PriorResults;
    /** `--shard`: this process's slice. */
    shard?: Shard;
    /** `--start-at`: how long after the mark sending began (0: it waited for it). */
    startLateMs?: number;
    snapshot: () => ProgressSnapshot;
  }): void;
  onResult?(result: JobResult): void;
}

export interface RunOutcome<R extends Report = Report> {
  report: R;
  exitCode: ExitCodeValue;
  outDir: string;
  resultsPath: string;
  reportPath: string;
  /** `junit.xml`: one test case per row × target × repeat (docs/junit.md). */
  junitPath: string;
  /** `report.html`: the self-contained page with charts and every row (docs/report-html.md). */
  htmlPath: string;
  /** `--batch-output`: the Batch-API output file, when asked for. */
  batchOutputPath?: string;
  /** Why the run stopped early, when it did. */
  aborted?: string;
}

/** What differs between `run` and `capacity`: how many jobs there are, and who decides the phases. */
export interface RunShape<Extra extends object> {
  /**
   * The plan's bound on requests (Infinity cycles the rows) and the jobs planned (0: unknown), for
   * `rows` valid rows — undefined while the check still counts them. Returns undefined when the
   * plan cannot be sized without the count (the run then waits for the check). Called again with
   * the count when a check that ran alongside ends; only the first call's phases are run.
   */
  size(
    rows: number | undefined,
    targets: readonly Target[],
  ): { requests?: number; planned: number } | undefined;
  /** Runs phase after phase on the session until done or stopped; the records go into the report. */
  drive(session: RunSession, source: JobSource, onResult?: (r: JobResult) => void): Promise<PhaseRecord[]>;
  /** Whether its phases run open loop (its arrival seed goes into `run.options`); default: the config's phases say. */
  openLoop?: boolean;
  /** What this kind of run adds to the report (capacity: its answer). */
  reportExtra?(session: RunSession, records: PhaseRecord[]): Extra;
}

async function* onlyShard(jobs: AsyncIterable<Job>, shard: Shard): AsyncGenerator<Job> {
  for await (const job of jobs) if (inShard(job.key, shard)) yield job;
}

/** The plan, ending (not throwing) at bad input it meets before the check reports it: `onError` stops the run. */
async function* stopOnInputError(
  jobs: AsyncIterable<Job>,
  onError: (error: unknown) => void,
): AsyncGenerator<Job> {
  try {
    yield* jobs;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    onError(error);
  }
}

async function* skipDone(jobs: AsyncIterable<Job>, done: Pick<KeySet, 'has'>): AsyncGenerator<Job> {
  for await (const job of jobs) if (!done.has(job.key)) yield job;
}

/**
 * The run's tail, shared by `run` and `capacity`: targets → dataset check started → output folder
 * ready and plan recorded → session → job source → phases → report → write → exit code.
 * Everything that can be wrong with the input is found before the first request is sent — except
 * in the part of a big dataset the check has not read by `--prescan`; a bad row found there stops
 * the run with exit 2 (design note 009).
 */
export async function runPipeline<Extra extends object>(
  config: RunConfig,
  shape: RunShape<Extra>,
  io: RunIo = {},
  events: RunEvents = {},
): Promise<RunOutcome<Report & Extra>> {
  return withTargets(config.targets, async (targets, grader) => {
    const shard = config.shard;
    // A shard counts its own jobs while the rows are checked (no second pass over the data).
    const countShard = shard && config.plan.requests === undefined;
    const check = await DatasetCheck.start(
      config.datasets,
      config.dataset,
      countShard ? { shard, repeat: config.plan.repeat, targets: targets.map((t) => t.name) } : undefined,
    );
    try {
      return await runChecked(config, shape, io, events, {
        targets,
        grader,
        check,
        countShard: Boolean(countShard),
      });
    } finally {
      // The run ended before its check did (`-n 100` on a million rows): the rest is not needed.
      await check.cancel();
    }
  });
}

interface CheckedRun {
  targets: readonly Target[];
  grader: Target | undefined;
  check: DatasetCheck;
  countShard: boolean;
}

/** The run's tail once its dataset check has started (see `runPipeline`). */
async function runChecked<Extra extends object>(
  config: RunConfig,
  shape: RunShape<Extra>,
  io: RunIo,
  events: RunEvents,
  run: CheckedRun,
): Promise<RunOutcome<Report & Extra>> {
  const { grader, check, countShard } = run;
  const targets = [...run.targets];
  const shard = config.shard;
  // Bad input the check finds within --prescan stops the run here, before anything is sent.
  // A plan whose length is the dataset's (a last phase of one pass after a warmup) waits for it.
  let checked = await check.within(config.prescanMs);
  if (!checked && shape.size(undefined, targets) === undefined) checked = await check.done;
  let scan: DatasetScan = checked ?? check.soFar();
  // The baseline is read, and its thresholds' targets checked, before the output folder is
  // touched and the first request is sent: the comparison at the end cannot fail on input.
  if (config.batchOutput !== undefined) await checkBatchOutput(config, targets);
  if (config.baseline)
    checkThresholdTargets(
      config.baseline.thresholds,
      targets.map((t) => t.name),
    );
  const baseline = config.baseline ? await loadRunSide(config.baseline.path) : undefined;
  checkReference(
    config.reference,
    targets.map((t) => t.name),
  );
  const size = shape.size(checked?.rows, targets);
  if (!size) throw new Error('the plan needs the row count, but the dataset check was not awaited');
  const requests = size.requests;
  // A shard's share of a `--requests` bound is not known ahead (it is whatever hashes to it): 0, unknown.
  const plannedFor = (result: CheckResult | undefined, sized: { planned: number }) =>
    shard ? (countShard && result ? result.shardJobs : 0) : sized.planned;
  let planned = plannedFor(checked, size);
  const fingerprint = await planFingerprint(config, targets);
  const outDir = await prepareOutputDir(config.output);
  if (config.output.mode === 'resume') await checkResumedPlan(outDir, fingerprint);
  else await writePlanFile(outDir, fingerprint);

  const shardTimes = {
    startedAt: new Date(),
    ...(config.startAt !== undefined ? { startAt: config.startAt } : {}),
  };
  if (shard) await writeShardManifest(outDir, shardManifest(shard, fingerprint, shardTimes));
  const startLateMs = config.startAt === undefined ? undefined : await waitForStart(config.startAt, io.stop);
  const clock = io.clock ?? realClock;
  const checks = new RunChecks(
    config,
    targets.map((t) => t.name),
    planned,
  );
  const session = await RunSession.open({
    ...definedSettings(config, ['maxErrorRate', 'arrivalSeed']),
    limits: config.limits,
    retryPolicy: config.retryPolicy,
    timeouts: config.timeouts,
    slos: config.slos,
    graceMs: config.graceMs,
    preconnect: config.preconnect,
    targets,
    ...(grader ? { grader } : {}),
    outDir,
    resultsFile: resultsFileFor(config, outDir),
    ...(config.output.mode === 'resume' ? { resume: { retryErrors: config.output.retryErrors } } : {}),
    ...(io.stop ? { stop: io.stop } : {}),
    ...(io.abort ? { abort: io.abort } : {}),
    clock,
    random: io.random ?? Math.random,
    onCounted: (result) => checks.add(result),
  });
  checks.whenGateLost((reason) => session.abortRun(reason));
  const shardPart: ReportShard | undefined = shard && {
    index: shard.index,
    count: shard.count,
    ...(config.startAt !== undefined ? { startAt: new Date(config.startAt).toISOString() } : {}),
    ...(startLateMs !== undefined ? { startLateMs: Math.round(startLateMs) } : {}),
  };
  // What a report needs that results do not hold, for `stepbench report` (also after a kill).
  const runFile = runFileFor({
    ...(shardPart ? { shard: shardPart } : {}),
    config,
    targets,
    ...(grader ? { grader } : {}),
    scan,
    outDir,
    session,
    openLoop: shape.openLoop ?? config.phases.some((p) => p.load.kind === 'open'),
  });
  await writeRunFile(outDir, runFile).catch(async (err: unknown) => {
    await session.close();
    throw err;
  });
  let totalJobs = Math.max(0, planned - (session.resumed?.kept ?? 0));
  // A check still running goes on alongside: its count sizes the progress and the gates' bounds
  // when it ends, and a bad row it finds (or the planner meets first) stops the run, exit 2.
  let inputError: UserError | undefined;
  let checkFailure: Error | undefined;
  const stopForInput = (error: unknown) => {
    if (error instanceof CheckCancelled || inputError || checkFailure) return;
    if (error instanceof UserError) inputError = error;
    else checkFailure = error instanceof Error ? error : new Error(String(error));
    session.abortRun(inputError ? `bad input: ${inputError.message}` : 'the dataset check failed');
  };
  if (!checked) {
    // The report takes the result after the run (below); this sizes the progress and gates now.
    check.done.then((result) => {
      planned = plannedFor(result, shape.size(result.rows, targets) ?? { planned: 0 });
      totalJobs = Math.max(0, planned - (session.resumed?.kept ?? 0));
      checks.planKnown(planned);
    }, stopForInput);
  }
  events.onStart?.({
    totalJobs,
    rows: scan.rows,
    badRows: scan.badRows,
    outDir,
    ...(session.resumed ? { resumed: session.resumed } : {}),
    ...(shard ? { shard } : {}),
    ...(startLateMs !== undefined ? { startLateMs } : {}),
    snapshot: () => session.snapshot(totalJobs),
  });
  const planOptions = { repeat: config.plan.repeat, ...(requests !== undefined ? { requests } : {}) };
  const planned$ = stopOnInputError(
    planJobs(() => readRows(config.datasets, config.dataset), targets, planOptions),
    stopForInput,
  );
  const source = new JobSource(
    skipDone(shard ? onlyShard(planned$, shard) : planned$, session.resumed?.done ?? new KeySet()),
  );
  let records: PhaseRecord[] = [];
  try {
    records = await shape.drive(session, source, events.onResult);
  } finally {
    await session.close();
  }
  // Checked alongside: the whole count if the check ended (read here, not left to the callback
  // above, which may not have run yet), else what it counted before it was stopped.
  if (!checked && !inputError) {
    if (check.finished) {
      const result = await check.done.catch(() => undefined);
      if (result) scan = result;
    } else {
      await check.cancel();
      scan = check.soFar();
    }
  }
  const report = {
    ...buildRunReport({
      config,
      targets,
      ...(grader ? { grader } : {}),
      scan,
      session,
      records,
      outDir,
      ...checks.reportPart(),
    }),
    ...(shape.reportExtra?.(session, records) ?? ({} as Extra)),
  };
  if (shard) {
    if (shardPart) report.shard = shardPart;
    const jobs = report.targets.reduce((n, t) => n + t.summary.requests, 0);
    await writeShardManifest(
      outDir,
      shardManifest(shard, fingerprint, {
        ...shardTimes,
        ...(startLateMs !== undefined ? { startLateMs } : {}),
        endedAt: new Date(),
        jobs,
      }),
    );
  }
  // One read of this run's results serves the baseline comparison and the targets' comparison.
  const own = baseline || targets.length > 1 ? await runSide(outDir, report, session.resultsPath) : undefined;
  if (baseline && config.baseline && own) {
    report.baseline = compareRuns(baseline, own, {
      thresholds: config.baseline.thresholds,
      alpha: config.baseline.alpha,
    });
  }
  const comparison =
    own &&
    compareTargetsOf(report, own, {
      ...(config.reference !== undefined ? { reference: config.reference } : {}),
      ...(config.baseline ? { alpha: config.baseline.alpha } : {}),
    });
  if (comparison) report.comparison = comparison;
  // run.json was written at the start, before a check that ran alongside had its count.
  if (runFile.dataset.rows !== report.dataset.rows || !runFile.dataset.complete)
    await writeRunFile(outDir, { ...runFile, dataset: report.dataset });
  const reportPath = join(outDir, 'report.json');
  await writeReportJson(reportPath, report);
  await writeSummaryMarkdown(join(outDir, 'summary.md'), summaryMarkdown(report, session.failedCheckSamples));
  const junitPath = join(outDir, 'junit.xml');
  await writeJunitXml(junitPath, session.resultsPath, junitOptionsFromReport(report, config.plan.repeat > 1));
  const htmlPath = join(outDir, 'report.html');
  await writeReportHtml(htmlPath, report, session.resultsPath);
  let batchOutputPath: string | undefined;
  if (config.batchOutput !== undefined) {
    batchOutputPath = config.batchOutput;
    await writeBatchOutput(batchOutputPath, session.resultsPath, {
      runStartedAtSec: session.startedAt.getTime() / 1000,
      runId: report.run.id,
    });
  }
  // A bug in the check: everything is written, then it surfaces as the internal error it is.
  if (checkFailure) throw checkFailure;
  const outcome: RunOutcome<Report & Extra> = {
    report,
    // Stopped for bad input found alongside the run: bad input's exit code, as if found first.
    // Stopped for a lost gate (--abort-on-gate): a failed gate's exit code, not an abort's.
    exitCode: inputError
      ? ExitCode.usage
      : checks.gateLost !== undefined && session.abortedReason === checks.gateLost
        ? ExitCode.failed
        : checkedExitCode(session.exitCode, report),
    outDir,
    resultsPath: session.resultsPath,
    reportPath,
    junitPath,
    htmlPath,
    ...(batchOutputPath !== undefined ? { batchOutputPath } : {}),
  };
  if (session.abortedReason) outcome.aborted = session.abortedReason;
  return outcome;
}

/**
 * The results file's name: on resume the kind the folder already holds (a run is one file of one
 * kind), else what `--results-gzip` says.
 */
function resultsFileFor(config: RunConfig, outDir: string): string {
  if (config.output.mode === 'resume') {
    const existing = findResultsFile(outDir);
    if (existing) return basename(existing);
  }
  return resultsFileName(config.output.resultsGzip);
}

/**
 * A Batch output file has one line per `custom_id`, for one model: more targets or repeats would
 * repeat ids. Its folder must be writable — found out before the first request, not after the run.
 */
async function checkBatchOutput(config: RunConfig, targets: readonly Target[]): Promise<void> {
  if (targets.length > 1 || config.plan.repeat > 1) {
    throw new UserError(
      `--batch-output writes one line per custom_id for one model, but this run has ${targets.length} targets and --repeat ${config.plan.repeat}: run one target without --repeat`,
    );
  }
  const folder = dirname(resolve(config.batchOutput as string));
  try {
    await access(folder, constants.W_OK);
  } catch {
    throw new UserError(
      `--batch-output ${config.batchOutput}: the folder ${folder} does not exist or is not writable`,
    );
  }
}

/**
 * Exit 1 when the run's checks failed (DESIGN §7): a significant regression against the baseline,
 * any gate, or — with no gates to say how many failures are acceptable — any row whose answer
 * failed its assertions. Only a run that otherwise ended well: a stopped or failed run keeps its
 * own code.
 */
export function checkedExitCode(code: ExitCodeValue, report: Report): ExitCodeValue {
  if (code !== ExitCode.ok) return code;
  if (report.baseline && report.baseline.regressions.length > 0) return ExitCode.failed;
  if (report.gates && report.gates.length > 0)
    return report.gates.some((g) => !g.pass) ? ExitCode.failed : code;
  const failedChecks = report.targets.some((t) => (t.summary.outcomes.assertion_failed ?? 0) > 0);
  return failedChecks ? ExitCode.failed : code;
}
