import type { OutcomeClass } from './types.js';

/** Outcome of an HTTP error status (≥ 400). */
export function classifyStatus(status: number): OutcomeClass {
  if (status === 429) return 'rate_limited';
  if (status === 451) return 'content_filter';
  if (status >= 500) return 'http_5xx';
  return 'http_4xx';
}

/** The reason stepbench's own timers abort a request with (`controller.abort(reason)`). */
export interface TimeoutAbortReason {
  kind: 'timeout';
  phase: 'connect' | 'first_token' | 'idle' | 'total';
}

const TIMEOUT_PHASES = new Set(['connect', 'first_token', 'idle', 'total']);

function isTimeoutReason(reason: unknown): reason is TimeoutAbortReason {
  return (
    reason !== null &&
    typeof reason === 'object' &&
    (reason as TimeoutAbortReason).kind === 'timeout' &&
    TIMEOUT_PHASES.has((reason as TimeoutAbortReason).phase)
  );
}

/** Outcome of an aborted signal: a named timeout when our timer fired, otherwise an interruption. */
export function classifyAbort(reason: unknown): { outcome: OutcomeClass; message: string } {
  if (isTimeoutReason(reason)) {
    return { outcome: `timeout_${reason.phase}`, message: `timed out (${reason.phase.replace('_', ' ')})` };
  }
  return { outcome: 'interrupted', message: 'the request was aborted' };
}

// undici's own timeouts are backstops (coarse ~1 s timers); they still map onto the named phases.
const UNDICI_TIMEOUTS: Record<string, { outcome: OutcomeClass; message: string }> = {
  UND_ERR_CONNECT_TIMEOUT: { outcome: 'timeout_connect', message: 'connect timed out' },
  UND_ERR_HEADERS_TIMEOUT: { outcome: 'timeout_first_token', message: 'no response headers in time' },
  UND_ERR_BODY_TIMEOUT: { outcome: 'timeout_idle', message: 'no body data in time' },
};

/**
 * Outcome of an exception thrown by undici (the signal was not aborted): its timeouts map to
 * the named phases, everything else (ECONNREFUSED, ECONNRESET, "other side closed", DNS, TLS)
 * is `network`.
 */
export function classifyThrown(error: unknown): { outcome: OutcomeClass; message: string } {
  const code = errorCode(error);
  const detail = errorText(error);
  const timeout = code ? UNDICI_TIMEOUTS[code] : undefined;
  if (timeout) return { outcome: timeout.outcome, message: `${timeout.message}: ${detail}` };
  return { outcome: 'network', message: detail };
}

function errorCode(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // undici wraps socket errors; the system code (ECONNRESET…) can sit on the cause.
  return errorCode((error as { cause?: unknown }).cause);
}

/** `message (CODE; cause: message (CODE))`: what a user needs to tell a refused port from a reset. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  let text =
    typeof code === 'string' && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  if (error.cause !== undefined && error.cause !== error) text += `; cause: ${errorText(error.cause)}`;
  return text;
}

const RATE_LIMIT_HEADER = /^(retry-after|retry-after-ms|x-ratelimit-.*)$/;

/** The response headers the retry and rate-limit logic may need, lower-cased; undefined if none. */
export function keptHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> | undefined {
  let kept: Record<string, string> | undefined;
  for (const name in headers) {
    const lower = name.toLowerCase();
    if (!RATE_LIMIT_HEADER.test(lower)) continue;
    const value = headers[name];
    if (value === undefined) continue;
    kept ??= {};
    kept[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return kept;
}
