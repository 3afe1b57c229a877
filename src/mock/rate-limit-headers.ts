import type { Rejection, WindowState } from './limits.js';

/**
 * How a 429 says when to come back. StepFun documents no header at all ('none', the default);
 * the others are the forms clients meet elsewhere, so a client's handling of each can be tested.
 */
export type RetryAfterStyle = 'none' | 'seconds' | 'http-date' | 'ms' | 'openai';

export const RETRY_AFTER_STYLES: readonly RetryAfterStyle[] = [
  'none',
  'seconds',
  'http-date',
  'ms',
  'openai',
];

/**
 * A duration as Go's `time.Duration.String()` spells it at millisecond precision, the form of
 * OpenAI's `x-ratelimit-reset-*` headers: `0s`, `12ms`, `1s`, `1.5s`, `6m0s`, `1h2m3s`.
 */
export function formatGoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const secondsMs = total % 60_000;
  // Whole seconds print bare; fractions keep only the digits that matter (1.5s, not 1.500s).
  const seconds = (secondsMs / 1000).toFixed(3).replace(/\.?0+$/, '');
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

function windowHeaders(kind: 'requests' | 'tokens', state: WindowState): Record<string, string> {
  return {
    [`x-ratelimit-limit-${kind}`]: String(state.limit),
    [`x-ratelimit-remaining-${kind}`]: String(Math.floor(state.remaining)),
    [`x-ratelimit-reset-${kind}`]: formatGoDuration(state.resetMs),
  };
}

/**
 * The headers for a 429 in `style`. `wallNow` is the wall clock (ms since the epoch), needed only
 * for the HTTP-date form. Waits are rounded up, and whole-second forms never say less than 1 s,
 * so a client that obeys never comes back too early.
 */
export function rateLimitHeaders(
  style: RetryAfterStyle,
  rejection: Rejection,
  wallNow: number = Date.now(),
): Record<string, string> {
  const waitMs = Math.max(1, Math.ceil(rejection.retryAfterMs));
  const waitSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  switch (style) {
    case 'none':
      return {};
    case 'seconds':
      return { 'Retry-After': String(waitSeconds) };
    case 'http-date':
      // HTTP dates have whole seconds: round the target time up so it is never early.
      return { 'Retry-After': new Date(Math.ceil((wallNow + waitMs) / 1000) * 1000).toUTCString() };
    case 'ms':
      return { 'retry-after-ms': String(waitMs) };
    case 'openai':
      return {
        ...(rejection.requests ? windowHeaders('requests', rejection.requests) : {}),
        ...(rejection.tokens ? windowHeaders('tokens', rejection.tokens) : {}),
      };
  }
}
