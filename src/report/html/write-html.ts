import { createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import { readResults } from '../../results/reader.js';
import type { Report } from '../schema.js';
import { pageAssets } from './assets.js';
import { scriptJson } from './escape.js';
import { Base64Text, PackedRows } from './packed-rows.js';
import { baselineFlips, type PageData, pageData, pageTitle } from './page-data.js';
import { PAGE_LIMITS, PageRowsBuilder, type RowLimits } from './page-rows.js';
import { pageEnd, pageStart } from './template.js';

/**
 * Writes the self-contained `report.html` (docs/report-html.md): the report's figures and charts,
 * and one table row per line of `resultsPath`. The page is written as it is made — start, the
 * rows' gzip+base64 text as it is compressed, then the page data and scripts — so a million-row
 * run's page never sits in memory whole. Atomic like report.json: a temporary file beside `path`
 * is renamed over it.
 */
export async function writeReportHtml(
  path: string,
  report: Report,
  resultsPath: string,
  limits: RowLimits = PAGE_LIMITS,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const file = createWriteStream(tmp, { encoding: 'utf8' });
  const packed = new PackedRows();
  try {
    const assets = await pageAssets();
    file.write(pageStart({ title: pageTitle(report), assets }));
    const builder = new PageRowsBuilder(
      report.targets.map((t) => t.name),
      baselineFlips(report),
      limits,
    );
    // The rows are most of a big page and repeat themselves: gzip makes 100,000 of them a few MB;
    // the page opens them with the browser's DecompressionStream.
    const rowsWritten = pipeline(packed.output, new Base64Text(), file, { end: false });
    // Awaited below; a failure before then (a read error) must not also surface as unhandled.
    rowsWritten.catch(() => undefined);
    let tornTail = false;
    const missing = !(await exists(resultsPath));
    if (!missing) {
      for await (const r of readResults(resultsPath, () => {
        tornTail = true;
      })) {
        const row = builder.row(r);
        if (row) await packed.add(row);
      }
    }
    await packed.finish(builder.names());
    await rowsWritten;
    const rows: PageData['rows'] = { ...builder.info, tornTail, missing };
    file.end(pageEnd({ dataJson: scriptJson(pageData(report, rows)), assets }));
    await finished(file);
    await rename(tmp, path);
  } catch (err) {
    packed.destroy();
    file.destroy();
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
