import type { BaselineComparison } from '../compare/compare-runs.js';
import type { TargetsComparison } from '../compare/targets-compare.js';
import type { BadRow } from '../dataset/types.js';
import type { GateResult } from '../eval/gate.js';
import type { RepeatsReport } from '../eval/repeats.js';
import type { GoodputSummary } from '../eval/slo.js';
import type { BoundBy } from '../limit/what-bound.js';
import type { CheckSummary } from '../metrics/check-counts.js';
import type { CostSummary } from '../metrics/cost.js';
import type { HealthSummary } from '../metrics/health.js';
import type { EncodedHistograms } from '../metrics/histograms.js';
import type { TargetSummary } from '../metrics/target-metrics.js';
import type { TimelineJSON } from '../metrics/timeline.js';
import type { Price } from '../plan/types.js';
import type { ErrorDigestJSON } from '../results/error-digest.js';

/**
 * Version of the `report.json` layout. Bump it on any change that breaks a reader
 * (renamed/removed fields, changed units); adding a field does not. Documented field by field
 * in docs/report-schema.md.
 */
export const REPORT_SCHEMA_VERSION = 1;
export const REPORT_SCHEMA_NAME = 'stepbench.report';

export interface ReportRun {
  id: string;
  /** ISO 8601. */
  startedAt: string;
  endedAt: string;
  wallMs: number;
  /** argv, secrets already redacted by the caller. */
  command: string[];
  stepbenchVersion: string;
  /** The effective configuration, secrets redacted. */
  options: Record<string, unknown>;
}

export interface ReportEnvironment {
  node: string;
  platform: string;
  arch: string;
  cpus: number;
  hostname?: string;
}

export interface ReportDataset {
  files: string[];
  /** Valid rows; a lower bound when `complete` is false. */
  rows: number;
  badRows: BadRow[];
  /**
   * False when the run ended before the check of the datasets, running alongside it, reached
   * their end (`-n 100` on a million rows): `rows` and `badRows` cover the part read. Absent in
   * reports of earlier versions, which always checked everything first.
   */
  complete?: boolean;
}

/** How the encoded histograms were recorded, so readers in any language can decode them. */
export interface HistogramFormat {
  encoding: 'HdrHistogram V2 compressed, base64';
  durationUnit: 'us';
  tokenUnit: 'tokens';
  significantDigits: 3;
  lowestDiscernibleValue: 1;
  bitBucketSize: 64;
}

export interface ReportTarget {
  name: string;
  model: string;
  baseUrl: string;
  apiKeyEnv: string;
  stream: boolean;
  params: Record<string, unknown>;
  /** Already redacted by the caller. */
  headers: Record<string, string>;
  /** The price the cost was computed with; null when unknown. */
  price: Price | null;
  summary: TargetSummary;
  histograms: EncodedHistograms;
}

export interface Report {
  schema: typeof REPORT_SCHEMA_NAME;
  version: typeof REPORT_SCHEMA_VERSION;
  /** ISO 8601 time the report was built. */
  generatedAt: string;
  run: ReportRun;
  environment: ReportEnvironment;
  dataset: ReportDataset;
  histogramFormat: HistogramFormat;
  targets: ReportTarget[];
  /** Every target's `summary.checks` added up: answers judged, passed, the pass rate. */
  checks?: CheckSummary;
  /** With `--repeat` above 1: each row's pass rate over its repeats, pass^k, the flaky rows. */
  repeats?: RepeatsReport;
  /** The limits the client held itself to, and where adaptive concurrency ended up. */
  limits?: ReportLimits;
  /** Per-second activity and notable events (limit changes, holds, aborts) of this session. */
  timeline?: TimelineJSON;
  /** Each load phase (warmup, ramp, main, …) with its own summaries; warmup is excluded from `targets`. */
  phases?: ReportPhase[];
  /** Whether the client itself was a bottleneck: event-loop delay, CPU, dispatch lag, achieved rate. */
  health?: HealthSummary;
  /** The `--slo` objectives, as written. */
  slos?: string[];
  /** Goodput per target name (requests that met every SLO). */
  goodput?: Record<string, GoodputSummary>;
  /** Present when the run continued an earlier one (`--resume`). */
  resumed?: { kept: number; rerun: number };
  /** Present only when the run stopped early. */
  aborted?: { reason: string };
  /** Verdicts of the CI gates (`--gate`); any `pass: false` makes the exit code 1. */
  gates?: GateResult[];
  /** The run ran to its end but failed as a whole (exit 3): no job succeeded, or errors passed --max-error-rate. */
  failed?: { reason: string };
  /** The most frequent messages behind each non-success outcome class, deduplicated and counted. */
  errorMessages?: ErrorDigestJSON;
  /** `--shard`: which slice of the plan this run was (0-based), and how late it began after `--start-at`. */
  shard?: ReportShard;
  /** Present in a run made by `stepbench merge` from shard folders. */
  merged?: ReportMerged;
  /** The comparison with `--baseline`: per-row flips, metric deltas with their tests; a regression makes the exit code 1. */
  baseline?: BaselineComparison;
  /** With two targets or more: each target set beside the reference target (agreement, deltas with two-sided tests, differing rows); informational. */
  comparison?: TargetsComparison;
  /** The grader target that answered `judge` assertions (`--grader`); absent: the offline grader. */
  grader?: ReportGrader;
  /** Present when `stepbench report` rebuilt this report from the run's results (not the run itself). */
  rebuilt?: ReportRebuilt;
}

/** How a report was rebuilt, and which of a live run's parts it lacks (docs/report-schema.md, "rebuilt"). */
export interface ReportRebuilt {
  /** ISO 8601 time of the rebuild. */
  at: string;
  /** The files it was rebuilt from: `results.jsonl`, then `run.json` (or, for an older run, `report.json`). */
  from: string[];
  /** Fields of a live run's report that results do not hold: left out, or null. */
  missing: string[];
  /** Fields rebuilt from the results' times rather than measured by the run: close, not equal. */
  estimated: string[];
  /** Line of a cut-off last record (a killed run), left out. */
  tornLine?: number;
}

/** What the grader target did in a run, counted apart from every target's figures. */
export interface ReportGrader {
  model: string;
  /** Redacted. */
  baseUrl: string;
  apiKeyEnv: string;
  /** HTTP requests sent to the grader, retries included. */
  requests: number;
  /** Judge assertions the grader gave a verdict on. */
  verdicts: number;
  /** Gradings without a verdict: the request failed (after retries) or the answer was unreadable. */
  errors: number;
  /** Tokens the grader's server reported. */
  usage: { promptTokens: number; completionTokens: number; totalTokens: number };
  /** The grader's own cost; unknown without a price, never 0. */
  cost: CostSummary;
}

/** `stepbench merge`: the shards this run was put together from. */
export interface ReportMerged {
  count: number;
  shards: Array<{
    dir: string;
    index: number;
    startedAt: string;
    endedAt?: string;
    startLateMs?: number;
    /** How far the shard's times were moved to put them on the merged run's clock, ms. */
    offsetMs: number;
    results: number;
  }>;
}

export interface ReportShard {
  index: number;
  count: number;
  /** `--start-at`, ISO 8601. */
  startAt?: string;
  /** How long after `--start-at` the first request could go (0: it waited for the mark). */
  startLateMs?: number;
}

export interface ReportPhase {
  name: string;
  warmup: boolean;
  /** e.g. "open loop, 20 req/s poisson" or "closed loop, concurrency 1→64 over 60s". */
  load: string;
  bounds: { durationMs?: number; requests?: number };
  /** Ms since the run started. */
  startedAtMs: number;
  endedAtMs: number;
  schedule: { dispatched: number; late: number; targetRate: number | null; achievedRate: number | null };
  targets: Array<{ name: string; summary: TargetSummary | null; goodput: GoodputSummary | null }>;
}

export interface ReportLimits {
  adaptive: boolean;
  /** `--concurrency`: the ceiling; the adaptive limit moves below it. */
  maxConcurrency: number;
  /** The concurrency limit in force when the run ended; null in a rebuilt report of an adaptive run (the limiter's state is not in the results). */
  finalConcurrency: number | null;
  rpm: number | null;
  tpm: number | null;
  /** StepFun tier preset the budgets came from, if any. */
  tier: string | null;
  /** Extra attempts allowed per job. */
  retries: number;
  /** Adaptive only: the send rate learned from the server's refusals, req/s; null when none was needed. */
  learnedRatePerSec?: number | null;
  /** Adaptive only: refusal episodes each controller answered (concurrency limit, send rate). */
  episodes?: { concurrency: number; rate: number };
  /** Adaptive only: 429s put down to each kind of limit (design note 005). */
  refusals?: { concurrency: number; rate: number };
  /** Adaptive only: what held the run back, with the evidence in one sentence. */
  boundBy?: BoundBy;
  timeoutsMs: { connectMs?: number; firstTokenMs?: number; idleMs?: number; totalMs?: number };
}
