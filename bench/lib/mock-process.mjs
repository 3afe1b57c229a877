import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const READY = /stepbench mock listening on (http:\/\/\S+)/;

/**
 * Starts `stepbench mock` in its own process (so its CPU is never billed to the client being
 * measured) and resolves once it prints where it listens. `flags` are mock CLI flags, e.g.
 * ['--ttft-ms', '20'].
 */
export async function startMockProcess(flags, { readyTimeoutMs = 15_000 } = {}) {
  const child = spawn(process.execPath, [CLI, 'mock', '--port', '0', ...flags], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // If the bench dies (an exception, Ctrl-C), take the mock with it rather than orphan it.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`mock did not start in ${readyTimeoutMs} ms\n${stderr}`)),
      readyTimeoutMs,
    );
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = READY.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`mock exited (code ${code}) before listening\n${stderr}`));
    });
  });
  const origin = new URL(url).origin;

  return {
    url,
    pid: child.pid,
    /** Ground truth so far; with `reset`, the counters and records start afresh after this read. */
    async stats({ reset = false } = {}) {
      const res = await fetch(`${origin}/_mock/stats${reset ? '?reset=1' : ''}`);
      if (!res.ok) throw new Error(`GET /_mock/stats answered ${res.status}`);
      return res.json();
    },
    /** CPU ms the mock process has used so far (user+sys), or null off Linux. */
    cpuMs: () => processCpuMs(child.pid),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Linux /proc/<pid>/stat utime+stime (fields 14, 15) in ms; null where /proc is absent. */
async function processCpuMs(pid, ticksPerSecond = 100) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after it start past the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / ticksPerSecond;
  } catch {
    return null;
  }
}
