import { setMaxListeners } from 'node:events';
import type { Target } from '../plan/types.js';
import { prepareTarget } from './request.js';
import { StreamDecoder } from './stream-decoder.js';
import type { Transport } from './transport.js';

/**
 * A warm client before the clock starts, as wrk connects before it measures: the connections the
 * run will use are opened in parallel, and the code the first requests would otherwise pay for
 * (undici's HTTP parser, the SSE decoder) has run. Without it the first wave of a small run reads
 * TTFT tens of ms high — connection set-up, parser start-up and JIT — which is exactly where small
 * CI runs look.
 */

/**
 * Opens up to `count` connections to each target's origin with `GET <base>/models` (StepFun and
 * OpenAI-compatible servers answer it without touching a model; any answer, even a 404, leaves
 * a warm keep-alive connection). Failures are ignored: the run itself will meet and report them.
 */
export async function preconnect(
  transport: Transport,
  targets: readonly Target[],
  count: number,
  signal: AbortSignal,
): Promise<void> {
  if (count < 1) return;
  // Every preconnect request listens on this one signal: hundreds of listeners are expected.
  setMaxListeners(0, signal);
  const byOrigin = new Map<string, { path: string; headers: Record<string, string> }>();
  for (const target of targets) {
    const { origin, path, headers } = prepareTarget(target);
    if (byOrigin.has(origin)) continue;
    const modelsPath = path.replace(/\/chat\/completions(\?|$)/, '/models$1');
    // The target's own headers (key, user headers) minus the body's: a GET has none.
    const { 'content-type': _contentType, ...rest } = headers;
    byOrigin.set(origin, { path: modelsPath, headers: { ...rest, accept: 'application/json' } });
  }
  const requests: Promise<void>[] = [];
  for (const [origin, { path, headers }] of byOrigin) {
    const pool = transport.pool(origin);
    for (let i = 0; i < count; i++) {
      requests.push(
        pool
          .request({ method: 'GET', path, headers, signal })
          .then((res) => res.body.dump())
          .catch(() => undefined),
      );
    }
  }
  await Promise.all(requests);
}

const SAMPLE_CHUNKS = 32;

function sampleStream(): Buffer {
  const events: string[] = [
    'data: {"id":"w","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}]}\n\n',
  ];
  for (let i = 0; i < SAMPLE_CHUNKS; i++) {
    events.push(
      `data: {"id":"w","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"tok${i} 字"}}],` +
        `"usage":{"prompt_tokens":8,"completion_tokens":${i + 1},"total_tokens":${i + 9}}}\n\n`,
    );
  }
  events.push(
    'data: {"id":"w","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n',
  );
  events.push('data: [DONE]\n\n');
  return Buffer.from(events.join(''));
}

/**
 * Runs the SSE decoder over a sample stream a few hundred times, in small pieces as a socket
 * delivers them, so its first real streams run optimised code. About a millisecond, once.
 */
export function warmDecoder(rounds = 200): void {
  const bytes = sampleStream();
  for (let r = 0; r < rounds; r++) {
    const decoder = new StreamDecoder();
    for (let at = 0; at < bytes.length; at += 97) decoder.push(bytes.subarray(at, at + 97), at);
    decoder.end(bytes.length);
  }
}
