/**
 * Suite `rate-shapes` (issue 9): does a client hold near a rate limit it was not tuned on — token
 * bucket, fixed window, sliding window, TPM bucket, 8 or 32 concurrent slots, a limit that halves
 * and comes back — with few 429s and no row lost, with and without Retry-After, with short and
 * long replies?
 *
 * Every (config, client) pair gets a FRESH mock process (an empty window, a full bucket, the
 * schedule from 0 s) and its own child process. 429s, attempts and throughput come from the mock's
 * records (bench/lib/shape-stats.mjs); rows lost and, for stepbench, the attempts recorded on its
 * rows come from the client. The matrix is bench/lib/shape-matrix.mjs; run a subset with
 * `--set shapes=… --set retryAfter=… --set replies=… --set clients=…`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientProcess } from './lib/child-runner.mjs';
import { machineInfo } from './lib/machine.mjs';
import { calibrateMockClock, scheduleZeroFrom, watchLimitChanges } from './lib/mock-clock.mjs';
import { startMockProcess } from './lib/mock-process.mjs';
import { attemptBuckets } from './lib/ratelimit-stats.mjs';
import { CLIENTS, expandMatrix, LIMITS, REPLIES, SHAPES } from './lib/shape-matrix.mjs';
import { checksFor, MATRIX_COLUMNS, SUMMARY_COLUMNS, summarize, TARGETS } from './lib/shape-report.mjs';
import { shapeFigures } from './lib/shape-stats.mjs';
import { formatChecks, formatTable } from './lib/table.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

const DATASET = here('../datasets/capacity.csv');
const MODEL = 'step-3.7-flash';
const SCRIPTS = {
  stepbench: here('./clients/stepbench-ratelimit-client.mjs'),
  sdk: here('./clients/sdk-ratelimit-client.mjs'),
  promptfoo: here('./clients/promptfoo-ratelimit-client.mjs'),
};

export const defaultSettings = {
  shapes: Object.keys(SHAPES),
  retryAfter: ['seconds', 'none'],
  replies: Object.keys(REPLIES),
  clients: [...CLIENTS],
  /** Runs of every (config, client) pair. */
  rounds: 1,
  clientConcurrency: 64,
  /**
   * The mock's RPM/TPM window (`--rate-window-ms`), per-minute rates kept: 40 requests per 4-s
   * window instead of 600 per minute, so "at least 3 windows" fits in seconds. A token bucket's
   * refill rate does not depend on it.
   */
  rateWindowMs: 4_000,
  /**
   * The halving shape's RPM schedule, [ms after the mock starts, RPM]: issue 9's "halves for 30 s",
   * cut to 10 s (from 8 s to 18 s; the client starts ≈ 1.5 s after the mock) to fit the matrix.
   */
  schedule: [
    [0, 600],
    [8_000, 300],
    [18_000, 600],
  ],
  /**
   * Rows per shape and reply speed: enough for the measured stretch after the first episode
   * (≥ 3 windows, or ≥ minSpanMs) at the limit's rate, and no more (the whole matrix on 2 cores).
   */
  rows: {
    'token-bucket': { fast: 120, slow: 120 },
    'fixed-window': { fast: 240, slow: 240 },
    sliding: { fast: 240, slow: 240 },
    'tpm-bucket': { fast: 120, slow: 120 },
    'concurrency-8': { fast: 800, slow: 60 },
    'concurrency-32': { fast: 2000, slow: 200 },
    'rpm-halves': { fast: 180, slow: 180 },
  },
  /** A 429 episode is over after this long without a 429. */
  episodeGapMs: 1_000,
  minWindows: 3,
  /** Non-window shapes: a shorter stretch after the episode is measured from the first 429 instead. */
  minSpanMs: 5_000,
  /** promptfoo blocks 60 s per 429 without Retry-After: off by default (see shape-matrix.mjs). */
  promptfooWithoutRetryAfter: false,
  childTimeoutMs: 300_000,
};

const epochNow = () => performance.timeOrigin + performance.now();

function clientConfig(client, config, mockUrl, outDir, s) {
  const base = {
    url: mockUrl,
    concurrency: s.clientConcurrency,
    requests: config.rows,
    dataset: DATASET,
    model: MODEL,
  };
  // stepbench: library defaults (adaptive on, default retries); the SDK: its default maxRetries.
  return client === 'sdk' ? base : { ...base, outDir };
}

async function measureOne(config, client, round, workDir, s) {
  const mock = await startMockProcess(config.mockFlags);
  const readyEpochMs = epochNow();
  try {
    const clock = await calibrateMockClock(mock, { readyEpochMs });
    // A moving limit: see when its steps really took effect, and time the schedule from that.
    const watch = config.limit.kind === 'schedule' ? watchLimitChanges(mock) : null;
    const outDir = join(workDir, `${config.id.replace(/\W+/g, '-')}-${client}-${round}`);
    let child;
    let error = null;
    try {
      child = await runClientProcess(SCRIPTS[client], clientConfig(client, config, mock.url, outDir, s), {
        timeoutMs: s.childTimeoutMs,
      });
    } catch (err) {
      error = String(err.message ?? err).split('\n')[0];
      child = { rowsLost: config.rows, rowsOk: 0, wallMs: null };
    }
    const limitChanges = watch ? await watch.stop() : null;
    if (watch) {
      const zeroAt = scheduleZeroFrom(limitChanges, config.limit.steps, clock.epochOffsetMs);
      clock.scheduleZeroFromReady = clock.scheduleZeroAt;
      if (zeroAt !== null) clock.scheduleZeroAt = zeroAt;
    }
    const stats = await mock.stats();
    const figures = shapeFigures(stats.records, config.limit, {
      windowMs: s.rateWindowMs,
      gapMs: s.episodeGapMs,
      minWindows: s.minWindows,
      minSpanMs: s.minSpanMs,
      clock,
    });
    return {
      config: config.id,
      shape: config.shape,
      retryAfter: config.retryAfter,
      reply: config.reply,
      client,
      round,
      rows: config.rows,
      error,
      rowsOk: child.rowsOk ?? null,
      rowsLost: child.rowsLost,
      clientOutcomes: child.outcomes ?? null,
      mockRequests: stats.requests,
      mockByStatus: stats.byStatus,
      mockRateLimitedBy: stats.rateLimited,
      mockMaxInFlight: stats.maxInFlight,
      // stepbench only: the sum of `attempts` over results.jsonl, held against mockRequests.
      attemptsRecorded: child.attemptsRecorded ?? null,
      maxAttemptsOnARow: child.maxAttemptsOnARow ?? null,
      finalConcurrency: child.finalConcurrency ?? null,
      stepbenchLimits: child.limits ?? null,
      limitEvents: child.limitEvents ?? null,
      clientWallMs: child.wallMs ?? null,
      clientCpuPercent: child.cpuPercent ?? null,
      clock,
      limitChanges:
        limitChanges?.map((c) => ({
          atMs: (c.beforeEpochMs + c.seenEpochMs) / 2 - clock.epochOffsetMs - clock.scheduleZeroAt,
          rpm: c.limits.rpm,
        })) ?? null,
      ...figures,
      buckets: attemptBuckets(stats.records, 1_000),
      loadAverage1m: loadavg()[0],
    };
  } finally {
    await mock.stop();
  }
}

function promptfooMissing() {
  try {
    import.meta.resolve('promptfoo');
    return null;
  } catch {
    return 'promptfoo is not installed (npm install -D promptfoo@0.121)';
  }
}

export default {
  name: 'rate-shapes',
  describe:
    'throughput, 429 share and rows lost against every limit shape, with and without Retry-After (issue 9)',
  reportFile: 'issue9-rate-shapes.json',
  async run({ log, settings = defaultSettings }) {
    const s = { ...defaultSettings, ...settings };
    const machine = machineInfo();
    const startedAt = new Date().toISOString();
    const configs = expandMatrix(s);
    const notes = [];
    const missing = s.clients.includes('promptfoo') ? promptfooMissing() : null;
    if (missing) {
      notes.push(`promptfoo skipped: ${missing}`);
      for (const c of configs) c.clients = c.clients.filter((client) => client !== 'promptfoo');
    }
    const skipped = configs.flatMap((c) => c.skipped.map((k) => ({ config: c.id, ...k })));
    if (skipped.length > 0)
      notes.push(`promptfoo skipped in ${skipped.length} configs without Retry-After: ${skipped[0].reason}`);
    const total = configs.reduce((n, c) => n + c.clients.length, 0) * s.rounds;
    const workDir = await mkdtemp(join(tmpdir(), 'stepbench-bench-shapes-'));
    const rows = [];
    const started = performance.now();
    try {
      for (let round = 1; round <= s.rounds; round++)
        for (const config of configs)
          for (const client of config.clients) {
            log(
              `[${rows.length + 1}/${total}] ${config.id} ${client}: ${config.rows} rows, mock ${config.mockFlags.join(' ')}`,
            );
            const row = await measureOne(config, client, round, workDir, s);
            rows.push(row);
            const elapsed = (performance.now() - started) / 1000;
            log(
              `  ${row.error ? `ERROR ${row.error}; ` : ''}lost ${row.rowsLost}, 429 ${(row.rateLimitedShare * 100).toFixed(1)} %, ` +
                `${row.ratio.toFixed(3)} × limit, wall ${((row.clientWallMs ?? 0) / 1000).toFixed(1)} s; ` +
                `${elapsed.toFixed(0)} s so far, ~${((elapsed / rows.length) * (total - rows.length)).toFixed(0)} s to go`,
            );
          }
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    const checks = rows.flatMap((r) => checksFor(r));
    if (skipped.length > 0)
      checks.push({
        target: `promptfoo without Retry-After (${skipped.length} configs)`,
        measured: 'not run',
        pass: null,
      });
    const text = [
      `Matrix: ${configs.length} configs × ${s.clients.join(', ')}, client c${s.clientConcurrency}, ` +
        `mock --rate-window-ms ${s.rateWindowMs}, ${s.rounds} round(s). Ratio = throughput after the first 429 ` +
        `episode ÷ the limit's long-run rate (tok = tokens/s for TPM); † = no quiet stretch long enough, measured from the first 429.`,
      ...notes,
      formatTable(rows, MATRIX_COLUMNS),
      '',
      formatTable(summarize(rows), SUMMARY_COLUMNS),
      '',
      formatChecks(checks, 9),
    ].join('\n');
    return {
      text,
      report: {
        suite: 'rate-shapes',
        startedAt,
        machine,
        loadAverage1mAtEnd: loadavg()[0],
        dataset: 'datasets/capacity.csv',
        model: MODEL,
        limits: LIMITS,
        settings: s,
        targets: TARGETS,
        notes,
        configs: configs.map(({ id, mockFlags, limit, rows: n, clients, skipped: k }) => ({
          id,
          mockFlags,
          limit,
          rows: n,
          clients,
          skipped: k,
        })),
        results: rows,
        summary: summarize(rows),
        checks,
      },
    };
  },
};
