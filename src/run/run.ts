import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BadRowPolicy } from '../dataset/types.js';
import { UserError } from '../errors.js';
import { parseSlo } from '../eval/slo.js';
import { DEFAULT_RETRY_POLICY } from '../limit/retry-policy.js';
import type { MockOptionsInput } from '../mock/options.js';
import { type ConfigFile, loadConfigFile } from '../plan/config-file.js';
import { DEFAULT_CONCURRENCY } from '../plan/defaults.js';
import type { TargetFlags } from '../plan/targets.js';
import { STEPFUN_TIERS, type StepfunTierName } from '../plan/tiers.js';
import { executeRun, type RunEvents, type RunOutcome } from './execute.js';
import { peakConcurrency, phaseFromSpec, phasesFromFlags } from './phases.js';
import { targetSetup, withTargets } from './with-targets.js';

/** Options of `run()`, the library entry: what the `stepbench run` command line maps onto. */
export interface RunOptions extends TargetFlags {
  /** Dataset files (CSV, JSONL, JSON, OpenAI Batch JSONL); may also come from the config file. */
  datasets?: string[];
  /** YAML or JSON config file with targets and run settings. */
  config?: string;
  concurrency?: number;
  repeat?: number;
  requests?: number;
  onBadRow?: BadRowPolicy;
  /** Output folder; default `reports/<timestamp>`. */
  out?: string;
  /** Start the built-in StepFun-compatible mock in-process and point every target at it. */
  mock?: boolean | MockOptionsInput;
  /** Environment to read API keys from; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Open loop: requests/s (instead of a closed loop at `concurrency`). */
  rate?: number;
  arrival?: 'constant' | 'poisson' | 'gamma';
  burstiness?: number;
  /** Open loop: most requests in flight. */
  maxConcurrency?: number;
  /** Stop dispatching after this long (ms), cycling the dataset. */
  durationMs?: number;
  /** Warmup before the measured phase: a time or a number of requests; excluded from statistics. */
  warmup?: { durationMs: number } | { requests: number };
  /** Ramp up to the rate/concurrency over this long (ms) before the main phase. */
  rampMs?: number;
  rampFrom?: number;
  /** Per-request SLOs such as `ttft.p95<2s`, for goodput. */
  slos?: string[];
  /** Extra attempts per job after a retryable failure (default 4; 0 for pure load tests). */
  retries?: number;
  /** Stop (exit 3) when more than this share (0..1) of jobs fail for reasons other than 429. */
  maxErrorRate?: number;
  /** Named timeouts, ms. */
  timeouts?: { connectMs?: number; firstTokenMs?: number; idleMs?: number; totalMs?: number };
  /** Requests/min and tokens/min the client holds itself to. */
  rpm?: number;
  tpm?: number;
  /** StepFun account tier preset (V0…V5): concurrency, RPM and TPM; explicit values win. */
  tier?: StepfunTierName;
  /** Adaptive concurrency (default true); false pins it at `concurrency`. */
  adaptive?: boolean;
  /** After a stop, how long in-flight requests may take before they are aborted (ms). */
  graceMs?: number;
  /** Continue the run in this folder: recorded jobs are skipped. */
  resume?: string;
  /** With `resume`: run again the jobs that ended in an error. */
  retryErrors?: boolean;
  /** Abort to stop dispatching; in-flight jobs get the grace period and everything is written. */
  stop?: AbortSignal;
  /** Abort to cancel in-flight requests at once; they are recorded as interrupted. */
  abort?: AbortSignal;
  /** Command line for the report (caller redacts it). */
  command?: string[];
}

/** Open loop without --max-concurrency: connections are opened as needed, up to this many. */
const OPEN_LOOP_CEILING = 10_000;

const LOAD_FLAGS = ['rate', 'durationMs', 'warmup', 'rampMs'] as const;

function hasLoadFlags(options: RunOptions): boolean {
  return LOAD_FLAGS.some((k) => options[k] !== undefined);
}

function pick<T extends object, K extends keyof T>(obj: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}

function timestampFolder(date: Date): string {
  return `reports/${date.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19)}`;
}

function positive(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 1)
    throw new UserError(`--${name} must be a whole number ≥ 1 (got ${value})`);
  return value;
}

/**
 * Runs datasets against targets and returns the report. Reads the config file, starts the mock
 * when asked, resolves targets and keys, then hands over to the pipeline in `executeRun`.
 */
export async function run(options: RunOptions, events?: RunEvents): Promise<RunOutcome> {
  const config: ConfigFile | undefined = options.config ? await loadConfigFile(options.config) : undefined;
  const datasets =
    options.datasets && options.datasets.length > 0 ? options.datasets : (config?.run.datasets ?? []);
  if (datasets.length === 0)
    throw new UserError('no dataset given: pass one or more files, e.g. stepbench run datasets/smoke.csv');
  const tier = options.tier ? STEPFUN_TIERS[options.tier] : undefined;
  const concurrency =
    positive('concurrency', options.concurrency ?? config?.run.concurrency) ??
    tier?.concurrency ??
    DEFAULT_CONCURRENCY;
  const rpm = positive('rpm', options.rpm) ?? tier?.rpm;
  const tpm = positive('tpm', options.tpm) ?? tier?.tpm;
  if (options.retries !== undefined && (!Number.isInteger(options.retries) || options.retries < 0)) {
    throw new UserError(`--retries must be a whole number ≥ 0 (got ${options.retries})`);
  }
  if (options.maxErrorRate !== undefined && !(options.maxErrorRate >= 0 && options.maxErrorRate <= 1)) {
    throw new UserError(`--max-error-rate must be between 0 and 1, e.g. 0.05 (got ${options.maxErrorRate})`);
  }
  if (options.retryErrors && !options.resume)
    throw new UserError('--retry-errors only makes sense with --resume DIR');
  if (options.resume && !existsSync(join(options.resume, 'results.jsonl'))) {
    throw new UserError(`nothing to resume: ${join(options.resume, 'results.jsonl')} does not exist`);
  }
  const repeat = positive('repeat', options.repeat ?? config?.run.repeat) ?? 1;
  const requests = positive('requests', options.requests ?? config?.run.requests);
  const slos = (options.slos ?? config?.run.slos ?? []).map((text) => parseSlo(text));
  const phases =
    config?.run.phases && !hasLoadFlags(options)
      ? config.run.phases.map(phaseFromSpec)
      : phasesFromFlags({
          concurrency,
          ...pick(options, [
            'rate',
            'arrival',
            'burstiness',
            'maxConcurrency',
            'durationMs',
            'warmup',
            'rampMs',
            'rampFrom',
          ]),
          ...(requests !== undefined ? { requests } : {}),
        });
  const openLoop = phases.some((p) => p.load.kind === 'open');
  // Open loop: the arrival rate is what is being controlled, so the limiter only caps (no
  // adaptive throttling unless asked) and the ceiling is the phases' own cap.
  const ceiling = peakConcurrency(phases, OPEN_LOOP_CEILING);
  const adaptive = options.adaptive ?? !openLoop;

  return withTargets(targetSetup(options, config), (targets) =>
    executeRun(
      {
        datasets,
        targets,
        concurrency: openLoop ? ceiling : Math.max(concurrency, ceiling),
        repeat,
        phases,
        slos,
        ...(requests ? { requests } : {}),
        onBadRow: options.onBadRow ?? config?.run.onBadRow ?? 'fail',
        outDir: options.resume ?? options.out ?? config?.run.out ?? timestampFolder(new Date()),
        limits: {
          adaptive,
          ...(rpm ? { rpm } : {}),
          ...(tpm ? { tpm } : {}),
          ...(options.tier ? { tier: options.tier } : {}),
        },
        retryPolicy: {
          ...DEFAULT_RETRY_POLICY,
          ...(options.retries !== undefined ? { retries: options.retries } : {}),
        },
        ...(options.timeouts ? { timeouts: options.timeouts } : {}),
        ...(options.maxErrorRate !== undefined ? { maxErrorRate: options.maxErrorRate } : {}),
        ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
        ...(options.resume ? { resume: { retryErrors: Boolean(options.retryErrors) } } : {}),
        command: options.command ?? [],
        options: {
          datasets,
          concurrency,
          repeat,
          requests,
          mock: Boolean(options.mock),
          config: options.config,
          retries: options.retries,
          rpm,
          tpm,
          tier: options.tier,
          resume: options.resume,
        },
        ...(options.stop ? { stop: options.stop } : {}),
        ...(options.abort ? { abort: options.abort } : {}),
      },
      events,
    ),
  );
}
