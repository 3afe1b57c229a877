import { UserError } from '../errors.js';
import { parseSlo } from '../eval/slo.js';
import { DEFAULT_RETRY_POLICY } from '../limit/retry-policy.js';
import type { ArrivalSpec } from '../schedule/arrivals.js';
import type { LoadBounds } from '../schedule/types.js';
import type { ConfigFile } from './config-file.js';
import { CAPACITY_DEFAULTS, OPEN_LOOP_CEILING, RUN_DEFAULTS } from './defaults.js';
import { arrivalSpec, type Phase } from './phases.js';
import {
  definedSettings,
  preconnectCount,
  type ResolveStyle,
  type RunConfig,
  type RunOptions,
  resolveDatasets,
  resolveTimeouts,
  targetSetup,
} from './run-config.js';
import { filePath, parseSettings } from './settings-errors.js';
import { type CapacitySettingsInput, capacitySettingsSchema } from './settings-schema.js';

/** What a capacity search steps over and how each step is judged. */
export interface SearchConfig {
  dimension: 'concurrency' | 'rate';
  start: number;
  max: number;
  /** Overrides of the search's step verdict thresholds (its defaults live with the search). */
  thresholds: Partial<Record<'max429Share' | 'maxErrorShare' | 'minGain', number>>;
  /** Each step is held this long or for this many requests, whichever ends first. */
  stepBounds: Required<LoadBounds>;
  /** Pause between steps, so a per-minute window forgets the last step. */
  stepCooldownMs: number;
  /** Arrivals of a rate step: evenly spaced unless asked, so a step offers exactly its load. */
  arrival: ArrivalSpec;
}

export interface CapacityConfig extends RunConfig {
  command: 'capacity';
  search: SearchConfig;
}

/** What `capacity()` accepts: the capacity settings plus the targets and I/O of a run. */
export interface CapacityOptions
  extends CapacitySettingsInput,
    Pick<
      RunOptions,
      | 'config'
      | 'mock'
      | 'env'
      | 'command'
      | 'overwrite'
      | 'models'
      | 'baseUrl'
      | 'apiKeyEnv'
      | 'headers'
      | 'params'
      | 'stream'
      | 'streamUsage'
    > {}

/** One step of the search at `load`: a bounded phase, closed loop or evenly spaced arrivals. */
export function capacityStepPhase(search: SearchConfig, load: number): Phase {
  const name = `${search.dimension === 'concurrency' ? 'c' : 'rate'}=${load}`;
  const value = { kind: 'constant', value: load } as const;
  return {
    name,
    warmup: false,
    load:
      search.dimension === 'concurrency'
        ? { kind: 'closed', concurrency: value }
        : { kind: 'open', rate: value, arrival: search.arrival },
    bounds: { ...search.stepBounds },
  };
}

export const CAPACITY_SETTING_KEYS = Object.keys(
  capacitySettingsSchema.shape,
) as (keyof CapacitySettingsInput)[];

/**
 * `capacity` flags, the config file's `capacity` section (and its `run.datasets`/`run.slos`) and
 * defaults → one CapacityConfig: a RunConfig whose phases the search supplies, with retries and
 * adaptive control off (a 429 is information here).
 */
export function resolveCapacityConfig(
  options: CapacityOptions,
  config: ConfigFile | undefined,
  style: ResolveStyle = { path: filePath('') },
): CapacityConfig {
  const given = parseSettings(
    capacitySettingsSchema,
    definedSettings(options, CAPACITY_SETTING_KEYS),
    style.path,
    '',
  );
  const fromRun = definedSettings(config?.run ?? {}, ['datasets', 'slos', 'timeouts', 'encoding']);
  const s = { ...fromRun, ...(config?.capacity ?? {}), ...given };
  const dimension = s.by ?? 'concurrency';
  const start = s.start ?? CAPACITY_DEFAULTS.start;
  const max = s.max ?? CAPACITY_DEFAULTS.max[dimension];
  if (max < start)
    throw new UserError(`--max (${max}) must be ≥ --start (${start}): the search goes upward from --start`);
  if (dimension === 'concurrency' && !Number.isInteger(start))
    throw new UserError(`--start must be a whole number when searching over concurrency (got ${start})`);
  const thresholds = definedSettings(s, ['max429Share', 'maxErrorShare', 'minGain']);
  const search: SearchConfig = {
    dimension,
    start,
    max,
    thresholds,
    stepBounds: {
      durationMs: s.stepDuration ?? CAPACITY_DEFAULTS.stepDurationMs,
      requests: s.stepRequests ?? CAPACITY_DEFAULTS.stepRequests,
    },
    stepCooldownMs: s.stepCooldown ?? 0,
    // Evenly spaced arrivals by default: a step should offer exactly its load. Poisson bursts
    // over a short step would read as saturation or trip a sliding-window limit early.
    arrival: s.arrival ? arrivalSpec(s) : { kind: 'constant' },
  };
  return {
    command: 'capacity',
    datasets: resolveDatasets(s.datasets, 'capacity'),
    dataset: { onBadRow: 'fail', encoding: s.encoding ?? 'utf8' },
    // The steps decide how many requests go out: the rows are cycled for as long as they need.
    plan: { repeat: 1, requests: Number.POSITIVE_INFINITY },
    phases: [],
    slos: (s.slos ?? []).map((text) => parseSlo(text)),
    // A capacity search answers with its curve, not a pass/fail gate.
    gates: [],
    abortOnGate: false,
    sloGates: false,
    limits: {
      adaptive: false,
      // Rate steps have no concurrency of their own: allow what the rate needs.
      maxConcurrency: dimension === 'concurrency' ? Math.ceil(max) : OPEN_LOOP_CEILING,
    },
    retryPolicy: { ...DEFAULT_RETRY_POLICY, retries: s.retries ?? CAPACITY_DEFAULTS.retries },
    timeouts: resolveTimeouts(s.timeouts),
    graceMs: s.grace ?? RUN_DEFAULTS.graceMs,
    prescanMs: s.prescan ?? RUN_DEFAULTS.prescanMs,
    // The first step's connections; later steps open theirs as they grow (reported as connect).
    preconnect:
      s.preconnect === false ? 0 : preconnectCount([capacityStepPhase(search, start)], OPEN_LOOP_CEILING),
    ...(s.arrivalSeed !== undefined ? { arrivalSeed: s.arrivalSeed } : {}),
    output: {
      dir: s.out,
      defaultPrefix: 'reports/capacity-',
      mode: options.overwrite ? 'overwrite' : 'new',
      retryErrors: false,
      recordHostname: s.recordHostname ?? false,
      resultsGzip: s.resultsGzip ?? false,
    },
    targets: targetSetup(options, config, style),
    commandLine: options.command ?? [],
    given: { command: 'capacity', ...s, by: dimension, start, max, mock: Boolean(options.mock) },
    search,
  };
}
