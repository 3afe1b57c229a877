import { loadConfigFile } from '../plan/config-file.js';
import { countJobs } from '../plan/jobs.js';
import { needsEndlessJobs, type Phase } from '../plan/phases.js';
import { type ResolveStyle, type RunConfig, type RunOptions, resolveRunConfig } from '../plan/run-config.js';
import type { Report } from '../report/schema.js';
import { type RunEvents, type RunIo, type RunOutcome, type RunShape, runPipeline } from './pipeline.js';

export type { RunOptions } from '../plan/run-config.js';

/**
 * The phases as they will run: phases that end by time or by count need a dataset that never
 * runs out first, so the rows are cycled; an unbounded last phase then sends one pass of the
 * plan's size, not forever. Copies: the config's phases stay as resolved.
 */
function phasesToRun(config: RunConfig, rows: number | undefined, targets: number) {
  const phases: Phase[] = config.phases.map((p) => ({ ...p, bounds: { ...p.bounds } }));
  const endless = needsEndlessJobs(phases);
  const last = phases.at(-1);
  if (endless && last && last.bounds.durationMs === undefined && last.bounds.requests === undefined) {
    // One pass of the dataset after a warmup: its length is the row count, so it must be known.
    if (rows === undefined) return undefined;
    last.bounds = { requests: countJobs(rows, targets, { repeat: config.plan.repeat }) };
  }
  // Time-bounded phases make the total unknown in advance: 0 says so to progress displays.
  const planned = endless
    ? phases.every((p) => p.bounds.requests !== undefined && p.bounds.durationMs === undefined)
      ? phases.reduce((n, p) => n + (p.bounds.requests ?? 0), 0)
      : 0
    : rows === undefined && config.plan.requests === undefined
      ? 0
      : countJobs(rows ?? 0, targets, config.plan);
  return { phases, requests: endless ? Number.POSITIVE_INFINITY : config.plan.requests, planned };
}

/** A `run`: the configured phases, one after another. */
export function phasesShape(config: RunConfig): RunShape<object> {
  let phases: Phase[] | undefined;
  return {
    size(rows, targets) {
      const sized = phasesToRun(config, rows, targets.length);
      if (!sized) return undefined;
      phases ??= sized.phases;
      return {
        planned: sized.planned,
        ...(sized.requests !== undefined ? { requests: sized.requests } : {}),
      };
    },
    async drive(session, source, onResult) {
      const records = [];
      for (const phase of phases ?? []) {
        if (session.stopSignal.aborted) break;
        records.push(await session.runPhase(phase, source, onResult));
      }
      return records;
    },
  };
}

/** Runs an already resolved config (the library's lower entry; `run` resolves options first). */
export function executeRun(
  config: RunConfig,
  io: RunIo = {},
  events: RunEvents = {},
): Promise<RunOutcome<Report>> {
  return runPipeline(config, phasesShape(config), io, events);
}

/**
 * Runs datasets against targets and returns the report: reads the config file, resolves every
 * setting into one RunConfig, then hands over to the run's pipeline.
 */
export async function run(
  options: RunOptions & Pick<RunIo, 'stop' | 'abort'>,
  events?: RunEvents,
  style?: ResolveStyle,
): Promise<RunOutcome<Report>> {
  const file = options.config ? await loadConfigFile(options.config) : undefined;
  const config = resolveRunConfig(options, file, style);
  return executeRun(
    config,
    { ...(options.stop ? { stop: options.stop } : {}), ...(options.abort ? { abort: options.abort } : {}) },
    events,
  );
}
