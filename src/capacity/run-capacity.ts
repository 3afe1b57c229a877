import { hostname } from 'node:os';
import { join } from 'node:path';
import type { BadRow } from '../dataset/types.js';
import { UserError } from '../errors.js';
import { parseSlo, type Slo } from '../eval/slo.js';
import type { ExitCodeValue } from '../exit-codes.js';
import type { MockOptionsInput } from '../mock/options.js';
import { loadConfigFile } from '../plan/config-file.js';
import { planJobs } from '../plan/jobs.js';
import { readRows, scanDatasets } from '../plan/rows.js';
import type { TargetFlags } from '../plan/targets.js';
import type { Target } from '../plan/types.js';
import { buildReport, currentEnvironment, writeReportJson } from '../report/json.js';
import { phaseReport, targetForReport } from '../report/parts.js';
import type { Report } from '../report/schema.js';
import { RUN_DEFAULTS } from '../run/execute.js';
import { JobSource } from '../run/job-source.js';
import type { Phase } from '../run/phases.js';
import { type PhaseRecord, type ProgressSnapshot, RunSession } from '../run/session.js';
import { targetSetup, withTargets } from '../run/with-targets.js';
import type { ArrivalSpec } from '../schedule/arrivals.js';
import { STEPBENCH_VERSION } from '../version.js';
import { measureStep } from './measure-step.js';
import { CapacitySearch, defaultSearchOptions } from './search.js';
import type { CapacityAnswer, CapacityDimension, CapacityThresholds, StepMeasurement } from './types.js';

/** Options of `capacity()`, what `stepbench capacity` maps onto. */
export interface CapacityOptions extends TargetFlags {
  datasets?: string[];
  config?: string;
  /** Search over concurrency (closed loop, default) or arrival rate (open loop). */
  by?: CapacityDimension;
  start?: number;
  max?: number;
  /** Each step is held this long… */
  stepDurationMs?: number;
  /** …or for this many requests, whichever ends first. */
  stepRequests?: number;
  /**
   * Pause between steps. A server that counts requests over a sliding window (StepFun: 60 s)
   * still remembers the last step's load; to find an RPM limit, hold steps and pause for about
   * one window.
   */
  stepCooldownMs?: number;
  thresholds?: Partial<CapacityThresholds>;
  slos?: string[];
  /** Retries during measurement steps; default 0 (a 429 is information here). */
  retries?: number;
  arrival?: ArrivalSpec;
  timeouts?: { connectMs?: number; firstTokenMs?: number; idleMs?: number; totalMs?: number };
  out?: string;
  mock?: boolean | MockOptionsInput;
  env?: Record<string, string | undefined>;
  stop?: AbortSignal;
  abort?: AbortSignal;
  command?: string[];
}

export interface CapacityOutcome {
  answer: CapacityAnswer;
  report: Report & { capacity: CapacityAnswer };
  reportPath: string;
  resultsPath: string;
  exitCode: ExitCodeValue;
}

export interface CapacityEvents {
  onStep?(info: { load: number; step: number }): void;
  onMeasured?(step: StepMeasurement): void;
  onStart?(snapshot: () => ProgressSnapshot): void;
}

/** Defaults of a capacity search, in one place. */
export const CAPACITY_DEFAULTS = { stepDurationMs: 20_000, stepRequests: 2_000 } as const;

function stepPhase(
  dimension: CapacityDimension,
  load: number,
  options: CapacityOptions,
  bounds: Phase['bounds'],
): Phase {
  const name = `${dimension === 'concurrency' ? 'c' : 'rate'}=${load}`;
  if (dimension === 'concurrency') {
    return {
      name,
      warmup: false,
      load: { kind: 'closed', concurrency: { kind: 'constant', value: load } },
      bounds,
    };
  }
  return {
    name,
    warmup: false,
    load: {
      kind: 'open',
      rate: { kind: 'constant', value: load },
      // Evenly spaced arrivals by default: a step should offer exactly its load. Poisson bursts
      // over a short step would read as saturation or trip a sliding-window limit early.
      arrival: options.arrival ?? { kind: 'constant' },
    },
    bounds,
  };
}

/**
 * `stepbench capacity`: measures one target at rising loads — doubling, then bisecting around
 * the knee (see CapacitySearch) — with retries and adaptive concurrency off, so each step sees
 * the server as it is. Every step is a bounded phase of one run session: results of all steps go
 * to one results.jsonl, each tagged with its step.
 */
export async function capacity(
  options: CapacityOptions,
  events: CapacityEvents = {},
): Promise<CapacityOutcome> {
  const config = options.config ? await loadConfigFile(options.config) : undefined;
  const datasets =
    options.datasets && options.datasets.length > 0 ? options.datasets : (config?.run.datasets ?? []);
  if (datasets.length === 0)
    throw new UserError('no dataset given: e.g. stepbench capacity datasets/capacity.csv');
  const dimension = options.by ?? 'concurrency';
  const slos = (options.slos ?? config?.run.slos ?? []).map((s) => parseSlo(s));
  const search = new CapacitySearch(
    defaultSearchOptions(dimension, {
      ...(options.start !== undefined ? { start: options.start } : {}),
      ...(options.max !== undefined ? { max: options.max } : {}),
      ...(options.thresholds ? { thresholds: options.thresholds } : {}),
    }),
  );
  const scan = await scanDatasets(datasets, 'fail');
  return withTargets(targetSetup(options, config), (targets) =>
    measure(targets, {
      options,
      events,
      datasets,
      dimension,
      slos,
      search,
      rows: scan.rows,
      badRows: scan.badRows,
    }),
  );
}

interface MeasureContext {
  options: CapacityOptions;
  events: CapacityEvents;
  datasets: string[];
  dimension: CapacityDimension;
  slos: Slo[];
  search: CapacitySearch;
  rows: number;
  badRows: BadRow[];
}

async function measure(targets: Target[], ctx: MeasureContext): Promise<CapacityOutcome> {
  const { options, events, datasets, dimension, slos, search } = ctx;
  if (targets.length !== 1) {
    throw new UserError(
      `capacity measures one target at a time (got ${targets.length}); pass a single --model`,
    );
  }
  const target = targets[0] as Target;
  const outDir =
    options.out ?? `reports/capacity-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}`;
  const maxLoad = options.max ?? defaultSearchOptions(dimension).max;
  const retries = options.retries ?? 0;
  const session = await RunSession.open({
    targets,
    // Rate steps have no concurrency of their own: allow what the rate needs.
    maxConcurrency: dimension === 'concurrency' ? Math.ceil(maxLoad) : 10_000,
    outDir,
    limits: { adaptive: false },
    retryPolicy: { retries, baseMs: 500, capMs: 30_000 },
    timeouts: { ...RUN_DEFAULTS.timeouts, ...options.timeouts },
    slos,
    graceMs: RUN_DEFAULTS.graceMs,
    ...(options.stop ? { stop: options.stop } : {}),
    ...(options.abort ? { abort: options.abort } : {}),
    random: Math.random,
  });
  events.onStart?.(() => session.snapshot(0));
  const source = new JobSource(
    planJobs(() => readRows(datasets, 'fail'), targets, { repeat: 1, requests: Number.POSITIVE_INFINITY }),
  );
  const bounds = {
    durationMs: options.stepDurationMs ?? CAPACITY_DEFAULTS.stepDurationMs,
    requests: options.stepRequests ?? CAPACITY_DEFAULTS.stepRequests,
  };
  const records: PhaseRecord[] = [];
  try {
    for (let load = search.next(), step = 1; load !== undefined; load = search.next(), step++) {
      if (session.stopSignal.aborted) break;
      if (step > 1 && options.stepCooldownMs)
        await session.clock.sleep(options.stepCooldownMs, session.stopSignal);
      if (session.stopSignal.aborted) break;
      events.onStep?.({ load, step });
      const record = await session.runPhase(stepPhase(dimension, load, options, bounds), source);
      records.push(record);
      // A step cut short by Ctrl-C measured a different load than intended: keep it in the
      // results but do not let it steer (or end) the search.
      if (session.stopSignal.aborted) break;
      const measured = measureStep(record, target, load, slos);
      search.record(measured);
      events.onMeasured?.(measured);
    }
  } finally {
    await session.close();
  }
  const answer = session.stopSignal.aborted
    ? {
        ...search.answer(),
        stoppedBecause:
          session.abortedReason ?? 'interrupted by the user; the answer covers the steps finished so far',
      }
    : search.answer();
  const base = buildReport({
    collector: session.overall,
    run: {
      id: outDir,
      startedAt: session.startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      wallMs: performance.now() - session.runStart,
      command: options.command ?? [],
      stepbenchVersion: STEPBENCH_VERSION,
      options: {
        command: 'capacity',
        datasets,
        by: dimension,
        start: options.start,
        max: maxLoad,
        retries,
        bounds,
      },
    },
    targets: targets.map(targetForReport),
    dataset: { files: datasets, rows: ctx.rows, badRows: ctx.badRows },
    environment: { ...currentEnvironment(), hostname: hostname() },
    timeline: session.timeline.toJSON(),
    phases: records.map((r) => phaseReport(r, targets)),
    health: session.health.summary(),
    ...(slos.length > 0 ? { slos: slos.map((s) => s.text) } : {}),
    ...(session.abortedReason ? { aborted: { reason: session.abortedReason } } : {}),
  });
  const report = { ...base, capacity: answer };
  const reportPath = join(outDir, 'report.json');
  await writeReportJson(reportPath, report);
  const { exitCode } = session;
  return { answer, report, reportPath, resultsPath: session.resultsPath, exitCode };
}
