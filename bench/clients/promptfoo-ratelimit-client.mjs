/**
 * Bench child for the `rate-shapes` suite: promptfoo (a bench-only devDependency) as a user would
 * run it against an OpenAI-compatible server: its node API `evaluate()`, the `openai:chat`
 * provider pointed at the mock, `maxConcurrency` as the client concurrency, and its own rate-limit
 * handling left at the defaults (adaptive scheduler, retries, Retry-After). Non-streaming, as its
 * provider asks by default. Telemetry, update checks, the cache and result writing are off, and
 * its config dir is a temporary folder. Even so, 0.121 posts a "telemetry disabled" event to its
 * own server (src/telemetry.ts sendEvent → fetchWithProxy, which calls the global fetch), so this
 * child refuses every fetch that is not to a loopback address before importing it: nothing is
 * looked up or sent off the machine, and nothing is kept.
 *
 * A row is lost when its result has an error or no output. promptfoo does not say how many
 * attempts it made; the parent counts them from the mock's records.
 *
 * argv[2]: JSON { url, concurrency, requests, dataset, model, outDir }
 */
import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { processCost } from '../lib/child-runner.mjs';

const config = JSON.parse(process.argv[2]);

Object.assign(process.env, {
  PROMPTFOO_DISABLE_TELEMETRY: '1',
  PROMPTFOO_DISABLE_UPDATE: '1',
  PROMPTFOO_CACHE_ENABLED: 'false',
  PROMPTFOO_DISABLE_SHARING: '1',
  PROMPTFOO_CONFIG_DIR: join(config.outDir, 'promptfoo-home'),
  OPENAI_API_KEY: 'bench',
  LOG_LEVEL: 'error',
});
await mkdir(process.env.PROMPTFOO_CONFIG_DIR, { recursive: true });

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;
const realFetch = globalThis.fetch;
let refusedFetches = 0;
globalThis.fetch = (input, init) => {
  const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
  if (LOOPBACK.test(url.hostname)) return realFetch(input, init);
  refusedFetches++;
  return Promise.reject(new TypeError(`bench: no network; refused a fetch to ${url.hostname}`));
};
const importStarted = performance.now();
const { default: promptfoo } = await import('promptfoo');
const importMs = performance.now() - importStarted;

const prompts = [];
const parser = createReadStream(config.dataset).pipe(parse({ columns: true, bom: true }));
for await (const record of parser) prompts.push(record.prompt);
const tests = Array.from({ length: config.requests }, (_, i) => ({
  vars: { prompt: prompts[i % prompts.length] },
}));

const cpuBefore = process.cpuUsage();
const t0 = performance.now();
const evaluation = await promptfoo.evaluate(
  {
    prompts: ['{{prompt}}'],
    providers: [{ id: `openai:chat:${config.model}`, config: { apiBaseUrl: config.url, apiKey: 'bench' } }],
    tests,
    writeLatestResults: false,
  },
  { maxConcurrency: config.concurrency, showProgressBar: false, cache: false },
);
const summary = await evaluation.toEvaluateSummary();
const cost = processCost(cpuBefore, performance.now() - t0);

const outcomes = {};
for (const r of summary.results) {
  const outcome = r.error ? 'error' : r.response?.output ? 'ok' : 'no_output';
  outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
}
const errors = summary.results.filter((r) => r.error).map((r) => String(r.error).slice(0, 200));
console.log(
  JSON.stringify({
    client: 'promptfoo',
    rows: summary.results.length,
    rowsOk: outcomes.ok ?? 0,
    rowsLost: config.requests - (outcomes.ok ?? 0),
    outcomes,
    sampleErrors: [...new Set(errors)].slice(0, 3),
    importMs,
    // Requests promptfoo tried to send off the machine (telemetry), refused before any lookup.
    refusedFetches,
    ...cost,
  }),
);
// promptfoo may keep timers or sockets open; the JSON line above must stay the last one.
process.exit(0);
