import { estimatePromptTokens } from '../tokens/estimate.js';
import { handleChat, MAX_BODY_BYTES } from './chat.js';
import { type Exchange, readBody, sendError, sendJson } from './exchange.js';
import { validateChatRequest } from './validate.js';
import { bodyTooLarge, notFound } from './wire-errors.js';

/** A fixed `created` for every model, so `/v1/models` is byte-identical run to run. */
const MODEL_CREATED = 1_767_225_600;

const modelObject = (id: string) => ({ id, object: 'model', created: MODEL_CREATED, owned_by: 'stepai' });

function listModels(ex: Exchange): void {
  sendJson(ex, 200, JSON.stringify({ object: 'list', data: ex.options.models.map(modelObject) }));
}

function getModel(ex: Exchange, id: string): void {
  if (ex.options.models.includes(id)) sendJson(ex, 200, JSON.stringify(modelObject(id)));
  else sendError(ex, notFound(`Model ${id} not found`));
}

/** A generous fake balance: the pre-flight check a batch run may do should pass. */
function getAccount(ex: Exchange): void {
  sendJson(
    ex,
    200,
    JSON.stringify({
      object: 'account',
      type: 'prepaid',
      balance: 1000,
      total_cash_balance: 1000,
      total_voucher_balance: 0,
    }),
  );
}

async function countTokens(ex: Exchange): Promise<void> {
  const body = await readBody(ex.req, MAX_BODY_BYTES);
  if (body.kind === 'aborted') return;
  if (body.kind === 'too_large') return sendError(ex, bodyTooLarge(MAX_BODY_BYTES));
  const validated = validateChatRequest(body.text, ex.options.models);
  if (!validated.ok) return sendError(ex, validated.error);
  sendJson(
    ex,
    200,
    JSON.stringify({ data: { total_tokens: estimatePromptTokens(validated.value.messages) } }),
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export type RouteHandler = (ex: Exchange) => void | Promise<void>;

export interface RouteMatch {
  handler: RouteHandler;
  /** Only chat completions produce a per-request ground-truth record. */
  recorded: boolean;
}

/** Finds the handler for a method and path under `/v1`, or undefined (→ 404). */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (method === 'POST' && trimmed === '/v1/chat/completions') return { handler: handleChat, recorded: true };
  if (method === 'GET' && trimmed === '/v1/models') return { handler: listModels, recorded: false };
  if (method === 'GET' && trimmed.startsWith('/v1/models/')) {
    const id = safeDecode(trimmed.slice('/v1/models/'.length));
    return { handler: (ex) => getModel(ex, id), recorded: false };
  }
  if (method === 'GET' && trimmed === '/v1/accounts') return { handler: getAccount, recorded: false };
  if (method === 'POST' && trimmed === '/v1/token/count') return { handler: countTokens, recorded: false };
  return undefined;
}
