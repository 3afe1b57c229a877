/**
 * Suite `cold-start` (issue 8): stepbench's TTFT and e2e against a server we did not write.
 *
 * The server is bench/servers/independent-sse.mjs in its own process: no code shared with src/,
 * headers sent together with the first token, one write per token, StepFun chunk shapes, and its
 * own record of every request on its own clock (`GET /_truth`). stepbench's library `run()` runs
 * in a fresh child process per run (bench/clients/stepbench-cold-client.mjs), as a user's first
 * run would; its results.jsonl is matched to the server's records by trace id.
 *
 * Cases:
 * - `warm c4`: 4 rows at concurrency 4, default client (preconnect + decoder warm-up before the
 *   clock starts), in a fresh process, repeated `coldRepeats` times;
 * - `no-preconnect c4`: the same with `preconnect: false` (a cold start measured on purpose);
 * - `warm c32`: 640 requests at concurrency 32 (`adaptive: false`, `retries: 0`), one process;
 * - `undici-floor` at c4 and c32: a plain undici client with the same preconnect and the same
 *   start of the clock, doing nothing else (bench/clients/undici-floor-client.mjs): the part of
 *   the error that is the machine and the HTTP path, which no client could remove.
 *
 * Errors are signed, client − server, ms. The client's clock starts when its headers are written
 * to the socket; the server's when its handler runs (headers parsed), and the server stamps the
 * first token when it calls write(). So the error holds the loopback both ways plus both sides'
 * parsing: small and positive. A value below about −0.5 ms would be a bug (a token seen before
 * it was written).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientProcess } from './lib/child-runner.mjs';
import { startIndependentServer } from './lib/independent-process.mjs';
import { machineInfo } from './lib/machine.mjs';
import { mean, percentile } from './lib/stats.mjs';
import { fixed, formatChecks, formatTable } from './lib/table.mjs';
import { warmUpMock } from './lib/warmup.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

const DATASET = here('../datasets/capacity.csv');
const CLIENT = here('./clients/stepbench-cold-client.mjs');
const FLOOR_CLIENT = here('./clients/undici-floor-client.mjs');

export const defaultSettings = {
  /** The independent server's timing: TTFT, ms between tokens, tokens per answer. */
  server: { ttftMs: 20, msPerToken: 5, tokens: 32 },
  /** Fresh processes per 4-row case. */
  coldRepeats: 5,
  coldRequests: 4,
  coldConcurrency: 4,
  loadRequests: 640,
  loadConcurrency: 32,
};

const stat = (xs) => ({
  n: xs.length,
  min: xs.length > 0 ? Math.min(...xs) : Number.NaN,
  median: percentile(xs, 50),
  mean: mean(xs),
  p99: percentile(xs, 99),
});

/**
 * Pairs result rows with the server's records by trace id. Returns the figures of one table row.
 * `rows` are results.jsonl lines (warmup rows already left out).
 */
export function compare(rows, records) {
  const byTrace = new Map(records.map((r) => [r.traceId, r]));
  const clientTtft = [];
  const serverTtft = [];
  const ttftErr = [];
  const clientE2e = [];
  const serverE2e = [];
  const e2eErr = [];
  let matched = 0;
  let withConnect = 0;
  for (const row of rows) {
    if (typeof row.durations?.connect === 'number') withConnect++;
    const rec = row.traceId === undefined ? undefined : byTrace.get(row.traceId);
    if (rec?.status !== 200 || rec.endAt === undefined) continue;
    matched++;
    if (typeof row.durations.ttft === 'number' && typeof rec.firstTokenAt === 'number') {
      const server = rec.firstTokenAt - rec.receivedAt;
      clientTtft.push(row.durations.ttft);
      serverTtft.push(server);
      ttftErr.push(row.durations.ttft - server);
    }
    const server = rec.endAt - rec.receivedAt;
    clientE2e.push(row.durations.e2e);
    serverE2e.push(server);
    e2eErr.push(row.durations.e2e - server);
  }
  const abs = (xs) => mean(xs.map(Math.abs));
  return {
    rows: rows.length,
    matched,
    unmatched: rows.length - matched,
    ok: rows.filter((r) => r.outcome === 'ok').length,
    connectShare: rows.length > 0 ? withConnect / rows.length : Number.NaN,
    ttft: {
      clientP50: percentile(clientTtft, 50),
      serverP50: percentile(serverTtft, 50),
      err: stat(ttftErr),
      meanAbsErr: abs(ttftErr),
    },
    e2e: {
      clientP50: percentile(clientE2e, 50),
      serverP50: percentile(serverE2e, 50),
      err: stat(e2eErr),
      meanAbsErr: abs(e2eErr),
    },
  };
}

async function readRows(outDir) {
  const text = await readFile(join(outDir, 'results.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line))
    .filter((r) => r.warmup !== true);
}

/** One fresh client process against the server; its rows and the server's records of them. */
async function oneRun(server, workDir, label, runSettings) {
  const outDir = join(workDir, label);
  const load1mBefore = loadavg()[0];
  const child = await runClientProcess(CLIENT, {
    url: server.url,
    dataset: DATASET,
    outDir,
    run: runSettings,
  });
  const truth = await server.truth({ reset: true });
  const rows = await readRows(outDir);
  return { rows, truth, child, load1mBefore, load1mAfter: loadavg()[0] };
}

const COLUMNS = [
  { title: 'run', value: (r) => r.label, align: 'left' },
  { title: 'rows', value: (r) => r.rows },
  { title: 'matched', value: (r) => r.matched },
  { title: 'TTFT p50 client', value: (r) => fixed(r.ttft.clientP50, 2) },
  { title: 'server', value: (r) => fixed(r.ttft.serverP50, 2) },
  { title: 'Δ p50', value: (r) => fixed(r.ttft.clientP50 - r.ttft.serverP50, 2) },
  { title: 'TTFT err min', value: (r) => fixed(r.ttft.err.min, 2) },
  { title: 'med', value: (r) => fixed(r.ttft.err.median, 2) },
  { title: 'mean', value: (r) => fixed(r.ttft.err.mean, 2) },
  { title: 'p99', value: (r) => fixed(r.ttft.err.p99, 2) },
  { title: 'e2e p50 client', value: (r) => fixed(r.e2e.clientP50, 2) },
  { title: 'server', value: (r) => fixed(r.e2e.serverP50, 2) },
  { title: 'e2e err min', value: (r) => fixed(r.e2e.err.min, 2) },
  { title: 'med', value: (r) => fixed(r.e2e.err.median, 2) },
  { title: 'mean', value: (r) => fixed(r.e2e.err.mean, 2) },
  { title: 'p99', value: (r) => fixed(r.e2e.err.p99, 2) },
  {
    title: 'mean abs err TTFT/e2e',
    value: (r) => `${fixed(r.ttft.meanAbsErr, 2)} / ${fixed(r.e2e.meanAbsErr, 2)}`,
  },
  { title: 'connect', value: (r) => `${fixed(100 * r.connectShare, 0)} %` },
  { title: 'load 1m', value: (r) => fixed(r.load1m, 2) },
];

/** The floor: a plain undici client in a fresh process (see bench/clients/undici-floor-client.mjs). */
async function floorRun(server, concurrency, requests) {
  const load1mBefore = loadavg()[0];
  const child = await runClientProcess(FLOOR_CLIENT, { url: server.url, concurrency, requests });
  const truth = await server.truth({ reset: true });
  return { rows: child.rows, truth, child, load1mBefore, load1mAfter: loadavg()[0] };
}

/** `repeats` fresh processes of one case: a row per process, then all of them pooled. */
async function repeatedCase(name, runSettings, repeats, once, log) {
  const lines = [];
  const allRows = [];
  const allRecords = [];
  for (let i = 1; i <= repeats; i++) {
    log(`${name}: fresh process ${i}/${repeats} …`);
    const r = await once(i);
    allRows.push(...r.rows);
    allRecords.push(...r.truth.records);
    lines.push({
      label: `#${i}`,
      ...compare(r.rows, r.truth.records),
      load1m: r.load1mAfter,
      modelsRequests: r.truth.modelsRequests,
      exitCode: r.child.exitCode,
    });
  }
  lines.push({ label: 'all', ...compare(allRows, allRecords), load1m: loadavg()[0] });
  return { name, runSettings, lines };
}

/** One process with many requests: all of it, then without its first round (JIT in a fresh process). */
function loadCase(name, runSettings, r, concurrency) {
  const byDispatch = [...r.rows].sort((a, b) => a.times.dispatchedAt - b.times.dispatchedAt);
  return {
    name,
    runSettings,
    lines: [
      {
        label: 'all',
        ...compare(r.rows, r.truth.records),
        load1m: r.load1mAfter,
        modelsRequests: r.truth.modelsRequests,
        exitCode: r.child.exitCode,
      },
      {
        label: `after first ${concurrency}`,
        ...compare(byDispatch.slice(concurrency), r.truth.records),
        load1m: r.load1mAfter,
      },
    ],
  };
}

export default {
  name: 'cold-start',
  describe: 'TTFT/e2e of fresh stepbench processes against an independent server (not src/mock), ms',
  reportFile: 'issue8-cold-start.json',
  async run({ log, settings = defaultSettings }) {
    const machine = machineInfo();
    const startedAt = new Date().toISOString();
    const workDir = await mkdtemp(join(tmpdir(), 'stepbench-bench-cold-'));
    const server = await startIndependentServer(settings.server);
    const cases = [];
    try {
      // The server's own JIT is not what is measured: warm it from this process, then forget it.
      log('warming the independent server (200 requests, not measured) …');
      await warmUpMock(server.url, { requests: 200, concurrency: 32 });
      await server.truth({ reset: true });

      const c = settings.coldConcurrency;
      const n = settings.coldRepeats;
      const small = { concurrency: c, requests: settings.coldRequests };
      const noPre = { ...small, preconnect: false };
      cases.push(
        await repeatedCase(`warm-c${c}`, small, n, (i) => oneRun(server, workDir, `warm-${i}`, small), log),
        await repeatedCase(
          `no-preconnect-c${c}`,
          noPre,
          n,
          (i) => oneRun(server, workDir, `cold-${i}`, noPre),
          log,
        ),
        await repeatedCase(`undici-floor-c${c}`, small, n, () => floorRun(server, c, small.requests), log),
      );

      const lc = settings.loadConcurrency;
      const load = { concurrency: lc, requests: settings.loadRequests, adaptive: false, retries: 0 };
      log(`warm-c${lc}: ${settings.loadRequests} requests in one fresh process …`);
      cases.push(loadCase(`warm-c${lc}`, load, await oneRun(server, workDir, `warm-c${lc}`, load), lc));
      log(`undici-floor-c${lc}: ${settings.loadRequests} requests in one fresh process …`);
      const floorLoad = { concurrency: lc, requests: settings.loadRequests };
      cases.push(
        loadCase(`undici-floor-c${lc}`, floorLoad, await floorRun(server, lc, settings.loadRequests), lc),
      );
    } finally {
      await server.stop();
      await rm(workDir, { recursive: true, force: true });
    }

    const [warmSmall, , floorSmall, load, floorLoad] = cases;
    const deltasOf = (k) =>
      k.lines.filter((l) => l.label !== 'all').map((l) => Math.abs(l.ttft.clientP50 - l.ttft.serverP50));
    const deltas = deltasOf(warmSmall);
    const worst = Math.max(...deltas);
    const floorDeltas = deltasOf(floorSmall);
    const loadAll = load.lines[0];
    const floorAll = floorLoad.lines[0];
    const checks = [
      {
        target: `fresh-process ${settings.coldRequests}-row run (c${settings.coldConcurrency}, warm client): TTFT p50 within 1 ms of the server's`,
        measured: `abs Δ p50 ${deltas.map((d) => fixed(d, 2)).join(', ')} ms (worst ${fixed(worst, 2)}); undici floor ${floorDeltas.map((d) => fixed(d, 2)).join(', ')}`,
        pass: worst <= 1,
      },
      {
        target: `TTFT mean absolute error ≤ 2 ms at c64 (measured at c${settings.loadConcurrency})`,
        measured: `${fixed(loadAll.ttft.meanAbsErr, 2)} ms; undici floor ${fixed(floorAll.ttft.meanAbsErr, 2)} ms`,
        pass: loadAll.ttft.meanAbsErr <= 2,
      },
      {
        target: `e2e mean absolute error ≤ 2 ms at c64 (measured at c${settings.loadConcurrency})`,
        measured: `${fixed(loadAll.e2e.meanAbsErr, 2)} ms; undici floor ${fixed(floorAll.e2e.meanAbsErr, 2)} ms`,
        pass: loadAll.e2e.meanAbsErr <= 2,
      },
    ];

    const loadAverageAtEnd = loadavg();
    const report = { suite: 'cold-start', startedAt, machine, loadAverageAtEnd, settings, cases, checks };
    return { text: renderText(report), report };
  },
};

/** The suite's printed text, from its JSON report (so a saved report can be printed again). */
export function renderText({ settings, loadAverageAtEnd, cases, checks }) {
  return [
    `server: ${JSON.stringify(settings.server)}; load average at the end ${loadAverageAtEnd
      .map((x) => x.toFixed(2))
      .join(' ')}`,
    ...cases.map((k) => `### ${k.name} ${JSON.stringify(k.runSettings)}\n\n${formatTable(k.lines, COLUMNS)}`),
    formatChecks(checks, 8),
  ].join('\n\n');
}
