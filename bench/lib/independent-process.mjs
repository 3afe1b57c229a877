import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('../servers/independent-sse.mjs', import.meta.url));

/**
 * Starts bench/servers/independent-sse.mjs (a StepFun-compatible server that shares no code with
 * src/) in its own process and resolves once it prints its URL. `config` is its argv JSON:
 * `{ ttftMs, msPerToken, tokens }`.
 */
export async function startIndependentServer(config = {}, { readyTimeoutMs = 15_000 } = {}) {
  const child = spawn(process.execPath, [SERVER, JSON.stringify(config)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the bench dies, take the server with it rather than orphan it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`independent server did not start in ${readyTimeoutMs} ms\n${stderr}`)),
      readyTimeoutMs,
    );
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line).url);
      } catch (err) {
        reject(new Error(`independent server printed ${JSON.stringify(line)}: ${err}`));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`independent server exited (code ${code}) before listening\n${stderr}`));
    });
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
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
