/**
 * Suite `wire-load` (issue 8): stepbench under load next to wrk and the openai-SDK loop, against
 * the project's mock and against the independent server (bench/servers/independent-sse.mjs, no
 * code shared with src/), each in its own process.
 *
 * For each server and concurrency, one after the other on the same server process: wrk (when
 * installed; the C reference, no SSE parsing), stepbench's library run() in a child process, and
 * the SDK + p-queue loop in a child process. Throughput is read from the server's own records of
 * completed requests over its active window, so every client is timed the same way; TTFT and e2e
 * errors come from matching each client's samples with the server's records by trace id.
 * Ratios within one batch are the figures; absolute rates depend on the machine's other work.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientProcess } from './lib/child-runner.mjs';
import { startIndependentServer } from './lib/independent-process.mjs';
import { machineInfo } from './lib/machine.mjs';
import { processCpuMs, startMockProcess } from './lib/mock-process.mjs';
import { closedLoopThroughput, mean, measurementErrors, percentile } from './lib/stats.mjs';
import { fixed, formatChecks, formatTable } from './lib/table.mjs';
import { warmUpMock } from './lib/warmup.mjs';
import { findWrk, runWrk, writeWrkScript } from './lib/wrk.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

const DATASET = here('../datasets/capacity.csv');
const MODEL = 'step-3.7-flash';
/** Server settings shared by both servers: 20 ms TTFT, 5 ms per token, 32 tokens (e2e ≈ 175 ms). */
const SHAPE = { ttftMs: 20, msPerToken: 5, tokens: 32 };
const MOCK_FLAGS = ['--ttft-ms', '20', '--inter-token-ms', '5', '--reply-tokens', '32'];
const SERVER_E2E_S = (SHAPE.ttftMs + (SHAPE.tokens - 1) * SHAPE.msPerToken) / 1000;

const CLIENTS = [
  { name: 'stepbench', script: here('./clients/stepbench-client.mjs') },
  { name: 'sdk', script: here('./clients/sdk-client.mjs') },
];

/** Issue 8's targets, as data so the table and the JSON say the same thing. */
export const TARGETS = {
  wrkRatio: 0.97,
  cpuMsPerRequest: 0.7,
  meanAbsErrorMs: { 64: 2, 256: 5 },
  shareOfSdkError: 0.1,
};

export const defaultSettings = {
  servers: ['mock', 'independent'],
  concurrencies: [64, 256],
  // Requests per config = concurrency × rounds (≈ rounds × 0.18 s when the client keeps up).
  rounds: 60,
};

/**
 * Requests the server finished: a 200 that ran to its end. Left out: requests still open when the
 * records were read, and those the client closed early (wrk stops mid-stream at its deadline).
 */
function completed(records, closedEarly) {
  return records.filter((r) => r.status === 200 && typeof r.endAt === 'number' && !closedEarly(r));
}

async function startServer(kind) {
  if (kind === 'mock') {
    const mock = await startMockProcess(MOCK_FLAGS);
    return {
      kind,
      url: mock.url,
      pid: mock.pid,
      records: async () => completed((await mock.stats({ reset: true })).records, (r) => r.clientClosed),
      stop: () => mock.stop(),
    };
  }
  const server = await startIndependentServer(SHAPE);
  return {
    kind,
    url: server.url,
    pid: server.pid,
    records: async () => completed((await server.truth({ reset: true })).records, (r) => r.aborted),
    stop: () => server.stop(),
  };
}

function errorStats(errors) {
  return {
    matched: errors.matched,
    unmatched: errors.unmatched,
    ttftAbsErrorMs: { mean: mean(errors.ttftAbsErrors), p99: percentile(errors.ttftAbsErrors, 99) },
    e2eAbsErrorMs: { mean: mean(errors.e2eAbsErrors), p99: percentile(errors.e2eAbsErrors, 99) },
  };
}

async function measureClient(server, client, concurrency, requests, workDir) {
  const samplesPath = join(workDir, `${server.kind}-${client.name}-c${concurrency}.samples.json`);
  const cpuBefore = await processCpuMs(server.pid);
  const child = await runClientProcess(client.script, {
    url: server.url,
    concurrency,
    requests,
    dataset: DATASET,
    outDir: join(workDir, `${server.kind}-${client.name}-c${concurrency}`),
    samplesPath,
    model: MODEL,
  });
  const cpuAfter = await processCpuMs(server.pid);
  const records = await server.records();
  const samples = JSON.parse(await readFile(samplesPath, 'utf8'));
  const throughput = closedLoopThroughput(records, concurrency);
  return {
    server: server.kind,
    client: client.name,
    concurrency,
    requestsDone: child.requests,
    outcomes: child.outcomes,
    ...throughput,
    cpuPercent: child.cpuPercent,
    cpuMsPerRequest: child.requests > 0 ? (child.cpuUserMs + child.cpuSystemMs) / child.requests : null,
    maxRssMB: child.maxRssMB,
    serverCpuPercent: serverCpu(cpuBefore, cpuAfter, throughput.windowMs),
    ...errorStats(measurementErrors(samples, records)),
  };
}

async function measureWrk(server, concurrency, seconds, script) {
  const cpuBefore = await processCpuMs(server.pid);
  const wrk = await runWrk({
    url: `${server.url}/chat/completions`,
    script,
    connections: concurrency,
    seconds,
  });
  const cpuAfter = await processCpuMs(server.pid);
  const records = await server.records();
  const throughput = closedLoopThroughput(records, concurrency);
  return {
    server: server.kind,
    client: 'wrk',
    concurrency,
    requestsDone: wrk.requests,
    ...throughput,
    wrkRps: wrk.wrkRps,
    wrkMeanLatencyMs: wrk.meanLatencyMs,
    socketErrors: wrk.socketErrors,
    non2xx: wrk.non2xx,
    serverCpuPercent: serverCpu(cpuBefore, cpuAfter, throughput.windowMs),
  };
}

function serverCpu(before, after, windowMs) {
  return before === null || after === null || windowMs === 0 ? null : (100 * (after - before)) / windowMs;
}

function verdicts(rows, wrkVersion) {
  const find = (server, client, c) =>
    rows.find((r) => r.server === server && r.client === client && r.concurrency === c);
  const out = [];
  for (const r of rows.filter((x) => x.client === 'stepbench')) {
    const at = `${r.server} c${r.concurrency}`;
    const wrk = find(r.server, 'wrk', r.concurrency);
    if (wrk) {
      r.wrkRatio = r.achievedRps / wrk.achievedRps;
      out.push({
        target: `${at}: req/s ≥ ${TARGETS.wrkRatio} × wrk's`,
        measured: `${fixed(r.achievedRps)} vs ${fixed(wrk.achievedRps)} req/s = ${fixed(r.wrkRatio, 3)} ×`,
        pass: r.wrkRatio >= TARGETS.wrkRatio,
      });
    } else if (!wrkVersion) {
      out.push({
        target: `${at}: req/s ≥ ${TARGETS.wrkRatio} × wrk's`,
        measured: 'wrk not installed: skipped',
        pass: null,
      });
    }
    out.push({
      target: `${at}: client CPU ≤ ${TARGETS.cpuMsPerRequest} ms per streamed request`,
      measured: `${fixed(r.cpuMsPerRequest, 3)} ms`,
      pass: r.cpuMsPerRequest <= TARGETS.cpuMsPerRequest,
    });
    const limit = TARGETS.meanAbsErrorMs[r.concurrency];
    const sdk = find(r.server, 'sdk', r.concurrency);
    for (const metric of ['ttft', 'e2e']) {
      const own = r[`${metric}AbsErrorMs`].mean;
      if (limit !== undefined) {
        out.push({
          target: `${at}: ${metric} mean abs error ≤ ${limit} ms`,
          measured: `${fixed(own, 2)} ms`,
          pass: own <= limit,
        });
      }
      if (sdk) {
        const theirs = sdk[`${metric}AbsErrorMs`].mean;
        out.push({
          target: `${at}: ${metric} error ≤ ${TARGETS.shareOfSdkError} × the SDK loop's`,
          measured: `${fixed(own, 2)} vs ${fixed(theirs, 2)} ms = ${fixed(own / theirs, 3)} ×`,
          pass: own <= TARGETS.shareOfSdkError * theirs,
        });
      }
    }
  }
  return out;
}

const COLUMNS = [
  { title: 'server', value: (r) => r.server, align: 'left' },
  { title: 'client', value: (r) => r.client, align: 'left' },
  { title: 'conc', value: (r) => r.concurrency },
  { title: 'done', value: (r) => r.requestsDone },
  { title: 'req/s', value: (r) => fixed(r.achievedRps) },
  { title: '× wrk', value: (r) => (r.wrkRatio === undefined ? '' : fixed(r.wrkRatio, 3)) },
  { title: '% ideal', value: (r) => fixed(r.ratio * 100) },
  { title: 'CPU %', value: (r) => fixed(r.cpuPercent) },
  { title: 'CPU ms/req', value: (r) => fixed(r.cpuMsPerRequest, 3) },
  { title: 'RSS MB', value: (r) => fixed(r.maxRssMB, 0) },
  { title: 'server CPU %', value: (r) => fixed(r.serverCpuPercent, 0) },
  {
    title: 'TTFT err mean/p99 ms',
    value: (r) =>
      r.ttftAbsErrorMs ? `${fixed(r.ttftAbsErrorMs.mean, 2)} / ${fixed(r.ttftAbsErrorMs.p99, 2)}` : '',
  },
  {
    title: 'e2e err mean/p99 ms',
    value: (r) =>
      r.e2eAbsErrorMs ? `${fixed(r.e2eAbsErrorMs.mean, 2)} / ${fixed(r.e2eAbsErrorMs.p99, 2)}` : '',
  },
  { title: 'unmatched', value: (r) => r.unmatched ?? '' },
];

export default {
  name: 'wire-load',
  describe: 'stepbench vs wrk and the openai-SDK loop at c64/c256, mock and independent server (issue 8)',
  reportFile: 'issue8-wire-load.json',
  async run({ log, settings = defaultSettings }) {
    const machine = machineInfo();
    const startedAt = new Date().toISOString();
    const wrkVersion = await findWrk();
    if (!wrkVersion)
      log('wrk is not installed (Debian: apt-get install wrk): its rows and ratios are skipped');
    const workDir = await mkdtemp(join(tmpdir(), 'stepbench-wire-load-'));
    const script = await writeWrkScript(workDir, { model: MODEL, maxTokens: SHAPE.tokens });
    const rows = [];
    try {
      for (const kind of settings.servers) {
        const server = await startServer(kind);
        try {
          log(`${kind} server at ${server.url} (pid ${server.pid}); warming up`);
          await warmUpMock(server.url, { model: MODEL });
          await server.records();
          for (const concurrency of settings.concurrencies) {
            const requests = concurrency * settings.rounds;
            if (wrkVersion) {
              const seconds = Math.max(3, Math.round(settings.rounds * SERVER_E2E_S));
              log(`${kind} wrk c${concurrency}: ${seconds} s …`);
              rows.push(await measureWrk(server, concurrency, seconds, script));
            }
            for (const client of CLIENTS) {
              log(`${kind} ${client.name} c${concurrency}: ${requests} requests …`);
              const row = await measureClient(server, client, concurrency, requests, workDir);
              log(`  ${fixed(row.achievedRps)} req/s, CPU ${fixed(row.cpuMsPerRequest, 3)} ms/req`);
              rows.push(row);
            }
          }
        } finally {
          await server.stop();
        }
      }
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    const checks = verdicts(rows, wrkVersion);
    const text = [
      `wrk: ${wrkVersion ?? 'not installed'}; load average at the end ${loadavg()
        .map((l) => fixed(l, 2))
        .join(' ')}`,
      '',
      formatTable(rows, COLUMNS),
      '',
      formatChecks(checks, 8),
    ].join('\n');
    return {
      text,
      report: {
        suite: 'wire-load',
        startedAt,
        machine,
        loadAverageAtEnd: loadavg(),
        wrk: wrkVersion,
        serverShape: SHAPE,
        mockFlags: MOCK_FLAGS,
        dataset: 'datasets/capacity.csv',
        settings,
        targets: TARGETS,
        results: rows,
        checks,
      },
    };
  },
};
