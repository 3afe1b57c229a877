/**
 * Suite `rate-limit` (issue 3): does a client lose rows, and how much of the server's quota does
 * it use, when the server answers 429 without saying when to retry (as StepFun does)?
 *
 * Every client runs in its own child process against a FRESH mock process (so each starts with an
 * empty RPM window). All 429 counts, rates and convergence come from the mock's records — the
 * same ground truth for every client; rows lost come from each client (a row without an ok final
 * result). The figures are defined in bench/lib/ratelimit-stats.mjs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClientProcess } from './lib/child-runner.mjs';
import { machineInfo } from './lib/machine.mjs';
import { startMockProcess } from './lib/mock-process.mjs';
import { attemptBuckets, rateLimitFigures } from './lib/ratelimit-stats.mjs';
import { fixed, formatChecks, formatTable } from './lib/table.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

const FAST_REPLIES = ['--ttft-ms', '20', '--inter-token-ms', '5', '--reply-tokens', '32'];
const DATASET = here('../datasets/capacity.csv');
const MODEL = 'step-3.7-flash';
const STEPBENCH = here('./clients/stepbench-ratelimit-client.mjs');
const SDK = here('./clients/sdk-ratelimit-client.mjs');

/** Issue 3's targets, as data so the table and the JSON say the same thing. */
const TARGETS = { rowsLost: 0, rpmShareAfterConvergence: 0.9, rateLimitedShare: 0.05 };

export const defaultSettings = {
  rpm: 600,
  rpmMaxConcurrency: 32,
  /**
   * Rows in the RPM scenario. The issue says 600, but the mock's window starts empty, so 600 rows
   * fit in the first minute's quota and the RPM limit never answers 429. Twice the quota makes the
   * second half wait for the window to slide, which is the situation the issue is about.
   */
  rpmRequests: 1200,
  rpmClientConcurrency: 128,
  /**
   * "stepbench adaptive" runs once per value here in the RPM scenario: the library default (4) and
   * the 10 the issue suggests in case rows would otherwise be lost. The concurrency scenario uses
   * the first.
   */
  adaptiveRetries: [4, 10],
  concMaxConcurrency: 16,
  concRequests: 400,
  concClientConcurrency: 64,
  childTimeoutMs: 240_000,
};

function rpmScenario(s) {
  return {
    name: 'rpm',
    mockFlags: [
      ...FAST_REPLIES,
      '--rpm',
      String(s.rpm),
      '--max-concurrency',
      String(s.rpmMaxConcurrency),
      '--retry-after',
      'none',
    ],
    rpmLimit: s.rpm,
    // A run lasts over a minute: 5-s buckets are enough to see the 429 share settle.
    bucketMs: 5_000,
    requests: s.rpmRequests,
    clients: [
      ...s.adaptiveRetries.map((retries) => ({
        name: `stepbench adaptive r${retries}`,
        script: STEPBENCH,
        config: { concurrency: s.rpmClientConcurrency, adaptive: true, retries },
      })),
      {
        name: 'stepbench fixed',
        script: STEPBENCH,
        config: { concurrency: s.rpmClientConcurrency, adaptive: false, retries: 0 },
      },
      { name: 'openai SDK loop', script: SDK, config: { concurrency: s.rpmClientConcurrency } },
    ],
  };
}

function concurrencyScenario(s) {
  return {
    name: 'concurrency',
    mockFlags: [...FAST_REPLIES, '--max-concurrency', String(s.concMaxConcurrency), '--retry-after', 'none'],
    rpmLimit: null,
    // 400 rows take a few seconds: 1-s buckets.
    bucketMs: 1_000,
    requests: s.concRequests,
    clients: [
      {
        name: 'stepbench adaptive',
        script: STEPBENCH,
        config: { concurrency: s.concClientConcurrency, adaptive: true, retries: s.adaptiveRetries[0] },
      },
      {
        name: 'stepbench fixed',
        script: STEPBENCH,
        config: { concurrency: s.concClientConcurrency, adaptive: false, retries: 0 },
      },
      {
        // Knows the server's limit: the throughput every other client is measured against.
        name: `ideal: fixed c${s.concMaxConcurrency}`,
        script: STEPBENCH,
        config: { concurrency: s.concMaxConcurrency, adaptive: false, retries: 0 },
      },
    ],
  };
}

async function measureOne(scenario, client, workDir, settings) {
  const mock = await startMockProcess(scenario.mockFlags);
  try {
    const slug = `${scenario.name}-${client.name.replace(/\W+/g, '-')}`;
    const child = await runClientProcess(
      client.script,
      {
        url: mock.url,
        requests: scenario.requests,
        dataset: DATASET,
        outDir: join(workDir, slug),
        model: MODEL,
        ...client.config,
      },
      { timeoutMs: settings.childTimeoutMs },
    );
    const stats = await mock.stats();
    const figures = rateLimitFigures(stats.records, {
      rpmLimit: scenario.rpmLimit,
      bucketMs: scenario.bucketMs,
    });
    return {
      scenario: scenario.name,
      client: client.name,
      concurrency: client.config.concurrency,
      requests: scenario.requests,
      retries: child.retries,
      rowsLost: child.rowsLost,
      clientOutcomes: child.outcomes,
      maxAttemptsOnARow: child.maxAttemptsOnARow ?? null,
      clientWallMs: child.wallMs,
      finalConcurrency: child.finalConcurrency ?? null,
      limitChanges: child.limitChanges ?? null,
      lastLimitChangeMs: child.lastLimitChangeMs ?? null,
      clientAttempts: child.attempts ?? null,
      mockRateLimited: stats.rateLimited,
      mockMaxInFlight: stats.maxInFlight,
      recordsKept: stats.records.length,
      mockRequests: stats.requests,
      ...figures,
      // Per-bucket attempts / ok / 429 on the mock's clock, to see stalls and bursts afterwards.
      buckets: attemptBuckets(stats.records, scenario.bucketMs),
      limitEvents: child.limitEvents ?? null,
    };
  } finally {
    await mock.stop();
  }
}

const secs = (ms) => (typeof ms === 'number' ? fixed(ms / 1000) : 'never');

const RPM_COLUMNS = [
  { title: 'client', value: (r) => r.client, align: 'left' },
  { title: 'retries', value: (r) => r.retries },
  { title: 'rows lost', value: (r) => `${r.rowsLost} / ${r.requests}` },
  { title: 'attempts', value: (r) => r.attempts },
  { title: '429 %', value: (r) => fixed(r.rateLimitedShare * 100) },
  { title: '429s by limit', value: (r) => byLimitCell(r.rateLimitedBy), align: 'left' },
  { title: 'quota hit at s', value: (r) => secs(r.firstRpmLimitedMs) },
  { title: 'RPM after quota hit', value: (r) => quotaRateCell(r) },
  { title: 'ok in next 60 s', value: (r) => quotaMinuteCell(r) },
  { title: '429 < 5 % from s', value: (r) => secs(r.convergedAtMs) },
  { title: 'peak ok/60 s', value: (r) => r.peakOkPer60s },
  { title: 'final limit', value: (r) => r.finalConcurrency ?? '–' },
  { title: 'wall s', value: (r) => secs(r.clientWallMs) },
];

function byLimitCell(byLimit) {
  const parts = Object.entries(byLimit).map(([limit, n]) => `${limit} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function quotaRateCell(r) {
  if (!r.okRateAfterQuota || !Number.isFinite(r.okRateAfterQuota.perMinute)) return '–';
  return `${fixed(r.okRateAfterQuota.perMinute, 0)} (${fixed(r.rpmShareAfterQuota * 100, 0)} %)`;
}

// '*': the run ended inside that minute, so the count is all the client still had to send.
function quotaMinuteCell(r) {
  if (!r.okInMinuteAfterQuota) return '–';
  const { ok, complete } = r.okInMinuteAfterQuota;
  return `${ok} (${fixed(r.minuteShareAfterQuota * 100, 0)} %)${complete ? '' : ' *'}`;
}

const CONC_COLUMNS = [
  { title: 'client', value: (r) => r.client, align: 'left' },
  { title: 'conc', value: (r) => r.concurrency },
  { title: 'retries', value: (r) => r.retries },
  { title: 'rows lost', value: (r) => `${r.rowsLost} / ${r.requests}` },
  { title: 'attempts', value: (r) => r.attempts },
  { title: '429 %', value: (r) => fixed(r.rateLimitedShare * 100) },
  { title: 'ok req/s', value: (r) => fixed(r.okPerSecond) },
  { title: '% of ideal', value: (r) => fixed(r.ofIdeal * 100) },
  { title: '429 < 5 % from s', value: (r) => secs(r.convergedAtMs) },
  {
    title: 'last limit change s',
    value: (r) => (r.lastLimitChangeMs === null ? '–' : secs(r.lastLimitChangeMs)),
  },
  { title: 'final limit', value: (r) => r.finalConcurrency ?? '–' },
  { title: 'wall s', value: (r) => secs(r.clientWallMs) },
];

function verdicts(rows) {
  const out = [];
  for (const r of rows) {
    const who = `${r.scenario}: ${r.client}`;
    out.push({ target: `${who} loses no row`, measured: `${r.rowsLost} lost`, pass: r.rowsLost === 0 });
    out.push({
      target: `${who} 429 share < ${TARGETS.rateLimitedShare * 100} %`,
      measured: `${fixed(r.rateLimitedShare * 100)} %`,
      pass: r.rateLimitedShare < TARGETS.rateLimitedShare,
    });
    if (r.scenario === 'rpm') {
      out.push({
        target: `${who} ≥ ${TARGETS.rpmShareAfterConvergence * 100} % of the RPM from the quota hit to its last success`,
        measured:
          r.okRateAfterQuota === null
            ? 'the RPM quota never answered 429'
            : Number.isFinite(r.okRateAfterQuota.perMinute)
              ? `${fixed(r.okRateAfterQuota.perMinute, 0)}/min = ${fixed(r.rpmShareAfterQuota * 100)} % (${r.okInMinuteAfterQuota.ok} ok in the first minute)`
              : `${r.okRateAfterQuota.ok} success(es) after the quota hit`,
        pass: r.rpmShareAfterQuota >= TARGETS.rpmShareAfterConvergence,
      });
    }
  }
  return out;
}

export default {
  name: 'rate-limit',
  describe: 'rows lost, quota used and 429 share against a rate-limited mock (issue 3)',
  reportFile: 'issue3.json',
  async run({ log, settings = defaultSettings }) {
    const machine = machineInfo();
    const startedAt = new Date().toISOString();
    const workDir = await mkdtemp(join(tmpdir(), 'stepbench-bench-rl-'));
    const scenarios = [rpmScenario(settings), concurrencyScenario(settings)];
    const rows = [];
    const loadAverages = [];
    try {
      for (const scenario of scenarios) {
        for (const client of scenario.clients) {
          log(
            `${scenario.name}: ${client.name}, ${scenario.requests} rows, fresh mock ${scenario.mockFlags.join(' ')}`,
          );
          const row = await measureOne(scenario, client, workDir, settings);
          loadAverages.push({ scenario: scenario.name, client: client.name, loadAverage1m: loadavg()[0] });
          log(
            `  lost ${row.rowsLost}, 429 ${fixed(row.rateLimitedShare * 100)} %, wall ${secs(row.clientWallMs)} s, load ${fixed(loadavg()[0], 2)}`,
          );
          rows.push(row);
        }
      }
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    const concRows = rows.filter((r) => r.scenario === 'concurrency');
    const ideal = concRows.find((r) => r.client.startsWith('ideal'));
    for (const r of concRows) r.ofIdeal = ideal ? r.okPerSecond / ideal.okPerSecond : Number.NaN;
    const checks = verdicts(rows.filter((r) => !r.client.startsWith('ideal')));
    const text = [
      `RPM scenario (mock --rpm ${settings.rpm} --max-concurrency ${settings.rpmMaxConcurrency}, ${settings.rpmRequests} rows, client c${settings.rpmClientConcurrency}):`,
      formatTable(
        rows.filter((r) => r.scenario === 'rpm'),
        RPM_COLUMNS,
      ),
      '',
      `Concurrency-only scenario (mock --max-concurrency ${settings.concMaxConcurrency}, ${settings.concRequests} rows):`,
      formatTable(concRows, CONC_COLUMNS),
      '',
      formatChecks(checks, 3),
    ].join('\n');
    return {
      text,
      report: {
        suite: 'rate-limit',
        startedAt,
        machine,
        loadAverages,
        loadAverage1mAtEnd: loadavg()[0],
        dataset: 'datasets/capacity.csv',
        model: MODEL,
        scenarios: scenarios.map((s) => ({ name: s.name, mockFlags: s.mockFlags, requests: s.requests })),
        settings,
        targets: TARGETS,
        results: rows,
        checks,
      },
    };
  },
};
