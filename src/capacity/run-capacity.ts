import { UserError } from '../errors.js';
import type { ExitCodeValue } from '../exit-codes.js';
import {
  type CapacityConfig,
  type CapacityOptions,
  capacityStepPhase,
  resolveCapacityConfig,
} from '../plan/capacity-config.js';
import { loadConfigFile } from '../plan/config-file.js';
import type { ResolveStyle } from '../plan/run-config.js';
import type { Target } from '../plan/types.js';
import type { Report } from '../report/schema.js';
import { type RunIo, type RunShape, runPipeline } from '../run/pipeline.js';
import type { ProgressSnapshot } from '../run/session.js';
import { measureStep } from './measure-step.js';
import { CapacitySearch, defaultSearchOptions } from './search.js';
import type { CapacityAnswer, StepMeasurement } from './types.js';

export type { CapacityOptions } from '../plan/capacity-config.js';

export interface CapacityOutcome {
  answer: CapacityAnswer;
  report: Report & { capacity: CapacityAnswer };
  outDir: string;
  reportPath: string;
  resultsPath: string;
  junitPath: string;
  htmlPath: string;
  exitCode: ExitCodeValue;
}

export interface CapacityEvents {
  onStep?(info: { load: number; step: number }): void;
  onMeasured?(step: StepMeasurement): void;
  onStart?(snapshot: () => ProgressSnapshot): void;
}

/** A capacity search as a run shape: each step is a bounded phase, chosen by the search as it goes. */
function searchShape(config: CapacityConfig, events: CapacityEvents): RunShape<{ capacity: CapacityAnswer }> {
  const search = new CapacitySearch(
    defaultSearchOptions(config.search.dimension, {
      start: config.search.start,
      max: config.search.max,
      thresholds: config.search.thresholds,
    }),
  );
  let target: Target | undefined;
  return {
    openLoop: config.search.dimension === 'rate',
    size(_rows, targets) {
      if (targets.length !== 1) {
        throw new UserError(
          `capacity measures one target at a time (got ${targets.length}); pass a single --model`,
        );
      }
      target = targets[0];
      return { requests: Number.POSITIVE_INFINITY, planned: 0 };
    },
    async drive(session, source) {
      events.onStart?.(() => session.snapshot(0));
      const records = [];
      for (let load = search.next(), step = 1; load !== undefined; load = search.next(), step++) {
        if (session.stopSignal.aborted) break;
        if (step > 1 && config.search.stepCooldownMs)
          await session.clock.sleep(config.search.stepCooldownMs, session.stopSignal);
        if (session.stopSignal.aborted) break;
        events.onStep?.({ load, step });
        const record = await session.runPhase(capacityStepPhase(config.search, load), source);
        records.push(record);
        // A step cut short by Ctrl-C measured a different load than intended: keep it in the
        // results but do not let it steer (or end) the search.
        if (session.stopSignal.aborted) break;
        const measured = measureStep(record, target as Target, load, config.slos);
        search.record(measured);
        events.onMeasured?.(measured);
      }
      return records;
    },
    reportExtra(session) {
      const answer = search.answer();
      if (!session.stopSignal.aborted) return { capacity: answer };
      const stoppedBecause =
        session.abortedReason ?? 'interrupted by the user; the answer covers the steps finished so far';
      return { capacity: { ...answer, stoppedBecause } };
    },
  };
}

/**
 * `stepbench capacity`: measures one target at rising loads — doubling, then bisecting around
 * the knee (see CapacitySearch) — with retries and adaptive concurrency off, so each step sees
 * the server as it is. Every step is a bounded phase of one run: results of all steps go to one
 * results.jsonl, each tagged with its step.
 */
export async function capacity(
  options: CapacityOptions & Pick<RunIo, 'stop' | 'abort'>,
  events: CapacityEvents = {},
  style?: ResolveStyle,
): Promise<CapacityOutcome> {
  const file = options.config ? await loadConfigFile(options.config) : undefined;
  const config = resolveCapacityConfig(options, file, style);
  const io: RunIo = {
    ...(options.stop ? { stop: options.stop } : {}),
    ...(options.abort ? { abort: options.abort } : {}),
  };
  const outcome = await runPipeline(config, searchShape(config, events), io);
  return { ...outcome, answer: outcome.report.capacity };
}
