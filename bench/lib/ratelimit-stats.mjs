/**
 * Figures for the `rate-limit` suite, computed from the mock's own records (ground truth, the same
 * for every client) as plain functions over arrays, so unit tests can check them without a bench.
 *
 * A record is `{ status, receivedAt, endAt, limitedBy? }` with times on the mock's clock (ms).
 * Times returned are ms from the first record's arrival.
 */

const MINUTE_MS = 60_000;

/** Largest number of `times` (ms, any order) inside any window (t − windowMs, t]. */
export function peakInWindow(times, windowMs = MINUTE_MS) {
  const sorted = Float64Array.from(times).sort();
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

/**
 * Attempts, successes and 429s per `bucketMs` bucket of arrival time, from the first record. Buckets with no
 * attempt are kept (zeros) so a stalled client shows as a gap rather than vanishing.
 */
export function attemptBuckets(records, bucketMs) {
  if (records.length === 0) return [];
  const t0 = firstArrival(records);
  const buckets = [];
  for (const r of records) {
    const i = Math.floor((r.receivedAt - t0) / bucketMs);
    while (buckets.length <= i)
      buckets.push({ t: buckets.length * bucketMs, attempts: 0, ok: 0, rateLimited: 0 });
    buckets[i].attempts++;
    if (r.status === 200) buckets[i].ok++;
    if (r.status === 429) buckets[i].rateLimited++;
  }
  return buckets;
}

/**
 * When the client settled under the server's limit: the start of the first bucket from which every
 * later bucket's 429 share stays ≤ `maxShare`, looking only from the first 429 on (before it the
 * limit hadn't been found yet). `null` when even the last bucket is above the share (never
 * settled); 0 when there was no 429 at all (the limit never bit).
 */
export function convergedAtMs(records, { bucketMs = 5_000, maxShare = 0.05 } = {}) {
  const buckets = attemptBuckets(records, bucketMs);
  const firstLimited = buckets.findIndex((b) => b.rateLimited > 0);
  if (firstLimited === -1) return 0;
  let from = null;
  for (let i = buckets.length - 1; i >= firstLimited; i--) {
    const b = buckets[i];
    if (b.attempts > 0 && b.rateLimited / b.attempts > maxShare) break;
    from = b.t;
  }
  return from;
}

/**
 * Successful requests per minute from `fromMs` (run-relative) to the last successful arrival: the
 * mean rate over the part of the run where the server's window was full. NaN when fewer than two
 * successes remain or they span no time.
 */
export function okRateFrom(records, fromMs) {
  if (records.length === 0) return { ok: 0, spanMs: 0, perMinute: Number.NaN };
  const t0 = firstArrival(records);
  let ok = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    const at = r.receivedAt - t0;
    if (r.status !== 200 || at < fromMs) continue;
    ok++;
    last = Math.max(last, at);
  }
  const spanMs = ok > 0 ? last - fromMs : 0;
  return { ok, spanMs, perMinute: ok >= 2 && spanMs > 0 ? (ok * MINUTE_MS) / spanMs : Number.NaN };
}

/**
 * Successful arrivals in the minute [fromMs, fromMs + 60 s) (run-relative). Arrival (`receivedAt`)
 * is what a server's RPM window counts. From the moment the window first turned a request away it
 * held exactly the quota, and those requests age out during the next minute, so a client that
 * still has rows to send can get the full quota through in that minute and no more.
 * `complete` says whether the records reach the end of that minute (else the run ended inside it).
 */
export function okInMinuteFrom(records, fromMs) {
  if (records.length === 0) return { ok: 0, complete: false };
  const t0 = firstArrival(records);
  let ok = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    const at = r.receivedAt - t0;
    last = Math.max(last, r.endAt - t0);
    if (r.status === 200 && at >= fromMs && at < fromMs + MINUTE_MS) ok++;
  }
  return { ok, complete: last >= fromMs + MINUTE_MS };
}

/**
 * Everything the suite reports about one client's run, from the mock's records.
 * `rpmLimit` null for a concurrency-only scenario (then no RPM figure is computed).
 */
export function rateLimitFigures(records, { rpmLimit = null, bucketMs = 5_000, maxShare = 0.05 } = {}) {
  const attempts = records.length;
  const ok = records.filter((r) => r.status === 200);
  const limited = records.filter((r) => r.status === 429);
  const t0 = attempts > 0 ? firstArrival(records) : 0;
  let lastEnd = Number.NEGATIVE_INFINITY;
  for (const r of records) lastEnd = Math.max(lastEnd, r.endAt);
  const byLimit = {};
  for (const r of limited) byLimit[r.limitedBy ?? 'unknown'] = (byLimit[r.limitedBy ?? 'unknown'] ?? 0) + 1;
  const firstRateLimitedMs = limited.length > 0 ? firstArrival(limited) - t0 : null;
  const converged = convergedAtMs(records, { bucketMs, maxShare });
  const spanMs = attempts > 0 ? lastEnd - t0 : 0;
  const figures = {
    attempts,
    ok: ok.length,
    rateLimited: limited.length,
    rateLimitedShare: attempts > 0 ? limited.length / attempts : Number.NaN,
    rateLimitedBy: byLimit,
    firstRateLimitedMs,
    convergedAtMs: converged,
    spanMs,
    okPerSecond: spanMs > 0 ? (ok.length * 1000) / spanMs : Number.NaN,
  };
  if (rpmLimit === null) return figures;
  const rpmLimited = limited.filter((r) => r.limitedBy === 'rpm');
  const firstRpmLimitedMs = rpmLimited.length > 0 ? firstArrival(rpmLimited) - t0 : null;
  const minute = firstRpmLimitedMs === null ? null : okInMinuteFrom(records, firstRpmLimitedMs);
  const rate = firstRpmLimitedMs === null ? null : okRateFrom(records, firstRpmLimitedMs);
  return {
    ...figures,
    // Sanity check of the mock: never above the limit.
    peakOkPer60s: peakInWindow(
      ok.map((r) => r.receivedAt),
      MINUTE_MS,
    ),
    firstRpmLimitedMs,
    okRateAfterQuota: rate,
    rpmShareAfterQuota: rate ? rate.perMinute / rpmLimit : Number.NaN,
    okInMinuteAfterQuota: minute,
    minuteShareAfterQuota: minute ? minute.ok / rpmLimit : Number.NaN,
  };
}

function firstArrival(records) {
  let t0 = Number.POSITIVE_INFINITY;
  for (const r of records) t0 = Math.min(t0, r.receivedAt);
  return t0;
}
