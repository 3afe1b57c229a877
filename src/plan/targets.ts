import { UserError } from '../errors.js';
import { redactUrl } from '../redact.js';
import type { ConfigFile, TargetSpec } from './config-file.js';
import { DEFAULT_API_KEY_ENV, DEFAULT_MODEL, MOCK_API_KEY, STEPFUN_BASE_URL } from './defaults.js';
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

/**
 * Turns config-file targets and command-line flags into validated targets with their keys.
 * Precedence: built-in defaults < config `defaults` < config target < command-line flags.
 * `--model` replaces the config's target list with one target per model.
 */
export function resolveTargets(options: ResolveTargetsOptions): Target[] {
  const { config, flags, env, mockBaseUrl } = options;
  const base: TargetSpec = merge(
    { baseUrl: STEPFUN_BASE_URL, model: DEFAULT_MODEL, apiKeyEnv: DEFAULT_API_KEY_ENV, stream: true },
    config?.defaults ?? {},
  );
  const specs: TargetSpec[] =
    flags.models && flags.models.length > 0
      ? flags.models.map((model) => ({ model }))
      : config?.targets && config.targets.length > 0
        ? config.targets
        : [{}];
  const cli = flagSpec(flags);
  const seen = new Map<string, number>();
  return specs.map((spec) => {
    const s = merge(merge(base, spec), cli);
    const model = s.model ?? DEFAULT_MODEL;
    let name = s.name ?? model;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    if (count > 1) name = `${name}#${count}`;
    const apiKeyEnv = s.apiKeyEnv ?? DEFAULT_API_KEY_ENV;
    const baseUrl = mockBaseUrl ?? s.baseUrl ?? STEPFUN_BASE_URL;
    const apiKey = mockBaseUrl ? MOCK_API_KEY : env[apiKeyEnv];
    if (!apiKey) {
      throw new UserError(
        `${apiKeyEnv} is not set, so there is no API key for target "${name}" (${redactUrl(baseUrl)}). ` +
          `Export your key (StepFun: platform.stepfun.com → API keys), point --api-key-env at the variable that holds it, ` +
          'or try everything offline against the built-in mock with --mock.',
      );
    }
    const target: Target = {
      name,
      baseUrl,
      model,
      apiKey,
      apiKeyEnv,
      headers: s.headers ?? {},
      params: s.params ?? {},
      stream: s.stream ?? true,
      streamUsage: s.streamUsage ?? false,
    };
    const price = priceFor(model, s.price);
    if (price) target.price = price;
    return target;
  });
}
