/**
 * Suite `big-dataset` (issue 12): a 1,000,000-row dataset against a 10,000-row one, same flags —
 * how soon the first request goes out, the throughput, and the peak memory of each command a big
 * batch uses: `run`, a `run --resume` after a `kill -9`, `report`, and two `--shard`s + `merge`.
 *
 * Every command is the built CLI (`dist/cli/main.js`) in its own process against the independent
 * server (bench/servers/independent-sse.mjs, its own process too), so a figure is stepbench's
 * alone. Peak RSS is the process's `resourceUsage().maxRSS` at exit (worker threads included),
 * written by bench/lib/peak-rss-preload.mjs. "First request" is the report's `run.startedAt` plus
 * the earliest `sentAt` in results.jsonl, minus the moment the process was spawned.
 * Needs `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIndependentServer } from './lib/independent-process.mjs';
import { machineInfo } from './lib/machine.mjs';
import { fixed, formatChecks, formatTable } from './lib/table.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./lib/peak-rss-preload.mjs', import.meta.url));

export const defaultSettings = {
  /** Dataset sizes, one case each; the first is the reference for throughput. */
  rows: [10_000, 1_000_000],
  /** Requests each run sends (`-n`): the same for every dataset size. */
  requests: 20_000,
  concurrency: 64,
  /** The independent server's reply: time to first token, ms per token, tokens. */
  server: { ttftMs: 5, msPerToken: 1, tokens: 8 },
};

/** Targets of issue 12 for a 1,000,000-row dataset. */
const RSS_LIMIT_MB = 250;
const FIRST_REQUEST_LIMIT_S = 2;

async function writeDataset(path, rows) {
  if (existsSync(path)) return;
  const out = createWriteStream(path);
  out.write('id,prompt\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    chunk += `row-${i},Summarise item ${i} of the catalogue in one short sentence for the weekly digest\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
}

/**
 * Runs the CLI with `args`; resolves with its exit code, wall time, peak RSS (MB) and spawn time.
 * `killWhen(child)` may kill it on purpose (the resume case); then the peak is not known.
 */
function cli(args, { env = {}, killWhen } = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = join(
      tmpdir(),
      `stepbench-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`,
    );
    const spawnedAt = Date.now();
    const child = spawn(process.execPath, ['--import', PRELOAD, CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', STEP_API_KEY: 'bench-key', BENCH_PEAK_RSS_FILE: rssFile, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr += String(d);
    });
    killWhen?.(child);
    child.once('error', reject);
    child.once('exit', async (code, signal) => {
      const wallMs = Date.now() - spawnedAt;
      let peakMB = null;
      try {
        peakMB = Number(await readFile(rssFile, 'utf8')) / 1024;
        await rm(rssFile, { force: true });
      } catch {
        // Killed: no exit handler ran.
      }
      resolve({ code, signal, wallMs, peakMB, spawnedAt, stderr: stderr.slice(-2000) });
    });
  });
}

function expectExit(step, outcome, code = 0) {
  if (outcome.code !== code)
    throw new Error(`${step} exited ${outcome.signal ?? outcome.code}:\n${outcome.stderr}`);
}

async function lineCount(path) {
  let n = 0;
  const text = await readFile(path, 'utf8');
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function firstSentAt(resultsPath) {
  const text = await readFile(resultsPath, 'utf8');
  let first = Number.POSITIVE_INFINITY;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const r = JSON.parse(line);
    first = Math.min(first, r.times.sentAt ?? r.times.scheduledAt);
  }
  return first;
}

/** Kills the child (SIGKILL, as a crash would) once its results file holds `lines` lines. */
function killAt(resultsPath, lines) {
  return (child) => {
    const timer = setInterval(async () => {
      try {
        if ((await stat(resultsPath)).size > 0 && (await lineCount(resultsPath)) >= lines) {
          clearInterval(timer);
          child.kill('SIGKILL');
        }
      } catch {
        // Not there yet.
      }
    }, 100);
    child.once('exit', () => clearInterval(timer));
  };
}

async function runCase({ rows, dataset, url, settings, log, work }) {
  const base = [
    '--base-url',
    url,
    '-c',
    String(settings.concurrency),
    '-n',
    String(settings.requests),
    '--no-progress',
  ];
  const out = join(work, `run-${rows}`);
  log(`${rows} rows: run -n ${settings.requests}`);
  const run = await cli(['run', dataset, ...base, '--out', out]);
  expectExit('run', run);
  const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8'));
  const firstRequestMs =
    Date.parse(report.run.startedAt) + (await firstSentAt(join(out, 'results.jsonl'))) - run.spawnedAt;

  log(`${rows} rows: run killed (SIGKILL) halfway, then --resume`);
  const crashed = join(work, `resume-${rows}`);
  const killed = await cli(['run', dataset, ...base, '--out', crashed], {
    killWhen: killAt(join(crashed, 'results.jsonl'), Math.floor(settings.requests / 2)),
  });
  if (killed.signal !== 'SIGKILL') throw new Error(`the run to resume was not killed: ${killed.stderr}`);
  const resume = await cli(['run', dataset, ...base, '--resume', crashed]);
  expectExit('resume', resume);
  const resumedLines = await lineCount(join(crashed, 'results.jsonl'));

  log(`${rows} rows: report`);
  const rebuilt = await cli(['report', out]);
  expectExit('report', rebuilt);

  log(`${rows} rows: --shard 0/2, --shard 1/2, merge`);
  const shards = [];
  for (const index of [0, 1]) {
    const dir = join(work, `shard-${rows}-${index}`);
    const shard = await cli(['run', dataset, ...base, '--shard', `${index}/2`, '--out', dir]);
    expectExit(`shard ${index}`, shard);
    shards.push({ dir, peakMB: shard.peakMB });
  }
  const merged = join(work, `merged-${rows}`);
  const merge = await cli(['merge', ...shards.map((s) => s.dir), '--out', merged]);
  expectExit('merge', merge);
  const mergedLines = await lineCount(join(merged, 'results.jsonl'));

  return {
    rows,
    datasetMB: (await stat(dataset)).size / 1e6,
    requests: report.targets[0].summary.requests,
    firstRequestMs,
    runWallMs: run.wallMs,
    requestsPerSec: report.targets[0].summary.throughput.requestsPerSec,
    datasetRows: report.dataset.rows,
    datasetComplete: report.dataset.complete,
    runPeakMB: run.peakMB,
    resumePeakMB: resume.peakMB,
    resumedLines,
    reportPeakMB: rebuilt.peakMB,
    shardPeakMB: Math.max(...shards.map((s) => s.peakMB)),
    mergePeakMB: merge.peakMB,
    mergedLines,
  };
}

export default {
  name: 'big-dataset',
  describe:
    '1,000,000 rows vs 10,000: time to the first request, throughput, peak RSS of run/resume/report/merge',
  reportFile: 'big-dataset.json',
  async run({ log, settings }) {
    if (!existsSync(CLI)) throw new Error('run `npm run build` first (dist/cli/main.js is missing)');
    const dataDir = join(tmpdir(), 'stepbench-bench-datasets');
    await mkdir(dataDir, { recursive: true });
    const server = await startIndependentServer(settings.server);
    const work = await mkdtemp(join(tmpdir(), 'stepbench-bench-big-'));
    const cases = [];
    try {
      for (const rows of settings.rows.map(Number)) {
        const dataset = join(dataDir, `rows-${rows}.csv`);
        log(`${rows} rows: writing ${dataset} (kept for later runs)`);
        await writeDataset(dataset, rows);
        cases.push(await runCase({ rows, dataset, url: server.url, settings, log, work }));
        await server.truth({ reset: true });
      }
    } finally {
      await server.stop();
      await rm(work, { recursive: true, force: true });
    }
    const reference = cases[0];
    for (const c of cases) c.throughputRatio = c.requestsPerSec / reference.requestsPerSec;
    const mb = (v) => fixed(v, 0);
    const table = formatTable(cases, [
      { title: 'rows', value: (c) => c.rows },
      { title: 'CSV MB', value: (c) => fixed(c.datasetMB, 1) },
      { title: 'first request s', value: (c) => fixed(c.firstRequestMs / 1000, 2) },
      { title: 'req/s', value: (c) => fixed(c.requestsPerSec, 0) },
      { title: `× ${reference.rows} rows`, value: (c) => fixed(c.throughputRatio, 3) },
      { title: 'run wall s', value: (c) => fixed(c.runWallMs / 1000, 1) },
      { title: 'rows counted', value: (c) => `${c.datasetRows}${c.datasetComplete === false ? '+' : ''}` },
      { title: 'run MB', value: (c) => mb(c.runPeakMB) },
      { title: 'resume MB', value: (c) => mb(c.resumePeakMB) },
      { title: 'report MB', value: (c) => mb(c.reportPeakMB) },
      { title: 'shard MB', value: (c) => mb(c.shardPeakMB) },
      { title: 'merge MB', value: (c) => mb(c.mergePeakMB) },
      { title: 'resumed/merged lines', value: (c) => `${c.resumedLines}/${c.mergedLines}` },
    ]);
    const big = cases.at(-1);
    const peak = Math.max(
      big.runPeakMB,
      big.resumePeakMB,
      big.reportPeakMB,
      big.shardPeakMB,
      big.mergePeakMB,
    );
    const checks = formatChecks(
      [
        {
          target: `${big.rows} rows: peak RSS < ${RSS_LIMIT_MB} MB (run, resume, report, shard, merge)`,
          measured: `${fixed(peak, 0)} MB`,
          pass: peak < RSS_LIMIT_MB,
        },
        {
          target: `${big.rows} rows: first request within ${FIRST_REQUEST_LIMIT_S} s of the command`,
          measured: `${fixed(big.firstRequestMs / 1000, 2)} s`,
          pass: big.firstRequestMs < FIRST_REQUEST_LIMIT_S * 1000,
        },
        {
          target: `${big.rows} rows: throughput within noise of ${reference.rows} rows`,
          measured: `× ${fixed(big.throughputRatio, 3)}`,
          pass: null,
        },
        {
          target: 'every job once after resume and after merge',
          measured: cases.map((c) => `${c.resumedLines}/${c.mergedLines} of ${settings.requests}`).join(', '),
          pass: cases.every(
            (c) => c.resumedLines === settings.requests && c.mergedLines === settings.requests,
          ),
        },
      ],
      12,
    );
    return { text: `${table}\n\n${checks}`, report: { machine: machineInfo(), settings, cases } };
  },
};
