import type { Price } from '../plan/types.js';
import type { JobResult } from '../results/types.js';
import { gotResponse } from './outcomes.js';

/** The token counts that a bill is computed from. `cachedTokens` is part of `promptTokens`. */
export interface BillableTokens {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
}

/**
 * Cost of `usage` at `price` (per 1M tokens), in `price.currency`:
 * ((prompt − cached)·input + cached·cachedInput + completion·output) / 1e6.
 * Cached tokens are clamped to the prompt so a server reporting more cached than prompt
 * tokens cannot produce a negative uncached share.
 */
export function costOf(usage: BillableTokens, price: Price): number {
  const cached = Math.min(Math.max(usage.cachedTokens ?? 0, 0), usage.promptTokens);
  const uncached = usage.promptTokens - cached;
  return (uncached * price.input + cached * price.cachedInput + usage.completionTokens * price.output) / 1e6;
}

/** A cost summary as reports carry it: known (with its parts) or explicitly unknown. */
export type CostSummary =
  | {
      currency: string;
      total: number;
      input: number;
      cachedInput: number;
      output: number;
    }
  | { currency: null; total: null; reason: 'unknown price' };

/** Cost of a target's token totals, split by part; `unknown price` when there is no price. */
export function summarizeCost(totals: BillableTokens, price: Price | undefined): CostSummary {
  if (!price) return { currency: null, total: null, reason: 'unknown price' };
  const cached = Math.min(Math.max(totals.cachedTokens ?? 0, 0), totals.promptTokens);
  const input = ((totals.promptTokens - cached) * price.input) / 1e6;
  const cachedInput = (cached * price.cachedInput) / 1e6;
  const output = (totals.completionTokens * price.output) / 1e6;
  return { currency: price.currency, total: costOf(totals, price), input, cachedInput, output };
}

/**
 * What one request cost, as its result records it (`cost`) and `max-cost` judges it: its usage at
 * the target's price through costOf, the function the report's totals use, over the same results
 * (those that got a response; the totals leave the others' tokens out too). Undefined when the
 * price is unknown — never 0 — or when the request got no response.
 */
export function requestCost(
  result: Pick<JobResult, 'usage' | 'outcome' | 'status'>,
  price: Price | undefined,
): number | undefined {
  if (!price || !gotResponse(result)) return undefined;
  return costOf(result.usage, price);
}
