import type { AttemptResult } from '../client/types.js';
import type { Job } from '../plan/types.js';
import { type AttemptRecord, type JobResult, RESULT_VERSION } from './types.js';

/** Round to microseconds: results stay readable and histograms record integer µs anyway. */
const us = (ms: number): number => Math.round(ms * 1000) / 1000;

export interface JobTimes {
  /** performance.now() when the run started; every time in the record is relative to it. */
  runStart: number;
  scheduledAt: number;
  dispatchedAt: number;
}

/** Plain-data record of one attempt, relative to the run start. */
export function attemptRecord(
  attempt: AttemptResult,
  n: number,
  runStart: number,
  waitMs: number,
): AttemptRecord {
  const t = attempt.times;
  const rec: AttemptRecord = {
    attempt: n,
    outcome: attempt.outcome,
    sentAt: us(t.sentAt - runStart),
    endAt: us(t.endAt - runStart),
    waitMs: us(waitMs),
  };
  if (attempt.status !== undefined) rec.status = attempt.status;
  if (attempt.error) rec.error = attempt.error;
  if (attempt.traceId) rec.traceId = attempt.traceId;
  if (t.connectStart !== undefined && t.connectEnd !== undefined)
    rec.connectMs = us(t.connectEnd - t.connectStart);
  if (t.headersAt !== undefined) rec.headersAt = us(t.headersAt - runStart);
  if (t.firstTokenAt !== undefined) rec.firstTokenAt = us(t.firstTokenAt - runStart);
  return rec;
}

/**
 * Builds the results.jsonl line for a finished job from its final attempt (DESIGN §3 metric
 * definitions). `attempts` lists every attempt, the final one last.
 */
export function buildJobResult(
  job: Job,
  final: AttemptResult,
  attempts: AttemptRecord[],
  times: JobTimes,
  phase?: { name: string; warmup: boolean },
): JobResult {
  const t = final.times;
  const rel = (x: number): number => us(x - times.runStart);
  const durations: JobResult['durations'] = {
    e2e: us(t.endAt - t.sentAt),
    latency: us(t.endAt - times.scheduledAt),
    queue: us(times.dispatchedAt - times.scheduledAt),
  };
  if (t.connectStart !== undefined && t.connectEnd !== undefined)
    durations.connect = us(t.connectEnd - t.connectStart);
  if (t.headersAt !== undefined) durations.ttfb = us(t.headersAt - t.sentAt);
  if (t.firstTokenAt !== undefined) durations.ttft = us(t.firstTokenAt - t.sentAt);
  if (t.firstAnswerAt !== undefined) durations.ttfa = us(t.firstAnswerAt - t.sentAt);
  // TPOT: time per output token after the first, per request. Needs at least two tokens.
  if (durations.ttft !== undefined && final.usage.completionTokens > 1) {
    durations.tpot = us((durations.e2e - durations.ttft) / (final.usage.completionTokens - 1));
  }
  const itl: number[] = [];
  for (let i = 1; i < final.tokenTimes.length; i++) {
    itl.push(us((final.tokenTimes[i] as number) - (final.tokenTimes[i - 1] as number)));
  }
  const result: JobResult = {
    v: RESULT_VERSION,
    key: job.key,
    index: job.index,
    rowId: job.row.id,
    target: job.target.name,
    model: job.target.model,
    repeat: job.repeat,
    source: job.row.source,
    outcome: final.outcome,
    times: {
      scheduledAt: rel(times.scheduledAt),
      dispatchedAt: rel(times.dispatchedAt),
      sentAt: rel(t.sentAt),
      endAt: rel(t.endAt),
    },
    durations,
    itl,
    usage: final.usage,
    output: final.text,
    attempts,
  };
  if (t.connectStart !== undefined) result.times.connectStart = rel(t.connectStart);
  if (t.connectEnd !== undefined) result.times.connectEnd = rel(t.connectEnd);
  if (t.headersAt !== undefined) result.times.headersAt = rel(t.headersAt);
  if (t.firstTokenAt !== undefined) result.times.firstTokenAt = rel(t.firstTokenAt);
  if (t.firstAnswerAt !== undefined) result.times.firstAnswerAt = rel(t.firstAnswerAt);
  if (final.status !== undefined) result.status = final.status;
  if (final.error) result.error = final.error;
  if (final.traceId) result.traceId = final.traceId;
  if (final.responseId) result.responseId = final.responseId;
  if (final.finishReason) result.finishReason = final.finishReason;
  if (final.reasoning) result.reasoning = final.reasoning;
  if (final.toolCalls.length > 0) result.toolCalls = final.toolCalls;
  if (job.row.tags.length > 0) result.tags = job.row.tags;
  if (Object.keys(job.row.vars).length > 0) result.vars = job.row.vars;
  if (job.row.expected !== undefined) result.expected = job.row.expected;
  if (phase) result.phase = phase.name;
  if (phase?.warmup) result.warmup = true;
  return result;
}
