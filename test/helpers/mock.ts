import { type MockOptionsInput, type MockServer, startMockServer } from '../../src/mock/index.js';

/**
 * Starts a mock on 127.0.0.1 with an ephemeral port. Pair it with `afterAll(() => mock.close())`
 * (or use `withMock`, which closes for you).
 */
export function startTestMock(options: MockOptionsInput = {}): Promise<MockServer> {
  return startMockServer({ ...options, host: '127.0.0.1', port: 0 });
}

/** Runs `fn` against a fresh mock and always closes it, even when `fn` throws. */
export async function withMock<T>(
  options: MockOptionsInput,
  fn: (mock: MockServer) => Promise<T>,
): Promise<T> {
  const mock = await startTestMock(options);
  try {
    return await fn(mock);
  } finally {
    await mock.close();
  }
}

export interface ChatCall {
  body: Record<string, unknown>;
  apiKey?: string;
}

/** POSTs a chat request with fetch; returns status, headers and the raw body text. */
export async function postChat(
  mock: MockServer,
  { body, apiKey = 'test-key' }: ChatCall,
): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(`${mock.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The JSON payloads of `data:` events in an SSE body (comments and `[DONE]` left out). */
export function sseDataPayloads(raw: string): unknown[] {
  return raw
    .split(/\r\n|\r|\n/)
    .filter((line) => line.startsWith('data:'))
    .map((line) => line.slice(5).replace(/^ /, ''))
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as unknown);
}
