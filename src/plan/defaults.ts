/** Defaults for targets and runs, in one place. */
export const STEPFUN_BASE_URL = 'https://api.stepfun.com/v1';
export const DEFAULT_MODEL = 'step-3.7-flash';
export const DEFAULT_API_KEY_ENV = 'STEP_API_KEY';
export const DEFAULT_CONCURRENCY = 8;
/** Key sent to the built-in mock when the user has none: the mock accepts any non-empty bearer. */
export const MOCK_API_KEY = 'stepbench-mock-key';

/**
 * Generation params a user may set per target or per row. Only these are forwarded besides
 * `model`, `messages` and `stream` — StepFun's defaults differ from OpenAI's (temperature 0.5,
 * top_p 0.9), so sending values the user never chose would change the answers being measured.
 */
export const GENERATION_PARAMS = [
  'max_tokens',
  'temperature',
  'top_p',
  'n',
  'stop',
  'frequency_penalty',
  'presence_penalty',
  'seed',
  'response_format',
  'reasoning_format',
  'reasoning_effort',
  'tools',
  'tool_choice',
] as const;

/** Open loop without a cap on requests in flight: connections are opened as needed, up to this many. */
export const OPEN_LOOP_CEILING = 10_000;

/**
 * Connections opened before an open loop starts: its rate × this much time in flight (an
 * estimate of the latency, which is not known yet), at most PRECONNECT_OPEN_LOOP_MAX.
 */
export const PRECONNECT_OPEN_LOOP_SECONDS = 2;
export const PRECONNECT_OPEN_LOOP_MAX = 256;

/** Named timeouts and the Ctrl-C grace period of every run, ms. */
export const RUN_DEFAULTS = {
  graceMs: 30_000,
  /**
   * How long the first request waits for the check of the datasets (design note 009): long enough
   * for some 200,000 rows, so most datasets are checked whole first; a larger one is checked
   * alongside, and the run still starts within about two seconds of the command.
   */
  prescanMs: 1_000,
  timeouts: { connectMs: 10_000, firstTokenMs: 120_000, idleMs: 60_000, totalMs: 600_000 },
} as const;

/**
 * A capacity search: from `start` up to `max` (by dimension); each step held this long or for this
 * many requests, whichever ends first; retries off (a 429 is information); the step verdict's
 * thresholds.
 */
export const CAPACITY_DEFAULTS = {
  start: 1,
  max: { concurrency: 256, rate: 100 },
  stepDurationMs: 20_000,
  stepRequests: 2_000,
  retries: 0,
  thresholds: { max429Share: 0.02, maxErrorShare: 0.01, minGain: 0.05 },
} as const;

/** The grader target's name in messages and reports. */
export const GRADER_TARGET_NAME = 'grader';

/**
 * What a grader request sends besides model and messages: temperature 0, so the same output gets
 * the same verdict as far as the model allows. The grader's own `params` in the config win.
 */
export const GRADER_PARAMS: Readonly<Record<string, unknown>> = Object.freeze({ temperature: 0 });
