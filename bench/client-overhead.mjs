/**
 * Suite `client-overhead` (issue 2): how much the client itself costs and distorts.
 *
 * The mock runs in its own process; each client runs in its own child process against it,
 * streaming, closed loop, at each concurrency, with the same request count. From the mock's
 * ground-truth records we get throughput vs the closed-loop ideal and each client's TTFT/e2e
 * error; from the children, their CPU and peak RSS. On a shared machine only the side-by-side
 * comparison within one run means anything.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientProcess } from './lib/child-runner.mjs';
import { machineInfo } from './lib/machine.mjs';
import { startMockProcess } from './lib/mock-process.mjs';
import { closedLoopThroughput, mean, measurementErrors, percentile } from './lib/stats.mjs';
import { fixed, formatChecks, formatTable } from './lib/table.mjs';
import { warmUpMock } from './lib/warmup.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

const MOCK_FLAGS = ['--ttft-ms', '20', '--inter-token-ms', '5', '--reply-tokens', '32'];
const DATASET = here('../datasets/capacity.csv');
const MODEL = 'step-3.7-flash';
const CLIENTS = [
  { name: 'stepbench', script: here('./clients/stepbench-client.mjs') },
  { name: 'sdk', script: here('./clients/sdk-client.mjs') },
];

/** Issue 2's targets, as data so the table and the JSON say the same thing. */
const TARGETS = {
  idealRatioAtC256: 0.97,
  ttftMeanAbsErrorMsAtC64: 2,
};

export const defaultSettings = {
  concurrencies: [64, 256],
  // Requests per config = concurrency × rounds; a round is one server e2e (≈ 20 + 32×5 ms),
  // so 60 rounds is ≈ 11 s per config when the client keeps up.
  rounds: 60,
};

async function measureOne(mock, client, concurrency, requests, workDir) {
  const samplesPath = join(workDir, `${client.name}-c${concurrency}.samples.json`);
  const outDir = join(workDir, `${client.name}-c${concurrency}`);
  const mockCpuBefore = await mock.cpuMs();
  const child = await runClientProcess(client.script, {
    url: mock.url,
    concurrency,
    requests,
    dataset: DATASET,
    outDir,
    samplesPath,
    model: MODEL,
  });
  const mockCpuAfter = await mock.cpuMs();
  const stats = await mock.stats({ reset: true });
  const samples = JSON.parse(await readFile(samplesPath, 'utf8'));
  const records = stats.records.filter((r) => r.status === 200);
  const throughput = closedLoopThroughput(records, concurrency);
  const errors = measurementErrors(samples, records);
  // The first round pays for connection set-up and JIT in both processes; the steady-state
  // figure without it tells start-up cost apart from per-request measurement error.
  const firstRound = new Set(
    [...records]
      .sort((a, b) => a.receivedAt - b.receivedAt)
      .slice(0, concurrency)
      .map((r) => r.traceId),
  );
  const steady = measurementErrors(
    samples.filter((s) => !firstRound.has(s.traceId)),
    records,
  );
  return {
    client: client.name,
    concurrency,
    requestsPlanned: requests,
    requestsDone: child.requests,
    outcomes: child.outcomes,
    serverStatuses: stats.byStatus,
    serverMaxInFlight: stats.maxInFlight,
    ...throughput,
    client_wallMs: child.wallMs,
    cpuPercent: child.cpuPercent,
    cpuMsPerRequest: child.requests > 0 ? (child.cpuUserMs + child.cpuSystemMs) / child.requests : null,
    maxRssMB: child.maxRssMB,
    mockCpuPercent:
      mockCpuBefore === null || mockCpuAfter === null || throughput.windowMs === 0
        ? null
        : (100 * (mockCpuAfter - mockCpuBefore)) / throughput.windowMs,
    matched: errors.matched,
    unmatched: errors.unmatched,
    ttftAbsErrorMs: { mean: mean(errors.ttftAbsErrors), p99: percentile(errors.ttftAbsErrors, 99) },
    e2eAbsErrorMs: { mean: mean(errors.e2eAbsErrors), p99: percentile(errors.e2eAbsErrors, 99) },
    afterFirstRound: {
      ttftAbsErrorMs: { mean: mean(steady.ttftAbsErrors), p99: percentile(steady.ttftAbsErrors, 99) },
      e2eAbsErrorMs: { mean: mean(steady.e2eAbsErrors), p99: percentile(steady.e2eAbsErrors, 99) },
    },
  };
}

function verdicts(rows) {
  const find = (client, c) => rows.find((r) => r.client === client && r.concurrency === c);
  const out = [];
  const sb256 = find('stepbench', 256);
  if (sb256) {
    out.push({
      target: `stepbench achieved ≥ ${TARGETS.idealRatioAtC256 * 100} % of ideal at c256`,
      measured: `${fixed(sb256.ratio * 100)} %`,
      pass: sb256.ratio >= TARGETS.idealRatioAtC256,
    });
  }
  const sb64 = find('stepbench', 64);
  if (sb64) {
    out.push({
      target: `stepbench TTFT mean abs error ≤ ${TARGETS.ttftMeanAbsErrorMsAtC64} ms at c64`,
      measured: `${fixed(sb64.ttftAbsErrorMs.mean, 2)} ms (after the first round: ${fixed(sb64.afterFirstRound.ttftAbsErrorMs.mean, 2)} ms)`,
      pass: sb64.ttftAbsErrorMs.mean <= TARGETS.ttftMeanAbsErrorMsAtC64,
    });
  }
  for (const r of rows.filter((x) => x.client === 'stepbench')) {
    const sdk = find('sdk', r.concurrency);
    if (!sdk) continue;
    out.push({
      target: `stepbench CPU % < SDK loop CPU % at c${r.concurrency}`,
      measured: `${fixed(r.cpuPercent)} % vs ${fixed(sdk.cpuPercent)} %`,
      pass: r.cpuPercent < sdk.cpuPercent,
    });
    // CPU % over wall favours whichever client is slower; per request is the fair comparison.
    out.push({
      target: `stepbench CPU ms/request < SDK loop at c${r.concurrency}`,
      measured: `${fixed(r.cpuMsPerRequest, 3)} vs ${fixed(sdk.cpuMsPerRequest, 3)} ms`,
      pass: r.cpuMsPerRequest < sdk.cpuMsPerRequest,
    });
  }
  return out;
}

const COLUMNS = [
  { title: 'client', value: (r) => r.client, align: 'left' },
  { title: 'conc', value: (r) => r.concurrency },
  { title: 'done', value: (r) => r.requestsDone },
  { title: 'req/s', value: (r) => fixed(r.achievedRps) },
  { title: 'ideal req/s', value: (r) => fixed(r.idealRps) },
  { title: '% ideal', value: (r) => fixed(r.ratio * 100) },
  { title: 'CPU %', value: (r) => fixed(r.cpuPercent) },
  { title: 'CPU ms/req', value: (r) => fixed(r.cpuMsPerRequest, 3) },
  { title: 'RSS MB', value: (r) => fixed(r.maxRssMB, 0) },
  { title: 'mock CPU %', value: (r) => fixed(r.mockCpuPercent, 0) },
  {
    title: 'TTFT err mean/p99 ms',
    value: (r) => `${fixed(r.ttftAbsErrorMs.mean, 2)} / ${fixed(r.ttftAbsErrorMs.p99, 2)}`,
  },
  {
    title: 'e2e err mean/p99 ms',
    value: (r) => `${fixed(r.e2eAbsErrorMs.mean, 2)} / ${fixed(r.e2eAbsErrorMs.p99, 2)}`,
  },
  { title: 'unmatched', value: (r) => r.unmatched },
];

export default {
  name: 'client-overhead',
  describe: 'stepbench vs an openai-SDK loop against the mock in its own process (issue 2)',
  reportFile: 'issue2.json',
  async run({ log, settings = defaultSettings }) {
    const machine = machineInfo();
    const startedAt = new Date().toISOString();
    const workDir = await mkdtemp(join(tmpdir(), 'stepbench-bench-'));
    const mock = await startMockProcess(MOCK_FLAGS);
    const rows = [];
    try {
      log(`mock ${MOCK_FLAGS.join(' ')} at ${mock.url} (pid ${mock.pid}); warming up`);
      await warmUpMock(mock.url, { model: MODEL });
      await mock.stats({ reset: true });
      for (const concurrency of settings.concurrencies) {
        const requests = concurrency * settings.rounds;
        for (const client of CLIENTS) {
          log(`${client.name} c${concurrency}: ${requests} requests …`);
          const row = await measureOne(mock, client, concurrency, requests, workDir);
          log(
            `  ${fixed(row.achievedRps)} req/s (${fixed(row.ratio * 100)} % of ideal), CPU ${fixed(row.cpuPercent)} %`,
          );
          rows.push(row);
        }
      }
    } finally {
      await mock.stop();
      await rm(workDir, { recursive: true, force: true });
    }
    const checks = verdicts(rows);
    const text = [formatTable(rows, COLUMNS), '', formatChecks(checks, 2)].join('\n');
    return {
      text,
      report: {
        suite: 'client-overhead',
        startedAt,
        machine,
        // Other work on a shared machine shows here: compare with machine.loadAverage1m at the start.
        loadAverage1mAtEnd: loadavg()[0],
        mock: { flags: MOCK_FLAGS, model: MODEL },
        dataset: 'datasets/capacity.csv',
        settings,
        targets: TARGETS,
        results: rows,
        checks,
      },
    };
  },
};
