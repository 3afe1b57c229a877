import type { AttemptResult } from '../client/types.js';
import { TargetMetrics } from '../metrics/target-metrics.js';
import type { Job } from '../plan/types.js';
import { attemptRecord, buildJobResult } from '../results/record.js';

const TOKENS = 32;

/** A finished 32-token stream, as the client would return it; times in ms from 0. */
function sampleAttempt(): AttemptResult {
  const tokenTimes = Array.from({ length: TOKENS }, (_, i) => 20 + 5 * i);
  return {
    outcome: 'ok',
    status: 200,
    traceId: 'warm-up',
    responseId: 'warm-up',
    times: { sentAt: 1, headersAt: 20, firstTokenAt: 20, firstAnswerAt: 20, endAt: 180 },
    tokenTimes,
    text: 'warm '.repeat(TOKENS),
    reasoning: '',
    toolCalls: [],
    finishReason: 'stop',
    usage: {
      promptTokens: 12,
      completionTokens: TOKENS,
      totalTokens: 12 + TOKENS,
      cachedTokens: 0,
      source: 'server',
    },
  };
}

const SAMPLE_JOB: Job = {
  index: 0,
  key: 'warm-up|warm-up|0',
  repeat: 0,
  row: {
    id: 'warm-up',
    source: { file: 'warm-up', line: 1 },
    messages: [{ role: 'user', content: 'warm up' }],
    params: {},
    tags: [],
    vars: {},
  },
  target: {
    name: 'warm-up',
    baseUrl: 'http://127.0.0.1/v1',
    model: 'warm-up',
    apiKeyEnv: 'NONE',
    headers: {},
    params: {},
    stream: true,
    streamUsage: false,
  },
};

/**
 * Runs what happens when a job finishes — its record, its JSON line, its histograms (their
 * creation and first resizes included) — on a throwaway sample, so the first real job to finish
 * runs compiled code. Measured in a fresh process at concurrency 4: the first finished job held the
 * event loop for about 14 ms, and the other streams' last reads, waiting behind it, read e2e that
 * much late. Nothing here touches the run's own results or metrics. A few ms, once.
 */
export function warmResultPath(rounds = 40): void {
  const attempt = sampleAttempt();
  for (let r = 0; r < rounds; r++) {
    const records = [attemptRecord(attempt, 1, 0, 0)];
    const result = buildJobResult(SAMPLE_JOB, attempt, records, {
      runStart: 0,
      scheduledAt: 0,
      dispatchedAt: 0.5,
    });
    JSON.stringify(result);
    new TargetMetrics('warm-up').add(result);
  }
}
