import type { Argv } from 'yargs';
import { DEFAULT_API_KEY_ENV } from '../plan/defaults.js';
import type { TargetFlags } from '../plan/targets.js';
import { redactArgv } from '../redact.js';
import { generationParams, parseHeaders } from './parse-flags.js';

/** The flags that pick and shape targets, shared by every command that sends requests. */
export interface TargetArgs {
  config?: string;
  model?: string[];
  baseUrl?: string;
  apiKeyEnv?: string;
  header?: string[];
  stream?: boolean;
  streamUsage?: boolean;
  grader?: string;
  [flag: string]: unknown;
}

export function addTargetOptions<T>(y: Argv<T>, modelHelp: string): Argv<T> {
  return y
    .option('config', { type: 'string', describe: 'YAML/JSON file with targets, defaults and run settings' })
    .option('model', { type: 'string', array: true, describe: modelHelp })
    .option('base-url', { type: 'string', describe: 'API base URL (default https://api.stepfun.com/v1)' })
    .option('api-key-env', {
      type: 'string',
      describe: 'Environment variable holding the API key (default STEP_API_KEY)',
    })
    .option('header', {
      type: 'string',
      array: true,
      describe: 'Extra request header "Name: value" (repeatable)',
    })
    .option('stream', {
      type: 'boolean',
      describe: 'Stream responses (SSE); --no-stream for plain JSON (default on)',
    })
    .option('stream-usage', {
      type: 'boolean',
      describe: 'Send stream_options.include_usage (OpenAI/vLLM servers)',
    })
    .option('max-tokens', { type: 'string', describe: 'max_tokens for every request (rows may override)' })
    .option('temperature', {
      type: 'string',
      describe: 'temperature (StepFun default 0.5; sent only when set)',
    })
    .option('top-p', { type: 'string', describe: 'top_p (StepFun default 0.9; sent only when set)' })
    .option('frequency-penalty', { type: 'string', describe: 'frequency_penalty (StepFun: 0..1)' })
    .option('presence-penalty', { type: 'string', describe: 'presence_penalty' })
    .option('seed', { type: 'string', describe: 'seed' })
    .option('stop', { type: 'string', describe: 'stop sequence' })
    .option('reasoning-format', { type: 'string', describe: 'general | deepseek-style (StepFun)' })
    .option('reasoning-effort', { type: 'string', describe: 'low | medium | high (step-3.7-flash)' });
}

/** The library's target options from parsed flags (only what the user set). */
export function targetFlagsFromArgs(argv: TargetArgs): TargetFlags & { config?: string } {
  const headers = parseHeaders(argv.header);
  const params = generationParams(argv);
  return {
    ...(argv.config ? { config: argv.config } : {}),
    ...(argv.model ? { models: argv.model } : {}),
    ...(argv.baseUrl ? { baseUrl: argv.baseUrl } : {}),
    ...(argv.apiKeyEnv ? { apiKeyEnv: argv.apiKeyEnv } : {}),
    ...(headers ? { headers } : {}),
    ...(params ? { params } : {}),
    ...(argv.stream !== undefined ? { stream: argv.stream } : {}),
    ...(argv.streamUsage !== undefined ? { streamUsage: argv.streamUsage } : {}),
    ...(argv.grader !== undefined ? { grader: argv.grader } : {}),
  };
}

/**
 * The command line for the report: secret header values and URL credentials removed, and the API
 * key wherever it was pasted. The run redacts it again with every target's secrets (config file).
 */
export function redactedCommand(argv: TargetArgs): string[] {
  return redactArgv(process.argv.slice(2), [process.env[argv.apiKeyEnv ?? DEFAULT_API_KEY_ENV]]);
}
