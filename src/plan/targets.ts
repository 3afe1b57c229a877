import { UserError } from '../errors.js';
import { redactUrl } from '../redact.js';
import type { ConfigFile, TargetSpec } from './config-file.js';
import {
  DEFAULT_API_KEY_ENV,
  DEFAULT_MODEL,
  GRADER_PARAMS,
  GRADER_TARGET_NAME,
  MOCK_API_KEY,
  STEPFUN_BASE_URL,
} from './defaults.js';
import { priceFor } from './prices.js';
import type { Target } from './types.js';

/** Target settings from the command line; each one set overrides the config file. */
export interface TargetFlags {
  baseUrl?: string;
  /** One target per model (`--model` is repeatable). */
  models?: string[];
  apiKeyEnv?: string;
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  stream?: boolean;
  streamUsage?: boolean;
  /** `--grader MODEL`: the model that answers `judge` assertions (see resolveGrader). */
  grader?: string;
}

export interface ResolveTargetsOptions {
  config?: ConfigFile;
  flags: TargetFlags;
  env: Record<string, string | undefined>;
  /** When set, every target is pointed at the built-in mock and gets a mock key. */
  mockBaseUrl?: string;
}

function merge(base: TargetSpec, over: TargetSpec): TargetSpec {
  return {
    ...base,
    ...Object.fromEntries(Object.entries(over).filter(([, v]) => v !== undefined)),
    headers: { ...base.headers, ...over.headers },
    params: { ...base.params, ...over.params },
  };
}

function flagSpec(flags: TargetFlags): TargetSpec {
  const spec: TargetSpec = {};
  if (flags.baseUrl !== undefined) spec.baseUrl = flags.baseUrl;
  if (flags.apiKeyEnv !== undefined) spec.apiKeyEnv = flags.apiKeyEnv;
  if (flags.headers !== undefined) spec.headers = flags.headers;
  if (flags.params !== undefined) spec.params = flags.params;
  if (flags.stream !== undefined) spec.stream = flags.stream;
  if (flags.streamUsage !== undefined) spec.streamUsage = flags.streamUsage;
  return spec;
}

function builtInSpec(config: ConfigFile | undefined): TargetSpec {
  return merge(
    { baseUrl: STEPFUN_BASE_URL, model: DEFAULT_MODEL, apiKeyEnv: DEFAULT_API_KEY_ENV, stream: true },
    config?.defaults ?? {},
  );
}

/** The key of a target (the mock's own when the run points at the mock), or an input error. */
function apiKeyFor(
  what: string,
  s: TargetSpec,
  options: ResolveTargetsOptions,
): { apiKey: string; apiKeyEnv: string; baseUrl: string } {
  const apiKeyEnv = s.apiKeyEnv ?? DEFAULT_API_KEY_ENV;
  const baseUrl = options.mockBaseUrl ?? s.baseUrl ?? STEPFUN_BASE_URL;
  const apiKey = options.mockBaseUrl ? MOCK_API_KEY : options.env[apiKeyEnv];
  if (!apiKey) {
    throw new UserError(
      `${apiKeyEnv} is not set, so there is no API key for ${what} (${redactUrl(baseUrl)}). ` +
        `Export your key (StepFun: platform.stepfun.com → API keys), point --api-key-env at the variable that holds it, ` +
        'or try everything offline against the built-in mock with --mock.',
    );
  }
  return { apiKey, apiKeyEnv, baseUrl };
}

/**
 * Turns config-file targets and command-line flags into validated targets with their keys.
 * Precedence: built-in defaults < config `defaults` < config target < command-line flags.
 * `--model` replaces the config's target list with one target per model. Each target carries the
 * config's `defaultAssert` and its own `assert` as `checks`.
 */
export function resolveTargets(options: ResolveTargetsOptions): Target[] {
  const { config, flags } = options;
  const base = builtInSpec(config);
  const specs: Array<TargetSpec & { assert?: Target['checks'] }> =
    flags.models && flags.models.length > 0
      ? flags.models.map((model) => ({ model }))
      : config?.targets && config.targets.length > 0
        ? config.targets
        : [{}];
  const cli = flagSpec(flags);
  const seen = new Map<string, number>();
  return specs.map(({ assert, ...spec }) => {
    const s = merge(merge(base, spec), cli);
    const model = s.model ?? DEFAULT_MODEL;
    let name = s.name ?? model;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count > 1) name = `${name}#${count}`;
    const target: Target = {
      name,
      model,
      ...apiKeyFor(`target "${name}"`, s, options),
      headers: s.headers ?? {},
      params: s.params ?? {},
      stream: s.stream ?? true,
      streamUsage: s.streamUsage ?? false,
    };
    const price = priceFor(model, s.price);
    if (price) target.price = price;
    const checks = [...(config?.defaultAssert ?? []), ...(assert ?? [])];
    if (checks.length > 0) target.checks = checks;
    return target;
  });
}

/**
 * The grader target that answers `judge` assertions, or undefined when neither `--grader` nor the
 * config's `grader` names one (the offline grader then judges). It sits where the targets do
 * unless the config's `grader` says otherwise: built-in defaults < config `defaults` < the command
 * line's `--base-url`, `--api-key-env`, `--header` < config `grader` < `--grader` (its model). The
 * config's `grader` wins over those flags because it is about the grader alone, while they are
 * about the targets. The run's generation flags (`--temperature`, …) are not the grader's: it
 * always asks non-streaming, at temperature 0 unless its own `params` say otherwise.
 */
export function resolveGrader(options: ResolveTargetsOptions): Target | undefined {
  const { config, flags } = options;
  if (flags.grader === undefined && !config?.grader) return undefined;
  if (flags.grader !== undefined && flags.grader.trim() === '')
    throw new UserError('--grader needs a model name, e.g. --grader step-3.5-flash');
  const { params: _runParams, stream: _stream, streamUsage: _streamUsage, ...endpoint } = flagSpec(flags);
  const s = merge(merge(builtInSpec(config), endpoint), config?.grader ?? {});
  const model = flags.grader?.trim() ?? s.model ?? DEFAULT_MODEL;
  const grader: Target = {
    name: GRADER_TARGET_NAME,
    model,
    ...apiKeyFor(`the grader (${model})`, s, options),
    headers: s.headers ?? {},
    params: { ...GRADER_PARAMS, ...(config?.grader?.params ?? {}) },
    stream: false,
    streamUsage: false,
  };
  // Only the grader's own price: a price in `defaults` is for the targets' model.
  const price = priceFor(model, config?.grader?.price);
  if (price) grader.price = price;
  return grader;
}
