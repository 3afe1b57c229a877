import { createWriteStream } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReportHtml } from '../../../src/report/html/write-html.js';
import { buildReport } from '../../../src/report/json.js';
import type { JobResult } from '../../../src/results/types.js';
import {
  canUseBrowser,
  launchChromium,
  openReport,
  renderedRows,
  waitForCount,
  waitForRow,
} from '../../helpers/browser.js';
import { makeResult } from '../../metrics/job-result-factory.js';
import { sampleReportInput } from '../report-fixture.js';

const ROWS = 100_000;
const TARGETS = ['step-3.5-flash', 'local-vllm'];
const OUTCOMES = ['ok', 'ok', 'ok', 'assertion_failed', 'rate_limited'] as const;

/** Writes a synthetic results.jsonl: ROWS lines, two targets per row, varied outcomes and times. */
async function writeLargeResults(path: string, rows = ROWS): Promise<void> {
  const out = createWriteStream(path);
  const template = makeResult();
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const outcome = OUTCOMES[i % OUTCOMES.length] ?? 'ok';
    const target = TARGETS[i % 2] ?? 'step-3.5-flash';
    const rowId = `row-${Math.floor(i / 2)}`;
    const e2e = 200 + ((i * 7919) % 5000);
    const r: JobResult = {
      ...template,
      key: `${rowId}|${target}|0`,
      index: i,
      rowId,
      target,
      model: target,
      outcome,
      durations: { ...template.durations, ttft: 50 + (i % 300), e2e, latency: e2e + 3 },
      output: `answer ${i}: the quick brown fox jumps over the lazy dog ${i % 97}`,
      ...(outcome === 'assertion_failed'
        ? {
            checks: {
              pass: false,
              score: 0,
              results: [{ type: 'contains', pass: false, score: 0, reason: 'no' }],
            },
          }
        : outcome === 'ok'
          ? { checks: { pass: true, score: 1, results: [] } }
          : {}),
    };
    chunk += `${JSON.stringify(r)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

describe.skipIf(!canUseBrowser)('a 100,000-row report.html', () => {
  let browser: Browser;
  let htmlPath: string;

  beforeAll(async () => {
    browser = await launchChromium();
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-html-large-'));
    const resultsPath = join(dir, 'results.jsonl');
    await writeLargeResults(resultsPath);
    htmlPath = join(dir, 'report.html');
    await writeReportHtml(htmlPath, buildReport(sampleReportInput()), resultsPath);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('keeps only the rows in view in the DOM, also after scrolling, sorting and filtering', async () => {
    expect((await stat(htmlPath)).size).toBeGreaterThan(0);
    const { page, problems } = await openReport(browser, htmlPath);
    try {
      const all = `${(100_000).toLocaleString('en-US')} of ${(100_000).toLocaleString('en-US')} rows`;
      await waitForCount(page, all);
      const domRows = () => page.$$eval('tr', (trs) => trs.length);
      const tableRows = async () => (await renderedRows(page)).length;
      expect(await tableRows()).toBeGreaterThan(10);
      expect(await tableRows()).toBeLessThan(100);
      expect(await domRows()).toBeLessThan(300);
      expect((await renderedRows(page))[0]?.[0]).toBe('row-0');

      // Half way down: the rows drawn are the ones there, and still only a screenful of them.
      await page.$eval('#rows-table .viewport', (v) => {
        v.scrollTop = 50_000 * 28;
      });
      await waitForRow(page, 'row-25000');
      expect(await tableRows()).toBeLessThan(100);
      expect(await domRows()).toBeLessThan(300);

      await page.$eval('#rows-table .viewport', (v) => {
        v.scrollTop = v.scrollHeight;
      });
      await waitForRow(page, 'row-49999');
      expect(await tableRows()).toBeLessThan(100);

      await page.click('#rows-table th[data-col="e2e"]');
      await page.selectOption('#rows-table select[name="outcome"]', { label: 'rate_limited' });
      await waitForCount(
        page,
        `${(20_000).toLocaleString('en-US')} of ${(100_000).toLocaleString('en-US')} rows`,
      );
      const shown = await renderedRows(page);
      expect(shown.every((r) => r[3] === 'rate_limited')).toBe(true);
      expect(shown.length).toBeLessThan(100);
      expect(await domRows()).toBeLessThan(300);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 180_000);
});
