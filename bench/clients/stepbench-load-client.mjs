/**
 * Bench child for the issue-4 load suites (`open-loop`, `many-streams`): one stepbench library
 * `run()` with the load options it is given, then one JSON line with what the report says about
 * the client's own health (phases, event-loop delay, dispatch lag, CPU) and the process cost.
 * Histograms and per-row results stay on disk: the parent needs figures, not payloads, and the
 * mock's records are its ground truth.
 *
 * argv[2]: JSON { url, dataset, outDir, run: { …RunOptions load fields: rate, arrival,
 *                 duration, concurrency, requests, warmup, adaptive, retries, … } } (run() settings)
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { run } from '../../dist/index.js';
import { processCost } from '../lib/child-runner.mjs';
import { percentile } from '../lib/stats.mjs';

const config = JSON.parse(process.argv[2]);

// Peak RSS from the kernel is for the whole life of the process; sampling it while the run is
// under way also shows when the peak came (start-up vs holding thousands of streams).
let peakSampledRssMB = 0;
const rssSampler = setInterval(() => {
  peakSampledRssMB = Math.max(peakSampledRssMB, process.memoryUsage.rss() / 2 ** 20);
}, 250);
rssSampler.unref();

const cpuBefore = process.cpuUsage();
const t0 = performance.now();
const outcome = await run({
  datasets: [config.dataset],
  baseUrl: config.url,
  env: { STEP_API_KEY: 'bench' },
  out: config.outDir,
  // Rounds of a suite reuse a scenario's folder: each round replaces the last.
  overwrite: true,
  ...config.run,
});
const cost = processCost(cpuBefore, performance.now() - t0);
clearInterval(rssSampler);

// report.health's dispatch lag covers the whole session, warmup included. In an open loop with
// adaptive concurrency off and a cap far above what is in flight, `queue` (scheduledAt →
// dispatchedAt) is the same lag plus the limiter's bookkeeping, and each result names its
// phase: so the main phase's lag alone comes from results.jsonl.
const queueByPhase = new Map();
const lines = createInterface({ input: createReadStream(outcome.resultsPath, 'utf8') });
for await (const line of lines) {
  if (line.trim() === '') continue;
  const r = JSON.parse(line);
  const phase = r.phase ?? 'main';
  if (!queueByPhase.has(phase)) queueByPhase.set(phase, []);
  queueByPhase.get(phase).push(r.durations.queue);
}
const queueMs = Object.fromEntries(
  [...queueByPhase].map(([phase, q]) => [
    phase,
    { count: q.length, p50: percentile(q, 50), p99: percentile(q, 99), max: percentile(q, 100) },
  ]),
);

const report = outcome.report;
const summary = report.targets[0]?.summary ?? null;
const pickLatency = (p) =>
  p ? { count: p.count, p50: p.p50, p90: p.p90, p99: p.p99, max: p.max, mean: p.mean } : null;

console.log(
  JSON.stringify({
    client: 'stepbench',
    exitCode: outcome.exitCode,
    aborted: report.aborted ?? null,
    phases: (report.phases ?? []).map((p) => ({
      name: p.name,
      warmup: p.warmup,
      load: p.load,
      startedAtMs: p.startedAtMs,
      endedAtMs: p.endedAtMs,
      schedule: p.schedule,
      requests: p.targets[0]?.summary?.requests ?? null,
      outcomes: p.targets[0]?.summary?.outcomes ?? null,
    })),
    health: report.health ?? null,
    summary: summary && {
      requests: summary.requests,
      completed: summary.completed,
      outcomes: summary.outcomes,
      throughput: summary.throughput,
      latency: { ttft: pickLatency(summary.latency.ttft), e2e: pickLatency(summary.latency.e2e) },
      queue: pickLatency(summary.latency.queue),
    },
    queueMsByPhase: queueMs,
    peakSampledRssMB,
    ...cost,
  }),
);
