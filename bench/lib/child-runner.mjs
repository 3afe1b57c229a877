import { spawn } from 'node:child_process';

/**
 * Runs a client script in its own Node process so its CPU time and peak RSS belong to it
 * alone. The script receives `config` as JSON in argv[2] and must print its result as one
 * JSON object on the last line of stdout. Anything on stderr is passed through, so a
 * crashing client is visible.
 */
export function runClientProcess(scriptPath, config, { timeoutMs = 180_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [scriptPath, JSON.stringify(config)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${scriptPath} took longer than ${timeoutMs} ms; killed`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(new Error(`${scriptPath} exited with ${signal ?? `code ${code}`}\n${stdout.slice(-2000)}`));
        return;
      }
      try {
        resolve(parseLastJsonLine(stdout));
      } catch (err) {
        reject(err);
      }
    });
  });
}

export function parseLastJsonLine(text) {
  const lines = text.trim().split('\n');
  const last = lines[lines.length - 1];
  if (!last) throw new Error('the client printed nothing');
  return JSON.parse(last);
}

/**
 * What every client child reports about its own process, measured from `since` (the
 * `process.cpuUsage()` taken just before the measured work), so module loading is excluded
 * from CPU but peak RSS is the whole life of the process.
 */
export function processCost(since, wallMs) {
  const cpu = process.cpuUsage(since);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    wallMs,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    cpuPercent: wallMs > 0 ? (100 * cpuMs) / wallMs : null,
    // maxRSS is in kilobytes.
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}
