import type { AttemptError } from './types.js';

const QUOTE_LIMIT = 200;

/** The first `limit` characters of `text`, with an ellipsis when cut: for quoting in messages. */
export function quote(text: string, limit = QUOTE_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The error carried by a parsed JSON object, if it is one:
 * `{"error":{"message","type"}}` (StepFun, OpenAI, vLLM today), `{"error":"text"}`,
 * and vLLM's older top-level `{"object":"error","message",…}`.
 */
export function wireError(obj: unknown): AttemptError | undefined {
  if (obj === null || typeof obj !== 'object') return undefined;
  const record = obj as Record<string, unknown>;
  const inner = record.error;
  if (inner !== undefined && inner !== null && inner !== false) {
    if (typeof inner === 'string') return { message: inner };
    if (typeof inner === 'object') {
      const fields = inner as Record<string, unknown>;
      const message = str(fields.message) ?? quote(JSON.stringify(inner));
      const type = str(fields.type) ?? str(fields.code);
      return type ? { message, type } : { message };
    }
    return { message: String(inner) };
  }
  if (record.object === 'error') {
    const message = str(record.message) ?? quote(JSON.stringify(obj));
    const type = str(record.type);
    return type ? { message, type } : { message };
  }
  return undefined;
}

/**
 * The error described by an HTTP error body, whatever shape it came in: the JSON envelope, a
 * top-level `{"message"}`, the envelope wrapped as an SSE `data:` event (some servers answer
 * errors with their streaming content type), or plain text.
 */
export function errorFromBody(status: number, bodyText: string): AttemptError {
  const trimmed = bodyText.trim();
  const json = trimmed.startsWith('data:') ? trimmed.slice(5).split(/\r?\n/, 1)[0]!.trim() : trimmed;
  if (json.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(json);
      const fromEnvelope = wireError(parsed);
      if (fromEnvelope) return fromEnvelope;
      const record = parsed as Record<string, unknown>;
      const message = str(record.message) ?? str(record.detail);
      if (message) {
        const type = str(record.type) ?? str(record.code);
        return type ? { message, type } : { message };
      }
    } catch {
      // Not JSON after all: quoted as text below.
    }
  }
  return { message: trimmed === '' ? `HTTP ${status} with an empty body` : quote(trimmed) };
}
