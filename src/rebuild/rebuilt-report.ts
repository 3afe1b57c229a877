import { UserError } from '../errors.js';
import { type Gate, parseGate } from '../eval/gate.js';
import { parseSlo, type Slo } from '../eval/slo.js';
import { windowMs } from '../metrics/throughput.js';
import { buildReport } from '../report/json.js';
import type { RunFile } from '../report/run-file.js';
import type { Report, ReportLimits } from '../report/schema.js';
import { gateResults } from '../run/run-report.js';
import { failedRunReason, outcomeTotals } from '../run/run-verdict.js';
import type { Replayed } from './replay.js';

/** The objectives and gates of a saved run, parsed again from their texts. */
export interface SavedChecks {
  slos: Slo[];
  gates: Gate[];
  sloGates: boolean;
}

/** Parses the run file's SLO and gate texts; a text this stepbench cannot read names the file. */
export function savedChecks(saved: RunFile, source: string): SavedChecks {
  const named = <T>(parse: () => T): T => {
    try {
      return parse();
    } catch (err) {
      if (err instanceof UserError) throw new UserError(`${source}: ${err.message}`);
      throw err;
    }
  };
  return {
    slos: saved.slos.map((text) => named(() => parseSlo(text))),
    gates: saved.gates.filter((text) => text.trim() !== 'slo').map((text) => named(() => parseGate(text))),
    sloGates: saved.gates.some((text) => text.trim() === 'slo'),
  };
}

/**
 * What a live run's report has that neither the results nor the run file hold. Each is a field
 * path of the report; docs/report-schema.md ("rebuilt") says why each one is missing.
 */
function missingParts(saved: RunFile): string[] {
  const missing = ['health', 'phases', 'aborted', 'timeline.events'];
  if (!saved.limits) missing.push('limits');
  else if (saved.limits.adaptive)
    missing.push(
      'limits.finalConcurrency',
      'limits.learnedRatePerSec',
      'limits.episodes',
      'limits.refusals',
      'limits.boundBy',
      'timeline.buckets[].limit',
      'timeline.buckets[].sendRate',
    );
  if (saved.grader !== undefined) missing.push('grader');
  if (saved.command === 'capacity') missing.push('capacity');
  return missing;
}

function configuredLimits(saved: RunFile): ReportLimits | undefined {
  if (!saved.limits) return undefined;
  // A pinned limit never moves, so where it ended is known; an adaptive one's is not.
  return {
    ...saved.limits,
    finalConcurrency: saved.limits.adaptive ? null : saved.limits.maxConcurrency,
  };
}

export interface RebuiltReportInput {
  saved: RunFile;
  checks: SavedChecks;
  replayed: Replayed;
  /** The files it was rebuilt from, for `rebuilt.from`. */
  from: string[];
  /** The rebuild's time: `generatedAt` and `rebuilt.at`. */
  at: Date;
}

/**
 * The report of a run rebuilt from its results and its run file: every figure the results hold
 * computed as the live run computes it (the same collector, trackers and gate evaluation), the
 * configuration as the run saved it, and `rebuilt` saying what is missing.
 */
export function rebuiltReport(input: RebuiltReportInput): Report {
  const { saved, replayed } = input;
  const wallMs = replayed.lastEndAt;
  const segmentMs = Math.max(0, wallMs - saved.clockAtStartMs);
  const windowOf = (target: string) => {
    const metrics = replayed.overall.target(target);
    return metrics ? windowMs(metrics.window) : 0;
  };
  const failed = failedRunReason({
    outcomes: outcomeTotals(replayed.overall.targets()),
    digest: replayed.errorDigest,
    ...(saved.maxErrorRate !== undefined ? { maxErrorRate: saved.maxErrorRate } : {}),
  });
  const errorMessages = replayed.errorDigest.toJSON();
  const limits = configuredLimits(saved);
  const report = buildReport({
    collector: replayed.overall,
    run: {
      id: saved.id,
      startedAt: saved.startedAt,
      endedAt: new Date(Date.parse(saved.startedAt) + segmentMs).toISOString(),
      wallMs,
      command: saved.commandLine,
      stepbenchVersion: saved.stepbenchVersion,
      options: saved.options,
    },
    targets: saved.targets,
    dataset: saved.dataset,
    environment: saved.environment,
    ...(limits ? { limits } : {}),
    timeline: replayed.timeline.toJSON(),
    goodput: Object.fromEntries(
      [...replayed.goodput].map(([name, tracker]) => [name, tracker.summary(windowOf(name))]),
    ),
    ...(saved.slos.length > 0 ? { slos: saved.slos } : {}),
    ...(saved.resumed ? { resumed: saved.resumed } : {}),
    ...(failed ? { failed: { reason: failed } } : {}),
    ...(Object.keys(errorMessages).length > 0 ? { errorMessages } : {}),
    generatedAt: input.at.toISOString(),
  });
  const gates = gateResults(input.checks, report);
  if (gates.length > 0) report.gates = gates;
  if (replayed.repeats) report.repeats = replayed.repeats.report(saved.repeat);
  report.rebuilt = {
    at: input.at.toISOString(),
    from: input.from,
    missing: missingParts(saved),
    estimated: ['run.endedAt', 'run.wallMs', 'timeline.buckets'],
    ...(replayed.tornLine !== undefined ? { tornLine: replayed.tornLine } : {}),
  };
  return report;
}
