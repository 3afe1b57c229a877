import type { BadRow } from '../dataset/types.js';
import { evaluateGates, type GateResult } from '../eval/gate.js';
import type { RepeatsReport } from '../eval/repeats.js';
import type { LimiterState } from '../limit/limiter.js';
import { whatBound } from '../limit/what-bound.js';
import { windowMs } from '../metrics/throughput.js';
import type { RunConfig } from '../plan/run-config.js';
import type { Target } from '../plan/types.js';
import { redactArgv, targetSecrets } from '../redact.js';
import { buildReport, currentEnvironment } from '../report/json.js';
import { phaseReport, targetForReport } from '../report/parts.js';
import type { ConfiguredLimits, RunFile } from '../report/run-file.js';
import type { Report, ReportLimits, ReportShard } from '../report/schema.js';
import { STEPBENCH_VERSION } from '../version.js';
import type { PhaseRecord, RunSession } from './session.js';

export interface RunReportInput {
  config: RunConfig;
  targets: readonly Target[];
  /** The grader target, when `judge` assertions had one: its key is redacted like the targets'. */
  grader?: Target;
  scan: { rows: number; badRows: BadRow[]; complete: boolean };
  session: RunSession;
  records: readonly PhaseRecord[];
  outDir: string;
  /** Pass/fail per row over its repeats (`--repeat` above 1), from RunChecks. */
  repeats?: RepeatsReport;
}

/** The report of a finished session: the one place that decides what a run's report.json holds. */
export function buildRunReport(input: RunReportInput): Report {
  const { config, targets, session, records } = input;
  const windowOf = (target: string) => {
    const metrics = session.overall.target(target);
    return metrics ? windowMs(metrics.window) : 0;
  };
  const report = buildReport({
    collector: session.overall,
    run: {
      id: input.outDir,
      startedAt: session.startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      wallMs: session.clock.now() - session.runStart,
      command: reportCommand(config, targets, input.grader),
      stepbenchVersion: STEPBENCH_VERSION,
      options: reportOptions(
        config,
        session.arrivalSeed,
        records.some((r) => r.phase.load.kind === 'open'),
      ),
    },
    targets: targets.map(targetForReport),
    dataset: {
      files: config.datasets,
      rows: input.scan.rows,
      badRows: input.scan.badRows,
      complete: input.scan.complete,
    },
    environment: currentEnvironment(config.output.recordHostname),
    limits: {
      ...configuredLimits(config),
      finalConcurrency: session.limiter.limit,
      ...adaptiveState(config.limits.adaptive, session.limiter.state),
    },
    timeline: session.timeline.toJSON(),
    phases: records.map((r) => phaseReport(r, targets)),
    health: session.health.summary(),
    goodput: Object.fromEntries(
      [...session.goodput].map(([name, tracker]) => [name, tracker.summary(windowOf(name))]),
    ),
    ...(config.slos.length > 0 ? { slos: config.slos.map((s) => s.text) } : {}),
    ...(session.resumed ? { resumed: { kept: session.resumed.kept, rerun: session.resumed.dropped } } : {}),
    ...(session.failedReason ? { failed: { reason: session.failedReason } } : {}),
    ...(Object.keys(session.errorDigest.toJSON()).length > 0
      ? { errorMessages: session.errorDigest.toJSON() }
      : {}),
    ...(session.abortedReason
      ? { aborted: { reason: session.abortedReason } }
      : session.interrupted
        ? { aborted: { reason: 'interrupted by the user before every job was sent' } }
        : {}),
  });
  if (session.grader) report.grader = session.grader.stats();
  const gates = gateResults(config, report);
  if (gates.length > 0) report.gates = gates;
  if (input.repeats) report.repeats = input.repeats;
  return report;
}

/** The command line for the report: again with every target's secrets, config-file keys and headers the CLI did not know of. */
function reportCommand(config: RunConfig, targets: readonly Target[], grader: Target | undefined): string[] {
  return redactArgv(config.commandLine, [...targets, ...(grader ? [grader] : [])].flatMap(targetSecrets));
}

/** `run.options`: with the arrival seed actually used, so an open-loop schedule can be replayed with --arrival-seed. */
function reportOptions(config: RunConfig, arrivalSeed: number, openLoop: boolean): Record<string, unknown> {
  return openLoop ? { ...config.given, arrivalSeed } : config.given;
}

export interface RunFileInput {
  config: RunConfig;
  targets: readonly Target[];
  grader?: Target;
  scan: { rows: number; badRows: BadRow[]; complete: boolean };
  outDir: string;
  /** The session just opened: its start, clock, arrival seed and what a resume kept. */
  session: Pick<RunSession, 'startedAt' | 'runStart' | 'arrivalSeed' | 'resumed'>;
  /** Whether the plan has an open-loop phase (the arrival seed goes into `run.options`). */
  openLoop: boolean;
  /** `--shard`: the slice, as the report shows it. */
  shard?: ReportShard;
}

/**
 * `run.json`, written before the first request: the parts of this report that results do not
 * hold, made by the same functions as the report's, so `stepbench report` rebuilds them as they were.
 */
export function runFileFor(input: RunFileInput): RunFile {
  const { config, session } = input;
  return {
    v: 1,
    command: config.command,
    id: input.outDir,
    startedAt: session.startedAt.toISOString(),
    clockAtStartMs: session.resumed?.endedAtMs ?? 0,
    stepbenchVersion: STEPBENCH_VERSION,
    commandLine: reportCommand(config, input.targets, input.grader),
    options: reportOptions(config, session.arrivalSeed, input.openLoop),
    environment: currentEnvironment(config.output.recordHostname),
    targets: input.targets.map(targetForReport),
    ...(input.grader ? { grader: input.grader.model } : {}),
    dataset: {
      files: config.datasets,
      rows: input.scan.rows,
      badRows: input.scan.badRows,
      complete: input.scan.complete,
    },
    repeat: config.plan.repeat,
    slos: config.slos.map((s) => s.text),
    gates: [...config.gates.map((g) => g.text), ...(config.sloGates ? ['slo'] : [])],
    ...(config.maxErrorRate !== undefined ? { maxErrorRate: config.maxErrorRate } : {}),
    limits: configuredLimits(config),
    ...(config.reference !== undefined ? { reference: config.reference } : {}),
    ...(input.shard ? { shard: input.shard } : {}),
    ...(session.resumed ? { resumed: { kept: session.resumed.kept, rerun: session.resumed.dropped } } : {}),
  };
}

function configuredLimits(config: RunConfig): ConfiguredLimits {
  return {
    adaptive: config.limits.adaptive,
    maxConcurrency: config.limits.maxConcurrency,
    rpm: config.limits.rpm ?? null,
    tpm: config.limits.tpm ?? null,
    tier: config.limits.tier ?? null,
    retries: config.retryPolicy.retries,
    timeoutsMs: config.timeouts,
  };
}

/** What the adaptive controller learned and what bound the run; nothing when it was off. */
function adaptiveState(adaptive: boolean, state: LimiterState): Partial<ReportLimits> {
  if (!adaptive) return {};
  return {
    learnedRatePerSec: state.ratePerSec === null ? null : Math.round(state.ratePerSec * 100) / 100,
    episodes: state.episodes,
    refusals: state.evidence.refusals,
    boundBy: whatBound(state),
  };
}

/** The gates' verdicts (`--gate`, and every SLO's with `--gate slo`) on the finished run's figures. */
export function gateResults(
  config: Pick<RunConfig, 'gates' | 'sloGates'>,
  report: Pick<Report, 'targets' | 'goodput'>,
): GateResult[] {
  const results = evaluateGates(config.gates, report.targets);
  if (config.sloGates) {
    for (const [target, goodput] of Object.entries(report.goodput ?? {})) {
      for (const slo of goodput.slos) {
        results.push({
          gate: `slo ${slo.text}`,
          target,
          measured: slo.metShare,
          pass: slo.passed === true,
          ...(slo.passed === null ? { reason: 'no request to judge' } : {}),
        });
      }
    }
  }
  return results;
}
