/**
 * Suite `many-streams` (issue 4): how many concurrent streams one stepbench process sustains.
 *
 * The mock runs in its own process with slow replies (≈ 2 s each, streamed in 30 chunks), so
 * holding N streams open is the work, not the request rate. stepbench's library `run()` runs in a
 * child process, closed loop at N with adaptive concurrency and retries off, for about three
 * rounds (3 × N requests). Throughput and its ideal come from the mock's records; event-loop
 * delay from the report's health; peak RSS from the child. The mock's own CPU is measured too,
 * because at thousands of streams it may be the bottleneck rather than the client.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientProcess } from './lib/child-runner.mjs';
import { middleThirdInFlight, serverE2e } from './lib/load-stats.mjs';
import { machineInfo } from './lib/machine.mjs';
import { startMockProcess } from './lib/mock-process.mjs';
import { peakRssMB } from './lib/proc.mjs';
import { closedLoopThroughput } from './lib/stats.mjs';
import { fixed, formatTable } from './lib/table.mjs';
import { warmUpMock } from './lib/warmup.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

/** 500 ms to the first token, then 30 tokens 50 ms apart: 500 + 29 × 50 = 1,950 ms nominal. */
const MOCK_FLAGS = ['--ttft-ms', '500', '--inter-token-ms', '50', '--reply-tokens', '30'];
const NOMINAL_E2E_MS = 500 + 29 * 50;
const DATASET = here('../datasets/capacity.csv');
const MODEL = 'step-3.7-flash';
const CLIENT = here('./clients/stepbench-load-client.mjs');

export const defaultSettings = {
  concurrencies: [1000, 2000, 4000],
  /** Requests per config = replyRounds × concurrency (not named `rounds`, so `--rounds` for the
   * other suites does not lengthen this one); a round is one ≈ 2-s reply per slot. */
  replyRounds: 3,
  /** Bound on one config's child process; three rounds take ≈ 6 s when the client keeps up. */
  childTimeoutMs: 120_000,
};

async function measureOne(mock, concurrency, settings, workDir) {
  const requests = concurrency * settings.replyRounds;
  const mockCpuBefore = await mock.cpuMs();
  const child = await runClientProcess(
    CLIENT,
    {
      url: mock.url,
      dataset: DATASET,
      outDir: join(workDir, `c${concurrency}`),
      run: { concurrency, requests, adaptive: false, retries: 0 },
    },
    { timeoutMs: settings.childTimeoutMs },
  );
  const mockCpuAfter = await mock.cpuMs();
  const stats = await mock.stats({ reset: true });
  const ok = stats.records.filter((r) => r.status === 200);
  const throughput = closedLoopThroughput(ok, concurrency);
  const e2e = serverE2e(stats.records);
  // Three rounds are short: opening N connections at the start and the drain at the end weigh on
  // the whole-run ratio. The middle third shows how full the slots were once running.
  const steady = middleThirdInFlight(ok);
  const outcomes = child.summary?.outcomes ?? {};
  const errors = Object.entries(outcomes)
    .filter(([k, v]) => k !== 'ok' && v > 0)
    .reduce((n, [, v]) => n + v, 0);
  return {
    concurrency,
    requestsPlanned: requests,
    requestsDone: child.summary?.requests ?? null,
    ok: outcomes.ok ?? 0,
    errors,
    outcomes,
    serverStatuses: stats.byStatus,
    serverMaxInFlight: stats.maxInFlight,
    ...throughput,
    serverE2eMs: e2e,
    steadyMeanInFlight: steady.mean,
    steadyShare: steady.mean / concurrency,
    nominalIdealRps: concurrency / (NOMINAL_E2E_MS / 1000),
    eventLoopDelayMs: child.health?.eventLoopDelayMs ?? null,
    healthWarnings: child.health?.warnings ?? [],
    clientE2eMs: child.summary?.latency.e2e ?? null,
    clientTtftMs: child.summary?.latency.ttft ?? null,
    clientWallMs: child.wallMs,
    clientCpuPercent: child.cpuPercent,
    maxRssMB: child.maxRssMB,
    peakSampledRssMB: child.peakSampledRssMB,
    mockCpuPercent:
      mockCpuBefore === null || mockCpuAfter === null || throughput.windowMs === 0
        ? null
        : (100 * (mockCpuAfter - mockCpuBefore)) / throughput.windowMs,
    exitCode: child.exitCode,
  };
}

const COLUMNS = [
  { title: 'conc', value: (r) => r.concurrency },
  { title: 'ok', value: (r) => r.ok },
  { title: 'errors', value: (r) => r.errors },
  { title: 'mock max in flight', value: (r) => r.serverMaxInFlight },
  { title: 'server e2e mean ms', value: (r) => fixed(r.serverE2eMs.mean, 0) },
  { title: 'req/s', value: (r) => fixed(r.achievedRps) },
  { title: 'ideal req/s', value: (r) => fixed(r.idealRps) },
  { title: '% ideal', value: (r) => fixed(r.ratio * 100) },
  { title: '% nominal', value: (r) => fixed((r.achievedRps / r.nominalIdealRps) * 100) },
  { title: '% slots busy (mid third)', value: (r) => fixed(r.steadyShare * 100) },
  {
    title: 'loop p99/max ms',
    value: (r) => `${fixed(r.eventLoopDelayMs?.p99, 1)} / ${fixed(r.eventLoopDelayMs?.max, 1)}`,
  },
  { title: 'CPU %', value: (r) => fixed(r.clientCpuPercent) },
  { title: 'RSS MB', value: (r) => fixed(r.maxRssMB, 0) },
  { title: 'mock CPU %', value: (r) => fixed(r.mockCpuPercent, 0) },
];

export default {
  name: 'many-streams',
  describe: 'concurrent streams one process sustains (1,000–4,000) against 2-s replies (issue 4)',
  reportFile: 'issue4-many-streams.json',
  async run({ log, settings = defaultSettings }) {
    const machine = machineInfo();
    const startedAt = new Date().toISOString();
    const workDir = await mkdtemp(join(tmpdir(), 'stepbench-bench-'));
    const mock = await startMockProcess(MOCK_FLAGS);
    const rows = [];
    let mockPeakRssMB = null;
    try {
      log(`mock ${MOCK_FLAGS.join(' ')} at ${mock.url} (pid ${mock.pid}); warming up`);
      await warmUpMock(mock.url, { model: MODEL, requests: 64, concurrency: 64 });
      await mock.stats({ reset: true });
      for (const concurrency of settings.concurrencies) {
        log(`c${concurrency}: ${concurrency * settings.replyRounds} requests …`);
        const row = await measureOne(mock, concurrency, settings, workDir);
        log(
          `  ${fixed(row.achievedRps)} req/s (${fixed(row.ratio * 100)} % of ideal), loop p99 ${fixed(row.eventLoopDelayMs?.p99, 1)} ms, mock CPU ${fixed(row.mockCpuPercent, 0)} %`,
        );
        rows.push(row);
      }
      mockPeakRssMB = await peakRssMB(mock.pid);
    } finally {
      await mock.stop();
      await rm(workDir, { recursive: true, force: true });
    }
    return {
      text: `${formatTable(rows, COLUMNS)}\n\nmock peak RSS over the suite: ${fixed(mockPeakRssMB, 0)} MB`,
      report: {
        suite: 'many-streams',
        startedAt,
        machine,
        loadAverage1mAtEnd: loadavg()[0],
        mock: { flags: MOCK_FLAGS, model: MODEL, nominalE2eMs: NOMINAL_E2E_MS, peakRssMB: mockPeakRssMB },
        dataset: 'datasets/capacity.csv',
        settings,
        results: rows,
      },
    };
  },
};
