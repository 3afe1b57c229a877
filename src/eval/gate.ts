import { UserError } from '../errors.js';
import { DURATION_METRICS, type DurationMetric, type Percentiles } from '../metrics/histograms.js';
import type { TargetSummary } from '../metrics/target-metrics.js';
import { parseDuration } from '../plan/duration.js';
import { isError } from '../results/outcomes.js';

/**
 * A CI gate (issue 10): a bound on a figure of the finished run that decides its exit code (1 when
 * one fails). `[target:]metric op value`, e.g. `pass_rate>=0.95`, `ttft.p95<2s`,
 * `error_rate<0.01`, `cost.total<5`, `step-3.5-flash:pass_rate>=0.9`. Without a target prefix a
 * gate is checked for every target, and fails when any target fails it.
 */
export type GateOp = '<' | '<=' | '>' | '>=';
const STATS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max', 'mean', 'min'] as const;
type Stat = (typeof STATS)[number];

export type GateMetric =
  | { kind: 'rate'; name: 'pass_rate' | 'success_rate' | 'error_rate' }
  | { kind: 'duration'; metric: DurationMetric; stat: Stat }
  | { kind: 'cost' }
  | { kind: 'throughput' };

export interface Gate {
  text: string;
  target: string | null;
  metric: GateMetric;
  op: GateOp;
  value: number;
}

export interface GateResult {
  gate: string;
  target: string;
  /** The measured figure (ms for durations); null when the run has none (which fails the gate). */
  measured: number | null;
  pass: boolean;
  reason?: string;
}

const RATES = ['pass_rate', 'success_rate', 'error_rate'] as const;

function gateError(text: string, problem: string): UserError {
  return new UserError(
    `invalid --gate '${text}': ${problem}; expected [target:]<metric><op><value> such as ` +
      `'pass_rate>=0.95', 'ttft.p95<2s', 'error_rate<0.01', 'cost.total<5' or 'step-3.5-flash:pass_rate>=0.9' ` +
      `(metrics: ${RATES.join(', ')}, <duration>.<${STATS.join('|')}> for ${DURATION_METRICS.join(', ')}, cost.total, throughput)`,
  );
}

export function parseGate(input: string): Gate {
  const text = input.trim();
  const m = /^(?:(.+?):)?\s*([a-z][a-z0-9_]*(?:\.[a-z0-9]+)?)\s*(<=|>=|<|>)\s*(.+)$/i.exec(text);
  if (!m) throw gateError(text, 'cannot read it');
  const [, target, metricText, op, valueText] = m as unknown as [
    string,
    string | undefined,
    string,
    GateOp,
    string,
  ];
  const name = metricText.toLowerCase();
  let metric: GateMetric;
  let value: number;
  if ((RATES as readonly string[]).includes(name)) {
    metric = { kind: 'rate', name: name as (typeof RATES)[number] };
    value = parseShare(text, valueText);
  } else if (name === 'cost.total' || name === 'cost') {
    metric = { kind: 'cost' };
    value = parseNumber(text, valueText);
  } else if (name === 'throughput') {
    metric = { kind: 'throughput' };
    value = parseNumber(text, valueText);
  } else {
    const [base, stat = 'p50'] = name.split('.');
    if (!(DURATION_METRICS as readonly string[]).includes(base ?? ''))
      throw gateError(text, `unknown metric '${name}'`);
    if (!(STATS as readonly string[]).includes(stat)) throw gateError(text, `unknown statistic '${stat}'`);
    metric = { kind: 'duration', metric: base as DurationMetric, stat: stat as Stat };
    if (/^\d+(\.\d+)?$/.test(valueText.trim())) {
      throw gateError(text, `'${valueText.trim()}' has no unit: write 2s or 200ms`);
    }
    value = parseDuration(valueText.trim(), `--gate '${text}'`);
  }
  return { text, target: target?.trim() || null, metric, op, value };
}

function parseNumber(text: string, value: string): number {
  const n = Number(value.trim());
  if (!Number.isFinite(n)) throw gateError(text, `'${value.trim()}' is not a number`);
  return n;
}

/** 0.95, or 95%. */
function parseShare(text: string, value: string): number {
  const v = value.trim();
  const n = v.endsWith('%') ? Number(v.slice(0, -1)) / 100 : Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw gateError(text, `'${v}' is not a share between 0 and 1 (or 0–100%)`);
  return n;
}

function statOf(p: Percentiles, stat: Stat): number | null {
  return p[stat];
}

/** The figure a gate bounds, for one target; null when the run has none. */
export function measure(metric: GateMetric, s: TargetSummary): number | null {
  switch (metric.kind) {
    case 'rate': {
      if (s.requests === 0) return null;
      if (metric.name === 'success_rate') return s.successRate;
      // Judged answers only (check-counts.ts): null when no row had checks, which fails the gate.
      if (metric.name === 'pass_rate') return s.checks.passRate;
      let errors = 0;
      for (const [outcome, n] of Object.entries(s.outcomes)) if (isError(outcome as never)) errors += n;
      return errors / s.requests;
    }
    case 'duration':
      return statOf(s.latency[metric.metric], metric.stat);
    case 'cost':
      return s.cost.currency === null ? null : s.cost.total;
    case 'throughput':
      return s.throughput.requestsPerSec;
  }
}

export function holds(measured: number, op: GateOp, value: number): boolean {
  if (op === '<') return measured < value;
  if (op === '<=') return measured <= value;
  if (op === '>') return measured > value;
  return measured >= value;
}

/** Checks each gate for its target, or for every target when it names none. */
export function evaluateGates(
  gates: readonly Gate[],
  targets: ReadonlyArray<{ name: string; summary: TargetSummary }>,
): GateResult[] {
  const results: GateResult[] = [];
  for (const gate of gates) {
    const chosen = gate.target === null ? targets : targets.filter((t) => t.name === gate.target);
    if (chosen.length === 0) {
      results.push({
        gate: gate.text,
        target: gate.target ?? '',
        measured: null,
        pass: false,
        reason: `no target named '${gate.target}'`,
      });
      continue;
    }
    for (const t of chosen) {
      const measured = measure(gate.metric, t.summary);
      if (measured === null) {
        const why =
          gate.metric.kind === 'cost'
            ? 'cost unknown (no price for the model)'
            : gate.metric.kind === 'rate' && gate.metric.name === 'pass_rate' && t.summary.requests > 0
              ? 'no answer was judged (pass_rate counts answers checked against expected/assert)'
              : 'no value (no completed request)';
        results.push({ gate: gate.text, target: t.name, measured: null, pass: false, reason: why });
      } else {
        results.push({
          gate: gate.text,
          target: t.name,
          measured,
          pass: holds(measured, gate.op, gate.value),
        });
      }
    }
  }
  return results;
}
