import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PAGE_SCRIPTS, pageAssets } from '../../../src/report/html/assets.js';
import { writeReportHtml } from '../../../src/report/html/write-html.js';
import { buildReport } from '../../../src/report/json.js';
import type { JobResult } from '../../../src/results/types.js';
import { makeResult } from '../../metrics/job-result-factory.js';
import { sampleReportInput } from '../report-fixture.js';

const XSS = '</script><img src=x onerror=alert(1)><!-- \u2028 \u2029 end';

async function page(results: JobResult[]) {
  const dir = await mkdtemp(join(tmpdir(), 'stepbench-html-'));
  const resultsPath = join(dir, 'results.jsonl');
  await writeFile(resultsPath, results.map((r) => `${JSON.stringify(r)}\n`).join(''));
  const report = buildReport(sampleReportInput());
  report.errorMessages = { http_5xx: [{ message: XSS, count: 2 }] };
  const path = join(dir, 'report.html');
  await writeReportHtml(path, report, resultsPath);
  return readFile(path, 'utf8');
}

function between(html: string, open: string): string {
  const start = html.indexOf(open);
  expect(start).toBeGreaterThan(0);
  return html.slice(start + open.length, html.indexOf('</script>', start));
}

const results = () => [
  { ...makeResult({ target: 'step-3.5-flash' }), output: XSS },
  { ...makeResult({ target: 'local-vllm' }), output: 'x'.repeat(5000) },
];

describe('report.html as written', () => {
  it('allows exactly its own inline scripts by hash, and nothing from anywhere', async () => {
    const html = await page(results());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain('img-src data:');
    const allowed = [...csp.matchAll(/'sha256-([^']+)'/g)].map((m) => m[1]);
    const scripts = [...html.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)].map(
      (m) => m[1] ?? '',
    );
    expect(scripts.length).toBe(allowed.length);
    for (const s of scripts) expect(allowed).toContain(createHash('sha256').update(s).digest('base64'));
    // No element loads anything: no src, href, srcset, link or url() in the page's markup.
    const markup = html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style>[\s\S]*?<\/style>/g, '');
    expect(markup).not.toMatch(/\s(src|href|srcset)=/i);
    expect(markup).not.toMatch(/<link|<iframe|<object|<embed|<img/i);
  });

  it('inlines every script of assets/ (a new one cannot be forgotten)', async () => {
    const files = await readdir(new URL('../../../src/report/html/assets/', import.meta.url));
    expect(files.filter((f) => f.endsWith('.js')).sort()).toEqual([...PAGE_SCRIPTS].sort());
    expect(PAGE_SCRIPTS.at(-1)).toBe('main.js');
  });

  it('inlines uPlot once', async () => {
    const html = await page(results());
    const { uplotJs } = await pageAssets();
    expect(html.split(uplotJs).length - 1).toBe(1);
  });

  it('keeps untrusted text escaped in the data block and packed in the rows block', async () => {
    const html = await page(results());
    expect(html).not.toContain('<img');
    const data = between(html, '<script type="application/json" id="page-data">');
    expect(data).not.toMatch(/[<>\u2028\u2029]/);
    expect(JSON.parse(data).errors).toContainEqual(
      expect.objectContaining({ outcome: 'http_5xx', examples: [{ message: XSS, count: 2 }] }),
    );
    const packed = between(
      html,
      '<script type="application/octet-stream" id="rows-data" data-encoding="gzip+base64">',
    );
    expect(packed).toMatch(/^[A-Za-z0-9+/=]*$/);
    const rows = JSON.parse(gunzipSync(Buffer.from(packed, 'base64')).toString('utf8'));
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows[0][10].output).toBe(XSS);
    expect(rows.rows[1][10]).toMatchObject({ output: 'x'.repeat(2000), outputCut: 5000 });
    expect(JSON.parse(data).rows).toMatchObject({ total: 2, shown: 2, cut: 1 });
  });

  it('still writes a page when there is no results.jsonl, and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepbench-html-'));
    const path = join(dir, 'report.html');
    await writeReportHtml(path, buildReport(sampleReportInput()), join(dir, 'results.jsonl'));
    const data = JSON.parse(
      between(await readFile(path, 'utf8'), '<script type="application/json" id="page-data">'),
    );
    expect(data.rows).toMatchObject({ missing: true, total: 0 });
  });
});
