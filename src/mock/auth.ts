import { invalidApiKey, type WireError } from './wire-errors.js';

/**
 * Bearer check. With a configured key the token must match exactly; without one any non-empty
 * token passes, but a missing or empty Authorization header is still a 401, as on the real API.
 */
export function checkAuth(header: string | undefined, apiKey: string | null): WireError | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(header?.trim() ?? '');
  const token = match?.[1]?.trim() ?? '';
  if (token === '') return invalidApiKey();
  if (apiKey !== null && token !== apiKey) return invalidApiKey();
  return undefined;
}
