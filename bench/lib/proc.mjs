import { readFile } from 'node:fs/promises';

/**
 * Peak resident set of another process (Linux `VmHWM` in /proc/<pid>/status), in MB; null where
 * /proc is absent or the process is gone. For a process the bench did not start itself in a
 * child runner (the mock), which cannot report its own `resourceUsage()`.
 */
export async function peakRssMB(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
