/**
 * wrk (Debian package `wrk`) as the reference load generator: C, one event loop per thread, it
 * reads whole responses (chunked SSE included) without parsing them, so its rate is what the
 * server and loopback allow. Used only to compare: it measures no TTFT.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The wrk binary on PATH, or null: the suite then skips wrk and says so. */
export async function findWrk() {
  return new Promise((resolve) => {
    execFile('wrk', ['--version'], (error, stdout, stderr) => {
      // wrk --version prints its banner and exits 1; a missing binary is ENOENT.
      if (error && error.code === 'ENOENT') resolve(null);
      else resolve(`${stdout}${stderr}`.split('\n')[0].trim() || 'wrk');
    });
  });
}

/** A Lua script that POSTs one streaming chat completion per request. */
export async function writeWrkScript(dir, { model, prompt = 'Say hello.', maxTokens }) {
  const body = JSON.stringify({
    model,
    stream: true,
    messages: [{ role: 'user', content: prompt }],
    ...(maxTokens ? { max_tokens: maxTokens } : {}),
  });
  const lua = [
    'wrk.method = "POST"',
    'wrk.headers["Content-Type"] = "application/json"',
    'wrk.headers["Authorization"] = "Bearer bench"',
    `wrk.body = ${JSON.stringify(body)}`,
    '',
  ].join('\n');
  const path = join(dir, 'wrk-post.lua');
  await writeFile(path, lua);
  return path;
}

/**
 * Runs `wrk -t threads -c connections -d seconds` against `url` and returns its own summary:
 * requests completed, its req/s (connection ramp included), mean latency, socket errors.
 */
export function runWrk({ url, script, connections, seconds, threads = 2 }) {
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { timeout: (seconds + 60) * 1000 }, (error, stdout) => {
      if (error) reject(new Error(`wrk ${args.join(' ')} failed: ${error.message}`));
      else resolve({ args, ...parseWrkOutput(stdout) });
    });
  });
}

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Parses wrk's text summary (exported for the tests). */
export function parseWrkOutput(text) {
  const requests = /(\d+) requests in ([\d.]+)(\w+)/.exec(text);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const latency = /Latency\s+([\d.]+)(us|ms|s|m)/.exec(text);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  if (!requests || !rps) throw new Error(`unrecognised wrk output:\n${text}`);
  return {
    requests: Number(requests[1]),
    wrkRps: Number(rps[1]),
    meanLatencyMs: latency ? Number(latency[1]) * UNIT_MS[latency[2]] : null,
    socketErrors: errors
      ? {
          connect: Number(errors[1]),
          read: Number(errors[2]),
          write: Number(errors[3]),
          timeout: Number(errors[4]),
        }
      : { connect: 0, read: 0, write: 0, timeout: 0 },
    non2xx: non2xx ? Number(non2xx[1]) : 0,
  };
}
