/**
 * Figures for the `rate-shapes` suite (issue 9), from the mock's own records: plain functions over
 * arrays, so tests check them without a bench. A record is `{ status, receivedAt, endAt,
 * promptTokens, completionTokens }`, times in ms on the mock's `performance.now()` clock.
 *
 * Throughput is measured once the first 429 episode is over, against the limit's long-run rate
 * (see shape-matrix.mjs for the limit kinds):
 * - token bucket (RPM or TPM): admitted amount in (from, lastOk] ÷ its span, vs perMinute / 60 s;
 * - fixed / sliding window: admitted amount in the whole windows [from, from + n·W) that end by the
 *   last success, vs n × the window's count (a fixed window's windows start on its boundaries);
 * - schedule: admitted in (from, lastOk] vs the integral of the scheduled rate over that span;
 * - concurrency: successes per second in (from, lastOk] vs slots ÷ the mean server latency
 *   (endAt − receivedAt) of those successes.
 * `from` is the end of the first episode; when what follows is too short to measure (fewer than
 * `minWindows` windows, or under `minSpanMs`), the measure falls back to starting at the first 429
 * and says so (`fallback: true`).
 */

const MINUTE_MS = 60_000;

/** A window's count, as the mock computes it (never below 1). */
export const perWindow = (perMinute, windowMs) => Math.max(1, Math.floor((perMinute * windowMs) / MINUTE_MS));

/**
 * The first 429 episode: from the first 429 to the last one before a quiet gap of at least `gapMs`
 * with no 429 (by arrival). null when nothing was refused.
 */
export function firstEpisode(records, { gapMs = 1_000 } = {}) {
  const times = records
    .filter((r) => r.status === 429)
    .map((r) => r.receivedAt)
    .sort((a, b) => a - b);
  if (times.length === 0) return null;
  let count = 1;
  while (count < times.length && times[count] - times[count - 1] < gapMs) count++;
  return { startAt: times[0], endAt: times[count - 1], count, laterRefusals: times.length - count };
}

/** How much of the limit a record used: 1 request, or its prompt + completion tokens. */
export const amountOf = (unit) =>
  unit === 'tokens' ? (r) => (r.promptTokens ?? 0) + (r.completionTokens ?? 0) : () => 1;

/**
 * The first boundary of a fixed window at or after `at` (record clock). The mock resets on epoch
 * multiples of `windowMs`; `epochOffsetMs` turns a record time into epoch ms.
 */
export function nextFixedBoundary(at, windowMs, epochOffsetMs) {
  return Math.ceil((at + epochOffsetMs) / windowMs) * windowMs - epochOffsetMs;
}

/** ∫ of the scheduled rate (per ms) over (from, to]; steps' atMs are from `zeroAt` (record clock). */
export function scheduledAmount(steps, zeroAt, from, to) {
  const sorted = [...steps].sort((a, b) => a.atMs - b.atMs);
  let total = 0;
  for (let i = 0; i < sorted.length; i++) {
    const start = Math.max(from, zeroAt + sorted[i].atMs);
    const end = Math.min(to, i + 1 < sorted.length ? zeroAt + sorted[i + 1].atMs : Number.POSITIVE_INFINITY);
    if (end > start) total += ((end - start) * sorted[i].perMinute) / MINUTE_MS;
  }
  return total;
}

/**
 * The measured interval from `start` for `limit`: { from, to, windows, spanMs, enough }.
 * Window shapes use whole windows, ending by the last success (the client still had rows to send
 * through each of them); the others run to the last success.
 */
export function measureInterval(limit, start, lastOkAt, opts) {
  const { windowMs, epochOffsetMs = 0, minWindows = 3, minSpanMs = 5_000 } = opts;
  if (limit.kind === 'window') {
    const from = limit.window === 'fixed' ? nextFixedBoundary(start, windowMs, epochOffsetMs) : start;
    const windows = Math.max(0, Math.floor((lastOkAt - from) / windowMs));
    return {
      from,
      to: from + windows * windowMs,
      windows,
      spanMs: windows * windowMs,
      enough: windows >= minWindows,
    };
  }
  const spanMs = Math.max(0, lastOkAt - start);
  return { from: start, to: lastOkAt, windows: null, spanMs, enough: spanMs >= minSpanMs };
}

/** Throughput over `interval` and the long-run rate it is held against, both per second. */
export function throughputIn(records, limit, interval, { windowMs, scheduleZeroAt = 0 } = {}) {
  const { from, to, spanMs } = interval;
  const halfOpen = limit.kind === 'window';
  const inside = (r) =>
    r.status === 200 &&
    (halfOpen ? r.receivedAt >= from && r.receivedAt < to : r.receivedAt > from && r.receivedAt <= to);
  const ok = records.filter(inside);
  const amount = amountOf(limit.unit);
  const admitted = ok.reduce((sum, r) => sum + amount(r), 0);
  const seconds = spanMs / 1000;
  const okPerSecond = seconds > 0 ? ok.length / seconds : Number.NaN;
  const perSecond = seconds > 0 ? admitted / seconds : Number.NaN;
  let limitPerSecond;
  let meanLatencyMs = null;
  if (limit.kind === 'concurrency') {
    meanLatencyMs =
      ok.length > 0 ? ok.reduce((sum, r) => sum + (r.endAt - r.receivedAt), 0) / ok.length : Number.NaN;
    limitPerSecond = (limit.slots * 1000) / meanLatencyMs;
  } else if (limit.kind === 'window') {
    limitPerSecond = (perWindow(limit.perMinute, windowMs) * 1000) / windowMs;
  } else if (limit.kind === 'schedule') {
    limitPerSecond =
      seconds > 0 ? scheduledAmount(limit.steps, scheduleZeroAt, from, to) / seconds : Number.NaN;
  } else {
    limitPerSecond = limit.perMinute / 60;
  }
  return {
    ok: ok.length,
    admitted,
    okPerSecond,
    perSecond,
    limitPerSecond,
    ratio: perSecond / limitPerSecond,
    meanLatencyMs,
  };
}

/**
 * Everything the suite reports about one client's run against one shape, from the mock's records.
 * `clock`: { epochOffsetMs, scheduleZeroAt } (see mock-clock.mjs).
 */
export function shapeFigures(records, limit, opts) {
  const { gapMs = 1_000, clock = { epochOffsetMs: 0, scheduleZeroAt: 0 } } = opts;
  const attempts = records.length;
  const rateLimited = records.filter((r) => r.status === 429).length;
  const oks = records.filter((r) => r.status === 200);
  const t0 =
    attempts > 0 ? records.reduce((min, r) => Math.min(min, r.receivedAt), Number.POSITIVE_INFINITY) : 0;
  const lastOkAt = oks.reduce((max, r) => Math.max(max, r.receivedAt), t0);
  const episode = firstEpisode(records, { gapMs });
  const intervalOpts = { ...opts, epochOffsetMs: clock.epochOffsetMs };
  let interval = measureInterval(limit, episode ? episode.endAt : t0, lastOkAt, intervalOpts);
  let fallback = false;
  if (!interval.enough && episode) {
    interval = measureInterval(limit, episode.startAt, lastOkAt, intervalOpts);
    fallback = true;
  }
  const throughput = throughputIn(records, limit, interval, {
    ...opts,
    scheduleZeroAt: clock.scheduleZeroAt,
  });
  const rel = (t) => (t === null ? null : t - t0);
  return {
    attempts,
    ok: oks.length,
    rateLimited,
    rateLimitedShare: attempts > 0 ? rateLimited / attempts : Number.NaN,
    episode: episode && {
      startMs: rel(episode.startAt),
      endMs: rel(episode.endAt),
      count: episode.count,
      laterRefusals: episode.laterRefusals,
    },
    interval: {
      fromMs: rel(interval.from),
      toMs: rel(interval.to),
      spanMs: interval.spanMs,
      windows: interval.windows,
      enough: interval.enough,
    },
    fallback,
    ...throughput,
  };
}
