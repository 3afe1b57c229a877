import { UserError } from '../errors.js';
import type { ArrivalSpec } from '../schedule/arrivals.js';
import type { ProfileSpec } from '../schedule/profile.js';
import type { LoadBounds } from '../schedule/types.js';
import type { PhaseSpec } from './settings-schema.js';

/** How load is applied during a phase: a closed loop (concurrency) or an open loop (arrival rate). */
export type LoadShape =
  | { kind: 'closed'; concurrency: ProfileSpec }
  | { kind: 'open'; rate: ProfileSpec; arrival: ArrivalSpec; maxConcurrency?: number };

/** One stretch of a run with one load shape; phases run one after another over the same jobs. */
export interface Phase {
  name: string;
  /** Warmup results are written and shown in the timeline but left out of the statistics. */
  warmup: boolean;
  load: LoadShape;
  bounds: LoadBounds;
}

/** The load flags of `run` (and a config file's `run` section), already parsed. */
export interface LoadFlags {
  concurrency: number;
  /** Open loop: requests/s. */
  rate?: number;
  arrival?: 'constant' | 'poisson' | 'gamma';
  /** vLLM-style gamma shape: 1 = Poisson, below 1 burstier, above 1 more regular. */
  burstiness?: number;
  /** Open loop: most requests in flight; later arrivals wait (and count as late). */
  maxConcurrency?: number;
  durationMs?: number;
  requests?: number;
  /** Warmup: a time, or a number of requests. */
  warmup?: { durationMs: number } | { requests: number };
  /** Ramp from `rampFrom` to the rate/concurrency over this long, before the main phase. */
  rampMs?: number;
  rampFrom?: number;
}

export function arrivalSpec(flags: Pick<LoadFlags, 'arrival' | 'burstiness'>): ArrivalSpec {
  if (flags.burstiness !== undefined && flags.arrival !== 'gamma' && flags.arrival !== undefined) {
    throw new UserError('--burstiness only applies to --arrival gamma');
  }
  if (flags.arrival === 'gamma' || flags.burstiness !== undefined) {
    const burstiness = flags.burstiness ?? 1;
    if (!(burstiness > 0)) throw new UserError(`--burstiness must be > 0 (got ${burstiness})`);
    return { kind: 'gamma', burstiness };
  }
  return { kind: flags.arrival ?? 'poisson' };
}

function shape(flags: LoadFlags, profile: (target: number) => ProfileSpec): LoadShape {
  if (flags.rate === undefined) return { kind: 'closed', concurrency: profile(flags.concurrency) };
  const open: LoadShape = { kind: 'open', rate: profile(flags.rate), arrival: arrivalSpec(flags) };
  if (flags.maxConcurrency !== undefined) open.maxConcurrency = flags.maxConcurrency;
  return open;
}

const constant = (value: number): ProfileSpec => ({ kind: 'constant', value });

/**
 * Turns the load flags into phases: an optional warmup at the full load, an optional ramp up to
 * it, then the main phase bounded by `--duration` / `--requests` (or the end of the dataset).
 */
export function phasesFromFlags(flags: LoadFlags): Phase[] {
  if (flags.rate !== undefined && !(flags.rate > 0))
    throw new UserError(`--rate must be > 0 requests/s (got ${flags.rate})`);
  if (flags.maxConcurrency !== undefined && flags.rate === undefined) {
    throw new UserError(
      '--max-concurrency caps an open loop: use it with --rate (a closed loop is capped by -c)',
    );
  }
  const phases: Phase[] = [];
  if (flags.warmup) {
    phases.push({ name: 'warmup', warmup: true, load: shape(flags, constant), bounds: { ...flags.warmup } });
  }
  if (flags.rampMs !== undefined) {
    const from = flags.rampFrom ?? 1;
    phases.push({
      name: 'ramp',
      warmup: false,
      load: shape(flags, (to) => ({ kind: 'ramp', from, to, durationMs: flags.rampMs as number })),
      bounds: { durationMs: flags.rampMs },
    });
  }
  const bounds: Phase['bounds'] = {};
  if (flags.durationMs !== undefined) bounds.durationMs = flags.durationMs;
  if (flags.requests !== undefined) bounds.requests = flags.requests;
  phases.push({ name: 'main', warmup: false, load: shape(flags, constant), bounds });
  return phases;
}

/** A config-file phase as a Phase: a ramp when `rampFrom` is set, else a constant load. */
export function phaseFromSpec(spec: PhaseSpec): Phase {
  const value = (spec.rate ?? spec.concurrency) as number;
  const profile: ProfileSpec =
    spec.rampFrom !== undefined && spec.duration !== undefined
      ? { kind: 'ramp', from: spec.rampFrom, to: value, durationMs: spec.duration }
      : { kind: 'constant', value };
  let load: LoadShape;
  if (spec.rate !== undefined) {
    load = { kind: 'open', rate: profile, arrival: arrivalSpec(spec) };
    if (spec.maxConcurrency !== undefined) load.maxConcurrency = spec.maxConcurrency;
  } else load = { kind: 'closed', concurrency: profile };
  const bounds: Phase['bounds'] = {};
  if (spec.duration !== undefined) bounds.durationMs = spec.duration;
  if (spec.requests !== undefined) bounds.requests = spec.requests;
  return { name: spec.name, warmup: spec.warmup ?? false, load, bounds };
}

/** The highest concurrency any phase can reach (open loops: their cap, else `fallback`). */
export function peakConcurrency(phases: readonly Phase[], fallback: number): number {
  let peak = 1;
  for (const p of phases) {
    if (p.load.kind === 'closed') {
      const c = p.load.concurrency;
      peak = Math.max(peak, c.kind === 'constant' ? c.value : Math.max(c.from, c.to));
    } else peak = Math.max(peak, p.load.maxConcurrency ?? fallback);
  }
  return peak;
}

/** Every phase but the last needs a bound, or the ones after it would never start. */
export function checkPhases(phases: readonly Phase[]): void {
  phases.slice(0, -1).forEach((p) => {
    if (p.bounds.durationMs === undefined && p.bounds.requests === undefined) {
      throw new UserError(
        `phase "${p.name}" needs a duration or a number of requests: later phases follow it`,
      );
    }
  });
}

/**
 * True when the phases, not the dataset, decide when the run ends: some phase ends by time, or
 * several phases each end after a number of requests (a 50-request warmup must not eat into the
 * main phase's `--requests`). The dataset is then cycled for as long as they need.
 */
export function needsEndlessJobs(phases: readonly Phase[]): boolean {
  if (phases.some((p) => p.bounds.durationMs !== undefined)) return true;
  return phases.length > 1 && phases.some((p) => p.bounds.requests !== undefined);
}

/** A short human description of a phase's load, for reports and progress. */
export function describeLoad(load: LoadShape): string {
  const profile = (p: ProfileSpec, unit: string) =>
    p.kind === 'constant'
      ? `${p.value}${unit}`
      : `${p.from}→${p.to}${unit} over ${Math.round(p.durationMs / 1000)}s`;
  if (load.kind === 'closed') return `closed loop, concurrency ${profile(load.concurrency, '')}`;
  const arrival = load.arrival.kind === 'gamma' ? `gamma(${load.arrival.burstiness})` : load.arrival.kind;
  const cap = load.maxConcurrency !== undefined ? `, max ${load.maxConcurrency} in flight` : '';
  return `open loop, ${profile(load.rate, ' req/s')} ${arrival}${cap}`;
}
