/**
 * Bench child for the `rate-limit` suite: drives a rate-limited mock with stepbench's library
 * `run()` and prints, as one JSON line, what happened to every row plus the client's own view of
 * its limits (attempt totals, adaptive limit changes). The parent takes 429 counts and rates from
 * the mock's records, so this child only reports what the mock cannot see: rows and the limiter.
 *
 * argv[2]: JSON { url, concurrency, requests, dataset, outDir, adaptive?, retries? } (adaptive and
 * retries left out: the library's defaults)
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { run } from '../../dist/index.js';
import { processCost } from '../lib/child-runner.mjs';

const config = JSON.parse(process.argv[2]);

const cpuBefore = process.cpuUsage();
const t0 = performance.now();
const outcome = await run({
  datasets: [config.dataset],
  baseUrl: config.url,
  env: { STEP_API_KEY: 'bench' },
  concurrency: config.concurrency,
  requests: config.requests,
  out: config.outDir,
  // Rounds of a suite reuse a scenario's folder: each round replaces the last.
  overwrite: true,
  ...(config.adaptive === undefined ? {} : { adaptive: config.adaptive }),
  ...(config.retries === undefined ? {} : { retries: config.retries }),
});
const cost = processCost(cpuBefore, performance.now() - t0);

// A row counts as kept only when its final result is ok; anything else (a final 429 included)
// is a lost row, whatever the report's summary calls it.
const outcomes = {};
let rows = 0;
let maxAttemptsOnARow = 0;
// Every attempt the client made, as its rows record them: held against the mock's request count.
let attemptsRecorded = 0;
const lines = createInterface({ input: createReadStream(outcome.resultsPath, 'utf8') });
for await (const line of lines) {
  if (line.trim() === '') continue;
  const r = JSON.parse(line);
  rows++;
  outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  maxAttemptsOnARow = Math.max(maxAttemptsOnARow, r.attempts.length);
  attemptsRecorded += r.attempts.length;
}

const report = outcome.report;
const events = report.timeline?.events ?? [];
const limitChanges = events.filter((e) => e.kind === 'increase' || e.kind === 'decrease');
console.log(
  JSON.stringify({
    client: 'stepbench',
    adaptive: report.limits?.adaptive ?? config.adaptive ?? null,
    retries: report.limits?.retries ?? config.retries,
    rows,
    rowsOk: outcomes.ok ?? 0,
    // Jobs missing from results.jsonl are lost too, so count against what was asked for.
    rowsLost: config.requests - (outcomes.ok ?? 0),
    outcomes,
    maxAttemptsOnARow,
    attemptsRecorded,
    exitCode: outcome.exitCode,
    aborted: outcome.aborted ?? null,
    attempts: report.targets[0]?.summary?.attempts ?? null,
    finalConcurrency: report.limits?.finalConcurrency ?? null,
    limits: report.limits ?? null,
    limitChanges: limitChanges.length,
    // Run-relative ms of the last change of the adaptive limit: after it the limit stayed put.
    lastLimitChangeMs: limitChanges.length > 0 ? limitChanges[limitChanges.length - 1].atMs : null,
    limitEvents: events.map((e) => ({ atMs: Math.round(e.atMs), kind: e.kind, limit: e.limit ?? null })),
    ...cost,
  }),
);
