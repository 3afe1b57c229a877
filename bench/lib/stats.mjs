/**
 * Small numeric helpers for bench suites: plain functions over arrays of numbers, so the
 * figures a suite prints can be checked by unit tests without running a bench.
 */

/** Arithmetic mean; NaN for an empty list so a missing figure never reads as 0. */
export function mean(values) {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Nearest-rank percentile (p in 0..100) of an unsorted list: the smallest value with at least
 * p % of the list at or below it. Nearest-rank rather than interpolation, so a p99 is always a
 * value that was actually observed.
 */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100 (got ${p})`);
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * Pairs client measurements with the mock's ground truth by trace id and returns the absolute
 * errors of TTFT and e2e, plus how many samples found no partner (a sign of lost requests or
 * a broken trace-id path, which the report must show rather than hide).
 *
 * `samples`: [{ traceId, ttft, e2e }] measured by a client, ms.
 * `records`: the mock's records; server TTFT = firstTokenAt − receivedAt, e2e = endAt − receivedAt.
 */
export function measurementErrors(samples, records) {
  const truth = new Map();
  for (const r of records) truth.set(r.traceId, r);
  const ttft = [];
  const e2e = [];
  let unmatched = 0;
  for (const s of samples) {
    const r = s.traceId === undefined ? undefined : truth.get(s.traceId);
    if (!r) {
      unmatched++;
      continue;
    }
    if (typeof s.ttft === 'number' && typeof r.firstTokenAt === 'number') {
      ttft.push(Math.abs(s.ttft - (r.firstTokenAt - r.receivedAt)));
    }
    if (typeof s.e2e === 'number') e2e.push(Math.abs(s.e2e - (r.endAt - r.receivedAt)));
  }
  return { matched: samples.length - unmatched, unmatched, ttftAbsErrors: ttft, e2eAbsErrors: e2e };
}

/**
 * Closed-loop throughput seen by the server. The window runs from the first request's arrival
 * to the last response's end, on the mock's clock, so client start-up (imports, dataset scan)
 * and report writing after the last response are not counted against either client.
 *
 * Ideal = concurrency ÷ mean server e2e: the rate if every slot were refilled instantly.
 * achieved/ideal equals the mean number of requests the server held ÷ concurrency, i.e. how
 * well the client kept its slots full.
 */
export function closedLoopThroughput(records, concurrency) {
  if (records.length === 0) return { requests: 0, windowMs: 0, achievedRps: 0, idealRps: 0, ratio: 0 };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const e2e = [];
  for (const r of records) {
    if (r.receivedAt < first) first = r.receivedAt;
    if (r.endAt > last) last = r.endAt;
    e2e.push(r.endAt - r.receivedAt);
  }
  const windowMs = last - first;
  const meanServerE2e = mean(e2e);
  const achievedRps = windowMs > 0 ? records.length / (windowMs / 1000) : 0;
  const idealRps = concurrency / (meanServerE2e / 1000);
  return {
    requests: records.length,
    windowMs,
    meanServerE2eMs: meanServerE2e,
    achievedRps,
    idealRps,
    ratio: idealRps > 0 ? achievedRps / idealRps : 0,
  };
}
