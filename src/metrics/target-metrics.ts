import type { Price } from '../plan/types.js';
import { isSuccess } from '../results/outcomes.js';
import type { JobResult } from '../results/types.js';
import { CheckCounts, type CheckSummary } from './check-counts.js';
import { type CostSummary, summarizeCost } from './cost.js';
import {
  DURATION_METRICS,
  type DurationMetric,
  HistogramSet,
  type MetricName,
  type Percentiles,
} from './histograms.js';
import { emptyOutcomeCounts, gotResponse, type OutcomeCounts } from './outcomes.js';
import {
  type MeasurementWindow,
  maxDefined,
  minDefined,
  type Throughput,
  throughputOver,
  widenWindow,
} from './throughput.js';

export interface TokenTotals {
  prompt: number;
  completion: number;
  /** Sum over results whose server reported cached tokens. */
  cached: number;
  total: number;
  /** Sum over results whose server broke reasoning tokens out. */
  reasoning: number;
  /** How many responded results had `usage.source` server / estimated. */
  server: number;
  estimated: number;
  /** How many responded results reported reasoning tokens at all (0 = the server never did). */
  reasoningReported: number;
}

export interface TokenStat {
  total: number;
  /** Distribution of the per-request count. */
  perRequest: Percentiles;
}

export interface TokenSummary {
  prompt: TokenStat;
  completion: TokenStat;
  cached: TokenStat;
  total: TokenStat;
  /** Only when the server broke reasoning tokens out (StepFun does not: they hide in completion). */
  reasoning?: TokenStat;
  /** Responded results by where their counts came from. */
  source: { server: number; estimated: number };
}

/** What it took to get the results: attempts, retries, 429s and time spent backing off. */
export interface AttemptTotals {
  /** HTTP attempts over all jobs (≥ requests). */
  attempts: number;
  /** Jobs that needed more than one attempt. */
  retriedJobs: number;
  /** Attempts answered with 429, whether retried or final. */
  rateLimited: number;
  /** Sum of the waits before retries, ms. */
  backoffMs: number;
}

function emptyAttempts(): AttemptTotals {
  return { attempts: 0, retriedJobs: 0, rateLimited: 0, backoffMs: 0 };
}

/** Everything a report says about one target, computed from plain counters and histograms. */
export interface TargetSummary {
  requests: number;
  completed: number;
  outcomes: OutcomeCounts;
  /** (ok + assertion_failed + length) / requests; null with no requests. */
  successRate: number | null;
  attempts: AttemptTotals;
  window: { firstScheduledAt: number | null; firstSentAt: number | null; lastEndAt: number | null };
  throughput: Throughput;
  latency: Record<DurationMetric, Percentiles>;
  tokens: TokenSummary;
  cost: CostSummary;
  /** Answers judged against their rows' checks, the pass rate (check-counts.ts), and what was not judged. */
  checks: CheckSummary;
}

function emptyTotals(): TokenTotals {
  return {
    prompt: 0,
    completion: 0,
    cached: 0,
    total: 0,
    reasoning: 0,
    server: 0,
    estimated: 0,
    reasoningReported: 0,
  };
}

/** Running metrics of one target. `add` is O(number of ITL gaps) and allocation-free apart from HDR growth. */
export class TargetMetrics {
  readonly name: string;
  price: Price | undefined;
  /** Model of the first result seen (reports normally take it from the target config). */
  model: string | undefined;
  readonly histograms = new HistogramSet();
  readonly outcomes: OutcomeCounts = emptyOutcomeCounts();
  readonly tokens: TokenTotals = emptyTotals();
  readonly window: MeasurementWindow = {};
  readonly attempts: AttemptTotals = emptyAttempts();
  readonly checks = new CheckCounts();
  requests = 0;
  completed = 0;
  successes = 0;

  constructor(name: string, price?: Price) {
    this.name = name;
    this.price = price;
  }

  add(result: JobResult): void {
    this.model ??= result.model;
    this.requests++;
    this.outcomes[result.outcome]++;
    if (isSuccess(result.outcome)) this.successes++;
    this.checks.add(result);
    const { times, durations } = result;
    this.window.firstScheduledAt = minDefined(this.window.firstScheduledAt, times.scheduledAt);
    this.window.firstSentAt = minDefined(this.window.firstSentAt, times.sentAt);
    this.window.lastEndAt = maxDefined(this.window.lastEndAt, times.endAt);

    this.addAttempts(result.attempts);
    // What the caller waited for, whatever happened: every result.
    this.histograms.record('latency', durations.latency);
    this.histograms.record('queue', durations.queue);
    if (!gotResponse(result)) return;

    this.completed++;
    const h = this.histograms;
    if (durations.ttfb !== undefined) h.record('ttfb', durations.ttfb);
    if (durations.ttft !== undefined) h.record('ttft', durations.ttft);
    if (durations.ttfa !== undefined) h.record('ttfa', durations.ttfa);
    if (durations.tpot !== undefined) h.record('tpot', durations.tpot);
    h.record('e2e', durations.e2e);
    for (const gap of result.itl) h.record('itl', gap);
    this.addUsage(result.usage);
  }

  private addAttempts(attempts: JobResult['attempts']): void {
    const a = this.attempts;
    // Results written before attempts were recorded still stand for one attempt.
    a.attempts += Math.max(1, attempts.length);
    if (attempts.length > 1) a.retriedJobs++;
    for (const attempt of attempts) {
      if (attempt.outcome === 'rate_limited') a.rateLimited++;
      a.backoffMs += attempt.waitMs;
      // Every connection the run had to open, whichever attempt opened it and however it ended.
      if (attempt.connectMs !== undefined) this.histograms.record('connect', attempt.connectMs);
    }
  }

  private addUsage(usage: JobResult['usage']): void {
    const h = this.histograms;
    const t = this.tokens;
    h.record('prompt_tokens', usage.promptTokens);
    h.record('completion_tokens', usage.completionTokens);
    h.record('total_tokens', usage.totalTokens);
    t.prompt += usage.promptTokens;
    t.completion += usage.completionTokens;
    t.total += usage.totalTokens;
    if (usage.cachedTokens !== undefined) {
      h.record('cached_tokens', usage.cachedTokens);
      t.cached += usage.cachedTokens;
    }
    if (usage.reasoningTokens !== undefined) {
      h.record('reasoning_tokens', usage.reasoningTokens);
      t.reasoning += usage.reasoningTokens;
      t.reasoningReported++;
    }
    if (usage.source === 'server') t.server++;
    else t.estimated++;
  }

  /** Adds another collector's state for the same target (shards, resumed runs). */
  merge(other: TargetMetrics): void {
    this.requests += other.requests;
    this.completed += other.completed;
    this.successes += other.successes;
    for (const [outcome, n] of Object.entries(other.outcomes)) {
      this.outcomes[outcome as keyof OutcomeCounts] += n;
    }
    for (const [key, n] of Object.entries(other.tokens)) {
      this.tokens[key as keyof TokenTotals] += n;
    }
    for (const [key, n] of Object.entries(other.attempts)) {
      this.attempts[key as keyof AttemptTotals] += n;
    }
    this.checks.merge(other.checks);
    widenWindow(this.window, other.window);
    this.histograms.merge(other.histograms);
    this.price ??= other.price;
    this.model ??= other.model;
  }

  /** `price` overrides the one given at construction (a report may know better). */
  summary(price: Price | undefined = this.price): TargetSummary {
    const h = this.histograms;
    const latency = {} as Record<DurationMetric, Percentiles>;
    for (const metric of DURATION_METRICS) latency[metric] = h.percentiles(metric);
    const t = this.tokens;
    const tokens: TokenSummary = {
      prompt: { total: t.prompt, perRequest: h.percentiles('prompt_tokens') },
      completion: { total: t.completion, perRequest: h.percentiles('completion_tokens') },
      cached: { total: t.cached, perRequest: h.percentiles('cached_tokens') },
      total: { total: t.total, perRequest: h.percentiles('total_tokens') },
      source: { server: t.server, estimated: t.estimated },
    };
    if (t.reasoningReported > 0) {
      tokens.reasoning = { total: t.reasoning, perRequest: h.percentiles('reasoning_tokens') };
    }
    return {
      requests: this.requests,
      completed: this.completed,
      outcomes: { ...this.outcomes },
      successRate: this.requests === 0 ? null : this.successes / this.requests,
      attempts: { ...this.attempts, backoffMs: Math.round(this.attempts.backoffMs * 1000) / 1000 },
      window: {
        firstScheduledAt: this.window.firstScheduledAt ?? null,
        firstSentAt: this.window.firstSentAt ?? null,
        lastEndAt: this.window.lastEndAt ?? null,
      },
      throughput: throughputOver(this.window, {
        completed: this.completed,
        outputTokens: t.completion,
        totalTokens: t.total,
      }),
      latency,
      tokens,
      cost: summarizeCost(
        { promptTokens: t.prompt, completionTokens: t.completion, cachedTokens: t.cached },
        price,
      ),
      checks: this.checks.summary(),
    };
  }
}

/**
 * The exact per-metric means a summary carries, keyed by histogram name: what
 * `HistogramSet.decode` needs to rebuild a report's histograms with exact means.
 */
export function reportedMeans(summary: TargetSummary): Partial<Record<MetricName, number | null>> {
  const means: Partial<Record<MetricName, number | null>> = {};
  for (const metric of DURATION_METRICS) means[metric] = summary.latency[metric].mean;
  const t = summary.tokens;
  means.prompt_tokens = t.prompt.perRequest.mean;
  means.completion_tokens = t.completion.perRequest.mean;
  means.cached_tokens = t.cached.perRequest.mean;
  means.total_tokens = t.total.perRequest.mean;
  if (t.reasoning) means.reasoning_tokens = t.reasoning.perRequest.mean;
  return means;
}
