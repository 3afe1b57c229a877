import { DEFAULT_ALPHA } from '../compare/compare-runs.js';
import { type Threshold, thresholdsOrDefaults } from '../compare/thresholds.js';
import type { BadRowPolicy, DatasetEncoding } from '../dataset/types.js';
import { UserError } from '../errors.js';
import { type Gate, parseGate } from '../eval/gate.js';
import { parseSlo, type Slo } from '../eval/slo.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../limit/retry-policy.js';
import type { MockOptionsInput } from '../mock/options.js';
import type { ConfigFile } from './config-file.js';
import {
  DEFAULT_CONCURRENCY,
  OPEN_LOOP_CEILING,
  PRECONNECT_OPEN_LOOP_MAX,
  PRECONNECT_OPEN_LOOP_SECONDS,
  RUN_DEFAULTS,
} from './defaults.js';
import type { OutputConfig } from './output.js';
import { checkPhases, type Phase, peakConcurrency, phaseFromSpec, phasesFromFlags } from './phases.js';
import { filePath, type PathStyle, parseSettings } from './settings-errors.js';
import {
  paramsSchema,
  type RunSettings,
  type RunSettingsInput,
  runSettingsSchema,
} from './settings-schema.js';
import { resolveShard, type Shard, shardPhases } from './shard.js';
import type { TargetFlags } from './targets.js';
import { STEPFUN_TIERS, type StepfunTierName } from './tiers.js';

/** Named timeouts of every attempt, ms. */
export interface ResolvedTimeouts {
  connectMs: number;
  firstTokenMs: number;
  idleMs: number;
  totalMs: number;
}

/** How requests are held back: the ceiling on requests in flight, adaptive control, RPM/TPM budgets. */
export interface LimitsConfig {
  adaptive: boolean;
  /** Most requests in flight at once (transport connections; the adaptive limit never goes above it). */
  maxConcurrency: number;
  rpm?: number;
  tpm?: number;
  tier?: StepfunTierName;
}

/** What the targets are made of; resolved (keys, mock URL) when the run starts. */
export interface TargetSetup {
  config?: ConfigFile;
  flags: TargetFlags;
  env: Record<string, string | undefined>;
  /** Start the built-in mock in-process and point every target at it. */
  mock?: boolean | MockOptionsInput;
}

/**
 * One run, fully resolved and defaulted: what flags, the config file and the library call said,
 * after every check. Lower layers take the part they need and trust it.
 */
export interface BaselineConfig {
  /** A run's folder or its report.json. */
  path: string;
  /** `--max-regression`, or the defaults (compare/thresholds.ts). */
  thresholds: Threshold[];
  alpha: number;
}

export interface RunConfig {
  command: 'run' | 'capacity';
  datasets: string[];
  dataset: { onBadRow: BadRowPolicy; encoding: DatasetEncoding };
  /** Jobs: each row × target, `repeat` times; `requests` stops after that many (cycling the rows). */
  plan: { repeat: number; requests?: number };
  /** Load phases in order; empty for a capacity search, whose steps are decided as it goes. */
  phases: Phase[];
  slos: Slo[];
  /** CI gates on the finished run's figures (exit 1 when one fails); `sloGates`: `--gate slo`. */
  gates: Gate[];
  sloGates: boolean;
  /** `--abort-on-gate`: stop dispatching once a gate can no longer pass (exit 1). */
  abortOnGate: boolean;
  /** `--shard`: this process's slice of the jobs; its open-loop rates are already divided. */
  shard?: Shard;
  /** `--start-at`: wall-clock ms (epoch) to wait for before the first request. */
  startAt?: number;
  /** `--batch-output FILE`: the results also as OpenAI Batch-API output JSONL, written at the end. */
  batchOutput?: string;
  /** `--baseline`: an earlier run to compare with at the end; a significant regression fails the run (exit 1). */
  baseline?: BaselineConfig;
  /** `--reference`: the target the others are compared with when there are several (default the first). */
  reference?: string;
  limits: LimitsConfig;
  retryPolicy: RetryPolicy;
  timeouts: ResolvedTimeouts;
  maxErrorRate?: number;
  graceMs: number;
  /** `--prescan`: how long the first request waits for the dataset check, ms (Infinity: until it ends). */
  prescanMs: number;
  /** Connections to open per origin before the clock starts (0: a cold start, on purpose). */
  preconnect: number;
  /** Seed of the open-loop arrival times; drawn at random (and reported) when not set. */
  arrivalSeed?: number;
  output: OutputConfig;
  targets: TargetSetup;
  /** The command line, already redacted, for the report. */
  commandLine: string[];
  /** The settings as given (validated), for the report's `run.options`. */
  given: Record<string, unknown>;
}

/** What `run()` accepts: every run setting (as in a config file's `run` section) plus the targets and I/O. */
export interface RunOptions extends RunSettingsInput, TargetFlags {
  /** YAML or JSON config file with targets and run settings; these options override it. */
  config?: string;
  /** Start the built-in StepFun-compatible mock in-process and point every target at it. */
  mock?: boolean | MockOptionsInput;
  /** Environment to read API keys from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Continue the run in this folder: recorded jobs are skipped. */
  resume?: string;
  /** With `resume`: run again the jobs that ended in an error. */
  retryErrors?: boolean;
  /** Replace the results of an earlier run in `out` instead of refusing. */
  overwrite?: boolean;
  /** Command line for the report (the caller redacts it). */
  command?: string[];
}

/** The keys of `run()`'s options that are run settings (the rest are targets and I/O). */
export const RUN_SETTING_KEYS = Object.keys(runSettingsSchema.shape) as (keyof RunSettingsInput)[];

/** Keeps the settings that are set, so that `undefined` never hides a config-file value. */
export function definedSettings<T extends object>(values: T, keys: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (values[k] !== undefined) out[k] = values[k];
  return out;
}

// Load settings that replace a config file's `phases` when given on the command line.
const LOAD_KEYS = ['rate', 'duration', 'warmup', 'ramp'] as const;

export interface ResolveStyle {
  /** How a setting's path is shown in messages: `--concurrency` on the command line, `concurrency` in a library call. */
  path: PathStyle;
}

/** Checks the target flags shared by `run` and `capacity` (generation params are type-checked). */
export function checkTargetFlags(options: TargetFlags, style: ResolveStyle): TargetFlags {
  const flags = definedSettings(options, TARGET_FLAG_KEYS);
  if (!flags.params) return flags;
  const params = parseSettings(paramsSchema, flags.params, (path) => style.path(['params', ...path]), '');
  return { ...flags, params };
}

/** The targets' ingredients of a run or capacity call: config file, checked flags, env, mock. */
export function targetSetup(
  options: TargetFlags & Pick<RunOptions, 'env' | 'mock'>,
  config: ConfigFile | undefined,
  style: ResolveStyle,
): TargetSetup {
  return {
    ...(config ? { config } : {}),
    flags: checkTargetFlags(options, style),
    env: options.env ?? process.env,
    ...(options.mock ? { mock: options.mock } : {}),
  };
}

const TARGET_FLAG_KEYS: readonly (keyof TargetFlags)[] = [
  'models',
  'baseUrl',
  'apiKeyEnv',
  'headers',
  'params',
  'stream',
  'streamUsage',
  'grader',
];

function outputConfig(
  options: RunOptions,
  out: string | undefined,
  prefix: string,
  recordHostname: boolean,
  resultsGzip: boolean,
): OutputConfig {
  if (options.resume && out && out !== options.resume)
    throw new UserError('--out and --resume both name the output folder: give --resume DIR alone');
  if (options.resume && options.overwrite)
    throw new UserError('--overwrite and --resume contradict each other: resume keeps the earlier results');
  if (options.retryErrors && !options.resume)
    throw new UserError('--retry-errors only makes sense with --resume DIR');
  return {
    dir: options.resume ?? out,
    defaultPrefix: prefix,
    mode: options.resume ? 'resume' : options.overwrite ? 'overwrite' : 'new',
    retryErrors: Boolean(options.retryErrors),
    recordHostname,
    resultsGzip,
  };
}

/** The settings of a library call or command line over the config file's, validated. */
function mergedSettings(
  options: RunOptions,
  config: ConfigFile | undefined,
  style: ResolveStyle,
): RunSettings {
  const given = parseSettings(runSettingsSchema, definedSettings(options, RUN_SETTING_KEYS), style.path, '');
  const file = { ...(config?.run ?? {}) };
  // Load flags on the command line describe the load completely: the file's phases step aside.
  if (LOAD_KEYS.some((k) => given[k] !== undefined)) delete file.phases;
  return { ...file, ...given };
}

function phasesOf(s: RunSettings, concurrency: number): Phase[] {
  if (s.phases) return s.phases.map(phaseFromSpec);
  if (s.maxConcurrency !== undefined && s.rate === undefined)
    throw new UserError(
      '--max-concurrency caps an open loop: use it with --rate (a closed loop is capped by -c)',
    );
  if (s.rampFrom !== undefined && s.ramp === undefined)
    throw new UserError('--ramp-from needs --ramp D to ramp over');
  return phasesFromFlags({
    concurrency,
    ...definedSettings(s, [
      'rate',
      'arrival',
      'burstiness',
      'maxConcurrency',
      'warmup',
      'rampFrom',
      'requests',
    ]),
    ...(s.duration !== undefined ? { durationMs: s.duration } : {}),
    ...(s.ramp !== undefined ? { rampMs: s.ramp } : {}),
  });
}

/**
 * How many connections the run will want at once, so they can be opened before the clock starts:
 * a closed loop's peak concurrency; an open loop's rate × a latency estimate, within its cap.
 */
export function preconnectCount(phases: readonly Phase[], maxConcurrency: number): number {
  let peak = 0;
  for (const p of phases) {
    if (p.load.kind === 'closed') peak = Math.max(peak, peakConcurrency([p], 1));
    else {
      const r = p.load.rate;
      const rate = r.kind === 'constant' ? r.value : Math.max(r.from, r.to);
      peak = Math.max(
        peak,
        Math.min(PRECONNECT_OPEN_LOOP_MAX, Math.ceil(rate * PRECONNECT_OPEN_LOOP_SECONDS)),
      );
    }
  }
  return Math.min(peak, maxConcurrency);
}

/** The named timeouts over their defaults. */
export function resolveTimeouts(t: RunSettings['timeouts']): ResolvedTimeouts {
  const d = RUN_DEFAULTS.timeouts;
  return {
    connectMs: t?.connect ?? d.connectMs,
    firstTokenMs: t?.firstToken ?? d.firstTokenMs,
    idleMs: t?.idle ?? d.idleMs,
    totalMs: t?.total ?? d.totalMs,
  };
}

/** `--start-at`: an ISO 8601 time with its zone (`2026-12-02T15:00:00Z`), so every shard reads it alike. */
function parseStartAt(text: string): number {
  const t = text.trim();
  const ms = /(Z|[+-]\d\d:?\d\d)$/i.test(t) ? Date.parse(t) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new UserError(
      `--start-at '${text}': expected an ISO 8601 time with its zone, such as 2026-12-02T15:00:00Z (shards on machines in other zones must read it alike)`,
    );
  }
  return ms;
}

export function resolveDatasets(given: string[] | undefined, command: string): string[] {
  if (!given || given.length === 0)
    throw new UserError(
      `no dataset given: pass one or more files, e.g. stepbench ${command} datasets/smoke.csv`,
    );
  return given;
}

/**
 * Flags, the config file and defaults → one RunConfig. Precedence: built-in defaults < config
 * file < explicit options. Every default of a run is applied here and nowhere else.
 */
export function resolveRunConfig(
  options: RunOptions,
  config: ConfigFile | undefined,
  style: ResolveStyle = { path: filePath('') },
): RunConfig {
  const s = mergedSettings(options, config, style);
  const tier = s.tier ? STEPFUN_TIERS[s.tier as StepfunTierName] : undefined;
  const concurrency = s.concurrency ?? tier?.concurrency ?? DEFAULT_CONCURRENCY;
  const shard = resolveShard(s.shard, s.shards, options.env ?? process.env);
  const phases = shardPhases(phasesOf(s, concurrency), shard);
  checkPhases(phases);
  const startAt = s.startAt === undefined ? undefined : parseStartAt(s.startAt);
  const openLoop = phases.some((p) => p.load.kind === 'open');
  // Open loop: the arrival rate is what is being controlled, so the limiter only caps (no
  // adaptive throttling unless asked) and the ceiling is the phases' own cap.
  const ceiling = peakConcurrency(phases, OPEN_LOOP_CEILING);
  const maxConcurrency = openLoop ? ceiling : Math.max(concurrency, ceiling);
  const rpm = s.rpm ?? tier?.rpm;
  const tpm = s.tpm ?? tier?.tpm;
  const gates = (s.gates ?? []).filter((text) => text.trim() !== 'slo').map((text) => parseGate(text));
  if (s.abortOnGate && gates.length === 0)
    throw new UserError(
      `${style.path(['abortOnGate'])} stops the run when a gate can no longer pass, but no gate was given: ` +
        "add one such as --gate 'pass_rate>=0.95' (--gate slo alone is only judged at the end)",
    );
  if ((s.maxRegression !== undefined || s.alpha !== undefined) && s.baseline === undefined)
    throw new UserError(
      `${style.path([s.maxRegression !== undefined ? 'maxRegression' : 'alpha'])} judges a comparison with a baseline, ` +
        "but no baseline was given: add --baseline DIR (an earlier run's folder or its report.json)",
    );
  const baseline: BaselineConfig | undefined =
    s.baseline === undefined
      ? undefined
      : {
          path: s.baseline,
          thresholds: thresholdsOrDefaults(s.maxRegression),
          alpha: s.alpha ?? DEFAULT_ALPHA,
        };
  return {
    command: 'run',
    ...(baseline ? { baseline } : {}),
    ...(s.batchOutput !== undefined ? { batchOutput: s.batchOutput } : {}),
    ...(shard ? { shard } : {}),
    ...(startAt !== undefined ? { startAt } : {}),
    ...(s.reference !== undefined ? { reference: s.reference } : {}),
    datasets: resolveDatasets(s.datasets, 'run'),
    dataset: { onBadRow: s.onBadRow ?? 'fail', encoding: s.encoding ?? 'utf8' },
    plan: { repeat: s.repeat ?? 1, ...(s.requests !== undefined ? { requests: s.requests } : {}) },
    phases,
    slos: (s.slos ?? []).map((text) => parseSlo(text)),
    gates,
    sloGates: (s.gates ?? []).some((text) => text.trim() === 'slo'),
    abortOnGate: s.abortOnGate ?? false,
    limits: {
      adaptive: s.adaptive ?? !openLoop,
      maxConcurrency,
      ...(rpm !== undefined ? { rpm } : {}),
      ...(tpm !== undefined ? { tpm } : {}),
      ...(s.tier ? { tier: s.tier as StepfunTierName } : {}),
    },
    retryPolicy: { ...DEFAULT_RETRY_POLICY, ...(s.retries !== undefined ? { retries: s.retries } : {}) },
    timeouts: resolveTimeouts(s.timeouts),
    ...(s.maxErrorRate !== undefined ? { maxErrorRate: s.maxErrorRate } : {}),
    graceMs: s.grace ?? RUN_DEFAULTS.graceMs,
    prescanMs: s.prescan ?? RUN_DEFAULTS.prescanMs,
    preconnect: s.preconnect === false ? 0 : preconnectCount(phases, maxConcurrency),
    ...(s.arrivalSeed !== undefined ? { arrivalSeed: s.arrivalSeed } : {}),
    output: outputConfig(options, s.out, 'reports/', s.recordHostname ?? false, s.resultsGzip ?? false),
    targets: targetSetup(options, config, style),
    commandLine: options.command ?? [],
    given: { ...s, mock: Boolean(options.mock), config: options.config, resume: options.resume },
  };
}
