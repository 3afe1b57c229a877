import type { ChatMessage } from '../dataset/types.js';
import type { Target } from '../plan/types.js';

/**
 * The JSON body of one chat-completions request: `model`, `messages`, `stream`, and only the
 * params the user set (the row's override the target's). Nothing else is defaulted: StepFun's
 * defaults (temperature 0.5, top_p 0.9) differ from OpenAI's, so sending "standard" values would
 * change what is measured.
 */
export function buildRequestBody(
  target: Target,
  messages: ChatMessage[],
  rowParams: Record<string, unknown>,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...target.params, ...rowParams };
  body.model = target.model;
  body.messages = messages;
  body.stream = target.stream;
  if (target.stream && target.streamUsage) body.stream_options = { include_usage: true };
  else if (!target.stream) delete body.stream_options;
  return body;
}

/** Where and how to send a target's requests; the same for every request of the target. */
export interface PreparedTarget {
  /** `https://host:port`, the key of the transport's pool. */
  origin: string;
  /** Path of the chat-completions endpoint, with the base URL's prefix and query string. */
  path: string;
  headers: Record<string, string>;
}

// Targets are immutable for a run, so the URL parsing and header merge happen once per target,
// not once per request (thousands of requests per second share a handful of targets).
const prepared = new WeakMap<Target, PreparedTarget>();

export function prepareTarget(target: Target): PreparedTarget {
  const cached = prepared.get(target);
  if (cached) return cached;
  const url = new URL(target.baseUrl);
  // `/v1`, `/v1/`, `/step_plan/v1//` all end up as `<prefix>/chat/completions`.
  const prefix = url.pathname.replace(/\/+$/, '');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: target.stream ? 'text/event-stream' : 'application/json',
  };
  if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
  // User headers come last and win; lower-casing them keeps one header per name instead of
  // sending both `authorization` and `Authorization`.
  for (const [name, value] of Object.entries(target.headers)) headers[name.toLowerCase()] = value;
  const result: PreparedTarget = {
    origin: url.origin,
    path: `${prefix}/chat/completions${url.search}`,
    headers,
  };
  prepared.set(target, result);
  return result;
}
