/**
 * Suite `capacity-search` (issue 4): how close does `stepbench capacity` get to limits we know,
 * and how long does the search take?
 *
 * A fresh mock (own process) per search enforces 48 concurrent requests and 1,200 RPM. The RPM
 * window is shortened to 10 s (200 requests per 10 s: the same per-minute rate) so a step of 10 s
 * followed by a 10-s pause sees an empty window, instead of a minute of each. Replies take ≈ 1 s,
 * so the RPM limit binds at ≈ 20 slots, well before the concurrency limit. The search runs in a
 * child process, once by concurrency (closed loop) and once by rate (open loop). The expected
 * answers are worked out from the limits and the per-slot cycle measured from the mock's records
 * (see `expectedCapacity` in bench/lib/load-stats.mjs).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientProcess } from './lib/child-runner.mjs';
import { closedLoopCycleMs, expectedCapacity, serverE2e, splitByIdleGaps } from './lib/load-stats.mjs';
import { machineInfo } from './lib/machine.mjs';
import { startMockProcess } from './lib/mock-process.mjs';
import { fixed, formatTable } from './lib/table.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

const LIMITS = { maxConcurrency: 48, rpm: 1200, windowMs: 10_000 };
/** 200 ms to the first token, then 33 tokens 25 ms apart: 200 + 32 × 25 = 1,000 ms. */
const REPLY_FLAGS = ['--ttft-ms', '200', '--inter-token-ms', '25', '--reply-tokens', '33'];
const MOCK_FLAGS = [
  ...REPLY_FLAGS,
  '--max-concurrency',
  String(LIMITS.maxConcurrency),
  '--rpm',
  String(LIMITS.rpm),
  '--rate-window-ms',
  String(LIMITS.windowMs),
];
const DATASET = here('../datasets/capacity.csv');
const CLIENT = here('./clients/stepbench-capacity-client.mjs');

export const defaultSettings = {
  searches: [
    { by: 'concurrency', start: 4, max: 64 },
    { by: 'rate', start: 4, max: 40 },
  ],
  stepDurationMs: 10_000,
  /** One RPM window: the next step starts on an empty window. */
  stepCooldownMs: 10_000,
  /** High enough that the duration, not the count, ends a step (a 429 step spins fast). */
  stepRequests: 5_000,
  childTimeoutMs: 300_000,
};

async function searchOnce(search, settings, workDir) {
  const mock = await startMockProcess(MOCK_FLAGS);
  try {
    const started = performance.now();
    const child = await runClientProcess(
      CLIENT,
      {
        url: mock.url,
        dataset: DATASET,
        outDir: join(workDir, search.by),
        capacity: {
          by: search.by,
          start: search.start,
          max: search.max,
          stepDuration: `${settings.stepDurationMs}ms`,
          stepCooldown: `${settings.stepCooldownMs}ms`,
          stepRequests: settings.stepRequests,
        },
      },
      { timeoutMs: settings.childTimeoutMs },
    );
    const wallMs = performance.now() - started;
    const stats = await mock.stats();
    // Steps are separated by the cooldown; half of it tells them apart from any gap inside a step.
    const bursts = splitByIdleGaps(stats.records, settings.stepCooldownMs / 2);
    const steps = child.stepsInOrder.map((s, i) => {
      const records = bursts[i] ?? [];
      const limited = records.filter((r) => r.status === 429);
      const cleanClosedLoop = search.by === 'concurrency' && limited.length === 0;
      return {
        ...s,
        mockRequests: records.length,
        mock429: limited.length,
        mock429ByLimit: countBy(limited, (r) => r.limitedBy ?? 'unknown'),
        serverE2eMeanMs: serverE2e(records).mean,
        cycleMs: cleanClosedLoop ? closedLoopCycleMs(records, s.load) : Number.NaN,
      };
    });
    return {
      by: search.by,
      start: search.start,
      max: search.max,
      wallMs,
      childCpuPercent: child.cpuPercent,
      answer: child.answer,
      steps,
      burstsMatchSteps: bursts.length === child.stepsInOrder.length,
      mockStatuses: stats.byStatus,
      mockRateLimited: stats.rateLimited,
      serverE2e: serverE2e(stats.records),
    };
  } finally {
    await mock.stop();
  }
}

function countBy(items, key) {
  const out = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** The per-slot cycle: mean over clean closed-loop steps with enough slots to average over. */
function measuredCycleMs(results) {
  const cycles = results
    .flatMap((r) => r.steps)
    .filter((s) => Number.isFinite(s.cycleMs) && s.load >= 4)
    .map((s) => s.cycleMs);
  return cycles.length > 0 ? cycles.reduce((a, b) => a + b, 0) / cycles.length : Number.NaN;
}

const STEP_COLUMNS = [
  { title: 'search', value: (s) => s.by, align: 'left' },
  { title: 'step', value: (s) => s.step },
  { title: 'load', value: (s) => s.load },
  { title: 'requests', value: (s) => s.requests },
  { title: '429 (mock)', value: (s) => s.mock429 },
  { title: 'verdict', value: (s) => s.verdict ?? '–', align: 'left' },
  { title: 'server e2e ms', value: (s) => fixed(s.serverE2eMeanMs, 0) },
  { title: 'cycle ms', value: (s) => fixed(s.cycleMs, 1) },
  { title: 'ended at s', value: (s) => fixed(s.endedAtMs / 1000, 1) },
];

const ANSWER_COLUMNS = [
  { title: 'search', value: (r) => r.by, align: 'left' },
  { title: 'expected', value: (r) => r.expected },
  { title: 'sustainable', value: (r) => r.answer.sustainable?.load ?? '–' },
  { title: 'rpm there', value: (r) => fixed(r.answer.sustainable?.rpm, 0) },
  { title: '429 onset', value: (r) => r.answer.rateLimitOnset?.load ?? '–' },
  { title: 'steps', value: (r) => r.answer.steps },
  { title: 'wall s', value: (r) => fixed(r.wallMs / 1000, 1) },
  { title: 'stopped because', value: (r) => r.answer.stoppedBecause, align: 'left' },
];

export default {
  name: 'capacity-search',
  describe: 'capacity search against a mock with known limits (48 concurrent, 1,200 RPM) (issue 4)',
  reportFile: 'issue4-capacity-search.json',
  async run({ log, settings = defaultSettings }) {
    const machine = machineInfo();
    const startedAt = new Date().toISOString();
    const workDir = await mkdtemp(join(tmpdir(), 'stepbench-bench-'));
    const results = [];
    try {
      for (const search of settings.searches) {
        log(
          `capacity by ${search.by} from ${search.start} (max ${search.max}) against ${MOCK_FLAGS.join(' ')} …`,
        );
        const result = await searchOnce(search, settings, workDir);
        log(
          `  sustainable ${result.answer.sustainable?.load ?? 'none'} after ${result.answer.steps} steps, ${fixed(result.wallMs / 1000, 1)} s`,
        );
        results.push(result);
      }
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    const cycleMs = measuredCycleMs(results);
    const expected = expectedCapacity({ ...LIMITS, cycleMs, stepMs: settings.stepDurationMs });
    for (const r of results) {
      r.expected = r.by === 'concurrency' ? expected.concurrency : expected.rate;
      // The verdict of each step, from the answer's curve (sorted by load).
      for (const s of r.steps) s.verdict = r.answer.curve.find((p) => p.load === s.load)?.verdict.kind;
    }
    const text = [
      formatTable(results, ANSWER_COLUMNS),
      '',
      `expected from the limits and the measured slot cycle of ${fixed(cycleMs, 1)} ms: ` +
        `rate ${fixed(expected.rate, 2)} req/s; concurrency ${expected.concurrency} ` +
        `(${expected.requestsPerSlotPerStep} requests per slot per ${settings.stepDurationMs / 1000}-s step into a quota of ${expected.quotaPerWindow}; ` +
        `a long step would sustain ${fixed(expected.steadyConcurrency, 2)}); binding limit: ${expected.bindingLimit}`,
      '',
      formatTable(
        results.flatMap((r) => r.steps.map((s) => ({ ...s, by: r.by }))),
        STEP_COLUMNS,
      ),
    ].join('\n');
    return {
      text,
      report: {
        suite: 'capacity-search',
        startedAt,
        machine,
        loadAverage1mAtEnd: loadavg()[0],
        mock: { flags: MOCK_FLAGS, limits: LIMITS },
        dataset: 'datasets/capacity.csv',
        settings,
        measuredCycleMs: cycleMs,
        expected,
        results,
      },
    };
  },
};
