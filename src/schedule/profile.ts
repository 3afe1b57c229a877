/**
 * A value over time: an arrival rate (per second) for the open loop, or a number of slots for
 * the closed loop. A ramp moves linearly from `from` to `to` over `durationMs`, then holds `to`.
 */
export type ProfileSpec =
  | { kind: 'constant'; value: number }
  | { kind: 'ramp'; from: number; to: number; durationMs: number /* then holds `to` */ };

/** Why a spec cannot be used (negative, not finite), or undefined when it is fine. */
export function profileProblem(spec: ProfileSpec): string | undefined {
  const nonNegative = (n: number) => Number.isFinite(n) && n >= 0;
  if (spec.kind === 'constant') {
    return nonNegative(spec.value) ? undefined : `value must be a finite number >= 0, got ${spec.value}`;
  }
  if (!nonNegative(spec.from)) return `ramp start must be a finite number >= 0, got ${spec.from}`;
  if (!nonNegative(spec.to)) return `ramp end must be a finite number >= 0, got ${spec.to}`;
  if (!nonNegative(spec.durationMs))
    return `ramp duration must be a finite number >= 0, got ${spec.durationMs}`;
  return undefined;
}

export function profileAt(spec: ProfileSpec, elapsedMs: number): number {
  if (spec.kind === 'constant') return spec.value;
  if (elapsedMs >= spec.durationMs) return spec.to; // also covers a zero-length ramp
  if (elapsedMs <= 0) return spec.from;
  return spec.from + ((spec.to - spec.from) * elapsedMs) / spec.durationMs;
}

/** True while the profile can still change after `elapsedMs` (schedulers re-check it then). */
export function profileChangesAfter(spec: ProfileSpec, elapsedMs: number): boolean {
  return spec.kind === 'ramp' && spec.from !== spec.to && elapsedMs < spec.durationMs;
}

/**
 * Expected number of arrivals in [0, elapsedMs] for a rate profile in events per second: the
 * integral of the rate. Arrivals are placed where this integral reaches each arrival's count.
 */
export function arrivalsBy(spec: ProfileSpec, elapsedMs: number): number {
  const t = Math.max(0, elapsedMs);
  if (spec.kind === 'constant') return (spec.value * t) / 1000;
  const rampMs = Math.min(t, spec.durationMs);
  const rateAtRampEnd = profileAt(spec, rampMs);
  const duringRamp = ((spec.from + rateAtRampEnd) / 2) * rampMs;
  return (duringRamp + spec.to * Math.max(0, t - spec.durationMs)) / 1000;
}

/**
 * The inverse of {@link arrivalsBy}: the earliest elapsed time (ms) by which `count` arrivals
 * are expected. Infinity when the rate stays at 0 before that count is reached.
 */
export function timeOfArrival(spec: ProfileSpec, count: number): number {
  if (count <= 0) return 0;
  if (spec.kind === 'constant') return atConstantRate(spec.value, count);
  const rampArrivals = arrivalsBy(spec, spec.durationMs);
  if (spec.durationMs <= 0 || count > rampArrivals) {
    return spec.durationMs + atConstantRate(spec.to, count - rampArrivals);
  }
  // Inside the ramp the rate is a + k·t (per ms), so arrivals by t are a·t + k·t²/2. Solving for t
  // in the form 2c / (a + √(a² + 2kc)) stays accurate when k is tiny or negative, where the
  // textbook (−a + √…)/k would cancel catastrophically or divide by ~0.
  const a = spec.from / 1000;
  const k = (spec.to - spec.from) / 1000 / spec.durationMs;
  if (a === 0)
    return k > 0 ? Math.min(spec.durationMs, Math.sqrt((2 * count) / k)) : Number.POSITIVE_INFINITY;
  const root = Math.sqrt(Math.max(0, a * a + 2 * k * count));
  return Math.min(spec.durationMs, (2 * count) / (a + root));
}

function atConstantRate(ratePerSec: number, count: number): number {
  if (count <= 0) return 0;
  return ratePerSec > 0 ? (count * 1000) / ratePerSec : Number.POSITIVE_INFINITY;
}
