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

/** Waits (polling every few ms, up to `timeoutMs`) until `check` is true; throws with `what` if it never is. */
export async function waitUntil(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until the mock has recorded `count` chat requests (records land when responses close). */
export function waitForRecords(mock: MockServer, count: number): Promise<void> {
  return waitUntil(() => mock.stats.records.length >= count, `${count} mock records`);
}

export interface RawStream {
  status: number;
  headers: Headers;
  /** Everything received before the body ended, broke off, or went quiet. */
  text: string;
  /** How the body ended: cleanly, with a network error, or by going quiet for `idleMs`. */
  ending: 'end' | 'error' | 'idle';
}

/**
 * POSTs a chat request and reads the body as it comes, never throwing on a broken body. With
 * `idleMs`, gives up (and aborts) once no bytes arrived for that long: how a test sees a stall.
 */
export async function readChatStream(
  mock: MockServer,
  body: Record<string, unknown>,
  idleMs?: number,
): Promise<RawStream> {
  const controller = new AbortController();
  const response = await fetch(`${mock.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
    body: JSON.stringify(body),
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ending: RawStream['ending'] = 'end';
  try {
    for (;;) {
      let idleTimer: NodeJS.Timeout | undefined;
      const idle =
        idleMs === undefined
          ? undefined
          : new Promise<'idle'>((resolve) => {
              idleTimer = setTimeout(() => resolve('idle'), idleMs);
            });
      const next = await (idle ? Promise.race([reader.read(), idle]) : reader.read());
      clearTimeout(idleTimer);
      if (next === 'idle') {
        ending = 'idle';
        controller.abort();
        break;
      }
      if (next.done) break;
      text += decoder.decode(next.value, { stream: true });
    }
  } catch {
    ending = 'error';
  }
  return { status: response.status, headers: response.headers, text, ending };
}
