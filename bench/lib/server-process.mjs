import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Starts a server script in its own process (so its CPU is never billed to the client being
 * measured) and resolves once a line on its stdout names its URL. `urlFrom(line)` returns the URL
 * when the line announces it (may throw when the line is unreadable). The child is killed if the
 * bench process exits first, rather than orphaned.
 */
export async function startServerProcess(args, { name, urlFrom, readyTimeoutMs = 15_000 }) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start in ${readyTimeoutMs} ms\n${stderr}`)),
      readyTimeoutMs,
    );
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      let found;
      try {
        found = urlFrom(line);
      } catch (err) {
        clearTimeout(timer);
        reject(new Error(`${name} printed ${JSON.stringify(line)}: ${err}`));
        return;
      }
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (code ${code}) before listening\n${stderr}`));
    });
  });
  return {
    child,
    url,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
