import type { Slo } from '../eval/slo.js';
import type { Target } from '../plan/types.js';
import { isError, OUTCOME_CLASSES } from '../results/outcomes.js';
import type { PhaseRecord } from '../run/session.js';
import type { StepMeasurement } from './types.js';

const percentiles = (p: { p50: number | null; p95: number | null; p99: number | null }) => ({
  p50: p.p50,
  p95: p.p95,
  p99: p.p99,
});

/** What one step measured, from the phase's own metrics of the (single) target. */
export function measureStep(record: PhaseRecord, target: Target, load: number, slos: Slo[]): StepMeasurement {
  const metrics = record.collector.target(target.name);
  const summary = metrics?.summary(target.price);
  // Open loop: every completion belongs to an arrival offered during the sending window, so
  // rates are per that window (dividing by the drain too read a sustained 20 req/s as 18.3).
  // Closed loop: first send to last completion, as vLLM and GenAI-Perf count.
  const s = record.schedule;
  const window =
    record.phase.load.kind === 'open' ? s.dispatchEndedAt - s.startedAt : s.endedAt - s.startedAt;
  const durationMs = Math.max(1, window);
  const requests = summary?.requests ?? 0;
  const rateLimited = summary?.outcomes.rate_limited ?? 0;
  const outcomes = summary?.outcomes;
  const errors = outcomes ? OUTCOME_CLASSES.reduce((n, o) => n + (isError(o) ? outcomes[o] : 0), 0) : 0;
  const completed = summary?.completed ?? 0;
  const perSec = (n: number) => (n / durationMs) * 1000;
  const goodput = record.goodput.get(target.name)?.summary(durationMs);
  const step: StepMeasurement = {
    load,
    requests,
    completed,
    rateLimited,
    errors,
    rateLimitedShare: requests ? rateLimited / requests : 0,
    errorShare: requests ? errors / requests : 0,
    durationMs,
    throughputRps: perSec(completed),
    outputTokensPerSec: perSec(summary?.tokens.completion.total ?? 0),
    totalTokensPerSec: perSec(summary?.tokens.total.total ?? 0),
    rpm: perSec(completed) * 60,
    tpm: perSec(summary?.tokens.total.total ?? 0) * 60,
    latencyMs: {
      ttft: percentiles(summary?.latency.ttft ?? { p50: null, p95: null, p99: null }),
      e2e: percentiles(summary?.latency.e2e ?? { p50: null, p95: null, p99: null }),
    },
    sloPassed: slos.length === 0 ? null : (goodput?.passed ?? null),
  };
  const failures = goodput?.slos
    .filter((s) => s.passed === false)
    .map((s) => `${s.text} met by ${((s.metShare ?? 0) * 100).toFixed(1)}%`);
  if (failures && failures.length > 0) step.sloFailures = failures;
  return step;
}
