import { formatDuration, formatInt, formatPercent } from '../report/format.js';
import type { CapacityAnswer, CapacityDimension, CapacityPoint } from './types.js';

export type { CapacityAnswer } from './types.js';

const LOAD_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, useGrouping: false });
const COMPACT_FORMAT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A load as a user reads it: `concurrency 48` or `rate 20.5 req/s`. */
export function describeLoad(dimension: CapacityDimension, load: number): string {
  return dimension === 'concurrency' ? `concurrency ${formatLoad(load)}` : `rate ${formatLoad(load)} req/s`;
}

/** The bare number of a load: integers stay integers, rates keep up to two decimals. */
export function formatLoad(load: number): string {
  return LOAD_FORMAT.format(load);
}

/**
 * Reads the answer off the measured steps. The search keeps every good step below every bad one,
 * but this does not rely on it: the sustainable point is the highest good step below the lowest
 * bad one, so a good step measured past the knee (noise, or a caller that chose its own loads)
 * never counts.
 */
export function buildAnswer(
  dimension: CapacityDimension,
  points: readonly CapacityPoint[],
  stoppedBecause: string,
): CapacityAnswer {
  const curve = [...points].sort((a, b) => a.load - b.load);
  const limit = curve.find((p) => !p.verdict.ok) ?? null;
  const goodBelowLimit = curve.filter((p) => p.verdict.ok && (limit === null || p.load < limit.load));
  const onset = curve.find((p) => p.rateLimited > 0);
  return {
    dimension,
    sustainable: goodBelowLimit.at(-1) ?? null,
    limit,
    stoppedBecause,
    rateLimitOnset: onset ? { load: onset.load, share: onset.rateLimitedShare } : null,
    saturation: limit?.verdict.kind === 'saturated' ? { load: limit.load } : null,
    curve,
    steps: points.length,
  };
}

function sustainablePart(answer: CapacityAnswer): string {
  const s = answer.sustainable;
  if (s === null) return 'no sustainable load found';
  const parts = [`${formatInt(s.rpm)} req/min`, `${COMPACT_FORMAT.format(s.tpm)} tok/min`];
  const p95 = s.latencyMs.e2e.p95;
  if (p95 !== null && Number.isFinite(p95)) parts.push(`p95 e2e ${formatDuration(p95)}`);
  return `sustainable: ${describeLoad(answer.dimension, s.load)} — ${parts.join(', ')}`;
}

function onsetPart(answer: CapacityAnswer): string {
  const onset = answer.rateLimitOnset;
  if (onset === null) return 'no 429s seen';
  return `429s begin at ${formatLoad(onset.load)} (${formatPercent(onset.share)})`;
}

/**
 * The answer in one line, e.g.
 * `sustainable: concurrency 32 — 1,920 req/min, 1.2M tok/min, p95 e2e 1.9 s; 429s begin at 40 (8.0%); stopped: …`.
 */
export function summarizeAnswer(answer: CapacityAnswer): string {
  const parts = [sustainablePart(answer), onsetPart(answer)];
  if (answer.saturation !== null) parts.push(`throughput flat from ${formatLoad(answer.saturation.load)}`);
  parts.push(`stopped: ${answer.stoppedBecause}`);
  return parts.join('; ');
}
