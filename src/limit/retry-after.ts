/**
 * Reads the server's "wait this long" hints. StepFun documents none, but proxies and other
 * OpenAI-compatible servers send `retry-after-ms`, `retry-after` or OpenAI's `x-ratelimit-reset-*`,
 * and honouring them is cheaper than guessing.
 */

/**
 * The longest hint we honour. A server asking for more than an hour is either confused or telling us
 * the quota is gone for the day; waiting an hour is still polite, and the user can interrupt. Longer
 * hints are clamped to this rather than ignored: ignoring them would put us back on our own short
 * backoff and hammer a server that asked for quiet.
 */
export const MAX_SERVER_HINT_MS = 3_600_000;

const GO_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

// One `<number><unit>` piece of a Go duration; longer unit names first so `ms` wins over `m`.
const GO_PIECE = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Parses a Go `time.Duration` string (`1s`, `12ms`, `6m0s`, `1h2m3.5s`, `0`) into milliseconds.
 * Undefined for anything else, including negative durations (a wait can't be negative).
 */
export function parseGoDuration(text: string): number | undefined {
  const s = text.trim();
  if (s === '0' || s === '+0' || s === '-0') return 0;
  let i = s.startsWith('+') ? 1 : 0;
  if (i >= s.length) return undefined;
  let total = 0;
  while (i < s.length) {
    GO_PIECE.lastIndex = i;
    const m = GO_PIECE.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * GO_UNIT_MS[m[2]!]!;
    i = GO_PIECE.lastIndex;
  }
  return Number.isFinite(total) ? total : undefined;
}

function header(headers: Record<string, string>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  // AttemptResult headers are lower-cased already; tolerate callers that didn't.
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

const PLAIN_NUMBER = /^\s*\d+(?:\.\d+)?\s*$/;
// HTTP dates start with a day name (IMF-fixdate `Sun, 06 Nov…`, RFC 850 `Sunday, 06-Nov-94…`,
// asctime `Sun Nov  6…`). Checked before Date.parse, which would happily read "1" as 2001-01-01.
const HTTP_DATE = /^\s*(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s/i;

function usable(ms: number): number | undefined {
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(ms, MAX_SERVER_HINT_MS);
}

function fromRetryAfter(value: string, nowEpochMs: number): number | undefined {
  if (PLAIN_NUMBER.test(value)) return usable(Number(value) * 1000);
  if (!HTTP_DATE.test(value)) return undefined;
  // asctime dates carry no zone but HTTP means GMT; without one Date.parse would use local time.
  const zoned = /\b(?:GMT|UTC|Z)\s*$|[+-]\d{4}\s*$/i.test(value) ? value : `${value} GMT`;
  const at = Date.parse(zoned);
  // A date in the past is ignored rather than read as "now": with clock skew it says nothing, and
  // an immediate retry after a 429 is the one thing certain to fail again.
  return Number.isNaN(at) ? undefined : usable(at - nowEpochMs);
}

function fromRateLimitReset(headers: Record<string, string>): number | undefined {
  let wait: number | undefined;
  for (const dimension of ['requests', 'tokens'] as const) {
    const reset = header(headers, `x-ratelimit-reset-${dimension}`);
    if (reset === undefined) continue;
    const remainingText = header(headers, `x-ratelimit-remaining-${dimension}`);
    const remaining = remainingText === undefined ? Number.NaN : Number(remainingText.trim());
    // A dimension with budget left is not what stopped us; its reset time is irrelevant.
    if (Number.isFinite(remaining) && remaining > 0) continue;
    const ms = parseGoDuration(reset);
    if (ms !== undefined && (wait === undefined || ms > wait)) wait = ms;
  }
  return wait === undefined ? undefined : usable(wait);
}

/**
 * Milliseconds the server asked us to wait, or undefined when it gave no usable hint.
 * Precedence: `retry-after-ms` (float ms), then `retry-after` (float seconds or an HTTP date), then
 * OpenAI's `x-ratelimit-reset-requests` / `-tokens` (the later of the exhausted dimensions; the later
 * of both when `remaining` isn't reported). Negative, NaN and past-date hints are ignored; hints over
 * an hour are clamped to {@link MAX_SERVER_HINT_MS}.
 */
export function parseRetryAfter(headers: Record<string, string>, nowEpochMs: number): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && ms.trim() !== '') {
    const value = usable(Number(ms));
    if (value !== undefined) return value;
  }
  const after = header(headers, 'retry-after');
  if (after !== undefined) {
    const value = fromRetryAfter(after, nowEpochMs);
    if (value !== undefined) return value;
  }
  return fromRateLimitReset(headers);
}
