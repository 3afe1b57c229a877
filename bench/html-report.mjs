/**
 * Suite `html-report` (issue 11): what report.html costs for a big run — its size on disk, the
 * time to build it, and the time a browser takes to draw it.
 *
 * Each case writes a synthetic results.jsonl of `rows` lines (two targets, five outcome kinds,
 * varied latencies, seeded text answers of about `chars` characters), builds the report from it
 * with the library's own MetricsCollector and buildReport (so the histograms are real), adds an
 * hour-long timeline (so the page downsamples it), and writes report.html with writeReportHtml.
 * Then Debian's chromium (playwright-core, headless) opens the page from file:// `opens` times;
 * the page sets performance marks when its summary and charts are drawn (`stepbench:summary`)
 * and when the table is (`stepbench:rows`, after the rows were gunzipped and parsed). Both are
 * ms since navigation start, as the page's own clock reads them. Needs `npm run build` first.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { buildReport, MetricsCollector, writeReportHtml } from '../dist/index.js';
import { machineInfo } from './lib/machine.mjs';
import { percentile } from './lib/stats.mjs';
import { fixed, formatTable } from './lib/table.mjs';

const CHROMIUM = '/usr/bin/chromium';

export const defaultSettings = {
  rows: 100_000,
  /** Answer lengths, characters, one case each. */
  chars: [60, 600],
  /** Times the page is opened per case. */
  opens: 3,
};

const WORDS =
  'the of model answer token stream latency request server limit rate capital city river mountain 模型 答案 请求 延迟 测试 杭州 成都 quick brown fox jumps over lazy dog'.split(
    ' ',
  );
const TARGETS = ['step-3.7-flash', 'step-3.5-flash'];
const OUTCOMES = ['ok', 'ok', 'ok', 'assertion_failed', 'rate_limited'];

/** A seeded stream of numbers in [0, 1): the same inputs every run. */
function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function text(next, chars) {
  let out = '';
  while (out.length < chars) out += `${WORDS[Math.floor(next() * WORDS.length)]} `;
  return out.slice(0, chars);
}

function result(i, next, chars) {
  const outcome = OUTCOMES[i % OUTCOMES.length];
  const target = TARGETS[i % 2];
  const rowId = `row-${Math.floor(i / 2)}`;
  const answered = outcome !== 'rate_limited';
  const scheduledAt = i * 36;
  const ttft = 40 + next() * 400;
  const e2e = answered ? ttft + 200 + next() * 3000 : 20;
  const completion = answered ? Math.round(chars / 3) : 0;
  return {
    v: 1,
    key: `${rowId}|${target}|0`,
    index: i,
    rowId,
    target,
    model: target,
    repeat: 0,
    source: { file: 'prompts.csv', line: Math.floor(i / 2) + 2 },
    outcome,
    status: answered ? 200 : 429,
    ...(answered ? {} : { error: { message: 'HTTP 429: rate limit exceeded' } }),
    traceId: `trace-${i}`,
    times: { scheduledAt, dispatchedAt: scheduledAt, sentAt: scheduledAt, endAt: scheduledAt + e2e },
    durations: answered
      ? {
          ttft,
          ttfb: ttft / 2,
          tpot: (e2e - ttft) / Math.max(1, completion - 1),
          e2e,
          latency: e2e,
          queue: 0,
        }
      : { e2e, latency: e2e, queue: 0 },
    itl: [],
    usage: { promptTokens: 40, completionTokens: completion, totalTokens: 40 + completion, source: 'server' },
    output: answered ? text(next, chars) : '',
    attempts: [
      {
        attempt: 1,
        outcome,
        sentAt: scheduledAt,
        endAt: scheduledAt + e2e,
        waitMs: 0,
        traceId: `trace-${i}`,
      },
    ],
    ...(outcome === 'ok' ? { checks: { pass: true, score: 1, results: [] } } : {}),
    ...(outcome === 'assertion_failed'
      ? {
          checks: {
            pass: false,
            score: 0,
            results: [
              { type: 'icontains', pass: false, score: 0, reason: 'output does not contain "Paris"' },
            ],
          },
        }
      : {}),
  };
}

async function writeCase(dir, rows, chars) {
  const resultsPath = join(dir, 'results.jsonl');
  const collector = new MetricsCollector(TARGETS.map((name) => ({ name })));
  const out = createWriteStream(resultsPath);
  const next = random(chars);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const r = result(i, next, chars);
    collector.add(r);
    chunk += `${JSON.stringify(r)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((resolve, reject) => out.end((err) => (err ? reject(err) : resolve())));
  const seconds = 3600;
  const report = buildReport({
    collector,
    run: {
      id: `bench-${rows}-${chars}`,
      startedAt: new Date(0).toISOString(),
      endedAt: new Date(seconds * 1000).toISOString(),
      wallMs: seconds * 1000,
      command: ['stepbench', 'run', 'prompts.csv'],
      stepbenchVersion: 'bench',
      options: {},
    },
    targets: TARGETS.map((name) => ({
      name,
      model: name,
      baseUrl: 'http://127.0.0.1/v1',
      apiKeyEnv: 'STEP_API_KEY',
      stream: true,
      params: {},
      headers: {},
    })),
    dataset: { files: ['prompts.csv'], rows: rows / 2, badRows: [] },
    timeline: {
      buckets: Array.from({ length: seconds }, (_, t) => ({
        t,
        started: 28,
        completed: 26,
        errors: t % 600 === 0 ? 9 : 1,
        rateLimited: t % 600 === 0 ? 9 : 1,
        retries: 0,
        inFlightMax: 40 + (t % 7),
        limit: 64,
        sendRate: null,
        outputTokens: 2000,
      })),
      events: [],
    },
  });
  const htmlPath = join(dir, 'report.html');
  const started = performance.now();
  await writeReportHtml(htmlPath, report, resultsPath);
  const buildMs = performance.now() - started;
  return { resultsPath, htmlPath, buildMs };
}

async function openTimes(browser, htmlPath) {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  try {
    await page.goto(pathToFileURL(htmlPath).href);
    await page.waitForSelector('body[data-ready="rows"], body[data-ready="error"]', { timeout: 300_000 });
    const marks = await page.evaluate(() =>
      Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])),
    );
    const domRows = await page.$$eval('#rows-table tbody tr', (trs) => trs.length);
    return { summaryMs: marks['stepbench:summary'], rowsMs: marks['stepbench:rows'], domRows, problems };
  } finally {
    await page.close();
  }
}

export default {
  name: 'html-report',
  describe: 'report.html for a 100,000-row run: size, build time, time to first render in chromium',
  reportFile: 'html-report.json',
  async run({ log, settings }) {
    if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM}: apt-get install chromium`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const cases = [];
    try {
      for (const chars of settings.chars.map(Number)) {
        const dir = await mkdtemp(join(tmpdir(), 'stepbench-bench-html-'));
        try {
          log(`${settings.rows} rows, answers of ${chars} characters: writing results and report.html`);
          const { resultsPath, htmlPath, buildMs } = await writeCase(dir, settings.rows, chars);
          const opens = [];
          for (let i = 0; i < settings.opens; i++) opens.push(await openTimes(browser, htmlPath));
          const problems = opens.flatMap((o) => o.problems);
          if (problems.length > 0) throw new Error(`the page reported problems: ${problems.join('; ')}`);
          cases.push({
            rows: settings.rows,
            chars,
            resultsBytes: (await stat(resultsPath)).size,
            htmlBytes: (await stat(htmlPath)).size,
            buildMs,
            summaryMs: percentile(
              opens.map((o) => o.summaryMs),
              50,
            ),
            rowsMs: percentile(
              opens.map((o) => o.rowsMs),
              50,
            ),
            rowsMsMax: Math.max(...opens.map((o) => o.rowsMs)),
            domRows: Math.max(...opens.map((o) => o.domRows)),
          });
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
    } finally {
      await browser.close();
    }
    const mb = (b) => fixed(b / 1e6, 1);
    const text = formatTable(cases, [
      { title: 'rows', value: (c) => c.rows },
      { title: 'answer chars', value: (c) => c.chars },
      { title: 'results.jsonl MB', value: (c) => mb(c.resultsBytes) },
      { title: 'report.html MB', value: (c) => mb(c.htmlBytes) },
      { title: 'build s', value: (c) => fixed(c.buildMs / 1000, 1) },
      { title: 'charts drawn ms (median)', value: (c) => fixed(c.summaryMs, 0) },
      { title: 'table drawn ms (median)', value: (c) => fixed(c.rowsMs, 0) },
      { title: 'table drawn ms (max)', value: (c) => fixed(c.rowsMsMax, 0) },
      { title: 'table rows in DOM', value: (c) => c.domRows },
    ]);
    return { text, report: { machine: machineInfo(), settings, cases } };
  },
};
