import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { gotResponse } from '../metrics/outcomes.js';
import { readResults } from './reader.js';
import type { JobResult } from './types.js';

/**
 * `--batch-output FILE`: the run's results in the OpenAI Batch-API output format, one line per job,
 * so code written for a batch job's output file reads a live run's unchanged:
 * `{id, custom_id, response: {status_code, request_id, body}, error}`.
 *
 * - An HTTP answer (any status) is a `response`; a 2xx one carries a `chat.completion` body built
 *   from what the run recorded (streamed runs too: content, reasoning, tool calls, finish reason,
 *   usage), an error status the server's error message as `{error: {message, type}}`.
 * - No HTTP answer (network failure, timeout, interruption): `response: null` and `error:
 *   {code, message}` with the outcome class as the code.
 * - `custom_id` is the row id — the Batch input's `custom_id` when the dataset is a Batch file.
 *   Row checks are stepbench's, not the API's: an `assertion_failed` answer is still a 200 here.
 */
export interface BatchOutputLine {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string | null; body: Record<string, unknown> } | null;
  error: { code: string; message: string } | null;
}

export interface BatchOutputOptions {
  /** Unix seconds the run started: `created` of each completion is this plus the job's end. */
  runStartedAtSec: number;
  /** Salts the `batch_req_` ids so two runs' lines do not share ids. */
  runId: string;
}

/** One result as a Batch-API output line. */
export function batchOutputLine(result: JobResult, options: BatchOutputOptions): BatchOutputLine {
  const id = `batch_req_${createHash('sha256').update(`${options.runId}\u0000${result.key}`).digest('hex').slice(0, 24)}`;
  const requestId = result.traceId ?? result.responseId ?? null;
  if (result.status === undefined) {
    return {
      id,
      custom_id: result.rowId,
      response: null,
      error: { code: result.outcome, message: result.error?.message ?? result.outcome },
    };
  }
  const ok = gotResponse(result) && result.status >= 200 && result.status < 300;
  const body = ok
    ? completionBody(result, options)
    : { error: { message: result.error?.message ?? `HTTP ${result.status}`, type: result.outcome } };
  return {
    id,
    custom_id: result.rowId,
    response: { status_code: result.status, request_id: requestId, body },
    error: null,
  };
}

function completionBody(r: JobResult, options: BatchOutputOptions): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: r.output };
  if (r.reasoning) message.reasoning = r.reasoning;
  if (r.toolCalls && r.toolCalls.length > 0) {
    message.tool_calls = r.toolCalls.map((t) => ({
      id: t.id ?? `call_${t.index}`,
      type: t.type ?? 'function',
      function: { name: t.name ?? '', arguments: t.arguments },
    }));
  }
  const usage: Record<string, unknown> = {
    prompt_tokens: r.usage.promptTokens,
    completion_tokens: r.usage.completionTokens,
    total_tokens: r.usage.totalTokens,
  };
  if (r.usage.cachedTokens !== undefined)
    usage.prompt_tokens_details = { cached_tokens: r.usage.cachedTokens };
  if (r.usage.reasoningTokens !== undefined) {
    usage.completion_tokens_details = { reasoning_tokens: r.usage.reasoningTokens };
  }
  return {
    id: r.responseId ?? `chatcmpl-${r.key}`,
    object: 'chat.completion',
    created: Math.floor(options.runStartedAtSec + r.times.endAt / 1000),
    model: r.model,
    choices: [{ index: 0, message, finish_reason: r.finishReason ?? null }],
    usage,
  };
}

/**
 * Writes the Batch output file from a results file, streaming (constant memory). Warmup jobs are
 * left out: they are not rows of the batch. Returns the number of lines written.
 */
export async function writeBatchOutput(
  path: string,
  resultsPath: string,
  options: BatchOutputOptions,
): Promise<number> {
  const out = createWriteStream(path);
  const failed = once(out, 'error').then(([err]) => {
    throw err;
  });
  failed.catch(() => {});
  let lines = 0;
  for await (const result of readResults(resultsPath)) {
    if (result.warmup) continue;
    if (!out.write(`${JSON.stringify(batchOutputLine(result, options))}\n`)) {
      await Promise.race([once(out, 'drain'), failed]);
    }
    lines++;
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
  return lines;
}
