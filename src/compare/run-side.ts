import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { UserError } from '../errors.js';
import { checkVerdict } from '../metrics/check-counts.js';
import { HDR_CONFIG } from '../metrics/histograms.js';
import { gotResponse } from '../metrics/outcomes.js';
import { REPORT_SCHEMA_NAME, REPORT_SCHEMA_VERSION, type Report } from '../report/schema.js';
import { isError } from '../results/outcomes.js';
import { readResults } from '../results/reader.js';
import { findResultsFile } from '../results/results-file.js';
import type { JobResult } from '../results/types.js';
import { normaliseAnswer } from './normalise-answer.js';
import { COMPARED_DURATIONS, type ComparedDuration } from './thresholds.js';

/** Characters of each answer kept for the word diff of a changed output. */
const KEPT_OUTPUT_CHARS = 2_000;
/** Values drawn from a histogram when only the report is at hand (evenly spaced quantiles). */
const HISTOGRAM_DRAWS = 1_000;

/** How one row × target × repeat ended, as the comparison sees it. */
export type RowVerdict = 'passed' | 'failed' | 'unchecked' | 'error';

export interface RowRecord {
  rowId: string;
  target: string;
  repeat: number;
  verdict: RowVerdict;
  /** The first failed check's reason, when it failed. */
  reason?: string;
  /** The answer (its first KEPT_OUTPUT_CHARS characters); absent without one. */
  output?: string;
  /**
   * Digests of the whole answer, as written and normalised (normalise-answer.ts), so that answers
   * longer than the kept excerpt are still compared in full; absent without an answer.
   */
  digest?: { exact: string; normalised: string };
  /** The error's class and message, for an error. */
  error?: string;
}

/** The values one target's figures are compared on. Durations in ms. */
export interface TargetSamples {
  durations: Record<ComparedDuration, number[]>;
  completionTokens: number[];
  totalTokens: number[];
  /** Per-request costs; null when they are not known (no price, or only a report). */
  costs: number[] | null;
  judged: number;
  passed: number;
  requests: number;
  errors: number;
}

/** One finished run, read for a comparison. */
export interface RunSide {
  /** The path the user gave. */
  path: string;
  report: Report;
  /** Where the values came from: every request (`results.jsonl`) or draws from the report's histograms. */
  source: 'results' | 'histograms';
  targets: Map<string, TargetSamples>;
  /** Per row × target × repeat, by job key; null when only the report is at hand. */
  rows: Map<string, RowRecord> | null;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    throw new UserError(`baseline or run not found: ${path} (give a run's folder or its report.json)`);
  }
}

/** Reads and checks a `report.json`; an error names the file and what is wrong. */
export async function readReport(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UserError(
      `${path}: not found or unreadable (a run's folder holds report.json after the run ends)`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const r = parsed as Partial<Report> | null;
  if (!r || typeof r !== 'object' || r.schema !== REPORT_SCHEMA_NAME) {
    throw new UserError(`${path}: not a stepbench report (no "schema": "${REPORT_SCHEMA_NAME}")`);
  }
  if (r.version !== REPORT_SCHEMA_VERSION) {
    throw new UserError(
      `${path}: report version ${String(r.version)}, this stepbench reads ${REPORT_SCHEMA_VERSION}`,
    );
  }
  if (!Array.isArray(r.targets)) throw new UserError(`${path}: report has no "targets" list`);
  return r as Report;
}

/**
 * Loads a run for a comparison from its folder or its `report.json`. With `results.jsonl` beside
 * the report every request's values and every row's verdict are used; without it the values are
 * drawn from the report's histograms and per-row changes are not available.
 */
export async function loadRunSide(path: string): Promise<RunSide> {
  const dir = (await isDirectory(path)) ? path : dirname(path);
  const reportPath = dir === path ? join(dir, 'report.json') : path;
  const report = await readReport(reportPath);
  return runSide(path, report, findResultsFile(dir) ?? null);
}

/** A run from its report and, when there is one, its results file (a run that just ended, before its report is written). */
export async function runSide(path: string, report: Report, resultsPath: string | null): Promise<RunSide> {
  if (resultsPath) {
    const { targets, rows } = await samplesFromResults(resultsPath);
    for (const t of report.targets) if (!targets.has(t.name)) targets.set(t.name, emptySamples());
    return { path, report, source: 'results', targets, rows };
  }
  return { path, report, source: 'histograms', targets: samplesFromReport(report, path), rows: null };
}

/** A target with no values yet. */
export function emptySamples(): TargetSamples {
  const durations = {} as Record<ComparedDuration, number[]>;
  for (const m of COMPARED_DURATIONS) durations[m] = [];
  return {
    durations,
    completionTokens: [],
    totalTokens: [],
    costs: [],
    judged: 0,
    passed: 0,
    requests: 0,
    errors: 0,
  };
}

/**
 * Every counted request's values per target, by the rules the report's histograms were built with
 * (metrics/target-metrics.ts), and each job's row record by job key. The one reading of a
 * `results.jsonl` for comparisons: a baseline's and this run's (`runSide`), and this run's targets
 * with one another (targets-compare.ts).
 */
export async function samplesFromResults(
  path: string,
): Promise<{ targets: Map<string, TargetSamples>; rows: Map<string, RowRecord> }> {
  const targets = new Map<string, TargetSamples>();
  const rows = new Map<string, RowRecord>();
  for await (const r of readResults(path)) {
    if (r.warmup) continue;
    let t = targets.get(r.target);
    if (!t) {
      t = emptySamples();
      targets.set(r.target, t);
    }
    addResult(t, r);
    rows.set(r.key, rowRecord(r));
  }
  return { targets, rows };
}

function addResult(t: TargetSamples, r: JobResult): void {
  t.requests++;
  if (isError(r.outcome)) t.errors++;
  const verdict = checkVerdict(r);
  if (verdict === 'passed' || verdict === 'failed') t.judged++;
  if (verdict === 'passed') t.passed++;
  t.durations.latency.push(r.durations.latency);
  if (!gotResponse(r)) return;
  for (const m of COMPARED_DURATIONS) {
    const v = r.durations[m];
    if (m !== 'latency' && v !== undefined && Number.isFinite(v)) t.durations[m].push(v);
  }
  t.completionTokens.push(r.usage.completionTokens);
  t.totalTokens.push(r.usage.totalTokens);
  if (r.cost === undefined) t.costs = null;
  else t.costs?.push(r.cost);
}

function rowRecord(r: JobResult): RowRecord {
  const v = checkVerdict(r);
  const rec: RowRecord = {
    rowId: r.rowId,
    target: r.target,
    repeat: r.repeat,
    verdict: v === 'unanswered' ? 'error' : v,
  };
  if (v === 'failed') {
    const first = r.checks?.results.find((c) => !c.pass);
    if (first) rec.reason = `${first.type}: ${first.reason ?? 'failed'}`;
  }
  if (v === 'unanswered') rec.error = r.error ? `${r.outcome}: ${r.error.message}` : r.outcome;
  else {
    rec.output = r.output.slice(0, KEPT_OUTPUT_CHARS);
    rec.digest = { exact: digestOf(r.output), normalised: digestOf(normaliseAnswer(r.output)) };
  }
  return rec;
}

function digestOf(text: string): string {
  return createHash('sha1').update(text).digest('base64');
}

/** Draws each metric's values from the report's histograms: evenly spaced quantiles reproduce the distribution. */
function samplesFromReport(report: Report, path: string): Map<string, TargetSamples> {
  const targets = new Map<string, TargetSamples>();
  for (const target of report.targets) {
    const t = emptySamples();
    const s = target.summary;
    t.requests = s.requests;
    t.judged = s.checks?.judged ?? 0;
    t.passed = s.checks?.passed ?? 0;
    t.errors = Object.entries(s.outcomes).reduce((n, [o, c]) => n + (isError(o as never) ? c : 0), 0);
    t.costs = null;
    const draw = (name: string, scale: number): number[] => {
      const base64 = target.histograms[name as keyof typeof target.histograms];
      if (!base64) return [];
      try {
        return drawFromHistogram(base64, scale);
      } catch (err) {
        throw new UserError(
          `${path}: target ${target.name}: histogram ${name} does not decode (${(err as Error).message})`,
        );
      }
    };
    for (const m of COMPARED_DURATIONS) t.durations[m] = draw(m, 1000);
    t.completionTokens = draw('completion_tokens', 1);
    t.totalTokens = draw('total_tokens', 1);
    targets.set(target.name, t);
  }
  return targets;
}

function drawFromHistogram(base64: string, scale: number): number[] {
  const h = hdr.decodeFromCompressedBase64(base64, HDR_CONFIG.bitBucketSize, false);
  const n = Math.min(h.totalCount, HISTOGRAM_DRAWS);
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(h.getValueAtPercentile(((i + 0.5) / n) * 100) / scale);
  return values;
}
