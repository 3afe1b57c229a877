/**
 * StepFun error bodies: `{"error":{"message","type"}}` with no `code` or `param` (wire facts §6).
 * Type strings for 429/451/500/503 are undocumented; these follow the wire-facts suggestion.
 */
export interface WireError {
  status: number;
  type: string;
  message: string;
}

export function wireErrorBody(error: WireError): string {
  return JSON.stringify({ error: { message: error.message, type: error.type } });
}

export const invalidApiKey = (): WireError => ({
  status: 401,
  type: 'invalid_api_key',
  message: 'Incorrect API key provided',
});

export const paramsInvalid = (message: string): WireError => ({
  status: 400,
  type: 'request_params_invalid',
  message,
});

export const notFound = (message: string): WireError => ({ status: 404, type: 'not_found', message });

export const bodyTooLarge = (limit: number): WireError => ({
  status: 413,
  type: 'request_params_invalid',
  message: `Request body is larger than ${limit} bytes`,
});

export const serverError = (
  message = 'The server had an error while processing your request',
): WireError => ({
  status: 500,
  type: 'server_error',
  message,
});

export const serverOverloaded = (
  message = 'The server is currently overloaded, please try again later',
): WireError => ({ status: 503, type: 'server_overloaded', message });

/** Balance used up (StepFun's real 402 wording, wire facts §6). */
export const quotaExceeded = (): WireError => ({
  status: 402,
  type: 'quota_exceeded',
  message: 'You exceeded your current quota, please check your plan and billing details',
});

export const contentFiltered = (): WireError => ({
  status: 451,
  type: 'content_filter',
  message: 'The request was rejected by content moderation',
});

export const rateLimited = (message: string): WireError => ({
  status: 429,
  type: 'rate_limit_exceeded',
  message,
});
