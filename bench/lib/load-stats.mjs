/**
 * Figures for the issue-4 load suites (`open-loop`, `many-streams`, `capacity-search`), computed
 * from the mock's own records as plain functions over arrays, so unit tests can check them
 * without a bench. A record is `{ status, receivedAt, endAt }`, times in ms on the mock's clock.
 */
import { mean, percentile } from './stats.mjs';

/**
 * The arrival rate the server saw: (n − 1) ÷ (last − first arrival). n arrivals span n − 1 gaps,
 * so for evenly spaced arrivals this is exactly the rate asked for (n ÷ span would read high by
 * one request per span). NaN with fewer than two arrivals.
 */
export function arrivalRate(records) {
  const times = sortedArrivals(records);
  const n = times.length;
  const spanMs = n > 1 ? times[n - 1] - times[0] : 0;
  return { requests: n, spanMs, perSecond: spanMs > 0 ? ((n - 1) * 1000) / spanMs : Number.NaN };
}

/**
 * How far each gap between consecutive arrivals at the server strays from the gap a constant
 * rate asks for (1000 ÷ rate ms), in ms: p50, p99, max of |gap − ideal|. It includes the
 * client's timers, the loopback and the mock's own event loop, so it is an upper bound on what
 * the client's dispatch lag alone would explain. Only meaningful for constant arrivals.
 */
export function gapDeviation(records, ratePerSecond) {
  const times = sortedArrivals(records);
  const ideal = 1000 / ratePerSecond;
  const deviations = [];
  for (let i = 1; i < times.length; i++) deviations.push(Math.abs(times[i] - times[i - 1] - ideal));
  return {
    idealGapMs: ideal,
    p50: percentile(deviations, 50),
    p99: percentile(deviations, 99),
    max: deviations.length > 0 ? Math.max(...deviations) : Number.NaN,
  };
}

/** Server e2e (endAt − receivedAt) of the successful records, ms. */
export function serverE2e(records) {
  const e2e = records.filter((r) => r.status === 200).map((r) => r.endAt - r.receivedAt);
  return { count: e2e.length, mean: mean(e2e), p50: percentile(e2e, 50), p99: percentile(e2e, 99) };
}

/**
 * The answer a capacity search against a mock with known limits should give, worked out from the
 * limits and the time one closed-loop slot takes per request (`cycleMs`: server e2e plus the
 * client's gap before the next request).
 *
 * The mock counts requests over a sliding window of `windowMs` that allows `rpm × windowMs / 60 s`
 * of them. A step of `stepMs` ≤ `windowMs` starting on an empty window (the search pauses a window
 * between steps) fits when everything it sends fits in one window:
 * - by rate r: ⌈r × stepMs / 1000⌉ arrivals ≤ quota, so r ≤ quota ÷ (stepMs / 1000);
 * - by concurrency c: each slot sends ⌈stepMs / cycleMs⌉ requests, so c ≤ quota ÷ that,
 *   and never above the concurrency limit.
 * `steadyConcurrency` is what a long step would sustain (rpm / 60 × cycle): the two differ when
 * a slot's last request of a step squeezes in before the step ends.
 */
export function expectedCapacity({ rpm, windowMs, maxConcurrency, cycleMs, stepMs }) {
  const quota = Math.floor((rpm * windowMs) / 60_000);
  // A step longer than the window is judged by its fullest window, one window long.
  const countedMs = Math.min(stepMs, windowMs);
  const rate = quota / (countedMs / 1000);
  const perSlot = Math.ceil(countedMs / cycleMs);
  const byRpm = Math.floor(quota / perSlot);
  const steady = (rpm / 60) * (cycleMs / 1000);
  return {
    quotaPerWindow: quota,
    rate,
    concurrency: Math.min(maxConcurrency ?? Number.POSITIVE_INFINITY, byRpm),
    requestsPerSlotPerStep: perSlot,
    steadyConcurrency: Math.min(maxConcurrency ?? Number.POSITIVE_INFINITY, steady),
    bindingLimit: maxConcurrency !== undefined && maxConcurrency < byRpm ? 'concurrency' : 'rpm',
  };
}

function sortedArrivals(records) {
  return Float64Array.from(records, (r) => r.receivedAt).sort();
}

/**
 * Splits records into bursts separated by at least `gapMs` without an arrival: the steps of a
 * capacity search, which pauses between steps. Each burst is sorted by arrival.
 */
export function splitByIdleGaps(records, gapMs) {
  const sorted = [...records].sort((a, b) => a.receivedAt - b.receivedAt);
  const bursts = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const r of sorted) {
    if (r.receivedAt - last >= gapMs || bursts.length === 0) bursts.push([]);
    bursts[bursts.length - 1].push(r);
    last = r.receivedAt;
  }
  return bursts;
}

/**
 * Time one closed-loop slot takes per request (server e2e plus the client's turnaround), from the
 * arrivals of one step at `concurrency` that saw no 429: all slots start together, and after that
 * each slot adds one arrival per cycle, so n arrivals over a span S give
 * cycle = concurrency × S ÷ (n − concurrency). NaN when the step is too short to tell.
 */
export function closedLoopCycleMs(records, concurrency) {
  const times = sortedArrivals(records);
  const n = times.length;
  if (n <= concurrency) return Number.NaN;
  return (concurrency * (times[n - 1] - times[0])) / (n - concurrency);
}

/**
 * Mean number of requests the server held over [fromMs, toMs] (time-weighted): the sum of each
 * record's overlap with the interval ÷ its length. In a closed loop, ÷ concurrency is the share of
 * slots kept busy; over the middle of a run it leaves out the start-up and drain edges that
 * dominate a run of only a few rounds.
 */
export function meanInFlight(records, fromMs, toMs) {
  if (!(toMs > fromMs)) return Number.NaN;
  let busyMs = 0;
  for (const r of records) {
    const overlap = Math.min(r.endAt, toMs) - Math.max(r.receivedAt, fromMs);
    if (overlap > 0) busyMs += overlap;
  }
  return busyMs / (toMs - fromMs);
}

/** {@link meanInFlight} over the middle third of the records' span (first arrival → last end). */
export function middleThirdInFlight(records) {
  if (records.length === 0) return { fromMs: 0, toMs: 0, mean: Number.NaN };
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const r of records) {
    first = Math.min(first, r.receivedAt);
    last = Math.max(last, r.endAt);
  }
  const third = (last - first) / 3;
  const fromMs = first + third;
  const toMs = last - third;
  return { fromMs, toMs, mean: meanInFlight(records, fromMs, toMs) };
}
