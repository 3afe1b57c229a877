import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startServerProcess } from './server-process.mjs';

const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
const READY = /stepbench mock listening on (http:\/\/\S+)/;

/**
 * Starts `stepbench mock` in its own process (so its CPU is never billed to the client being
 * measured) and resolves once it prints where it listens. `flags` are mock CLI flags, e.g.
 * ['--ttft-ms', '20'].
 */
export async function startMockProcess(flags, { readyTimeoutMs = 15_000 } = {}) {
  const { child, url, stop } = await startServerProcess([CLI, 'mock', '--port', '0', ...flags], {
    name: 'mock',
    urlFrom: (line) => READY.exec(line)?.[1],
    readyTimeoutMs,
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
    stop,
  };
}

/** Linux /proc/<pid>/stat utime+stime (fields 14, 15) in ms; null where /proc is absent. */
export async function processCpuMs(pid, ticksPerSecond = 100) {
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
