import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readResults } from '../../results/reader.js';
import type { Report } from '../schema.js';
import { pageAssets } from './assets.js';
import { scriptJson } from './escape.js';
import { PackedRows } from './packed-rows.js';
import { baselineFlips, type PageData, pageData } from './page-data.js';
import { PAGE_LIMITS, PageRowsBuilder, type RowLimits } from './page-rows.js';
import { pageHtml } from './template.js';

/** Builds report.html's text: the report's figures and charts, and one table row per line of `resultsPath`. */
export async function reportHtml(
  report: Report,
  resultsPath: string,
  limits: RowLimits = PAGE_LIMITS,
): Promise<string> {
  const builder = new PageRowsBuilder(
    report.targets.map((t) => t.name),
    baselineFlips(report),
    limits,
  );
  let tornTail = false;
  const missing = !(await exists(resultsPath));
  // The rows are most of a big page and repeat themselves: gzip makes 100,000 of them a few MB;
  // the page opens them with the browser's DecompressionStream.
  const packedRows = new PackedRows();
  if (!missing) {
    for await (const r of readResults(resultsPath, () => {
      tornTail = true;
    })) {
      const row = builder.row(r);
      if (row) await packedRows.add(row);
    }
  }
  const packed = await packedRows.finish(builder.names());
  const rows: PageData['rows'] = { ...builder.info, tornTail, missing };
  const data = pageData(report, rows);
  return pageHtml({
    title: data.title,
    dataJson: scriptJson(data),
    rowsBase64: packed.toString('base64'),
    assets: await pageAssets(),
  });
}

/**
 * Writes the self-contained `report.html` (docs/report-html.md). Atomic like report.json: a
 * temporary file beside `path` is renamed over it.
 */
export async function writeReportHtml(path: string, report: Report, resultsPath: string): Promise<void> {
  const html = await reportHtml(report, resultsPath);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(tmp, html, 'utf8');
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
