/**
 * StepFun error bodies: `{"error":{"message","type"}}` with no `code` or `param` (wire facts §6).
 * Later modules (rate limits → 429, faults → 500/503/402/451) add their own entries here.
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
