import type { CapacitySearch } from '../../src/capacity/search.js';
import type { StepMeasurement } from '../../src/capacity/types.js';

/** What a synthetic server does at one load, in the units a real step would measure. */
export interface SyntheticStep {
  load: number;
  /** Requests sent during the step. */
  requests: number;
  /** Requests answered with 429. */
  rateLimited?: number;
  /** Other failures. */
  errors?: number;
  /** Median end-to-end latency; p95/p99 are derived so the numbers look like a real step. */
  e2eP50Ms: number;
  ttftP50Ms?: number;
  sloPassed?: boolean | null;
  sloFailures?: string[];
  durationMs?: number;
  outputTokensPerRequest?: number;
  promptTokensPerRequest?: number;
}

/** Builds a self-consistent StepMeasurement the way run-capacity would from a real step. */
export function measurement(s: SyntheticStep): StepMeasurement {
  const durationMs = s.durationMs ?? 30_000;
  const rateLimited = s.rateLimited ?? 0;
  const errors = s.errors ?? 0;
  const completed = s.requests - rateLimited - errors;
  const seconds = durationMs / 1000;
  const throughputRps = completed / seconds;
  const out = s.outputTokensPerRequest ?? 200;
  const total = out + (s.promptTokensPerRequest ?? 800);
  const ttft = s.ttftP50Ms ?? s.e2eP50Ms / 4;
  const result: StepMeasurement = {
    load: s.load,
    requests: s.requests,
    completed,
    rateLimited,
    errors,
    rateLimitedShare: s.requests === 0 ? 0 : rateLimited / s.requests,
    errorShare: s.requests === 0 ? 0 : errors / s.requests,
    durationMs,
    throughputRps,
    outputTokensPerSec: throughputRps * out,
    totalTokensPerSec: throughputRps * total,
    rpm: throughputRps * 60,
    tpm: throughputRps * total * 60,
    latencyMs: {
      ttft: { p50: ttft, p95: ttft * 1.5, p99: ttft * 2 },
      e2e: { p50: s.e2eP50Ms, p95: s.e2eP50Ms * 1.5, p99: s.e2eP50Ms * 2 },
    },
    sloPassed: s.sloPassed ?? null,
  };
  if (s.sloFailures) result.sloFailures = s.sloFailures;
  return result;
}

export type Server = (load: number) => StepMeasurement;

/** Runs the search to the end against a server; returns the loads in the order they were measured. */
export function drive(search: CapacitySearch, server: Server): number[] {
  const loads: number[] = [];
  for (let load = search.next(); load !== undefined; load = search.next()) {
    loads.push(load);
    search.record(server(load));
    if (loads.length > 1000) throw new Error('search did not terminate');
  }
  return loads;
}

const STEP_SECONDS = 30;

/**
 * A closed-loop server that serves at most `limit` requests at once and answers 429 (instantly) to
 * the rest. Each admitted slot completes one request per `latencyMs`; with retries off a rejected
 * slot immediately sends again, so 429s pile up far faster than completions.
 */
export function concurrencyLimitedServer(limit: number, latencyMs = 1000): Server {
  return (load) => {
    const admitted = Math.min(load, limit);
    const completed = Math.round((admitted * STEP_SECONDS * 1000) / latencyMs);
    const rejectedSlots = Math.max(0, load - limit);
    const rateLimited = rejectedSlots * STEP_SECONDS * 100; // a 429 comes back in ~10 ms
    return measurement({ load, requests: completed + rateLimited, rateLimited, e2eP50Ms: latencyMs });
  };
}

/**
 * A server that completes at most `rps` requests/s whatever the load and rejects the rest with 429.
 * `perSlotRps` is how many requests/s one concurrency slot offers (1 / latency); for the rate
 * dimension pass perSlotRps = 1 so the load is the offered rate.
 */
export function requestRateLimitedServer(rps: number, perSlotRps: number): Server {
  return (load) => {
    const offered = load * perSlotRps * STEP_SECONDS;
    const completed = Math.min(offered, rps * STEP_SECONDS);
    const rateLimited = Math.round(offered - completed);
    return measurement({
      load,
      requests: Math.round(completed) + rateLimited,
      rateLimited,
      e2eP50Ms: 1000 / perSlotRps,
    });
  };
}

/**
 * A server with no rate limit that processes `capacity` requests at a time: above that, requests
 * queue, latency grows in proportion and throughput stays flat (Little's law).
 */
export function saturatingServer(capacity: number, serviceMs = 1000): Server {
  return (load) => {
    const latencyMs = serviceMs * Math.max(1, load / capacity);
    const completed = Math.round((load * STEP_SECONDS * 1000) / latencyMs);
    return measurement({ load, requests: completed, e2eP50Ms: latencyMs });
  };
}
