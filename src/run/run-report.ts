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
import type { Report, ReportLimits } from '../report/schema.js';
import { STEPBENCH_VERSION } from '../version.js';
import type { PhaseRecord, RunSession } from './session.js';

export interface RunReportInput {
  config: RunConfig;
  targets: readonly Target[];
  /** The grader target, when `judge` assertions had one: its key is redacted like the targets'. */
  grader?: Target;
  scan: { rows: number; badRows: BadRow[] };
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
      // Again with every target's secrets: config-file keys and headers the CLI did not know of.
      command: redactArgv(
        config.commandLine,
        [...targets, ...(input.grader ? [input.grader] : [])].flatMap(targetSecrets),
      ),
      stepbenchVersion: STEPBENCH_VERSION,
      // The arrival seed actually used, so an open-loop schedule can be replayed with --arrival-seed.
      options: records.some((r) => r.phase.load.kind === 'open')
        ? { ...config.given, arrivalSeed: session.arrivalSeed }
        : config.given,
    },
    targets: targets.map(targetForReport),
    dataset: { files: config.datasets, rows: input.scan.rows, badRows: input.scan.badRows },
    environment: currentEnvironment(config.output.recordHostname),
    limits: {
      adaptive: config.limits.adaptive,
      maxConcurrency: config.limits.maxConcurrency,
      finalConcurrency: session.limiter.limit,
      ...adaptiveState(config.limits.adaptive, session.limiter.state),
      rpm: config.limits.rpm ?? null,
      tpm: config.limits.tpm ?? null,
      tier: config.limits.tier ?? null,
      retries: config.retryPolicy.retries,
      timeoutsMs: config.timeouts,
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
function gateResults(config: RunConfig, report: Report): GateResult[] {
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
