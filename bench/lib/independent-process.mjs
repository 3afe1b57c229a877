import { fileURLToPath } from 'node:url';
import { startServerProcess } from './server-process.mjs';

const SERVER = fileURLToPath(new URL('../servers/independent-sse.mjs', import.meta.url));

/**
 * Starts bench/servers/independent-sse.mjs (a StepFun-compatible server that shares no code with
 * src/) in its own process and resolves once it prints its URL. `config` is its argv JSON:
 * `{ ttftMs, msPerToken, tokens }`.
 */
export async function startIndependentServer(config = {}, { readyTimeoutMs = 15_000 } = {}) {
  const { child, url, stop } = await startServerProcess([SERVER, JSON.stringify(config)], {
    name: 'independent server',
    urlFrom: (line) => JSON.parse(line).url,
    readyTimeoutMs,
  });
  const origin = new URL(url).origin;
  return {
    url,
    pid: child.pid,
    /** The server's records so far; with `reset`, it starts afresh after this read. */
    async truth({ reset = false } = {}) {
      const res = await fetch(`${origin}/_truth${reset ? '?reset=1' : ''}`);
      if (!res.ok) throw new Error(`GET /_truth answered ${res.status}`);
      return res.json();
    },
    stop,
  };
}
