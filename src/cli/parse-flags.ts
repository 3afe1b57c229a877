import { UserError } from '../errors.js';
import { redactHeaderArg } from '../redact.js';

/** `--header 'X-Foo: bar'` (repeatable) → header map. */
export function parseHeaders(values: readonly string[] | undefined): Record<string, string> | undefined {
  if (!values || values.length === 0) return undefined;
  const headers: Record<string, string> = {};
  for (const v of values) {
    const at = v.indexOf(':');
    if (at <= 0) throw new UserError(`--header "${redactHeaderArg(v)}" must look like "Name: value"`);
    headers[v.slice(0, at).trim()] = v.slice(at + 1).trim();
  }
  return headers;
}

/** Collects the generation flags the user actually set, under their wire names. */
export function generationParams(argv: Record<string, unknown>): Record<string, unknown> | undefined {
  const map: Record<string, string> = {
    maxTokens: 'max_tokens',
    temperature: 'temperature',
    topP: 'top_p',
    frequencyPenalty: 'frequency_penalty',
    presencePenalty: 'presence_penalty',
    seed: 'seed',
    stop: 'stop',
    reasoningFormat: 'reasoning_format',
    reasoningEffort: 'reasoning_effort',
  };
  const params: Record<string, unknown> = {};
  for (const [flag, wire] of Object.entries(map)) {
    const v = argv[flag];
    // Raw text: the params schema checks and converts it, quoting what was typed.
    if (v !== undefined) params[wire] = v;
  }
  return Object.keys(params).length > 0 ? params : undefined;
}

/** `--alpha` of `compare` and `report` as a number (its range is the library's to check); undefined when not given. */
export function alphaFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const alpha = Number(text);
  if (!Number.isFinite(alpha)) throw new UserError(`--alpha must be a number such as 0.05 (got ${text})`);
  return alpha;
}
