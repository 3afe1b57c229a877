import { withCustomChecks } from './custom.js';
import { assertionType } from './index.js';
import type {
  AssertionContext,
  AssertionResult,
  AssertionSpec,
  CheckEnv,
  CustomChecks,
  Verdict,
} from './types.js';
import { validateThreshold } from './validate.js';

export interface EvaluateOptions {
  /** The config's assertions (`defaultAssert`, then the target's), evaluated after the row's own. */
  defaults?: readonly AssertionSpec[];
  /**
   * The weighted score (0..1) the row must reach. Without one, every assertion of weight > 0 must
   * pass.
   */
  threshold?: number;
  /** From loadCustomChecks, done once at load; custom checks missing here are loaded on first use. */
  customChecks?: CustomChecks;
}

export interface RowEvaluation {
  pass: boolean;
  /** Weighted mean of the scores (weight 0 left out); 1 when nothing has weight. */
  score: number;
  threshold?: number;
  results: AssertionResult[];
}

const EPSILON = 1e-9;
const NO_CUSTOM_CHECKS: CustomChecks = new Map();

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function clamp(score: number): number {
  return Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
}

/** Applies `not-`: pass and score flip, except for a check that could not be evaluated. */
function negated(verdict: Verdict): Verdict {
  if (verdict.undecided) return { ...verdict, pass: false, score: 0 };
  const score = 1 - clamp(verdict.score ?? (verdict.pass ? 1 : 0));
  return { pass: !verdict.pass, score, reason: verdict.reason };
}

/** One assertion on one answer. A check that throws fails with the error as its reason. */
export async function checkAssertion(
  spec: AssertionSpec,
  ctx: AssertionContext,
  env: CheckEnv = { customChecks: NO_CUSTOM_CHECKS },
): Promise<AssertionResult> {
  let verdict: Verdict;
  try {
    verdict = await assertionType(spec.kind).check(spec, ctx, env);
  } catch (error) {
    verdict = {
      pass: false,
      reason: `the ${spec.kind} check failed: ${(error as Error)?.message ?? String(error)}`,
      undecided: true,
    };
  }
  if (spec.negate) verdict = negated(verdict);
  const pass = verdict.pass && !verdict.undecided;
  const score = verdict.undecided ? 0 : clamp(verdict.score ?? (pass ? 1 : 0));
  const result: AssertionResult = { type: spec.type, pass, score: round(score), reason: verdict.reason };
  if (spec.weight !== 1) result.weight = spec.weight;
  if (spec.label !== undefined) result.label = spec.label;
  return result;
}

/**
 * Runs the row's assertions and the defaults on one answer (concurrently: judges and custom
 * checks may be async) and decides the row: with a threshold, the weighted score must reach it;
 * without, every assertion of weight > 0 must pass. No assertions at all pass with score 1.
 */
export async function evaluateRow(
  specs: readonly AssertionSpec[],
  ctx: AssertionContext,
  options: EvaluateOptions = {},
): Promise<RowEvaluation> {
  // The row's own first: its results lead, and a reader sees what the row asked before the rest.
  const all = [...specs, ...(options.defaults ?? [])];
  const threshold = options.threshold === undefined ? undefined : validateThreshold(options.threshold);
  const customChecks = await withCustomChecks(all, options.customChecks ?? NO_CUSTOM_CHECKS);
  const results = await Promise.all(all.map((spec) => checkAssertion(spec, ctx, { customChecks })));
  let weighted = 0;
  let totalWeight = 0;
  for (const result of results) {
    const weight = result.weight ?? 1;
    weighted += weight * result.score;
    totalWeight += weight;
  }
  const score = totalWeight > 0 ? round(weighted / totalWeight) : 1;
  const pass =
    threshold === undefined
      ? results.every((result) => result.pass || result.weight === 0)
      : score + EPSILON >= threshold;
  return threshold === undefined ? { pass, score, results } : { pass, score, threshold, results };
}
