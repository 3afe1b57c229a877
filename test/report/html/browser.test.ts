import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../../src/mock/index.js';
import { writeReportHtml } from '../../../src/report/html/write-html.js';
import type { Report } from '../../../src/report/schema.js';
import { run } from '../../../src/run/run.js';
import {
  canUseBrowser,
  launchChromium,
  openReport,
  renderedRows,
  waitForCount,
} from '../../helpers/browser.js';
import { startTestMock } from '../../helpers/mock.js';

const A = 'step-3.7-flash';
const B = 'step-3.5-flash';
/** A reply that would run script if it ever became markup: it must show as text. */
const XSS = '</script><img src=x onerror=alert(1)><!-- \u2028 line separator \u2029 end';
const SCREENSHOT = fileURLToPath(new URL('../../../reports/html-report.png', import.meta.url));
const E2E = 6;

const QUESTIONS: Array<[string, string, string]> = [
  ['capital-france', 'What is the capital of France?', 'Paris'],
  ['capital-japan', 'What is the capital of Japan?', 'Tokyo'],
  ['capital-italy', 'What is the capital of Italy?', 'Rome'],
  ['arith-add', 'What is 2 + 2?', '4'],
  ['arith-mul', 'What is 6 × 7?', '42'],
  ['colour-sky', 'What colour is the sky on a clear day?', 'blue'],
  ['xss-reply', 'Repeat this back: XSS-PROBE', 'anything'],
  ['long-answer', 'Tell me about Hangzhou.', 'Hangzhou'],
];

describe.skipIf(!canUseBrowser)('report.html in Chromium', () => {
  let browser: Browser;
  let mock: MockServer;
  let htmlPath: string;
  let report: Report;
  let resultsPath: string;

  beforeAll(async () => {
    browser = await launchChromium();
    // Two mock "models": A answers right; B gets Rome wrong and words Paris differently.
    mock = await startTestMock({
      ttftMs: 5,
      interTokenMs: 1,
      replyTokens: 12,
      seed: 11,
      answers: [
        { match: 'XSS-PROBE', answer: XSS },
        { match: 'France', answer: 'The capital of France is Paris.', model: B },
        { match: 'Italy', answer: 'Milan.', model: B },
        ...QUESTIONS.filter(([id]) => id !== 'xss-reply' && id !== 'long-answer').map(([, q, a]) => ({
          match: q,
          answer: a,
        })),
      ],
    });
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-html-browser-'));
    const dataset = join(dir, 'questions.jsonl');
    await writeFile(
      dataset,
      QUESTIONS.map(([id, q, expected]) =>
        JSON.stringify({ id, messages: [{ role: 'user', content: q }], expected }),
      )
        .map((l) => `${l}\n`)
        .join(''),
    );
    const outcome = await run({
      datasets: [dataset],
      models: [A, B],
      baseUrl: mock.url,
      env: { STEP_API_KEY: 'sk-browser-test' },
      concurrency: 4,
      out: join(dir, 'out'),
    });
    htmlPath = outcome.htmlPath;
    report = outcome.report;
    resultsPath = outcome.resultsPath;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await mock?.close();
  });

  it('opens from file:// with no console error and no request but itself, and draws its charts', async () => {
    const { page, url, problems, requests, dialogs } = await openReport(browser, htmlPath);
    try {
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      expect(dialogs).toEqual([]);
      expect(await page.getAttribute('body', 'data-ready')).toBe('rows');
      expect(await page.$$eval('.card h3', (hs) => hs.map((h) => h.textContent))).toEqual([A, B]);
      // Every canvas has a size and something painted on it.
      const canvases = await page.$$eval('canvas', (cs) =>
        cs.map((c) => {
          const pixels = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) painted++;
          return { width: c.width, height: c.height, painted };
        }),
      );
      // Five latency-by-percentile charts, five histograms and the timeline.
      expect(canvases.length).toBeGreaterThanOrEqual(11);
      for (const c of canvases) {
        expect(c.width).toBeGreaterThan(0);
        expect(c.height).toBeGreaterThan(0);
        expect(c.painted).toBeGreaterThan(0);
      }
      expect(
        await page.$$eval('[data-metric]', (els) => els.map((e) => e.getAttribute('data-metric'))),
      ).toEqual(expect.arrayContaining(['ttft', 'itl', 'tpot', 'e2e', 'latency']));
      await page.click('#rows-table tbody tr');
      await page.waitForSelector('#row-detail .answer');
      await mkdir(dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect((await readFile(SCREENSHOT)).subarray(1, 4).toString()).toBe('PNG');
    } finally {
      await page.close();
    }
  }, 120_000);

  it('search, a filter and a sort change which rows are shown and in what order', async () => {
    const { page, problems } = await openReport(browser, htmlPath);
    try {
      const total = QUESTIONS.length * 2;
      await waitForCount(page, `${total} of ${total} rows`);

      await page.fill('#rows-table input[type="search"]', 'capital-japan');
      await waitForCount(page, `2 of ${total} rows`);
      const found = await renderedRows(page);
      expect(found.map((r) => r[0])).toEqual(['capital-japan', 'capital-japan']);
      expect(found.map((r) => r[1]).sort()).toEqual([A, B].sort());

      await page.fill('#rows-table input[type="search"]', '');
      await waitForCount(page, `${total} of ${total} rows`);
      await page.selectOption('#rows-table select[name="target"]', { label: B });
      await waitForCount(page, `${QUESTIONS.length} of ${total} rows`);
      expect(new Set((await renderedRows(page)).map((r) => r[1]))).toEqual(new Set([B]));

      await page.selectOption('#rows-table select[name="verdict"]', { label: 'fail' });
      const failed = await renderedRows(page);
      expect(failed.map((r) => r[0])).toContain('capital-italy');
      expect(failed.every((r) => r[4] === 'fail')).toBe(true);
      await page.selectOption('#rows-table select[name="verdict"]', '');
      await page.selectOption('#rows-table select[name="target"]', '');
      await waitForCount(page, `${total} of ${total} rows`);

      const e2e = async () => (await renderedRows(page)).map((r) => Number((r[E2E] ?? '').replace(/,/g, '')));
      await page.click('#rows-table th[data-col="e2e"]');
      const up = await e2e();
      expect(up).toHaveLength(total);
      expect(up).toEqual([...up].sort((a, b) => a - b));
      await page.click('#rows-table th[data-col="e2e"]');
      const down = await e2e();
      expect(down).toEqual([...up].sort((a, b) => b - a));
      expect(await page.getAttribute('#rows-table th[data-col="e2e"]', 'aria-sort')).toBe('descending');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('shows every target’s answer side by side, diffed word by word against the first', async () => {
    const { page, problems } = await openReport(browser, htmlPath);
    try {
      await page.fill('#rows-table input[type="search"]', 'capital-france');
      await waitForCount(page, `2 of ${QUESTIONS.length * 2} rows`);
      await page.click('#rows-table tbody tr');
      const answers = await page.$$eval('#row-detail .answer', (els) =>
        els.map((el) => ({
          target: el.getAttribute('data-target'),
          output: el.querySelector('.output')?.textContent,
          added: [...el.querySelectorAll('.output ins')].map((x) => x.textContent),
        })),
      );
      expect(answers.map((a) => a.target)).toEqual([A, B]);
      expect(answers[0]).toMatchObject({ output: 'Paris', added: [] });
      // The second column shows B's answer with what it added over A's marked.
      expect(answers[1]?.output).toContain('The capital of France is Paris.');
      expect(answers[1]?.added.join('')).toContain('capital');
      expect(await page.textContent('#row-detail')).toContain('does not keep the prompt');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('shows a reply of script and markup as text, and runs none of it', async () => {
    // The same run's page, with the payload also in the parts of the report that are not rows.
    const poisoned = structuredClone(report);
    poisoned.run.id = XSS;
    poisoned.errorMessages = { http_5xx: [{ message: XSS, count: 3 }] };
    poisoned.gates = [{ gate: 'pass_rate>=0.9', target: A, measured: 0.5, pass: false, reason: XSS }];
    const path = join(dirname(htmlPath), 'poisoned.html');
    await writeReportHtml(path, poisoned, resultsPath);

    for (const file of [htmlPath, path]) {
      const { page, problems, dialogs, requests, url } = await openReport(browser, file);
      try {
        await page.fill('#rows-table input[type="search"]', 'xss-reply');
        await waitForCount(page, `2 of ${QUESTIONS.length * 2} rows`);
        await page.click('#rows-table tbody tr');
        await page.waitForSelector('#row-detail .answer');
        const outputs = await page.$$eval('#row-detail .answer .output', (els) =>
          els.map((e) => e.textContent),
        );
        expect(outputs).toContain(XSS);
        expect(await page.$$eval('img', (imgs) => imgs.length)).toBe(0);
        expect(await page.$$eval('#row-detail .output *:not(ins):not(del)', (els) => els.length)).toBe(0);
        if (file === path) {
          expect(await page.textContent('#errors')).toContain(XSS);
          expect(await page.textContent('#summary')).toContain(XSS);
          expect(await page.textContent('header')).toContain(XSS);
          expect(await page.title()).toContain('</script><img');
        }
        expect(dialogs).toEqual([]);
        expect(problems).toEqual([]);
        expect(requests).toEqual([url]);
      } finally {
        await page.close();
      }
    }
  }, 120_000);
});
