import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's chromium (`apt-get install chromium`); playwright-core drives it, and never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Locally a missing chromium skips the browser tests (with a warning); in CI (`CI` set, as
 * .ci/run does) it fails them, so they can never be skipped where it counts.
 */
export const browserTools = { chromium: existsSync(CHROMIUM), required: Boolean(process.env.CI) };
export const canUseBrowser = browserTools.chromium || browserTools.required;
if (!canUseBrowser)
  console.warn(`browser tests skipped: no chromium at ${CHROMIUM} (apt-get install chromium)`);

export async function launchChromium(): Promise<Browser> {
  expect(browserTools.chromium, `chromium is missing at ${CHROMIUM}: apt-get install chromium`).toBe(true);
  // Root in CI and here: Chromium's sandbox needs user namespaces that a root container may not have.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export interface OpenedReport {
  page: Page;
  url: string;
  /** Console errors and warnings, uncaught page errors (a CSP refusal is a console error). */
  problems: string[];
  /** Every URL the page requested, the page itself included. */
  requests: string[];
  /** alert/confirm/prompt messages: a report must never open one. */
  dialogs: string[];
}

/** Opens a report.html from disk and waits until its table is drawn (or failed to open). */
export async function openReport(browser: Browser, path: string): Promise<OpenedReport> {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  const url = pathToFileURL(path).href;
  const opened: OpenedReport = { page, url, problems: [], requests: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      opened.problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => opened.problems.push(`page error: ${e.message}`));
  page.on('request', (r) => opened.requests.push(r.url()));
  page.on('dialog', (d) => {
    opened.dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="rows"], body[data-ready="error"]', { timeout: 120_000 });
  return opened;
}

/** The table rows in the DOM (the visible ones and the overscan), as their cells' text. */
export function renderedRows(page: Page): Promise<string[][]> {
  return page.$$eval('#rows-table .grid-body tbody tr', (trs) =>
    trs.map((tr) => [...tr.children].map((td) => td.textContent ?? '')),
  );
}

/** Waits until the table's count says `text`, e.g. "2 of 16 rows". */
export async function waitForCount(page: Page, text: string): Promise<void> {
  await expect.poll(() => page.textContent('#rows-count'), { timeout: 60_000 }).toBe(text);
}

/** Waits until a row with this id is among the table rows in the DOM. */
export async function waitForRow(page: Page, rowId: string): Promise<void> {
  await expect
    .poll(async () => (await renderedRows(page)).some((r) => r[0] === rowId), { timeout: 60_000 })
    .toBe(true);
}
