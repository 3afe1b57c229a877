import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapacityAnswer, CapacityPoint } from '../../../src/capacity/types.js';
import type { BaselineComparison } from '../../../src/compare/compare-runs.js';
import { writeReportHtml } from '../../../src/report/html/write-html.js';
import { buildReport } from '../../../src/report/json.js';
import type { Report } from '../../../src/report/schema.js';
import type { JobResult } from '../../../src/results/types.js';
import {
  canUseBrowser,
  launchChromium,
  openReport,
  renderedRows,
  waitForCount,
} from '../../helpers/browser.js';
import { makeResult } from '../../metrics/job-result-factory.js';
import { sampleReportInput } from '../report-fixture.js';

const P = 'step-3.5-flash';
const L = 'local-vllm';

function point(load: number, rps: number, rateLimitedShare: number): CapacityPoint {
  const latency = { p50: 100, p95: 200 + load, p99: 300 + load };
  return {
    load,
    requests: 100,
    completed: 100,
    rateLimited: Math.round(rateLimitedShare * 100),
    errors: 0,
    rateLimitedShare,
    errorShare: 0,
    durationMs: 10_000,
    throughputRps: rps,
    outputTokensPerSec: rps * 50,
    totalTokensPerSec: rps * 80,
    rpm: rps * 60,
    tpm: rps * 4800,
    latencyMs: { ttft: latency, e2e: latency },
    sloPassed: null,
    verdict:
      rateLimitedShare > 0.02
        ? { ok: false, kind: 'rate_limited', reason: `429 share ${rateLimitedShare * 100}% > 2%` }
        : { ok: true, kind: 'good', reason: 'good' },
  };
}

function result(rowId: string, target: string, output: string): JobResult {
  return { ...makeResult({ target }), rowId, key: `${rowId}|${target}|0`, output };
}

/** A report with every optional part the page draws: capacity, baseline, comparison, a long timeline. */
function fullReport(): Report & { capacity: CapacityAnswer; comparison: unknown } {
  const report = buildReport(sampleReportInput());
  const curve = [point(1, 5, 0), point(2, 10, 0), point(4, 19, 0.01), point(8, 21, 0.2)];
  const baseline: BaselineComparison = {
    baseline: {
      path: 'reports/main',
      runId: 'run-main',
      startedAt: '2025-01-01T00:00:00.000Z',
      source: 'results',
    },
    current: {
      path: 'reports/pr',
      runId: 'run-pr',
      startedAt: '2025-01-02T00:00:00.000Z',
      source: 'results',
    },
    alpha: 0.05,
    thresholds: ['ttft.p95:+20%'],
    targets: [{ target: P, baselineTarget: P }],
    deltas: [
      {
        metric: 'ttft.p95',
        target: P,
        baseline: 100,
        current: 150,
        change: 50,
        relative: 0.5,
        interval: { low: 0.3, high: 0.7 },
        test: 'bootstrap',
        p: 0.001,
        threshold: 'ttft.p95:+20%',
        significant: true,
        regression: true,
      },
    ],
    rows: {
      compared: 3,
      regressed: 1,
      fixed: 0,
      outputChanged: 1,
      onlyInBaseline: 0,
      onlyInCurrent: 0,
      judgedBoth: {},
      regressedRows: [
        {
          key: `city|${P}|0`,
          rowId: 'city',
          target: P,
          repeat: 0,
          before: 'passed',
          after: 'failed',
          diff: '[-Paris-]{+Lyon+}',
        },
      ],
      fixedRows: [],
      changedRows: [],
    },
    regressions: [{ target: P, metric: 'ttft.p95', threshold: 'ttft.p95:+20%' }],
    notes: [],
  };
  return {
    ...report,
    aborted: { reason: 'stopped by the user' },
    timeline: {
      buckets: Array.from({ length: 5_000 }, (_, t) => ({
        t,
        started: 5,
        completed: 5,
        errors: t === 4_321 ? 30 : 0,
        rateLimited: t === 4_321 ? 30 : 0,
        retries: 0,
        inFlightMax: 3,
        limit: 4,
        sendRate: 4.5,
        outputTokens: 250,
      })),
      events: [{ atMs: 1200, kind: 'limit-down', limit: 3, reason: '429 from the server' }],
    },
    capacity: {
      dimension: 'concurrency',
      sustainable: curve[2] ?? null,
      limit: curve[3] ?? null,
      stoppedBecause: '429 share 20% at concurrency 8 > 2%',
      rateLimitOnset: { load: 4, share: 0.01 },
      saturation: null,
      curve,
      steps: curve.length,
    },
    baseline,
    comparison: {
      reference: L,
      alpha: 0.05,
      sided: 'two-sided',
      notes: [],
      targets: [
        { target: L, isReference: true, rowsBoth: 2, agreement: null, deltas: [], errorClasses: {} },
        {
          target: P,
          isReference: false,
          rowsBoth: 2,
          agreement: {
            exact: { count: 1, of: 2, share: 0.5 },
            normalised: { count: 1, of: 2, share: 0.5 },
            sameVerdict: { count: 2, of: 2, share: 1 },
          },
          deltas: [],
          errorClasses: {},
        },
      ],
      rows: {
        paired: 2,
        differing: 1,
        listed: [
          {
            rowId: 'r1',
            repeat: 0,
            outputs: [
              { target: L, verdict: 'passed', output: 'Paris' },
              {
                target: P,
                verdict: 'passed',
                output: 'Paris, France',
                same: false,
                diff: 'Paris{+, France+}',
              },
            ],
          },
        ],
      },
    },
  };
}

describe.skipIf(!canUseBrowser)('report.html: the parts only some runs have', () => {
  let browser: Browser;
  let htmlPath: string;

  beforeAll(async () => {
    browser = await launchChromium();
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-html-parts-'));
    const resultsPath = join(dir, 'results.jsonl');
    const rows = [
      result('city', P, 'The city is Lyon.'),
      result('city', L, 'The city is Paris.'),
      result('sum', P, '4'),
      result('sum', L, '4'),
    ];
    await writeFile(resultsPath, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
    htmlPath = join(dir, 'report.html');
    await writeReportHtml(htmlPath, fullReport(), resultsPath);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('draws capacity, baseline, comparison and a downsampled timeline without an error', async () => {
    const { page, problems } = await openReport(browser, htmlPath);
    try {
      expect(problems).toEqual([]);
      expect(await page.textContent('header')).toContain('stopped by the user');
      expect(await page.textContent('#capacity')).toContain('Sustainable: 4 concurrent');
      expect(await page.textContent('#capacity')).toContain('429s began at 4 concurrent');
      expect(await page.$$eval('[data-chart="capacity"] canvas', (c) => c.length)).toBe(1);
      expect(await page.textContent('#timeline')).toContain('Downsampled: the run has 5,000 seconds');
      expect(await page.textContent('#baseline')).toContain('regression');
      expect(await page.$$eval('#baseline del', (d) => d.map((x) => x.textContent))).toContain('Paris');
      expect(await page.textContent('#comparison')).toContain(`Reference target: ${L}`);
      const comparison = (await page.textContent('#comparison')) ?? '';
      expect(comparison).toContain('50.0% (1 of 2)');
      expect(comparison).toContain('1 of 2 rows differ from the reference');
      expect(comparison).toContain('Paris, France');
    } finally {
      await page.close();
    }
  }, 120_000);

  it('filters the rows the baseline lists as flipped, and diffs against the comparison’s reference', async () => {
    const { page, problems } = await openReport(browser, htmlPath);
    try {
      await waitForCount(page, '4 of 4 rows');
      await page.selectOption('#rows-table select[name="flip"]', 'regressed');
      await waitForCount(page, '1 of 4 rows');
      expect((await renderedRows(page)).map((r) => [r[0], r[1], r.at(-1)])).toEqual([
        ['city', P, 'regressed'],
      ]);
      await page.click('#rows-table tbody tr');
      const labels = await page.$$eval('#row-detail .answer', (els) =>
        els.map((el) => [el.getAttribute('data-target'), el.querySelector('.note')?.textContent ?? '']),
      );
      expect(labels).toEqual([
        [P, `answer — word diff against ${L}`],
        [L, 'answer (reference)'],
      ]);
      expect(await page.$$eval('#row-detail .answer ins', (x) => x.map((e) => e.textContent))).toContain(
        'Lyon',
      );
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
