import { RowProblem } from './row-problem.js';

/**
 * True when a parsed JSONL line looks like OpenAI Batch-API input
 * (`{custom_id, method, url, body: {messages, ...}}`) rather than a stepbench row.
 */
export function isBatchRequestLine(value: unknown): boolean {
  if (!isObject(value)) return false;
  return 'custom_id' in value && isObject(value.body) && !('prompt' in value) && !('messages' in value);
}

// Body keys the target decides, not the row: streaming is a property of the run.
const TARGET_OWNED_BODY_KEYS = new Set(['stream', 'stream_options']);

/**
 * Maps one Batch-API request line onto row fields: `custom_id` → `id`, `body.messages` → messages,
 * `body.model` kept as the `model` variable (metadata: the target chooses the model), and every
 * other body key is a request param, since the body is literally the request.
 */
export function batchLineToFields(value: unknown): Record<string, unknown> {
  if (!isObject(value)) throw new RowProblem('a Batch-API line must be a JSON object');
  const { custom_id: customId, method, url, body } = value;
  if (typeof customId !== 'string' || customId === '') {
    throw new RowProblem('a Batch-API line needs a non-empty string "custom_id"');
  }
  if (method !== undefined && method !== 'POST') {
    throw new RowProblem(`Batch-API method must be "POST", got ${JSON.stringify(method)}`);
  }
  if (url !== undefined && (typeof url !== 'string' || !url.endsWith('/chat/completions'))) {
    throw new RowProblem(
      `Batch-API url ${JSON.stringify(url)} is not /v1/chat/completions: stepbench only sends chat completions`,
    );
  }
  if (!isObject(body)) throw new RowProblem('a Batch-API line needs a "body" object');
  const params: Record<string, unknown> = {};
  for (const [key, param] of Object.entries(body)) {
    if (key !== 'messages' && key !== 'model' && !TARGET_OWNED_BODY_KEYS.has(key)) params[key] = param;
  }
  const fields: Record<string, unknown> = { id: customId, messages: body.messages, params };
  if (body.model !== undefined) fields.model = body.model;
  return fields;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
