import { z } from 'zod';
import {
  choiceField,
  durationField,
  flagField,
  numberField,
  positiveDurationField,
  positiveNumber,
  prescanField,
  textField,
  textList,
  wholeAtLeast0,
  wholeAtLeast1,
} from './schema-fields.js';
import { STEPFUN_TIER_NAMES } from './tiers.js';

/**
 * Every setting a user can give, written once. The config file, the command line and the
 * library all go through these schemas, so a setting exists in one place with one spelling, one
 * check and one message. Durations are written as people write them (`30s`, `2m`, or seconds)
 * and come out as milliseconds.
 */

function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown key (expected one of: ${known})` : undefined,
  });
}

const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });

/**
 * Generation params, type-checked: a config saying `temperature: hot` is refused here rather
 * than answered by the server with a 400 on every request. Ranges are the OpenAI ones StepFun
 * documents; unknown keys are refused (a typo would silently do nothing).
 */
export const paramsSchema = strict({
  max_tokens: wholeAtLeast1().optional(),
  temperature: numberField({ min: 0, max: 2 }).optional(),
  top_p: numberField({ min: 0, max: 1 }).optional(),
  n: wholeAtLeast1().optional(),
  stop: z
    .union([z.string(), z.array(z.string())], { error: 'must be a string or a list of strings' })
    .optional(),
  frequency_penalty: numberField({ min: -2, max: 2 }).optional(),
  presence_penalty: numberField({ min: -2, max: 2 }).optional(),
  seed: numberField({ integer: true }).optional(),
  response_format: jsonObject.optional(),
  reasoning_format: textField().optional(),
  reasoning_effort: textField().optional(),
  tools: z.array(jsonObject, { error: 'must be a list of tool definitions' }).optional(),
  tool_choice: z.union([z.string(), jsonObject], { error: 'must be a string or an object' }).optional(),
});

export const priceSchema = strict({
  currency: textField(),
  input: numberField({ min: 0 }, ' (price per 1M tokens)'),
  cachedInput: numberField({ min: 0 }, ' (price per 1M tokens)'),
  output: numberField({ min: 0 }, ' (price per 1M tokens)'),
});

/** What a target is made of, before defaults and keys are resolved. */
const targetSpecShape = {
  name: textField().optional(),
  baseUrl: textField()
    .refine((u) => /^https?:\/\//.test(u), { message: 'must start with http:// or https://' })
    .optional(),
  model: textField().optional(),
  apiKeyEnv: textField().optional(),
  headers: z
    .record(z.string(), z.string(), { error: 'must be a mapping of header name to string value' })
    .optional(),
  params: paramsSchema.optional(),
  stream: flagField().optional(),
  streamUsage: flagField().optional(),
  price: priceSchema.optional(),
};

/** A target as given by flags or a config file's `defaults`, before defaults and keys are resolved. */
export const targetSpecSchema = strict(targetSpecShape);
export type TargetSpec = z.output<typeof targetSpecSchema>;

/**
 * Assertions as written. Only their shape as a list is checked here: each one is validated by the
 * assertion library in config-file.ts, which knows the file (messages) and its folder (`file:`
 * references of custom checks).
 */
const assertList = z.array(z.unknown(), { error: 'must be a list of assertions' });

/** An entry of a config file's `targets`: a target plus the assertions for its answers. */
export const configTargetSchema = strict({ ...targetSpecShape, assert: assertList.optional() });

/**
 * The model that answers `judge` assertions (docs/assertions.md): `grader: step-3.5-flash`, or a
 * target's endpoint fields. Never streamed, so `stream` has no place here.
 */
export const graderSpecSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { model: value } : value),
  strict({
    model: textField(),
    baseUrl: targetSpecShape.baseUrl,
    apiKeyEnv: targetSpecShape.apiKeyEnv,
    headers: targetSpecShape.headers,
    params: targetSpecShape.params,
    price: targetSpecShape.price,
  }),
);
export type GraderSpec = z.output<typeof graderSpecSchema>;

const ARRIVALS = ['constant', 'poisson', 'gamma'] as const;

/** One load phase: `concurrency` (closed loop) or `rate` (open loop, requests/s). */
export const phaseSpecSchema = strict({
  name: textField(),
  warmup: flagField().optional(),
  concurrency: wholeAtLeast1().optional(),
  rate: positiveNumber().optional(),
  rampFrom: numberField({ min: 0 }).optional(),
  duration: positiveDurationField().optional(),
  requests: wholeAtLeast1().optional(),
  arrival: choiceField(ARRIVALS).optional(),
  burstiness: positiveNumber().optional(),
  maxConcurrency: wholeAtLeast1().optional(),
}).superRefine((p, ctx) => {
  if ((p.concurrency === undefined) === (p.rate === undefined))
    ctx.addIssue({
      code: 'custom',
      message: 'needs exactly one of concurrency (closed loop) or rate (open loop, requests/s)',
    });
  if (p.rampFrom !== undefined && p.duration === undefined)
    ctx.addIssue({ code: 'custom', path: ['rampFrom'], message: 'a ramp needs a duration to ramp over' });
  if (p.maxConcurrency !== undefined && p.rate === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['maxConcurrency'],
      message: 'caps an open loop: use it with rate',
    });
  if (p.burstiness !== undefined && p.arrival !== undefined && p.arrival !== 'gamma')
    ctx.addIssue({ code: 'custom', path: ['burstiness'], message: 'only applies to arrival gamma' });
});
export type PhaseSpec = z.output<typeof phaseSpecSchema>;

/** `30s` is a warmup time; `50` a number of warmup requests. */
const warmupField = z
  .union([z.number(), z.string()], { error: 'must be a time such as 30s or a number of requests such as 50' })
  .transform((value, ctx): { durationMs: number } | { requests: number } => {
    const text = String(value).trim();
    if (/^\d+$/.test(text) && Number(text) >= 1) return { requests: Number(text) };
    const ms = positiveDurationField().safeParse(value);
    if (ms.success) return { durationMs: ms.data };
    ctx.issues.push({
      code: 'custom',
      message: `must be a time such as 30s or a number of requests such as 50 (got "${value}")`,
      input: value,
    });
    return z.NEVER;
  });

const timeoutsSchema = strict({
  connect: positiveDurationField().optional(),
  firstToken: positiveDurationField().optional(),
  idle: positiveDurationField().optional(),
  total: positiveDurationField().optional(),
});

/** Settings shared by `run` and `capacity`. */
const commonShape = {
  datasets: textList('dataset files').optional(),
  out: textField().optional(),
  encoding: choiceField(['utf8', 'latin1'] as const).optional(),
  slos: textList("objectives such as 'ttft.p95<2s'").optional(),
  retries: wholeAtLeast0().optional(),
  arrival: choiceField(ARRIVALS).optional(),
  burstiness: positiveNumber().optional(),
  arrivalSeed: wholeAtLeast0().optional(),
  timeouts: timeoutsSchema.optional(),
  grace: durationField().optional(),
  /** How long the first request waits for the dataset check (default 1s; `all`: until it is done). */
  prescan: prescanField().optional(),
  recordHostname: flagField().optional(),
  /** Write results.jsonl.gz instead of results.jsonl (src/results/writer.ts). */
  resultsGzip: flagField().optional(),
  /** Open the run's connections and warm the client before the clock starts (default on). */
  preconnect: flagField().optional(),
};

/** The `run` section of a config file, the `stepbench run` flags and the library's `run()` settings. */
export const runSettingsSchema = strict({
  ...commonShape,
  concurrency: wholeAtLeast1().optional(),
  repeat: wholeAtLeast1().optional(),
  requests: wholeAtLeast1().optional(),
  onBadRow: choiceField(['fail', 'skip'] as const).optional(),
  phases: z
    .array(phaseSpecSchema, { error: 'must be a list of phases' })
    .min(1, 'must not be empty')
    .optional(),
  rate: positiveNumber().optional(),
  maxConcurrency: wholeAtLeast1().optional(),
  duration: positiveDurationField().optional(),
  warmup: warmupField.optional(),
  ramp: positiveDurationField().optional(),
  rampFrom: numberField({ min: 0 }).optional(),
  maxErrorRate: numberField({ min: 0, max: 1 }, ', a share such as 0.05').optional(),
  gates: textList("gates such as 'pass_rate>=0.95' or 'ttft.p95<2s', or slo").optional(),
  /** Stop the run as soon as a gate can no longer pass (eval/gate-watch.ts). */
  abortOnGate: flagField().optional(),
  /** `i/N`, or `auto` with `shards` (JOB_COMPLETION_INDEX): this process's slice of the jobs (plan/shard.ts). */
  shard: textField().optional(),
  shards: wholeAtLeast1().optional(),
  /** ISO 8601 wall-clock time to start sending at, so that shards start together. */
  startAt: textField().optional(),
  /** Also write the results as an OpenAI Batch-API output file (src/results/batch-output.ts). */
  batchOutput: textField().optional(),
  /** An earlier run (its folder or report.json) to compare this one with (src/compare/, docs/baseline.md). */
  baseline: textField().optional(),
  maxRegression: textList("thresholds such as 'ttft.p95:+20%' or 'pass_rate:-0.05'").optional(),
  alpha: numberField({ above: 0, max: 0.5 }, ', a significance level such as 0.05').optional(),
  /** The target the others are compared with in a run of several (default the first; src/compare/targets-compare.ts). */
  reference: textField().optional(),
  rpm: wholeAtLeast1().optional(),
  tpm: wholeAtLeast1().optional(),
  tier: choiceField(STEPFUN_TIER_NAMES as unknown as readonly [string, ...string[]]).optional(),
  adaptive: flagField().optional(),
});
export type RunSettingsInput = z.input<typeof runSettingsSchema>;
export type RunSettings = z.output<typeof runSettingsSchema>;

/** The `capacity` section of a config file, the `stepbench capacity` flags and `capacity()`. */
export const capacitySettingsSchema = strict({
  ...commonShape,
  by: choiceField(['concurrency', 'rate'] as const).optional(),
  start: positiveNumber().optional(),
  max: positiveNumber().optional(),
  stepDuration: positiveDurationField().optional(),
  stepRequests: wholeAtLeast1().optional(),
  stepCooldown: durationField().optional(),
  max429Share: numberField({ min: 0, max: 1 }).optional(),
  maxErrorShare: numberField({ min: 0, max: 1 }).optional(),
  // −1 (a gain of −100 %) turns the saturation rule off: only 429s, errors and SLOs decide.
  minGain: numberField({ min: -1 }).optional(),
});
export type CapacitySettingsInput = z.input<typeof capacitySettingsSchema>;
export type CapacitySettings = z.output<typeof capacitySettingsSchema>;

export const configFileSchema = strict({
  defaults: targetSpecSchema.optional(),
  targets: z.array(configTargetSchema, { error: 'must be a list of targets' }).optional(),
  /** Assertions for every row's answers, from every target (promptfoo's `defaultTest.assert`). */
  defaultAssert: assertList.optional(),
  grader: graderSpecSchema.optional(),
  run: runSettingsSchema.optional(),
  capacity: capacitySettingsSchema.optional(),
});
/** A config file as the schema reads it; config-file.ts validates its assertions into `ConfigFile`. */
export type RawConfigFile = z.output<typeof configFileSchema>;
