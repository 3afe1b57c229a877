import { createRandom, mixSeed } from '../random.js';

/** Where a stall happens: no headers at all, or after the role chunk and a few tokens. */
export type StallPhase = 'before-headers' | 'mid-stream';

/** The random per-request faults and their probabilities (0..1 each, summing to at most 1). */
export interface FaultRates {
  errorRate500: number;
  errorRate503: number;
  stallRate: number;
  stallPhase: StallPhase;
  midStreamErrorRate: number;
  abruptCloseRate: number;
}

/** What the dice chose for one request. */
export type FaultPlan =
  | { kind: 'none' }
  | { kind: 'error500' }
  | { kind: 'error503' }
  | { kind: 'stall'; phase: StallPhase; afterChunks: number }
  | { kind: 'midStreamError'; afterChunks: number }
  | { kind: 'abruptClose'; afterChunks: number };

/** Every fault the ground truth counts, random or not. */
export const FAULT_KINDS = [
  'error500',
  'error503',
  'stall',
  'midStreamError',
  'abruptClose',
  'balance402',
  'moderation451',
  'cap503',
  'capCut',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** "A few tokens" before a mid-stream fault: 1 to this many text chunks. */
const MAX_CHUNKS_BEFORE_FAULT = 3;
/** Keeps the fault stream apart from the delay stream seeded from the same request number. */
const FAULT_STREAM = 0xfa17;

export const anyFaultRate = (r: FaultRates): boolean =>
  r.errorRate500 + r.errorRate503 + r.stallRate + r.midStreamErrorRate + r.abruptCloseRate > 0;

/**
 * Draws one request's fault from (seed, request number) alone, so the same seed and the same
 * request order give the same faults, whatever the timing. Always exactly two draws in a fixed
 * order: one uniform picks the fault by laying the rates end to end on [0, 1) (so each rate is
 * exact and turning one fault on never changes which requests get another), the second picks
 * how many text chunks go out before a mid-stream fault.
 */
export function drawFault(rates: FaultRates, seed: number, requestNumber: number): FaultPlan {
  const random = createRandom(mixSeed(seed, requestNumber, FAULT_STREAM));
  const pick = random();
  const afterChunks = 1 + Math.floor(random() * MAX_CHUNKS_BEFORE_FAULT);
  let edge = 0;
  const lands = (rate: number) => {
    const hit = pick >= edge && pick < edge + rate;
    edge += rate;
    return hit;
  };
  if (lands(rates.errorRate500)) return { kind: 'error500' };
  if (lands(rates.errorRate503)) return { kind: 'error503' };
  if (lands(rates.stallRate)) return { kind: 'stall', phase: rates.stallPhase, afterChunks };
  if (lands(rates.midStreamErrorRate)) return { kind: 'midStreamError', afterChunks };
  if (lands(rates.abruptCloseRate)) return { kind: 'abruptClose', afterChunks };
  return { kind: 'none' };
}
