/**
 * Bench child for the `capacity-search` suite: one stepbench `capacity()` search against a mock
 * with known limits, then one JSON line with the answer, each step's load and timing (run-relative
 * ms, so the parent can tell the steps apart in the mock's records) and the search's wall time.
 *
 * argv[2]: JSON { url, dataset, outDir, capacity: { by, start, max, stepDuration, stepRequests,
 *                 stepCooldown } } (the capacity() settings, as a config file spells them)
 */
import { capacity } from '../../dist/capacity/run-capacity.js';
import { processCost } from '../lib/child-runner.mjs';

const config = JSON.parse(process.argv[2]);

const cpuBefore = process.cpuUsage();
const t0 = performance.now();
const steps = [];
const outcome = await capacity(
  {
    datasets: [config.dataset],
    baseUrl: config.url,
    env: { STEP_API_KEY: 'bench' },
    out: config.outDir,
    // Rounds of a suite reuse a scenario's folder: each round replaces the last.
    overwrite: true,
    ...config.capacity,
  },
  {
    onStep: ({ load, step }) => steps.push({ step, load, startedAtMs: performance.now() - t0 }),
    onMeasured: (m) => {
      const last = steps[steps.length - 1];
      if (last) last.endedAtMs = performance.now() - t0;
      if (last) last.measured = m;
    },
  },
);
const cost = processCost(cpuBefore, performance.now() - t0);

const { answer } = outcome;
const point = (p) =>
  p && {
    load: p.load,
    requests: p.requests,
    completed: p.completed,
    rateLimited: p.rateLimited,
    rateLimitedShare: p.rateLimitedShare,
    errors: p.errors,
    durationMs: p.durationMs,
    throughputRps: p.throughputRps,
    rpm: p.rpm,
    tpm: p.tpm,
    e2eMs: p.latencyMs.e2e,
    verdict: p.verdict,
  };
console.log(
  JSON.stringify({
    client: 'stepbench capacity',
    exitCode: outcome.exitCode,
    answer: {
      dimension: answer.dimension,
      sustainable: point(answer.sustainable),
      limit: point(answer.limit),
      stoppedBecause: answer.stoppedBecause,
      rateLimitOnset: answer.rateLimitOnset,
      saturation: answer.saturation,
      steps: answer.steps,
      curve: answer.curve.map(point),
    },
    stepsInOrder: steps.map(({ step, load, startedAtMs, endedAtMs, measured }) => ({
      step,
      load,
      startedAtMs,
      endedAtMs,
      requests: measured?.requests ?? null,
      rateLimited: measured?.rateLimited ?? null,
    })),
    ...cost,
  }),
);
