import type { GoodputTracker } from '../eval/slo.js';
import type { MetricsCollector } from '../metrics/collector.js';
import { describeLoad, type Phase } from '../plan/phases.js';
import type { Target } from '../plan/types.js';
import { redactHeaders, redactUrl, targetSecrets } from '../redact.js';
import type { ScheduleResult } from '../schedule/types.js';
import type { ReportTargetInput } from './json.js';
import type { ReportPhase } from './schema.js';

/** A target as the report shows it: no key, secret-looking headers and URL credentials redacted. */
export function targetForReport(t: Target): ReportTargetInput {
  const out: ReportTargetInput = {
    name: t.name,
    baseUrl: redactUrl(t.baseUrl),
    model: t.model,
    apiKeyEnv: t.apiKeyEnv,
    stream: t.stream,
    params: t.params,
    headers: redactHeaders(t.headers, targetSecrets(t)),
  };
  if (t.price) out.price = t.price;
  return out;
}

/** What one phase measured, as the run hands it over (times in ms since the run started). */
export interface PhaseRecordInput {
  phase: Phase;
  startedAtMs: number;
  endedAtMs: number;
  schedule: ScheduleResult;
  collector: MetricsCollector;
  goodput: Map<string, GoodputTracker>;
}

/** One phase's section: its load, schedule figures and per-target summaries (no histograms). */
export function phaseReport(record: PhaseRecordInput, targets: readonly Target[]): ReportPhase {
  const window = record.endedAtMs - record.startedAtMs;
  return {
    name: record.phase.name,
    warmup: record.phase.warmup,
    load: describeLoad(record.phase.load),
    bounds: record.phase.bounds,
    startedAtMs: Math.round(record.startedAtMs),
    endedAtMs: Math.round(record.endedAtMs),
    schedule: {
      dispatched: record.schedule.dispatched,
      late: record.schedule.late,
      targetRate: record.schedule.targetRate ?? null,
      achievedRate: record.schedule.achievedRate ?? null,
    },
    targets: targets.map((t) => {
      const metrics = record.collector.target(t.name);
      const goodput = record.goodput.get(t.name);
      return {
        name: t.name,
        summary: metrics ? metrics.summary(t.price) : null,
        goodput: goodput ? goodput.summary(window) : null,
      };
    }),
  };
}
